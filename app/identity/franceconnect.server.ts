import { createHash, randomBytes, randomUUID } from "node:crypto";
import type { Kysely } from "kysely";
import * as oidc from "openid-client";
import type { Database } from "../../db/schema";
import { recordAudit } from "../audit/audit.server";
import type { Env } from "../platform/env.server";
import { log } from "../platform/log.server";
import { Refusal } from "../platform/refusal";
import { communeMatch } from "../territories/territories.server";
import { recordVerification } from "./assurance.server";
import { findUserByEmail, isUniqueViolation } from "./users.server";

// FranceConnect sign-in (docs/domain.md « FranceConnect », docs/decisions/009-franceconnect.md):
// OpenID Connect, authorization code with PKCE, state and nonce, through openid-client. The site
// never sees a password; it learns a pseudonymous identifier (`sub`) and an e-mail address.

export interface FranceConnectSettings {
  issuer: string;
  clientId: string;
  clientSecret: string;
  redirectUri: string;
  timeoutMs: number;
  acrValues?: string;
  /** Tests only: stands between the site and the provider, to forge its answers. */
  fetch?: oidc.CustomFetch;
}

let fromEnv: { env: Env; settings: FranceConnectSettings | null } | undefined;

/** The configured provider, or null when FranceConnect is off (no button, pages answer 404). */
export function franceConnectSettings(e: Env): FranceConnectSettings | null {
  if (fromEnv?.env === e) return fromEnv.settings;
  const settings =
    e.FRANCECONNECT_ISSUER && e.FRANCECONNECT_CLIENT_ID && e.FRANCECONNECT_CLIENT_SECRET
      ? {
          issuer: e.FRANCECONNECT_ISSUER,
          clientId: e.FRANCECONNECT_CLIENT_ID,
          clientSecret: e.FRANCECONNECT_CLIENT_SECRET,
          redirectUri: e.FRANCECONNECT_REDIRECT_URI,
          timeoutMs: e.FRANCECONNECT_TIMEOUT_MS,
          ...(e.FRANCECONNECT_ACR_VALUES ? { acrValues: e.FRANCECONNECT_ACR_VALUES } : {}),
        }
      : null;
  fromEnv = { env: e, settings };
  return settings;
}

/** A sign-in waits this long for the provider's answer; a confirmed identity, for the person. */
const AUTHORIZE_MINUTES = 10;
const CONFIRM_MINUTES = 15;

/** The provider's answer cannot be trusted or used: said in French, no session started. */
export class FranceConnectRefusal extends Refusal {}

/** The provider did not answer in time (or at all): the page says to come back later. */
export class ProviderUnavailable extends Error {}

const EXPIRED = "Cette connexion avec FranceConnect a expiré ou a déjà servi. Recommencez depuis la page de connexion.";
const UNTRUSTED =
  "La réponse reçue de FranceConnect n’a pas pu être vérifiée. Aucune connexion n’a été ouverte : recommencez depuis la page de connexion.";
const TAKEN =
  "Cette identité FranceConnect est déjà rattachée à un autre compte de la plateforme : une personne n’a qu’un compte.";

const hashKey = (key: string) => createHash("sha256").update(key).digest("hex");

// One discovery per settings object (its metadata and keys are kept by openid-client); a failed
// one is forgotten so the next request tries again.
const configurations = new WeakMap<FranceConnectSettings, Promise<oidc.Configuration>>();

async function configuration(s: FranceConnectSettings): Promise<oidc.Configuration> {
  let pending = configurations.get(s);
  if (!pending) {
    pending = oidc.discovery(new URL(s.issuer), s.clientId, s.clientSecret, undefined, {
      timeout: s.timeoutMs / 1000,
      // The ID token's signature is checked against the provider's keys, not only trusted
      // because it came over TLS: a forged or substituted token is refused either way.
      execute: [
        ...(new URL(s.issuer).protocol === "http:" ? [oidc.allowInsecureRequests] : []),
        oidc.enableNonRepudiationChecks,
      ],
      ...(s.fetch ? { [oidc.customFetch]: s.fetch } : {}),
    });
    configurations.set(s, pending);
    pending.catch(() => configurations.delete(s));
  }
  try {
    return await pending;
  } catch (error) {
    throw classify(error, "discovery");
  }
}

