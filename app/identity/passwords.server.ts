import type { Kysely } from "kysely";
import type { Database } from "../../db/schema";
import { recordAudit } from "../audit/audit.server";
import { consumeEmailToken, consumePendingTokens, emailTokenOwner, type ConsumeResult } from "./email-tokens.server";
import { checkPasswordStrength } from "./password-strength.server";
import { markEmailVerified, setPassword } from "./users.server";

// A new password, whichever way it comes (« Mon compte », or a link from « Mot de passe oublié »):
// strength checked, older reset links voided, journaled. Sessions are the route's business.

export type NewPasswordResult =
  | { ok: true; userId: string; email: string }
  | { ok: false; reason: "weak"; message: string }
  | { ok: false; reason: Extract<ConsumeResult, { ok: false }>["reason"] };

/** Sets a signed-in person's new password (their current one was asked by `reauthenticate`). */
export async function changePassword(
  db: Kysely<Database>,
  user: { id: string; email: string },
  password: string,
): Promise<NewPasswordResult> {
  const strength = await checkPasswordStrength(password, { email: user.email });
  if (!strength.ok) return { ok: false, reason: "weak", message: strength.message };
  await setPassword(db, user.id, password);
  // A link asked before (by them, or by someone who reads their mail) must not undo the change.
  await consumePendingTokens(db, user.id, "reset_password");
  await recordAudit(db, { kind: "password_changed", userId: user.id, detail: "depuis « Mon compte »" });
  return { ok: true, userId: user.id, email: user.email };
}

/** Sets a new password through a reset link: the link and every other pending one are used up. */
export async function resetPassword(db: Kysely<Database>, token: string, password: string): Promise<NewPasswordResult> {
  const owner = await emailTokenOwner(db, token, "reset_password");
  if (owner) {
    const strength = await checkPasswordStrength(password, { email: owner.email });
    // The link stays usable: the person picks a stronger password and sends the form again.
    if (!strength.ok) return { ok: false, reason: "weak", message: strength.message };
  }
  const consumed = await consumeEmailToken(db, token, "reset_password");
  if (!consumed.ok) return consumed;
  await setPassword(db, consumed.userId, password);
  await consumePendingTokens(db, consumed.userId, "reset_password");
  // The link reached the mailbox, which proves the address as well as a verification link would.
  await markEmailVerified(db, consumed.userId);
  await recordAudit(db, { kind: "password_reset", userId: consumed.userId, detail: "par un lien envoyé par e-mail" });
  return { ok: true, userId: consumed.userId, email: owner!.email };
}
