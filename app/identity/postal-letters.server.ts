import { createHash, randomBytes, randomInt, randomUUID, timingSafeEqual } from "node:crypto";
import type { Kysely } from "kysely";
import type { Database, PostalLetterStatus } from "../../db/schema";
import { lockRow, writeTransaction } from "../../db/dialect";
import { recordAudit } from "../audit/audit.server";
import { Refusal } from "../platform/refusal";
import { recordVerification } from "./assurance.server";
import { POSTAL_CODE_LENGTH, POSTAL_CODE_TRIES, POSTAL_CODE_VALID_DAYS } from "./postal-code-rules";

// Résidence by postal letter (docs/domain.md « Niveaux de garantie », « Courrier »): a resident
// asks for a letter to an address in their commune; administrators export the letters waiting
// (a CSV for a mail house or PDF sheets); the code is made at export, written in the file only,
// and kept here as a salted hash; entered once, within its validity, in 5 tries at most.

export { POSTAL_CODE_LENGTH, POSTAL_CODE_TRIES, POSTAL_CODE_VALID_DAYS };
/** No 0/O, 1/I/L: a code read on paper and typed is not misread. */
const ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789";

export interface LetterAddress {
  recipient: string;
  line1: string;
  line2?: string | null;
  postalCode: string;
}

/** The letter of an account still in play (asked, or sent and not used), as « Mon compte » shows it. */
export interface PendingLetter {
  status: Extract<PostalLetterStatus, "requested" | "sent">;
  recipient: string;
  line1: string;
  line2: string | null;
  postalCode: string;
  communeName: string;
  requestedAt: string;
  sentAt: string | null;
  expiresAt: string | null;
  triesLeft: number;
  expired: boolean;
  locked: boolean;
}

function hashCode(salt: string, code: string): string {
  return createHash("sha256").update(`${salt}:${code}`).digest("hex");
}

export function newPostalCode(): string {
  let code = "";
  for (let i = 0; i < POSTAL_CODE_LENGTH; i++) code += ALPHABET[randomInt(ALPHABET.length)];
  return code;
}

/** What a person typed, as the code is written: spaces and dashes out, upper case. */
export function normalizeCode(input: string): string {
  return input.replace(/[\s-]/g, "").toUpperCase();
}

/**
 * Queues a letter to `address` for the account's declared commune, voiding the one still in play
 * (one letter at a time). The postal code must be one of the commune's.
 */
export async function requestLetter(db: Kysely<Database>, userId: string, address: LetterAddress, now = new Date()) {
  return writeTransaction(db, async (trx) => {
    await lockRow(trx, "users", userId);
    const user = await trx
      .selectFrom("users")
      .innerJoin("communes", "communes.code", "users.commune_code")
      .select(["users.commune_code", "communes.name", "communes.postal_codes"])
      .where("users.id", "=", userId)
      .executeTakeFirst();
    if (!user?.commune_code)
      throw new Refusal("invalid", "Choisissez d’abord votre commune dans « Mon compte » : le courrier y est envoyé.");
    const communeCode = user.commune_code;
    const codes = user.postal_codes.split(/\s+/).filter(Boolean);
    if (codes.length && !codes.includes(address.postalCode)) {
      throw new Refusal(
        "invalid",
        `Le code postal ${address.postalCode} n’est pas celui de ${user.name}, votre commune (${codes.join(", ")}). Le courrier doit être envoyé dans votre commune : changez-la d’abord si vous avez déménagé.`,
      );
    }
    const replaced = await voidLetters(trx, userId);
    await trx
      .insertInto("postal_letters")
      .values({
        id: randomUUID(),
        user_id: userId,
        commune_code: communeCode,
        recipient: address.recipient,
        address_line1: address.line1,
        address_line2: address.line2 || null,
        postal_code: address.postalCode,
        status: "requested",
        code_salt: null,
        code_hash: null,
        requested_at: now.toISOString(),
        sent_at: null,
        expires_at: null,
        used_at: null,
      })
      .execute();
    await recordAudit(trx, {
      kind: "verification",
      userId,
      detail: replaced ? "nouveau courrier de code demandé (le précédent est annulé)" : "courrier de code demandé",
    });
    return { communeName: user.name, replaced };
  });
}

