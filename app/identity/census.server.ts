import { createHash } from "node:crypto";
import type { Kysely } from "kysely";
import type { Database } from "../../db/schema";
import { recordAudit } from "../audit/audit.server";
import { recordVerification } from "./assurance.server";
import { canonicalEmail } from "./email-canonical";

// A census an ARS loads (docs/domain.md « Niveaux de garantie », « Recensement »): each line
// is reduced at once to the hash of its matching key, canonical e-mail and commune; names and
// birth dates are read and dropped, the file is not kept. A verified account whose key matches
// gets the proof of residence "census" for that commune, at the load or when it confirms its
// e-mail later.

export function censusKey(email: string, communeCode: string): string {
  return createHash("sha256")
    .update(`census:v1:${canonicalEmail(email)}|${communeCode}`)
    .digest("hex");
}

export interface CensusRow {
  email?: string | null;
  commune?: string | null;
}

export interface CensusSummary {
  rows: number;
  kept: number;
  withoutEmail: number;
  invalidEmail: number;
  outsideRegion: number;
  duplicates: number;
  accountsVerified: number;
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const CHUNK = 500;

/**
 * Replaces the region's census by `rows` (a census is a snapshot: the proofs already given stay,
 * the lines of the previous load go), then verifies the matching accounts. `onProgress` is called
 * every 10 000 lines.
 */
export async function loadCensus(
  db: Kysely<Database>,
  input: {
    regionCode: string;
    rows: Iterable<CensusRow> | AsyncIterable<CensusRow>;
    now?: Date;
    onProgress?: (rows: number) => void;
  },
): Promise<CensusSummary> {
  const now = (input.now ?? new Date()).toISOString();
  const communes = new Set(
    (await db.selectFrom("communes").select("code").where("region_code", "=", input.regionCode).execute()).map(
      (c) => c.code,
    ),
  );
  if (communes.size === 0) throw new Error(`Région inconnue : ${input.regionCode}`);
  const summary: CensusSummary = {
    rows: 0,
    kept: 0,
    withoutEmail: 0,
    invalidEmail: 0,
    outsideRegion: 0,
    duplicates: 0,
    accountsVerified: 0,
  };
  const keys = new Set<string>();
  for await (const row of input.rows) {
    summary.rows++;
    if (summary.rows % 10_000 === 0) input.onProgress?.(summary.rows);
    const email = (row.email ?? "").trim();
    const commune = (row.commune ?? "").trim();
    if (!email) summary.withoutEmail++;
    else if (!EMAIL.test(email)) summary.invalidEmail++;
    else if (!communes.has(commune)) summary.outsideRegion++;
    else {
      const key = censusKey(email, commune);
      if (keys.has(key)) summary.duplicates++;
      else keys.add(key);
    }
  }
  summary.kept = keys.size;
  await db.transaction().execute(async (trx) => {
    await trx.deleteFrom("census_entries").where("region_code", "=", input.regionCode).execute();
    const all = [...keys];
    for (let i = 0; i < all.length; i += CHUNK) {
      await trx
        .insertInto("census_entries")
        .values(
          all.slice(i, i + CHUNK).map((key_hash) => ({ region_code: input.regionCode, key_hash, loaded_at: now })),
        )
        .execute();
    }
    const accounts = await trx
      .selectFrom("users")
      .innerJoin("communes", "communes.code", "users.commune_code")
      .select(["users.id", "users.email", "users.commune_code"])
      .where("communes.region_code", "=", input.regionCode)
      .where("users.email_verified_at", "is not", null)
      .execute();
    for (const account of accounts) {
      // Joined on the region's communes: an account without a commune is not among them.
      if (account.commune_code === null) continue;
      if (!keys.has(censusKey(account.email, account.commune_code))) continue;
      if (await hasCensusProof(trx, account.id, account.commune_code)) continue;
      await recordVerification(trx, { userId: account.id, method: "census", communeCode: account.commune_code });
      summary.accountsVerified++;
    }
    await recordAudit(trx, {
      kind: "verification",
      detail: `recensement chargé pour la région ${input.regionCode} : ${summary.kept} entrée(s), ${summary.accountsVerified} compte(s) vérifié(s)`,
    });
  });
  return summary;
}

async function hasCensusProof(db: Kysely<Database>, userId: string, communeCode: string): Promise<boolean> {
  const proof = await db
    .selectFrom("user_verifications")
    .select("id")
    .where("user_id", "=", userId)
    .where("method", "=", "census")
    .where("commune_code", "=", communeCode)
    .executeTakeFirst();
  return proof !== undefined;
}

/**
 * Gives an account whose e-mail is confirmed the census proof when a loaded census has its
 * e-mail and commune (after it confirms its e-mail, or moves). True when a proof was added.
 */
export async function applyCensus(db: Kysely<Database>, userId: string): Promise<boolean> {
  const user = await db
    .selectFrom("users")
    .select(["email", "commune_code", "email_verified_at"])
    .where("id", "=", userId)
    .executeTakeFirst();
  if (!user?.email_verified_at || user.commune_code === null) return false;
  const entry = await db
    .selectFrom("census_entries")
    .select("region_code")
    .where("key_hash", "=", censusKey(user.email, user.commune_code))
    .executeTakeFirst();
  if (!entry || (await hasCensusProof(db, userId, user.commune_code))) return false;
  await recordVerification(db, { userId, method: "census", communeCode: user.commune_code });
  return true;
}