/** Sorts a failure of a call to the provider: unreachable (503) or an answer refused (400). */
function classify(error: unknown, step: string): Error {
  if (error instanceof FranceConnectRefusal || error instanceof ProviderUnavailable) return error;
  const name = (error as { name?: string })?.name;
  const status = (error as { status?: number })?.status;
  const cause = (error as { cause?: { status?: number } })?.cause;
  const unreachable =
    name === "TimeoutError" ||
    name === "AbortError" ||
    (error instanceof TypeError && /fetch failed/i.test(error.message)) ||
    (typeof status === "number" && status >= 500) ||
    (cause instanceof Response && cause.status >= 500) ||
    (step === "discovery" && error instanceof oidc.ClientError);
  const code = (error as { code?: string; error?: string })?.code ?? (error as { error?: string })?.error;
  log().warn(
    { step, code, reason: error instanceof Error ? error.message : String(error) },
    unreachable ? "FranceConnect : fournisseur injoignable" : "FranceConnect : réponse refusée",
  );
  if (unreachable) return new ProviderUnavailable("FranceConnect ne répond pas.");
  if (error instanceof oidc.AuthorizationResponseError && error.error === "access_denied") {
    return new FranceConnectRefusal(
      "invalid",
      "Vous avez annulé la connexion avec FranceConnect : aucune connexion n’a été ouverte.",
    );
  }
  if (
    error instanceof oidc.ClientError ||
    error instanceof oidc.AuthorizationResponseError ||
    error instanceof oidc.ResponseBodyError ||
    error instanceof oidc.WWWAuthenticateChallengeError
  ) {
    return new FranceConnectRefusal("invalid", UNTRUSTED);
  }
  return error instanceof Error ? error : new Error(String(error));
}

/**
 * Starts a sign-in (`userId` null) or a signed-in resident's identity check: keeps the checks
 * its answer must pass in a row found by a random key, and gives the key (for an HttpOnly
 * cookie) and the provider's address to send the browser to.
 */
export async function beginFranceConnect(
  db: Kysely<Database>,
  s: FranceConnectSettings,
  input: { userId: string | null; returnTo: string | null; now?: Date },
): Promise<{ key: string; url: string }> {
  const config = await configuration(s);
  const now = input.now ?? new Date();
  const state = oidc.randomState();
  const nonce = oidc.randomNonce();
  const verifier = oidc.randomPKCECodeVerifier();
  const key = randomBytes(32).toString("base64url");
  await db.deleteFrom("franceconnect_logins").where("expires_at", "<", now.toISOString()).execute();
  await db
    .insertInto("franceconnect_logins")
    .values({
      key_hash: hashKey(key),
      step: "authorize",
      state,
      nonce,
      code_verifier: verifier,
      user_id: input.userId,
      return_to: input.returnTo,
      expires_at: new Date(now.getTime() + AUTHORIZE_MINUTES * 60_000).toISOString(),
      created_at: now.toISOString(),
    })
    .execute();
  const url = oidc.buildAuthorizationUrl(config, {
    redirect_uri: s.redirectUri,
    scope: "openid email",
    state,
    nonce,
    code_challenge: await oidc.calculatePKCECodeChallenge(verifier),
    code_challenge_method: "S256",
    ...(s.acrValues ? { acr_values: s.acrValues } : {}),
  });
  return { key, url: url.href };
}

/** Takes a row once: whoever deletes it uses it, a second answer finds nothing. */
async function consume(db: Kysely<Database>, key: string | null, step: "authorize" | "confirm", now: Date) {
  if (!key) return null;
  const row = await db
    .deleteFrom("franceconnect_logins")
    .where("key_hash", "=", hashKey(key))
    .where("step", "=", step)
    .returningAll()
    .executeTakeFirst();
  return row && row.expires_at > now.toISOString() ? row : null;
}

