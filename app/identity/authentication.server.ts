import type { Kysely } from "kysely";
import type { Database } from "../../db/schema";
import { recordAudit } from "../audit/audit.server";
import { charge, clear, peek, type RuleName } from "../platform/rate-limit.server";
import { verifyAgainstDummy, verifyPassword } from "./password.server";
import { findUserByEmail, findUserById } from "./users.server";

/** What a password check decided; the route turns it into a page, a 429 or a redirect. */
export type PasswordCheck =
  | { ok: true; userId: string }
  | { ok: false; reason: "blocked"; retryAfter: number; message: string }
  | { ok: false; reason: "wrong_password" };

/**
 * The failures of one account from one network: the owner on another network is not counted with
 * a guesser. Keyed by the account's e-mail, so unknown addresses are counted alike.
 */
const accountNetworkKey = (email: string, network: string) => `${email}|${network}`;

/** Why the password was asked again, for the journal (never the password nor the e-mail). */
export type ReauthenticationPurpose = "changement de mot de passe" | "suppression du compte";

async function blockedFor(email: string, network: string): Promise<PasswordCheck | null> {
  const checks: [RuleName, string][] = [
    ["loginFailuresPerAccountNetwork", accountNetworkKey(email, network)],
    ["loginFailuresPerAddress", network],
  ];
  for (const [rule, key] of checks) {
    const allowance = await peek(rule, key);
    if (!allowance.ok)
      return { ok: false, reason: "blocked", retryAfter: allowance.retryAfter, message: allowance.message };
  }
  return null;
}

async function countFailure(email: string, network: string) {
  await Promise.all([
    charge("loginFailuresPerAccountNetwork", accountNetworkKey(email, network)),
    charge("loginFailuresPerAddress", network),
  ]);
}

/**
 * The login: checks the allowances first (a blocked attempt costs no hashing and proves nothing),
 * then the password (against a stand-in hash when the address is unknown, so both take the same
 * time), and journals the outcome: failures, and each successful login, without the address typed.
 */
export async function logIn(
  db: Kysely<Database>,
  input: { email: string; password: string; network: string },
): Promise<PasswordCheck> {
  const blocked = await blockedFor(input.email, input.network);
  if (blocked) return blocked;
  const user = await findUserByEmail(db, input.email);
  const valid = user
    ? await verifyPassword(user.password_hash, input.password)
    : await verifyAgainstDummy(input.password);
  if (!user || !valid) {
    await countFailure(input.email, input.network);
    await recordAudit(db, {
      kind: "login_failed",
      ip: input.network,
      userId: user?.id ?? null,
      detail: user ? "mot de passe incorrect" : "adresse inconnue",
    });
    return { ok: false, reason: "wrong_password" };
  }
  // The network's count stays: a valid login among many failures does not reset a stuffing run.
  await clear("loginFailuresPerAccountNetwork", accountNetworkKey(input.email, input.network));
  await recordAudit(db, { kind: "login", ip: input.network, userId: user.id, detail: "connexion réussie" });
  return { ok: true, userId: user.id };
}

/**
 * Asks a signed-in person's password again before a sensitive change (a new password, deleting the
 * account). It is guessed no faster than at login: same allowances, and a failure is journaled
 * as a failed login, whichever page it came from.
 */
export async function reauthenticate(
  db: Kysely<Database>,
  input: { user: { id: string; email: string }; password: string; network: string; purpose: ReauthenticationPurpose },
): Promise<PasswordCheck> {
  const blocked = await blockedFor(input.user.email, input.network);
  if (blocked) return blocked;
  const account = await findUserById(db, input.user.id);
  if (account && (await verifyPassword(account.password_hash, input.password))) {
    return { ok: true, userId: account.id };
  }
  await countFailure(input.user.email, input.network);
  await recordAudit(db, {
    kind: "login_failed",
    ip: input.network,
    userId: input.user.id,
    detail: `mot de passe incorrect (${input.purpose})`,
  });
  return { ok: false, reason: "wrong_password" };
}

/** After a password reset by e-mail: the owner proved the mailbox, so their network's lock goes. */
export async function clearLoginFailures(email: string, network: string): Promise<void> {
  await clear("loginFailuresPerAccountNetwork", accountNetworkKey(email, network));
}
