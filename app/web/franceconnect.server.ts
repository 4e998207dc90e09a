import { createCookie } from "@remix-run/node";
import {
  franceConnectSettings,
  FranceConnectRefusal,
  ProviderUnavailable,
  type FranceConnectSettings,
} from "~/identity/franceconnect.server";
import { env } from "~/platform/env.server";
import { REFUSAL_STATUS } from "./access.server";

// The HTTP side of FranceConnect: its pages exist only when it is configured, the browser keeps
// the sign-in's random key in an HttpOnly cookie, and the domain's refusals become pages.

/** The configured provider, or a 404 (FranceConnect is off: no button, no pages). */
export function requireFranceConnect(): FranceConnectSettings {
  const settings = franceConnectSettings(env());
  if (!settings) throw new Response("Page introuvable.", { status: 404 });
  return settings;
}

export function franceConnectEnabled(): boolean {
  return franceConnectSettings(env()) !== null;
}

// SameSite=Lax: the provider sends the browser back by a top-level GET from its own site.
let cookie: ReturnType<typeof createCookie> | undefined;
function keyCookie() {
  cookie ??= createCookie("ps_franceconnect", {
    httpOnly: true,
    sameSite: "lax",
    secure: env().SESSION_COOKIE_SECURE,
    path: "/franceconnect",
    maxAge: 15 * 60,
  });
  return cookie;
}

export async function readKey(request: Request): Promise<string | null> {
  const value: unknown = await keyCookie().parse(request.headers.get("Cookie"));
  return typeof value === "string" ? value : null;
}

export const keepKey = (key: string) => keyCookie().serialize(key);
export const dropKey = () => keyCookie().serialize("", { maxAge: 0 });

const RETRY_AFTER_SECONDS = 60;

/**
 * A FranceConnect failure as the page a person sees: a refusal with its French reason (400, or
 * 409 for an identity already taken), an unreachable provider as a 503 to come back later.
 * Anything else is rethrown. The key cookie is dropped: the sign-in cannot go on.
 */
export async function franceConnectFailure(error: unknown): Promise<Response> {
  const headers = new Headers({ "Set-Cookie": await dropKey() });
  if (error instanceof FranceConnectRefusal) {
    return new Response(error.message, { status: REFUSAL_STATUS[error.code], headers });
  }
  if (error instanceof ProviderUnavailable) {
    headers.set("Retry-After", String(RETRY_AFTER_SECONDS));
    return new Response(
      "FranceConnect ne répond pas pour le moment. Réessayez dans quelques minutes, ou connectez-vous avec votre adresse électronique et votre mot de passe.",
      { status: 503, headers },
    );
  }
  throw error;
}
