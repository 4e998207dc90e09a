import { randomUUID } from "node:crypto";
import type { Kysely } from "kysely";
import type { Database, Role } from "../../db/schema";
import { recordAudit } from "../audit/audit.server";
import { applyCensus } from "./census.server";
import { canonicalEmail } from "./email-canonical";
import { hashPassword } from "./password.server";

export type CreateUserResult = { ok: true; userId: string } | { ok: false; reason: "email_taken" };

/** Creates a resident (unverified). */
export function createResident(
  db: Kysely<Database>,
  input: NewAccount & { communeCode: string },
): Promise<CreateUserResult> {
  return createAccount(db, input, "resident");
}

export interface NewAccount {
  email: string;
  password: string;
  /** null: the account lives nowhere in particular, so it votes and comments nowhere. */
  communeCode: string | null;
  /** Keyed hash of the sign-up's network (signupNetworkHash), for the signals page. */
  signupNetwork?: string | null;
}

/**
 * Creates an unverified account holding one role (a resident, or an association that never votes
 * nor comments as a resident), or none (an administrator's account, given its role by the caller).
 * One mailbox, one account: an address whose canonical form (canonicalEmail) already has an
 * account is taken; the unique indexes decide races, not this code.
 */
export async function createAccount(
  db: Kysely<Database>,
  input: NewAccount,
  role: "resident" | "association" | null,
): Promise<CreateUserResult> {
  if (await findUserByEmail(db, input.email)) return { ok: false, reason: "email_taken" };
  const id = randomUUID();
  const now = new Date().toISOString();
  const passwordHash = await hashPassword(input.password);
  try {
    await db.transaction().execute(async (trx) => {
      await trx
        .insertInto("users")
        .values({
          id,
          email: input.email,
          email_canonical: canonicalEmail(input.email),
          signup_network: input.signupNetwork ?? null,
          region_changed_at: null,
          password_hash: passwordHash,
          email_verified_at: null,
          commune_code: input.communeCode,
          display_name: null,
          created_at: now,
          updated_at: now,
        })
        .execute();
      if (role) await trx.insertInto("user_roles").values({ user_id: id, role, scope: "", created_at: now }).execute();
    });
  } catch (error) {
    if (isUniqueViolation(error)) return { ok: false, reason: "email_taken" };
    throw error;
  }
  return { ok: true, userId: id };
}

/**
 * The account of this mailbox: the one with exactly this address, else the one whose canonical
 * form is this address's (`a+x@exemple.fr` finds `a@exemple.fr`). Sign-up, sign-in, password
 * reset, CTS invitations and admin:create all look accounts up here.
 */
export async function findUserByEmail(db: Kysely<Database>, email: string) {
  const exact = await db.selectFrom("users").selectAll().where("email", "=", email).executeTakeFirst();
  if (exact) return exact;
  return db.selectFrom("users").selectAll().where("email_canonical", "=", canonicalEmail(email)).executeTakeFirst();
}

export function findUserById(db: Kysely<Database>, id: string) {
  return db.selectFrom("users").selectAll().where("id", "=", id).executeTakeFirst();
}

export async function markEmailVerified(db: Kysely<Database>, userId: string): Promise<void> {
  const now = new Date().toISOString();
  await db
    .updateTable("users")
    .set({ email_verified_at: now, updated_at: now })
    .where("id", "=", userId)
    .where("email_verified_at", "is", null)
    .execute();
  // A census an ARS loaded may already vouch for this confirmed address and commune.
  await applyCensus(db, userId);
}

export async function setPassword(db: Kysely<Database>, userId: string, password: string): Promise<void> {
  const passwordHash = await hashPassword(password);
  await db
    .updateTable("users")
    .set({ password_hash: passwordHash, updated_at: new Date().toISOString() })
    .where("id", "=", userId)
    .execute();
}

/**
 * Gives a role (idempotent); true when it was actually added. A role added is a security event,
 * recorded in the journal with who granted it (`by`; defaults to the signed-in user of the
 * request, none from the CLI).
 */
export async function grantRole(
  db: Kysely<Database>,
  userId: string,
  role: Role,
  scope = "",
  by?: { id: string | null; label: string },
): Promise<boolean> {
  const inserted = await db
    .insertInto("user_roles")
    .values({ user_id: userId, role, scope, created_at: new Date().toISOString() })
    .onConflict((oc) => oc.columns(["user_id", "role", "scope"]).doNothing())
    .returning("user_id")
    .execute();
  if (inserted.length > 0) await journalRoleChange(db, { userId, role, scope, by, change: "donné au" });
  return inserted.length > 0;
}

/** Takes a role back; true when the account held it. Journaled like `grantRole`. */
export async function revokeRole(
  db: Kysely<Database>,
  userId: string,
  role: Role,
  scope = "",
  by?: { id: string | null; label: string },
): Promise<boolean> {
  const deleted = await db
    .deleteFrom("user_roles")
    .where("user_id", "=", userId)
    .where("role", "=", role)
    .where("scope", "=", scope)
    .returning("user_id")
    .execute();
  if (deleted.length > 0) await journalRoleChange(db, { userId, role, scope, by, change: "retiré au" });
  return deleted.length > 0;
}

function journalRoleChange(
  db: Kysely<Database>,
  e: { userId: string; role: Role; scope: string; by?: { id: string | null; label: string }; change: string },
) {
  return recordAudit(db, {
    kind: "role_change",
    ...(e.by ? { userId: e.by.id } : {}),
    detail: `rôle ${e.role}${e.scope ? ` (${e.scope})` : ""} ${e.change} compte ${e.userId}${e.by ? ` par ${e.by.label}` : ""}`,
  });
}

export function isUniqueViolation(error: unknown): boolean {
  const e = error as { code?: string; message?: string };
  // PostgreSQL: 23505; SQLite: SQLITE_CONSTRAINT_UNIQUE / _PRIMARYKEY.
  return e?.code === "23505" || /^SQLITE_CONSTRAINT_(UNIQUE|PRIMARYKEY)$/.test(e?.code ?? "");
}
