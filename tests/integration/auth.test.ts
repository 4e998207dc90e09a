import { changeCommune } from "../../app/ballots/commune-change.server";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { bumpContentVersion, readContentVersion } from "../../db/content-version";
import { contentVersionOnce } from "../../app/platform/request-content.server";
import type { DatabaseHandle } from "../../db/connect";
import { KyselyAdapter, sessionKey } from "../../app/identity/kysely-adapter.server";
import { consumeEmailToken, createEmailToken, checkEmailToken } from "../../app/identity/email-tokens.server";
import { createLucia } from "../../app/identity/lucia.server";
import { createResident, grantRole, markEmailVerified } from "../../app/identity/users.server";
import { verifyPassword } from "../../app/identity/password.server";
import { testDatabases } from "../support/databases";

async function seedTerritory(h: DatabaseHandle) {
  // A minimal slice of the territories: Lisieux and Caen, in Calvados.
  await h.db.insertInto("regions").values({ code: "28", name: "Normandie" }).execute();
  await h.db.insertInto("departements").values({ code: "14", name: "Calvados", region_code: "28" }).execute();
  await h.db
    .insertInto("arrondissements")
    .values([
      { code: "142", name: "Caen", departement_code: "14", region_code: "28", population: 1 },
      { code: "143", name: "Lisieux", departement_code: "14", region_code: "28", population: 1 },
    ])
    .execute();
  const commune = (code: string, name: string, arr: string) => ({
    code,
    name,
    kind: "commune" as const,
    parent_code: null,
    arrondissement_code: arr,
    departement_code: "14",
    region_code: "28",
    population: 1,
    postal_codes: "",
    search_name: name.toLowerCase(),
  });
  await h.db
    .insertInto("communes")
    .values([commune("14366", "Lisieux", "143"), commune("14118", "Caen", "142")])
    .execute();
}

