import net from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DatabaseHandle } from "../../db/connect";
import {
  beginFranceConnect,
  createFromPendingIdentity,
  finishFranceConnect,
  FranceConnectRefusal,
  linkPendingIdentity,
  pendingIdentity,
  ProviderUnavailable,
  type FranceConnectSettings,
} from "../../app/identity/franceconnect.server";
import { createResident, markEmailVerified } from "../../app/identity/users.server";
import { testDatabases } from "../support/databases";
import {
  CLIENT_ID,
  CLIENT_SECRET,
  decodeJwt,
  signInAtProvider,
  signJwt,
  startOidcProvider,
  type LocalProvider,
} from "../support/oidc-provider";

// FranceConnect against a local OpenID provider: the three ways in (verify a signed-in account,
// link an account of the same e-mail after confirming, create one), later sign-ins by the
// identity alone, and every forged or stale answer refused with nothing written.

const REDIRECT = "http://127.0.0.1:9/franceconnect/retour";
const NETWORK = "192.0.2.1";
let n = 0;
const unique = (label: string) => `${label}-${Date.now().toString(36)}-${n++}`;

let provider: LocalProvider;
let other: LocalProvider;
beforeAll(async () => {
  provider = await startOidcProvider({ redirectUris: [REDIRECT] });
  other = await startOidcProvider({ redirectUris: [REDIRECT] });
});
afterAll(async () => {
  await provider?.stop();
  await other?.stop();
});

const settings = (over: Partial<FranceConnectSettings> = {}): FranceConnectSettings => ({
  issuer: provider.issuer,
  clientId: CLIENT_ID,
  clientSecret: CLIENT_SECRET,
  redirectUri: REDIRECT,
  timeoutMs: 1000,
  ...over,
});

/** A MITM on the token endpoint: the ID token replaced by what `forge` makes of its claims. */
function forgingIdToken(forge: (claims: Record<string, unknown>) => string): FranceConnectSettings["fetch"] {
  return async (url, options) => {
    const response = await fetch(url, options as RequestInit);
    if (!String(url).endsWith("/token")) return response;
    const body = (await response.json()) as { id_token: string };
    body.id_token = forge(decodeJwt(body.id_token));
    return new Response(JSON.stringify(body), { status: response.status, headers: response.headers });
  };
}

