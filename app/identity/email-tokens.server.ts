import { createHash, randomBytes, randomUUID } from "node:crypto";
import type { Kysely } from "kysely";
import type { Database, EmailTokenKind } from "../../db/schema";

export const TOKEN_LIFETIME_MS: Record<EmailTokenKind, number> = {
  verify_email: 24 * 60 * 60 * 1000,
  reset_password: 60 * 60 * 1000,
};

export function hashToken(token: string): string {
  return createHash("sha256").update(token).digest("hex");
}

/** A one-time token (32 random bytes, base64url); only its SHA-256 is stored. */
export async function createEmailToken(
  db: Kysely<Database>,
  userId: string,
  kind: EmailTokenKind,
  now = new Date(),
): Promise<string> {
  const token = randomBytes(32).toString("base64url");
  await db
    .insertInto("email_tokens")
    .values({
      id: randomUUID(),
      user_id: userId,
      kind,
      token_hash: hashToken(token),
      expires_at: new Date(now.getTime() + TOKEN_LIFETIME_MS[kind]).toISOString(),
      used_at: null,
      created_at: now.toISOString(),
    })
    .execute();
  return token;
}

export type ConsumeResult = { ok: true; userId: string } | { ok: false; reason: "unknown" | "expired" | "used" };

/**
 * Marks the token used and returns its user, in one conditional UPDATE so two clicks at once
 * cannot both succeed.
 */
export async function consumeEmailToken(
  db: Kysely<Database>,
  token: string,
  kind: EmailTokenKind,
  now = new Date(),
): Promise<ConsumeResult> {
  const tokenHash = hashToken(token);
  const iso = now.toISOString();
  const row = await db
    .updateTable("email_tokens")
    .set({ used_at: iso })
    .where("token_hash", "=", tokenHash)
    .where("kind", "=", kind)
    .where("used_at", "is", null)
    .where("expires_at", ">", iso)
    .returning("user_id")
    .executeTakeFirst();
  if (row) return { ok: true, userId: row.user_id };
  const status = await checkEmailToken(db, token, kind, now);
  // "valid" here means another request consumed it between the two statements.
  return { ok: false, reason: status === "valid" ? "used" : status };
}

/** Whether a token could be consumed now, without consuming it (to show the right page). */
export async function checkEmailToken(
  db: Kysely<Database>,
  token: string,
  kind: EmailTokenKind,
  now = new Date(),
): Promise<"valid" | "unknown" | "expired" | "used"> {
  const tokenHash = hashToken(token);
  const iso = now.toISOString();
  const row = await db
    .selectFrom("email_tokens")
    .select(["used_at", "expires_at"])
    .where("token_hash", "=", tokenHash)
    .where("kind", "=", kind)
    .executeTakeFirst();
  if (!row) return "unknown";
  if (row.used_at) return "used";
  if (row.expires_at <= iso) return "expired";
  return "valid";
}

/** Uses up every pending link of one kind of an account (a new password makes older reset links void). */
export async function consumePendingTokens(
  db: Kysely<Database>,
  userId: string,
  kind: EmailTokenKind,
  now = new Date(),
): Promise<number> {
  const result = await db
    .updateTable("email_tokens")
    .set({ used_at: now.toISOString() })
    .where("user_id", "=", userId)
    .where("kind", "=", kind)
    .where("used_at", "is", null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}

/** The account a link belongs to, without using it (a new password is checked against its e-mail first). */
export async function emailTokenOwner(db: Kysely<Database>, token: string, kind: EmailTokenKind) {
  return db
    .selectFrom("email_tokens as t")
    .innerJoin("users as u", "u.id", "t.user_id")
    .select(["u.id", "u.email"])
    .where("t.token_hash", "=", hashToken(token))
    .where("t.kind", "=", kind)
    .executeTakeFirst();
}