describe.each(testDatabases)("accounts and sessions on $name", ({ open }) => {
  let h: DatabaseHandle;
  beforeAll(async () => {
    h = await open();
    await seedTerritory(h);
  });
  afterAll(async () => h?.close());

  it("creates a resident with an argon2id hash and the resident role; a second sign-up with the email is refused", async () => {
    const created = await createResident(h.db, {
      email: "a@example.fr",
      password: "une phrase de passe",
      communeCode: "14366",
    });
    expect(created.ok).toBe(true);
    const user = await h.db
      .selectFrom("users")
      .selectAll()
      .where("email", "=", "a@example.fr")
      .executeTakeFirstOrThrow();
    expect(user.password_hash).toMatch(/^\$argon2id\$/);
    expect(await verifyPassword(user.password_hash, "une phrase de passe")).toBe(true);
    expect(await verifyPassword(user.password_hash, "autre chose")).toBe(false);
    expect(user.email_verified_at).toBeNull();
    const roles = await h.db
      .selectFrom("user_roles")
      .select(["role", "scope"])
      .where("user_id", "=", user.id)
      .execute();
    expect(roles).toEqual([{ role: "resident", scope: "" }]);
    expect(
      await createResident(h.db, { email: "a@example.fr", password: "x".repeat(12), communeCode: "14118" }),
    ).toEqual({
      ok: false,
      reason: "email_taken",
    });
  });

  it("lets only one of two simultaneous sign-ups with one email through", async () => {
    const attempts = await Promise.all(
      [1, 2, 3].map(() =>
        createResident(h.db, { email: "race@example.fr", password: "une phrase de passe", communeCode: "14366" }),
      ),
    );
    expect(attempts.filter((a) => a.ok)).toHaveLength(1);
    const rows = await h.db.selectFrom("users").select("id").where("email", "=", "race@example.fr").execute();
    expect(rows).toHaveLength(1);
  });

  it("stores sessions through the Kysely adapter (all 7 methods)", async () => {
    const created = await createResident(h.db, {
      email: "s@example.fr",
      password: "une phrase de passe",
      communeCode: "14366",
    });
    if (!created.ok) throw new Error("setup");
    await grantRole(h.db, created.userId, "cts_member", "14");
    const adapter = new KyselyAdapter(h.db);
    const expiresAt = new Date(Date.now() + 3600_000);
    await adapter.setSession({ id: "s1", userId: created.userId, expiresAt, attributes: {} });
    await adapter.setSession({
      id: "s2",
      userId: created.userId,
      expiresAt: new Date(Date.now() - 1000),
      attributes: {},
    });

    const [session, user] = await adapter.getSessionAndUser("s1");
    expect(session?.expiresAt.toISOString()).toBe(expiresAt.toISOString());
    expect(user?.attributes.email).toBe("s@example.fr");
    expect(user?.attributes.roles).toEqual(
      expect.arrayContaining([
        { role: "resident", scope: "" },
        { role: "cts_member", scope: "14" },
      ]),
    );
    expect(await adapter.getSessionAndUser("nope")).toEqual([null, null]);
    expect((await adapter.getUserSessions(created.userId)).map((s) => s.id).sort()).toEqual(
      [sessionKey("s1"), sessionKey("s2")].sort(),
    );

    const later = new Date(Date.now() + 7200_000);
    await adapter.updateSessionExpiration("s1", later);
    expect((await adapter.getSessionAndUser("s1"))[0]?.expiresAt.toISOString()).toBe(later.toISOString());

    await adapter.deleteExpiredSessions();
    expect((await adapter.getUserSessions(created.userId)).map((s) => s.id)).toEqual([sessionKey("s1")]);
    await adapter.deleteSession("s1");
    expect(await adapter.getUserSessions(created.userId)).toEqual([]);

    await adapter.setSession({ id: "s3", userId: created.userId, expiresAt, attributes: {} });
    await adapter.setSession({ id: "s4", userId: created.userId, expiresAt, attributes: {} });
    await adapter.deleteUserSessions(created.userId);
    expect(await adapter.getUserSessions(created.userId)).toEqual([]);
  });

  // Issue 19: a signed-in request reads the content version with its session, not in a second query.
  it("reads the content version with the session, as it stands at that moment", async () => {
    const created = await createResident(h.db, {
      email: "cv@example.fr",
      password: "une phrase de passe",
      communeCode: "14366",
    });
    if (!created.ok) throw new Error("setup");
    const lucia = createLucia(h.db, { secureCookie: false, idleDays: 30, absoluteDays: 30 });
    const session = await lucia.createSession(created.userId, {});
    const before = (await lucia.validateSession(session.id)).session?.contentVersion;
    expect(before).toBe(await readContentVersion(h.db));
    await bumpContentVersion(h.db);
    const after = (await lucia.validateSession(session.id)).session?.contentVersion;
    expect(after).toBe(await readContentVersion(h.db));
    expect(after).not.toBe(before);
  });

  it("a request whose session brought the content version does not query it again", async () => {
    const select = vi.spyOn(h.db, "selectFrom");
    try {
      const read = contentVersionOnce(h.db, "v-from-session");
      expect(await read()).toBe("v-from-session");
      expect(await read()).toBe("v-from-session");
      expect(select).not.toHaveBeenCalled();
      expect(await contentVersionOnce(h.db)()).toBe(await readContentVersion(h.db));
      expect(select).toHaveBeenCalled();
    } finally {
      select.mockRestore();
    }
  });

  // Finding 8 of the security probe: session ids were stored as they are in the cookie.
  it("stores sessions by the SHA-256 of their token: a row read from the database opens no session", async () => {
    const created = await createResident(h.db, {
      email: "hash@example.fr",
      password: "une phrase de passe",
      communeCode: "14366",
    });
    if (!created.ok) throw new Error("setup");
    const lucia = createLucia(h.db, { secureCookie: false, idleDays: 30, absoluteDays: 30 });
    const session = await lucia.createSession(created.userId, {});
    const rows = await h.db.selectFrom("sessions").select("id").where("user_id", "=", created.userId).execute();
    expect(rows.map((r) => r.id)).toEqual([sessionKey(session.id)]);
    expect(rows[0]!.id).not.toBe(session.id);
    expect(rows[0]!.id).toMatch(/^[0-9a-f]{64}$/);
    // The cookie's token still works; the stored key, used as a cookie, does not.
    expect((await lucia.validateSession(session.id)).user?.id).toBe(created.userId);
    expect(await lucia.validateSession(rows[0]!.id)).toEqual({ session: null, user: null });
    await lucia.invalidateSession(session.id);
    expect(await h.db.selectFrom("sessions").select("id").where("user_id", "=", created.userId).execute()).toEqual([]);
  });

  it("validates lucia sessions end to end: new id per login, invalidation", async () => {
    const created = await createResident(h.db, {
      email: "l@example.fr",
      password: "une phrase de passe",
      communeCode: "14366",
    });
    if (!created.ok) throw new Error("setup");
    const lucia = createLucia(h.db, { secureCookie: true, idleDays: 30, absoluteDays: 30 });
    const a = await lucia.createSession(created.userId, {});
    const b = await lucia.createSession(created.userId, {});
    expect(a.id).not.toBe(b.id);
    const { user } = await lucia.validateSession(a.id);
    expect(user).toMatchObject({ email: "l@example.fr", emailVerified: false, communeCode: "14366" });
    const cookie = lucia.createSessionCookie(a.id).serialize();
    expect(cookie).toMatch(/^__Host-ps_session=/);
    for (const attribute of ["HttpOnly", "Secure", "SameSite=Lax", "Path=/"]) expect(cookie).toContain(attribute);
    await lucia.invalidateSession(a.id);
    expect((await lucia.validateSession(a.id)).session).toBeNull();
    expect((await lucia.validateSession(b.id)).session).not.toBeNull();

    await markEmailVerified(h.db, created.userId);
    await changeCommune(h.db, created.userId, "14118");
    expect((await lucia.validateSession(b.id)).user).toMatchObject({ emailVerified: true, communeCode: "14118" });
  });

  it("ends a session at its absolute timeout however active it is, and deletes the row", async () => {
    const created = await createResident(h.db, {
      email: "abs@example.fr",
      password: "une phrase de passe",
      communeCode: "14366",
    });
    if (!created.ok) throw new Error("setup");
    const lucia = createLucia(h.db, { secureCookie: false, idleDays: 30, absoluteDays: 30 });
    const young = await lucia.createSession(created.userId, {});
    const old = await lucia.createSession(created.userId, {});
    // Used yesterday (idle expiry far away), but signed in 31 days ago.
    const days = (n: number) => new Date(Date.now() - n * 86_400_000).toISOString();
    await h.db
      .updateTable("sessions")
      .set({ created_at: days(31), expires_at: new Date(Date.now() + 29 * 86_400_000).toISOString() })
      .where("id", "=", sessionKey(old.id))
      .execute();
    await h.db
      .updateTable("sessions")
      .set({ created_at: days(29) })
      .where("id", "=", sessionKey(young.id))
      .execute();
    expect((await lucia.validateSession(old.id)).session).toBeNull();
    expect(
      await h.db.selectFrom("sessions").select("id").where("id", "=", sessionKey(old.id)).executeTakeFirst(),
    ).toBeUndefined();
    expect((await lucia.validateSession(young.id)).user).toMatchObject({ email: "abs@example.fr" });
    // The cookie's attributes without the __Host- prefix (plain http, development).
    const cookie = lucia.createSessionCookie(young.id).serialize();
    expect(cookie).toMatch(/^ps_session=/);
    for (const attribute of ["HttpOnly", "SameSite=Lax", "Path=/"]) expect(cookie).toContain(attribute);
  });

  it("e-mail tokens: stored hashed, single use, expire after 24 h", async () => {
    const created = await createResident(h.db, {
      email: "t@example.fr",
      password: "une phrase de passe",
      communeCode: "14366",
    });
    if (!created.ok) throw new Error("setup");
    const token = await createEmailToken(h.db, created.userId, "verify_email");
    expect(Buffer.from(token, "base64url").length).toBeGreaterThanOrEqual(32);
    const stored = await h.db
      .selectFrom("email_tokens")
      .select("token_hash")
      .where("user_id", "=", created.userId)
      .execute();
    expect(stored.map((s) => s.token_hash)).not.toContain(token);

    expect(await consumeEmailToken(h.db, token, "reset_password")).toEqual({ ok: false, reason: "unknown" });
    const twice = await Promise.all([
      consumeEmailToken(h.db, token, "verify_email"),
      consumeEmailToken(h.db, token, "verify_email"),
    ]);
    expect(twice.filter((r) => r.ok)).toEqual([{ ok: true, userId: created.userId }]);
    expect(await consumeEmailToken(h.db, token, "verify_email")).toEqual({ ok: false, reason: "used" });

    const old = await createEmailToken(h.db, created.userId, "verify_email", new Date(Date.now() - 25 * 3600_000));
    expect(await checkEmailToken(h.db, old, "verify_email")).toBe("expired");
    expect(await consumeEmailToken(h.db, old, "verify_email")).toEqual({ ok: false, reason: "expired" });
    expect(await consumeEmailToken(h.db, "pas-un-jeton", "verify_email")).toEqual({ ok: false, reason: "unknown" });
  });
});