export type FranceConnectOutcome =
  /** A signed-in resident's identity is confirmed: the account is at level identity. */
  | { kind: "verified"; userId: string; returnTo: string | null }
  /** An account linked before: signed in. */
  | { kind: "signed-in"; userId: string; returnTo: string | null }
  /** An identity no account holds yet: the person confirms linking or creating (key: the new row). */
  | { kind: "confirm"; key: string };

/**
 * The provider's answer (the callback's query): single use, state, PKCE, nonce, issuer,
 * audience and signature all checked by openid-client. Throws FranceConnectRefusal (nothing
 * written, no session) or ProviderUnavailable.
 */
export async function finishFranceConnect(
  db: Kysely<Database>,
  s: FranceConnectSettings,
  input: { key: string | null; query: URLSearchParams; network: string; now?: Date },
): Promise<FranceConnectOutcome> {
  const now = input.now ?? new Date();
  const row = await consume(db, input.key, "authorize", now);
  if (!row) {
    log().warn({ step: "callback" }, "FranceConnect : réponse sans connexion en cours (expirée, rejouée ou forgée)");
    throw new FranceConnectRefusal("invalid", EXPIRED);
  }
  const config = await configuration(s);
  // The redirect URI as registered (behind a proxy the request's own URL may differ).
  const callback = new URL(s.redirectUri);
  callback.search = input.query.toString();
  let sub: string;
  let email: string | null;
  try {
    const tokens = await oidc.authorizationCodeGrant(config, callback, {
      pkceCodeVerifier: row.code_verifier!,
      expectedState: row.state!,
      expectedNonce: row.nonce!,
      idTokenExpected: true,
    });
    sub = tokens.claims()!.sub;
    const info = await oidc.fetchUserInfo(config, tokens.access_token, sub);
    // FranceConnect's identity providers vouch for the address; one said unverified is not used.
    email = typeof info.email === "string" && info.email_verified !== false ? info.email.toLowerCase() : null;
  } catch (error) {
    throw classify(error, "callback");
  }

  if (row.user_id) {
    await linkIdentity(db, row.user_id, sub);
    await recordVerification(db, { userId: row.user_id, method: "franceconnect", now });
    return { kind: "verified", userId: row.user_id, returnTo: row.return_to };
  }
  const linked = await db.selectFrom("users").select("id").where("franceconnect_sub", "=", sub).executeTakeFirst();
  if (linked) {
    await recordAudit(db, { kind: "login", ip: input.network, userId: linked.id, detail: "connexion FranceConnect" });
    return { kind: "signed-in", userId: linked.id, returnTo: row.return_to };
  }
  const key = randomBytes(32).toString("base64url");
  await db
    .insertInto("franceconnect_logins")
    .values({
      key_hash: hashKey(key),
      step: "confirm",
      sub,
      email,
      return_to: row.return_to,
      expires_at: new Date(now.getTime() + CONFIRM_MINUTES * 60_000).toISOString(),
      created_at: now.toISOString(),
    })
    .execute();
  return { kind: "confirm", key };
}

/** Ties an identity to an account: one identity per account, one account per identity. */
async function linkIdentity(db: Kysely<Database>, userId: string, sub: string): Promise<void> {
  const holder = await db.selectFrom("users").select("id").where("franceconnect_sub", "=", sub).executeTakeFirst();
  if (holder && holder.id !== userId) throw new FranceConnectRefusal("conflict", TAKEN);
  try {
    const updated = await db
      .updateTable("users")
      .set({ franceconnect_sub: sub, updated_at: new Date().toISOString() })
      .where("id", "=", userId)
      .where((eb) => eb.or([eb("franceconnect_sub", "is", null), eb("franceconnect_sub", "=", sub)]))
      .executeTakeFirst();
    if (Number(updated.numUpdatedRows) === 0) {
      throw new FranceConnectRefusal(
        "conflict",
        "Votre compte est déjà rattaché à une autre identité FranceConnect : une personne n’a qu’une identité.",
      );
    }
  } catch (error) {
    if (isUniqueViolation(error)) throw new FranceConnectRefusal("conflict", TAKEN);
    throw error;
  }
}