describe.each(testDatabases)("FranceConnect on $name", ({ openLoaded }) => {
  let h: DatabaseHandle;
  let fc: FranceConnectSettings;
  beforeAll(async () => {
    fc = settings();
    h = await openLoaded();
  });
  afterAll(async () => h?.close());

  async function resident(email: string) {
    const created = await createResident(h.db, { email, password: "une phrase de passe", communeCode: "76540" });
    if (!created.ok) throw new Error("setup");
    await markEmailVerified(h.db, created.userId);
    return created.userId;
  }

  /** A round trip: start, sign in at the provider as `login`, the callback's query. */
  async function roundTrip(s: FranceConnectSettings, login: string, userId: string | null = null) {
    const started = await beginFranceConnect(h.db, s, { userId, returnTo: "/consultations" });
    const callback = await signInAtProvider(started.url, login);
    return { key: started.key, query: callback.searchParams };
  }

  async function refused(promise: Promise<unknown>): Promise<string> {
    const error = await promise.then(
      () => null,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(FranceConnectRefusal);
    return (error as Error).message;
  }

  const sessionsAndLevel = async (userId: string) =>
    await h.db
      .selectFrom("users")
      .select(["assurance_level", "franceconnect_sub"])
      .where("id", "=", userId)
      .executeTakeFirstOrThrow();

  it("verifies a signed-in resident's identity: level identity, the proof kept, the identity tied", async () => {
    const userId = await resident(`${unique("verif")}@exemple.fr`);
    const login = unique("sub");
    const { key, query } = await roundTrip(fc, login, userId);
    expect(query.get("code")).toBeTruthy();
    const outcome = await finishFranceConnect(h.db, fc, { key, query, network: NETWORK });
    expect(outcome).toEqual({ kind: "verified", userId, returnTo: "/consultations" });
    expect(await sessionsAndLevel(userId)).toEqual({ assurance_level: "identity", franceconnect_sub: login });
    const proofs = await h.db.selectFrom("user_verifications").select("method").where("user_id", "=", userId).execute();
    expect(proofs).toEqual([{ method: "franceconnect" }]);

    // Later, that identity alone signs in (journaled), and it cannot verify a second account.
    const again = await roundTrip(fc, login);
    expect(await finishFranceConnect(h.db, fc, { ...again, network: NETWORK })).toMatchObject({
      kind: "signed-in",
      userId,
    });
    const second = await resident(`${unique("second")}@exemple.fr`);
    const third = await roundTrip(fc, login, second);
    expect(await refused(finishFranceConnect(h.db, fc, { ...third, network: NETWORK }))).toMatch(/déjà rattachée/);
    expect((await sessionsAndLevel(second)).assurance_level).toBe("email");
  });

  it("links the account of the same verified e-mail only after the person confirms", async () => {
    const email = `${unique("lien")}@exemple.fr`;
    const userId = await resident(email);
    const login = unique("sub");
    provider.accounts.set(login, { email: email.toUpperCase() });
    const trip = await roundTrip(fc, login);
    const outcome = await finishFranceConnect(h.db, fc, { ...trip, network: NETWORK });
    if (outcome.kind !== "confirm") throw new Error(`expected confirm, got ${outcome.kind}`);
    // Nothing linked before the person says yes.
    expect(await sessionsAndLevel(userId)).toEqual({ assurance_level: "email", franceconnect_sub: null });
    expect(await pendingIdentity(h.db, outcome.key)).toEqual({ email, choice: "link" });
    expect(await linkPendingIdentity(h.db, { key: outcome.key, network: NETWORK })).toEqual({
      userId,
      returnTo: "/consultations",
    });
    expect(await sessionsAndLevel(userId)).toEqual({ assurance_level: "identity", franceconnect_sub: login });
    // The confirmation is single use.
    await refused(linkPendingIdentity(h.db, { key: outcome.key, network: NETWORK }));
    const logins = await h.db
      .selectFrom("audit_events")
      .select("detail")
      .where("kind", "=", "login")
      .where("user_id", "=", userId)
      .execute();
    expect(logins.map((l) => l.detail)).toContain("connexion FranceConnect (identité rattachée au compte)");
  });

  it("creates a resident's account in the commune they choose, at level identity", async () => {
    const email = `${unique("nouveau")}@exemple.fr`;
    const login = unique("sub");
    provider.accounts.set(login, { email });
    const trip = await roundTrip(fc, login);
    const outcome = await finishFranceConnect(h.db, fc, { ...trip, network: NETWORK });
    if (outcome.kind !== "confirm") throw new Error("expected confirm");
    expect(await pendingIdentity(h.db, outcome.key)).toEqual({ email, choice: "create" });
    await refused(createFromPendingIdentity(h.db, { key: outcome.key, communeCode: "00000", network: NETWORK }));
    const { userId } = await createFromPendingIdentity(h.db, {
      key: outcome.key,
      communeCode: "76540",
      network: NETWORK,
    });
    const user = await h.db.selectFrom("users").selectAll().where("id", "=", userId).executeTakeFirstOrThrow();
    expect(user).toMatchObject({ email, commune_code: "76540", assurance_level: "identity", franceconnect_sub: login });
    expect(user.email_verified_at).not.toBeNull();
  });

  it("does not link by an e-mail the provider says is unverified", async () => {
    const email = `${unique("nonverif")}@exemple.fr`;
    await resident(email);
    const login = unique("sub");
    provider.accounts.set(login, { email, email_verified: false });
    const trip = await roundTrip(fc, login);
    const outcome = await finishFranceConnect(h.db, fc, { ...trip, network: NETWORK });
    if (outcome.kind !== "confirm") throw new Error("expected confirm");
    expect(await pendingIdentity(h.db, outcome.key)).toEqual({ email: null, choice: "blocked" });
    await refused(linkPendingIdentity(h.db, { key: outcome.key, network: NETWORK }));
  });

  describe("forged, stale or reused answers: refused, nothing written", () => {
    const countUsers = async () =>
      Number(
        (
          await h.db
            .selectFrom("users")
            .select((eb) => eb.fn.countAll().as("n"))
            .executeTakeFirstOrThrow()
        ).n,
      );

    it("a reused answer (the same callback twice)", async () => {
      const trip = await roundTrip(fc, unique("sub"));
      await finishFranceConnect(h.db, fc, { ...trip, network: NETWORK });
      expect(await refused(finishFranceConnect(h.db, fc, { ...trip, network: NETWORK }))).toMatch(
        /expiré ou a déjà servi/,
      );
    });

    it("an expired sign-in", async () => {
      const started = await beginFranceConnect(h.db, fc, {
        userId: null,
        returnTo: null,
        now: new Date(Date.now() - 11 * 60_000),
      });
      const callback = await signInAtProvider(started.url, unique("sub"));
      await refused(
        finishFranceConnect(h.db, fc, { key: started.key, query: callback.searchParams, network: NETWORK }),
      );
    });

    it("no sign-in in progress (no cookie, or an unknown key)", async () => {
      const trip = await roundTrip(fc, unique("sub"));
      await refused(finishFranceConnect(h.db, fc, { key: null, query: trip.query, network: NETWORK }));
      await refused(finishFranceConnect(h.db, fc, { key: "inconnue", query: trip.query, network: NETWORK }));
    });

    it("a state that is not the one sent", async () => {
      const trip = await roundTrip(fc, unique("sub"));
      trip.query.set("state", "etat-forge");
      const before = await countUsers();
      await refused(finishFranceConnect(h.db, fc, { ...trip, network: NETWORK }));
      expect(await countUsers()).toBe(before);
    });

    it("a nonce that is not the one sent", async () => {
      const started = await beginFranceConnect(h.db, fc, { userId: null, returnTo: null });
      const callback = await signInAtProvider(started.url, unique("sub"));
      await h.db
        .updateTable("franceconnect_logins")
        .set({ nonce: "autre-nonce" })
        .where("step", "=", "authorize")
        .execute();
      await refused(
        finishFranceConnect(h.db, fc, { key: started.key, query: callback.searchParams, network: NETWORK }),
      );
    });

    it("an answer naming another issuer", async () => {
      const trip = await roundTrip(fc, unique("sub"));
      trip.query.set("iss", other.issuer);
      await refused(finishFranceConnect(h.db, fc, { ...trip, network: NETWORK }));
    });

    it("error=access_denied (the person cancelled)", async () => {
      const started = await beginFranceConnect(h.db, fc, { userId: null, returnTo: null });
      const sent = new URL(started.url).searchParams;
      const query = new URLSearchParams({ error: "access_denied", state: sent.get("state")!, iss: provider.issuer });
      expect(await refused(finishFranceConnect(h.db, fc, { key: started.key, query, network: NETWORK }))).toMatch(
        /annulé/,
      );
    });

    const forged = [
      [
        "a bad signature (another provider's key)",
        (c: Record<string, unknown>) => signJwt(c, other.privateKey, provider.kid),
      ],
      [
        "a wrong audience",
        (c: Record<string, unknown>) => signJwt({ ...c, aud: "un-autre-client" }, provider.privateKey, provider.kid),
      ],
      [
        "a wrong issuer inside the ID token",
        (c: Record<string, unknown>) => signJwt({ ...c, iss: other.issuer }, provider.privateKey, provider.kid),
      ],
      [
        "a wrong nonce inside the ID token",
        (c: Record<string, unknown>) => signJwt({ ...c, nonce: "forge" }, provider.privateKey, provider.kid),
      ],
    ] as const;
    for (const [label, forge] of forged) {
      it(`an ID token with ${label}`, async () => {
        const s = settings({ fetch: forgingIdToken(forge) });
        const trip = await roundTrip(s, unique("sub"));
        const before = await countUsers();
        expect(await refused(finishFranceConnect(h.db, s, { ...trip, network: NETWORK }))).toMatch(
          /n’a pas pu être vérifiée/,
        );
        expect(await countUsers()).toBe(before);
      });
    }

    it("the same token re-signed with the provider's own key passes (the forgeries above fail for their flaw)", async () => {
      const s = settings({ fetch: forgingIdToken((c) => signJwt(c, provider.privateKey, provider.kid)) });
      const trip = await roundTrip(s, unique("sub"));
      expect((await finishFranceConnect(h.db, s, { ...trip, network: NETWORK })).kind).toBe("confirm");
    });
  });

  it("a provider that does not answer: ProviderUnavailable within the timeout", async () => {
    const sockets: net.Socket[] = [];
    const silent = net.createServer((socket) => void sockets.push(socket));
    await new Promise<void>((resolve) => silent.listen(0, "127.0.0.1", resolve));
    const s = settings({ issuer: `http://127.0.0.1:${(silent.address() as net.AddressInfo).port}`, timeoutMs: 300 });
    const started = Date.now();
    const error = await beginFranceConnect(h.db, s, { userId: null, returnTo: null }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ProviderUnavailable);
    expect(Date.now() - started).toBeLessThan(3000);
    for (const socket of sockets) socket.destroy();
    await new Promise((resolve) => silent.close(resolve));
    const closed = settings({ issuer: "http://127.0.0.1:9" });
    expect(
      await beginFranceConnect(h.db, closed, { userId: null, returnTo: null }).catch((e: unknown) => e),
    ).toBeInstanceOf(ProviderUnavailable);
  });
});
