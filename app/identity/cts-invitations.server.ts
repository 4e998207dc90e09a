import { createHash, randomBytes, randomUUID } from "node:crypto";
import type { Kysely } from "kysely";
import type { Database } from "../../db/schema";
import { sendEmail } from "../platform/email.server";
import { env } from "../platform/env.server";
import { checkPasswordStrength } from "./password-strength.server";
import { canonicalEmail } from "./email-canonical";
import { createResident, findUserByEmail, grantRole, markEmailVerified } from "./users.server";

export const INVITATION_LIFETIME_MS = 7 * 24 * 60 * 60 * 1000;

const hash = (token: string) => createHash("sha256").update(token).digest("hex");

export type InviteResult = { ok: true } | { ok: false; reason: "unknown_cts" | "already_member" };

/**
 * An administrator invites a person, by e-mail, to one CTS territory. The link (32 random bytes,
 * only its SHA-256 kept, valid 7 days, single use) lets them join with their account or make one.
 */
export async function inviteCtsMember(
  db: Kysely<Database>,
  input: { email: string; ctsCode: string; invitedBy: string },
  now = new Date(),
): Promise<InviteResult> {
  const cts = await db
    .selectFrom("cts_territories")
    .select(["code", "name"])
    .where("code", "=", input.ctsCode)
    .executeTakeFirst();
  if (!cts) return { ok: false, reason: "unknown_cts" };
  const member = await db
    .selectFrom("users as u")
    .innerJoin("user_roles as r", "r.user_id", "u.id")
    .select("u.id")
    .where((eb) => eb.or([eb("u.email", "=", input.email), eb("u.email_canonical", "=", canonicalEmail(input.email))]))
    .where("r.role", "=", "cts_member")
    .where("r.scope", "=", cts.code)
    .executeTakeFirst();
  if (member) return { ok: false, reason: "already_member" };
  const token = randomBytes(32).toString("base64url");
  await db
    .insertInto("cts_invitations")
    .values({
      id: randomUUID(),
      email: input.email,
      cts_code: cts.code,
      token_hash: hash(token),
      invited_by: input.invitedBy,
      expires_at: new Date(now.getTime() + INVITATION_LIFETIME_MS).toISOString(),
      accepted_at: null,
      accepted_by: null,
      created_at: now.toISOString(),
    })
    .execute();
  await sendEmail(db, {
    to: input.email,
    subject: `Invitation au conseil territorial de santé ${cts.name} — Priorités Santé`,
    text:
      `Bonjour,\n\nVous êtes invité·e à rejoindre l’espace du conseil territorial de santé ${cts.name} sur Priorités Santé : ` +
      `vous y lirez les classements, la participation et les commentaires de votre territoire, et pourrez les exporter pour vos réunions.\n\n` +
      `Pour accepter, ouvrez ce lien :\n\n${env().PUBLIC_URL}/invitation-cts?token=${token}\n\n` +
      `Il est valable 7 jours et ne sert qu’une fois. Si vous n’attendiez pas cette invitation, ignorez ce message.\n\n— Priorités Santé`,
  });
  return { ok: true };
}

export type InvitationStatus = "valid" | "unknown" | "expired" | "used";

/** What an invitation link points to, without using it. */
export async function checkInvitation(db: Kysely<Database>, token: string, now = new Date()) {
  const row = await db
    .selectFrom("cts_invitations as i")
    .innerJoin("cts_territories as t", "t.code", "i.cts_code")
    .select(["i.email", "i.cts_code", "t.name as cts_name", "i.expires_at", "i.accepted_at"])
    .where("i.token_hash", "=", hash(token))
    .executeTakeFirst();
  if (!row) return { status: "unknown" as const, invitation: null };
  const status: InvitationStatus = row.accepted_at ? "used" : row.expires_at <= now.toISOString() ? "expired" : "valid";
  const account = await findUserByEmail(db, row.email);
  return {
    status,
    invitation: { email: row.email, ctsCode: row.cts_code, ctsName: row.cts_name, accountExists: !!account },
  };
}

export type AcceptResult =
  | { ok: true; userId: string; ctsCode: string }
  | { ok: false; reason: Exclude<InvitationStatus, "valid"> | "wrong_account" | "email_taken" }
  | { ok: false; reason: "weak_password"; message: string };

/**
 * Uses the invitation: for the signed-in person it was sent to, or by making their account (the
 * link proves the address, so it is verified). The link is claimed first by one conditional
 * UPDATE, so of two uses at once only one goes on to make an account or grant the role.
 */
export async function acceptInvitation(
  db: Kysely<Database>,
  token: string,
  who: { userId: string; email: string } | { newAccount: { password: string; communeCode: string } },
  now = new Date(),
): Promise<AcceptResult> {
  const checked = await checkInvitation(db, token, now);
  if (checked.status !== "valid") return { ok: false, reason: checked.status };
  const invitation = checked.invitation!;
  // The same mailbox however written (case, +tag, dots at the providers that ignore them).
  if ("userId" in who && canonicalEmail(who.email) !== canonicalEmail(invitation.email))
    return { ok: false, reason: "wrong_account" };
  if ("newAccount" in who && invitation.accountExists) return { ok: false, reason: "email_taken" };
  if ("newAccount" in who) {
    const strength = await checkPasswordStrength(who.newAccount.password, { email: invitation.email });
    if (!strength.ok) return { ok: false, reason: "weak_password", message: strength.message };
  }
  const iso = now.toISOString();
  const claimed = await db
    .updateTable("cts_invitations")
    .set({ accepted_at: iso })
    .where("token_hash", "=", hash(token))
    .where("accepted_at", "is", null)
    .where("expires_at", ">", iso)
    .executeTakeFirst();
  if (Number(claimed.numUpdatedRows) !== 1) return { ok: false, reason: "used" };
  let userId: string;
  if ("userId" in who) userId = who.userId;
  else {
    const created = await createResident(db, {
      email: invitation.email,
      password: who.newAccount.password,
      communeCode: who.newAccount.communeCode,
    });
    if (!created.ok) {
      // The address got an account meanwhile: give the link back so they can sign in and use it.
      await db
        .updateTable("cts_invitations")
        .set({ accepted_at: null })
        .where("token_hash", "=", hash(token))
        .execute();
      return { ok: false, reason: "email_taken" };
    }
    userId = created.userId;
    await markEmailVerified(db, userId);
  }
  await grantRole(db, userId, "cts_member", invitation.ctsCode);
  await db.updateTable("cts_invitations").set({ accepted_by: userId }).where("token_hash", "=", hash(token)).execute();
  return { ok: true, userId, ctsCode: invitation.ctsCode };
}

/** Invitations still waiting, for the administrators' page. */
export function pendingInvitations(db: Kysely<Database>, now = new Date()) {
  return db
    .selectFrom("cts_invitations as i")
    .innerJoin("cts_territories as t", "t.code", "i.cts_code")
    .select(["i.id", "i.email", "t.name as cts_name", "i.created_at", "i.expires_at"])
    .where("i.accepted_at", "is", null)
    .where("i.expires_at", ">", now.toISOString())
    .orderBy("i.created_at", "desc")
    .limit(100)
    .execute();
}