/**
 * What a person whose identity FranceConnect confirmed may do next: link it to the account of the
 * same e-mail (after saying yes), create an account, or nothing (null: expired or used).
 */
export async function pendingIdentity(
  db: Kysely<Database>,
  key: string | null,
  now = new Date(),
): Promise<{ email: string | null; choice: "link" | "create" | "blocked" } | null> {
  if (!key) return null;
  const row = await db
    .selectFrom("franceconnect_logins")
    .select(["email", "expires_at"])
    .where("key_hash", "=", hashKey(key))
    .where("step", "=", "confirm")
    .executeTakeFirst();
  if (!row || row.expires_at <= now.toISOString()) return null;
  if (!row.email) return { email: null, choice: "blocked" };
  const account = await findUserByEmail(db, row.email);
  if (!account) return { email: row.email, choice: "create" };
  return { email: row.email, choice: account.franceconnect_sub === null ? "link" : "blocked" };
}

/**
 * The person said yes: the identity is linked to the account of the same verified e-mail, which
 * reaches level identity (its address is confirmed too); the caller starts the session.
 */
export async function linkPendingIdentity(
  db: Kysely<Database>,
  input: { key: string | null; network: string; now?: Date },
): Promise<{ userId: string; returnTo: string | null }> {
  const now = input.now ?? new Date();
  const row = await consume(db, input.key, "confirm", now);
  if (!row?.sub) throw new FranceConnectRefusal("invalid", EXPIRED);
  const account = row.email ? await findUserByEmail(db, row.email) : undefined;
  if (!account) throw new FranceConnectRefusal("invalid", EXPIRED);
  await linkIdentity(db, account.id, row.sub);
  await db
    .updateTable("users")
    .set({ email_verified_at: now.toISOString(), updated_at: now.toISOString() })
    .where("id", "=", account.id)
    .where("email_verified_at", "is", null)
    .execute();
  await recordVerification(db, { userId: account.id, method: "franceconnect", now });
  await recordAudit(db, {
    kind: "login",
    ip: input.network,
    userId: account.id,
    detail: "connexion FranceConnect (identité rattachée au compte)",
  });
  return { userId: account.id, returnTo: row.return_to };
}

/**
 * A new resident's account from a FranceConnect identity: the verified e-mail, the commune they
 * chose, no password (they may set one by « Mot de passe oublié »), level identity.
 */
export async function createFromPendingIdentity(
  db: Kysely<Database>,
  input: { key: string | null; communeCode: string; network: string; now?: Date },
): Promise<{ userId: string; returnTo: string | null }> {
  const now = input.now ?? new Date();
  const commune = await communeMatch(db, input.communeCode);
  if (!commune) throw new FranceConnectRefusal("invalid", "Commune inconnue : choisissez-la dans la liste.");
  const row = await consume(db, input.key, "confirm", now);
  if (!row?.sub || !row.email) throw new FranceConnectRefusal("invalid", EXPIRED);
  const id = randomUUID();
  const at = now.toISOString();
  try {
    await db.transaction().execute(async (trx) => {
      await trx
        .insertInto("users")
        .values({
          id,
          email: row.email!,
          // Not a hash: no password matches it until the person sets one.
          password_hash: "",
          email_verified_at: at,
          commune_code: commune.code,
          display_name: null,
          franceconnect_sub: row.sub,
          created_at: at,
          updated_at: at,
        })
        .execute();
      await trx.insertInto("user_roles").values({ user_id: id, role: "resident", scope: "", created_at: at }).execute();
      await recordVerification(trx, { userId: id, method: "franceconnect", now });
    });
  } catch (error) {
    if (isUniqueViolation(error)) {
      throw new FranceConnectRefusal(
        "conflict",
        "Un compte vient d’être créé avec cette adresse ou cette identité : connectez-vous à nouveau avec FranceConnect.",
      );
    }
    throw error;
  }
  await recordAudit(db, {
    kind: "login",
    ip: input.network,
    userId: id,
    detail: "compte créé avec FranceConnect",
  });
  return { userId: id, returnTo: row.return_to };
}
