import type { ActionFunctionArgs } from "@remix-run/node";
import { data } from "@remix-run/node";
import { checkPasswordStrength, MIN_PASSWORD_SCORE } from "~/identity/password-strength.server";
import { PASSWORD_MAX } from "~/identity/forms";
import { retryHeaders, take } from "~/platform/rate-limit.server";
import { readFormData } from "~/web/form.server";

/** Only a POST: a GET would put the password in an address. */
export function loader() {
  return new Response("Cette adresse n’accepte que l’envoi du formulaire d’inscription.", {
    status: 405,
    headers: { Allow: "POST" },
  });
}

/**
 * The strength of a password being typed, for the sign-up form's meter (app/identity/password-meter.tsx):
 * the server's own estimate, so the browser does not download zxcvbn's dictionaries. A POST, so the
 * password is never in an address or a log line; throttled like the open-data API.
 */
export async function action({ request, context }: ActionFunctionArgs) {
  const allowance = await take("apiPerAddress", context.clientAddress);
  if (!allowance.ok)
    return data(
      { score: null, ok: false, message: allowance.message },
      { status: 429, headers: retryHeaders(allowance) },
    );
  const form = await readFormData(request);
  const password = String(form.get("password") ?? "").slice(0, PASSWORD_MAX);
  const email = String(form.get("email") ?? "").slice(0, 254);
  if (!password) return { score: 0, ok: false, message: null, needed: MIN_PASSWORD_SCORE };
  const verdict = await checkPasswordStrength(password, { email });
  return {
    score: verdict.score,
    ok: verdict.ok,
    message: verdict.ok ? null : verdict.message,
    needed: MIN_PASSWORD_SCORE,
  };
}
