import { randomUUID } from "node:crypto";
import type { Kysely } from "kysely";
import type { AssuranceLevel, Database, VerificationMethod } from "../../db/schema";
import { recordAudit } from "../audit/audit.server";
import { ASSURANCE_LABELS, highestLevel } from "./assurance";

/** The levels a proof of each method gives. */
const LEVEL_OF: Record<VerificationMethod, AssuranceLevel> = {
  franceconnect: "identity",
  postal_code: "residence",
  census: "residence",
  counter: "in_person",
};

/**
 * The highest level an account's verifications support for the commune it declares now: an
 * identity holds wherever the person lives, a proof of residence (letter, census, counter) only
 * for the commune it was given for.
 */
export async function currentLevel(db: Kysely<Database>, userId: string): Promise<AssuranceLevel> {
  const user = await db.selectFrom("users").select("commune_code").where("id", "=", userId).executeTakeFirst();
  if (!user) return "email";
  const proofs = await db
    .selectFrom("user_verifications")
    .select(["level", "commune_code"])
    .where("user_id", "=", userId)
    .execute();
  return highestLevel(
    proofs.filter((p) => p.commune_code === null || p.commune_code === user.commune_code).map((p) => p.level),
  );
}

/**
 * Brings the account's kept level in line with its verifications (after a new proof or a commune
 * change) and journals a change of level. Run inside the caller's transaction when there is one.
 */
export async function refreshAssuranceLevel(db: Kysely<Database>, userId: string): Promise<AssuranceLevel> {
  const level = await currentLevel(db, userId);
  const updated = await db
    .updateTable("users")
    .set({ assurance_level: level, updated_at: new Date().toISOString() })
    .where("id", "=", userId)
    .where("assurance_level", "!=", level)
    .executeTakeFirst();
  if (Number(updated.numUpdatedRows) > 0) {
    await recordAudit(db, {
      kind: "verification",
      userId,
      detail: `niveau de garantie : ${ASSURANCE_LABELS[level]}`,
    });
  }
  return level;
}

/**
 * Keeps one proof (FranceConnect sign-in, postal code entered, census match, counter
 * confirmation) and raises the account's level accordingly. `communeCode` is the commune a
 * residence proof vouches for (the account's commune at that moment); `by` the counter agent.
 */
export async function recordVerification(
  db: Kysely<Database>,
  input: { userId: string; method: VerificationMethod; communeCode?: string | null; by?: string | null; now?: Date },
): Promise<AssuranceLevel> {
  const level = LEVEL_OF[input.method];
  const commune =
    level === "identity"
      ? null
      : (input.communeCode ??
        (await db.selectFrom("users").select("commune_code").where("id", "=", input.userId).executeTakeFirstOrThrow())
          .commune_code);
  await db
    .insertInto("user_verifications")
    .values({
      id: randomUUID(),
      user_id: input.userId,
      level,
      method: input.method,
      commune_code: commune,
      verified_by: input.by ?? null,
      created_at: (input.now ?? new Date()).toISOString(),
    })
    .execute();
  await recordAudit(db, {
    kind: "verification",
    userId: input.by ?? input.userId,
    detail: `preuve « ${input.method} » enregistrée pour le compte ${input.userId}`,
  });
  return refreshAssuranceLevel(db, input.userId);
}
