import type { Kysely } from "kysely";
import type { Database } from "../../db/schema";
import { communeMatch } from "../territories/territories.server";
import { sendAccountExistsEmail, sendVerificationEmail } from "./account-emails.server";
import { signupNetworkHash } from "./mailboxes.server";
import { verifyAgainstDummy } from "./password.server";
import { checkPasswordStrength } from "./password-strength.server";
import { DISPOSABLE_EMAIL_MESSAGE, isDisposableEmail, signupGate } from "./signup-guard.server";
import { createAccount, findUserByEmail } from "./users.server";

/** The account a sign-up form makes: a resident's, or an association's (which never votes). */
export type SignupKind = "resident" | "association";

export interface SignupRequest {
  formData: FormData;
  clientAddress: string;
  /** The form's fields as its schema parsed them, or null when they did not pass. */
  value: { email: string; password: string; commune: string } | null;
}

export type SignupDecision =
  /** Stopped before anything was checked (rate limit, honeypot): said above the form. */
  | { kind: "refused"; status: 400 | 429; message: string; headers?: HeadersInit }
  /** The fields did not pass their schema: the form shows its own errors. */
  | { kind: "invalid" }
  /** One field is refused for a reason the schema cannot know. */
  | { kind: "field"; field: "email" | "commune" | "password"; message: string }
  /**
   * Sent: a new account and its verification link, or, for an address that already has an
   * account, an e-mail telling its owner. The two are answered alike, so the form cannot be used
   * to learn whether an address has an account.
   */
  | { kind: "sent" };

/**
 * Sign-up, for both forms (residents, associations): the allowance and the honeypot, the fields,
 * a lasting address, a known commune, a strong password, then the account and its e-mail.
 */
export async function signUp(
  db: Kysely<Database>,
  request: SignupRequest,
  kind: SignupKind = "resident",
): Promise<SignupDecision> {
  const refused = await signupGate(request.formData, request.clientAddress);
  if (refused) return { kind: "refused", ...refused };
  if (!request.value) return { kind: "invalid" };
  const { email, password, commune } = request.value;
  if (isDisposableEmail(email)) return { kind: "field", field: "email", message: DISPOSABLE_EMAIL_MESSAGE };
  if (!(await communeMatch(db, commune)))
    return { kind: "field", field: "commune", message: "Commune inconnue : choisissez-la dans la liste." };
  const strength = await checkPasswordStrength(password, { email });
  if (!strength.ok) return { kind: "field", field: "password", message: strength.message };
  if (await findUserByEmail(db, email)) {
    // As long as hashing a new password would have taken, so the time tells nothing either.
    await verifyAgainstDummy(password);
    await sendAccountExistsEmail(db, email);
    return { kind: "sent" };
  }
  const signupNetwork = await signupNetworkHash(db, request.clientAddress);
  const created = await createAccount(db, { email, password, communeCode: commune, signupNetwork }, kind);
  if (!created.ok) {
    // Taken meanwhile by a sign-up at the same instant: its owner hears of this one too.
    await sendAccountExistsEmail(db, email);
    return { kind: "sent" };
  }
  await sendVerificationEmail(db, { id: created.userId, email });
  return { kind: "sent" };
}