async function voidLetters(db: Kysely<Database>, userId: string): Promise<number> {
  const voided = await db
    .updateTable("postal_letters")
    .set({ status: "void", code_salt: null, code_hash: null })
    .where("user_id", "=", userId)
    .where("status", "in", ["requested", "sent"])
    .executeTakeFirst();
  return Number(voided.numUpdatedRows);
}

/** A commune change voids the letter in play: its code vouched for the commune left. */
export async function voidPendingLetters(db: Kysely<Database>, userId: string): Promise<void> {
  if ((await voidLetters(db, userId)) > 0)
    await recordAudit(db, { kind: "verification", userId, detail: "courrier de code annulé (changement de commune)" });
}

export async function pendingLetter(
  db: Kysely<Database>,
  userId: string,
  now = new Date(),
): Promise<PendingLetter | null> {
  const row = await db
    .selectFrom("postal_letters")
    .innerJoin("communes", "communes.code", "postal_letters.commune_code")
    .select([
      "postal_letters.status",
      "recipient",
      "address_line1",
      "address_line2",
      "postal_letters.postal_code",
      "communes.name as commune_name",
      "requested_at",
      "sent_at",
      "expires_at",
      "attempts",
    ])
    .where("user_id", "=", userId)
    .where("postal_letters.status", "in", ["requested", "sent"])
    .executeTakeFirst();
  if (!row) return null;
  return {
    status: row.status as PendingLetter["status"],
    recipient: row.recipient,
    line1: row.address_line1,
    line2: row.address_line2,
    postalCode: row.postal_code,
    communeName: row.commune_name,
    requestedAt: row.requested_at,
    sentAt: row.sent_at,
    expiresAt: row.expires_at,
    triesLeft: Math.max(0, POSTAL_CODE_TRIES - row.attempts),
    expired: row.expires_at !== null && row.expires_at <= now.toISOString(),
    locked: row.attempts >= POSTAL_CODE_TRIES,
  };
}

/** Letters by state, for the administrators' page. */
export async function letterCounts(db: Kysely<Database>): Promise<Record<PostalLetterStatus, number>> {
  const rows = await db
    .selectFrom("postal_letters")
    .select(["status", (eb) => eb.fn.countAll<number>().as("n")])
    .groupBy("status")
    .execute();
  const counts: Record<PostalLetterStatus, number> = { requested: 0, sent: 0, used: 0, void: 0 };
  for (const r of rows) counts[r.status] = Number(r.n);
  return counts;
}

/** One letter of an export, code in clear: it exists nowhere else once the file is made. */
export interface ExportedLetter {
  recipient: string;
  line1: string;
  line2: string | null;
  postalCode: string;
  communeName: string;
  communeCode: string;
  code: string;
  expiresAt: string;
}

/**
 * Makes the code of every letter waiting, keeps its salted hash, marks the letter sent (the code
 * is valid POSTAL_CODE_VALID_DAYS from now) and journals the export. The caller writes the file
 * at once: the codes cannot be read again (a lost file means new letters asked).
 */
export async function exportPendingLetters(
  db: Kysely<Database>,
  input: { by: string; format: "csv" | "pdf"; now?: Date },
): Promise<ExportedLetter[]> {
  const now = input.now ?? new Date();
  const expiresAt = new Date(now.getTime() + POSTAL_CODE_VALID_DAYS * 86_400_000).toISOString();
  return writeTransaction(db, async (trx) => {
    const waiting = await trx
      .selectFrom("postal_letters")
      .innerJoin("communes", "communes.code", "postal_letters.commune_code")
      .select([
        "postal_letters.id",
        "recipient",
        "address_line1",
        "address_line2",
        "postal_letters.postal_code",
        "communes.name as commune_name",
        "postal_letters.commune_code",
      ])
      .where("postal_letters.status", "=", "requested")
      .orderBy("postal_letters.postal_code")
      .orderBy("requested_at")
      .execute();
    const letters: ExportedLetter[] = [];
    for (const row of waiting) {
      const code = newPostalCode();
      const salt = randomBytes(16).toString("hex");
      // Two administrators exporting at once: a letter goes in one file only.
      const updated = await trx
        .updateTable("postal_letters")
        .set({
          status: "sent",
          code_salt: salt,
          code_hash: hashCode(salt, code),
          sent_at: now.toISOString(),
          expires_at: expiresAt,
        })
        .where("id", "=", row.id)
        .where("status", "=", "requested")
        .executeTakeFirst();
      if (Number(updated.numUpdatedRows) === 0) continue;
      letters.push({
        recipient: row.recipient,
        line1: row.address_line1,
        line2: row.address_line2,
        postalCode: row.postal_code,
        communeName: row.commune_name,
        communeCode: row.commune_code,
        code,
        expiresAt,
      });
    }
    await recordAudit(trx, {
      kind: "export",
      userId: input.by,
      detail: `${letters.length} courrier(s) de code exporté(s) (${input.format.toUpperCase()}), marqués envoyés`,
    });
    return letters;
  });
}

