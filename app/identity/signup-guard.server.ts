import MailChecker from "mailchecker";
import { take, type Allowance } from "../platform/rate-limit.server";
import { HONEYPOT_FIELD } from "~/ui/honeypot";

/** What stops a sign-up form before anything is checked or written. */
export type SignupRefusal = { status: 400 | 429; message: string; headers?: HeadersInit };

/** Said to a filled honeypot: nothing tells a bot which field gave it away. */
export const GENERIC_SIGNUP_REFUSAL = "L’inscription n’a pas pu être enregistrée. Réessayez dans quelques minutes.";

/**
 * The checks both sign-up forms (residents, associations) run first: the allowance of the
 * client's address (every attempt counts: each costs a password hash), then the honeypot.
 */
export async function signupGate(formData: FormData, clientAddress: string): Promise<SignupRefusal | null> {
  const allowance: Allowance = await take("signupPerAddress", clientAddress);
  if (!allowance.ok)
    return { status: 429, message: allowance.message, headers: { "Retry-After": String(allowance.retryAfter) } };
  // Only a filled field gives a bot away; an absent one is tolerated (scripts of our own tests,
  // forms cached from before the field existed).
  const trap = formData.get(HONEYPOT_FIELD);
  if (trap !== null && trap !== "") return { status: 400, message: GENERIC_SIGNUP_REFUSAL };
  return null;
}

export const DISPOSABLE_EMAIL_MESSAGE =
  "Les adresses électroniques jetables ne sont pas acceptées : indiquez une adresse que vous consulterez durablement (les liens de confirmation et de nouveau mot de passe y sont envoyés).";

/** True for an address at a throwaway-mail domain (mailchecker's maintained list). */
export function isDisposableEmail(email: string): boolean {
  return !MailChecker.isValid(email);
}