type Entry =
  | { outcome: "verified" }
  | { outcome: "refused"; code: "invalid" | "not-found" | "conflict" | "too-many"; message: string };

/**
 * Checks the code a resident typed against their letter: right → the letter is used and the
 * account gets the proof of residence; wrong → one try fewer, counted even though a refusal
 * follows; no try left, expired, not sent yet → refused. Throws the Refusal after the count is
 * kept.
 */
export async function enterPostalCode(db: Kysely<Database>, userId: string, input: string, now = new Date()) {
  const entry = await writeTransaction(db, async (trx): Promise<Entry> => {
    await lockRow(trx, "users", userId);
    const letter = await trx
      .selectFrom("postal_letters")
      .select(["id", "status", "code_salt", "code_hash", "attempts", "expires_at", "commune_code"])
      .where("user_id", "=", userId)
      .where("status", "in", ["requested", "sent"])
      .executeTakeFirst();
    if (!letter)
      return {
        outcome: "refused",
        code: "not-found",
        message: "Aucun courrier en cours : demandez d’abord un code par courrier.",
      };
    if (letter.status === "requested" || !letter.code_hash || !letter.code_salt)
      return {
        outcome: "refused",
        code: "conflict",
        message: "Votre courrier n’est pas encore parti : vous recevrez le code dans quelques jours.",
      };
    if (letter.attempts >= POSTAL_CODE_TRIES)
      return {
        outcome: "refused",
        code: "too-many",
        message: `Ce code est bloqué après ${POSTAL_CODE_TRIES} essais incorrects : demandez un nouveau courrier.`,
      };
    if (letter.expires_at !== null && letter.expires_at <= now.toISOString())
      return {
        outcome: "refused",
        code: "conflict",
        message: `Ce code a expiré (il était valable ${POSTAL_CODE_VALID_DAYS} jours) : demandez un nouveau courrier.`,
      };
    const typed = Buffer.from(hashCode(letter.code_salt, normalizeCode(input)), "hex");
    if (!timingSafeEqual(typed, Buffer.from(letter.code_hash, "hex"))) {
      const attempts = letter.attempts + 1;
      await trx.updateTable("postal_letters").set({ attempts }).where("id", "=", letter.id).execute();
      const left = POSTAL_CODE_TRIES - attempts;
      if (left === 0)
        await recordAudit(trx, { kind: "verification", userId, detail: "code de courrier bloqué après 5 essais" });
      return {
        outcome: "refused",
        code: "invalid",
        message:
          left > 0
            ? `Code incorrect. Il vous reste ${left} essai${left > 1 ? "s" : ""}.`
            : "Code incorrect. C’était le dernier essai : ce code est bloqué, demandez un nouveau courrier.",
      };
    }
    await trx
      .updateTable("postal_letters")
      .set({ status: "used", used_at: now.toISOString(), code_salt: null, code_hash: null })
      .where("id", "=", letter.id)
      .execute();
    await recordVerification(trx, { userId, method: "postal_code", communeCode: letter.commune_code, now });
    return { outcome: "verified" };
  });
  if (entry.outcome === "refused") throw new Refusal(entry.code, entry.message);
}
