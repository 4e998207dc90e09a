import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DatabaseHandle } from "../../db/connect";
import type { Role } from "../../db/schema";
import { loadTerritories } from "../../db/territories/load";
import type { AuthContext } from "../../app/identity/session.server";
import { acceptInvitation, checkInvitation, inviteCtsMember } from "../../app/identity/cts-invitations.server";
import { ctsSpaceAccess } from "../../app/comments/cts-access.server";
import { ctsReportAccess, regionResultsAccess } from "../../app/reports/report-access.server";
import { requireCtsAccess, requireCtsReport, requireRegionResults } from "../../app/web/access.server";
import { testDatabases } from "../support/databases";
import { makePerson } from "../support/people";

const SLUG = "normandie-cnr-sante-2022";
const request = new Request("http://localhost/cts/76-rouen-elbeuf/rapports/normandie-cnr-sante-2022");
type Persona = { role: Role; scope: string }[] | null;
const context = (roles: Persona): { auth: AuthContext } => ({
  auth: {
    user: roles
      ? ({
          id: "u",
          email: "u@exemple.fr",
          emailVerified: true,
          communeCode: "76540",
          displayName: null,
          roles,
        } as AuthContext["user"])
      : null,
    session: null,
  },
});

/** The status a report route answers for a persona: 200, or the thrown Response's (302 = sign in). */
async function status(run: () => Promise<unknown>): Promise<number> {
  try {
    await run();
    return 200;
  } catch (error) {
    if (error instanceof Response) return error.status;
    throw error;
  }
}

const PERSONAS: Record<string, Persona> = {
  anonymous: null,
  resident: [{ role: "resident", scope: "" }],
  association: [{ role: "association", scope: "" }],
  "CTS member, this territory": [{ role: "cts_member", scope: "76-rouen-elbeuf" }],
  "CTS member, another territory": [{ role: "cts_member", scope: "14" }],
  moderator: [{ role: "moderator", scope: "28" }],
  admin: [{ role: "admin", scope: "" }],
};

// Expected statuses: [CTS report before publication, region view before, both after publication].
const EXPECTED: Record<string, [number, number, number]> = {
  anonymous: [302, 302, 200],
  resident: [403, 403, 200],
  association: [403, 403, 200],
  "CTS member, this territory": [200, 403, 200],
  "CTS member, another territory": [403, 403, 200],
  moderator: [403, 403, 200],
  admin: [200, 200, 200],
};

describe.each(testDatabases)("who may read reports, on $name", ({ openLoaded }) => {
  let h: DatabaseHandle;
  beforeAll(async () => {
    h = await openLoaded();
  });
  afterAll(async () => h?.close());

  const cts = (persona: Persona, code = "76-rouen-elbeuf", slug = SLUG) =>
    status(() => requireCtsReport(h.db, context(persona), request, { code, slug }));
  const region = (persona: Persona, slug = SLUG) =>
    status(() => requireRegionResults(h.db, context(persona), request, slug));

  it.each(Object.keys(PERSONAS))("%s, before and after publication", async (name) => {
    const persona = PERSONAS[name]!;
    const [ctsBefore, regionBefore, after] = EXPECTED[name]!;
    expect(await cts(persona)).toBe(ctsBefore);
    expect(await region(persona)).toBe(regionBefore);
    await h.db.updateTable("consultations").set({ status: "results_published" }).where("slug", "=", SLUG).execute();
    try {
      expect(await cts(persona)).toBe(after);
      expect(await region(persona)).toBe(after);
    } finally {
      await h.db.updateTable("consultations").set({ status: "open" }).where("slug", "=", SLUG).execute();
    }
  });

  it("unknown or foreign territories and consultations are 404, for everyone", async () => {
    const admin = PERSONAS.admin!;
    expect(await cts(admin, "inconnu")).toBe(404);
    expect(await cts(admin, "33")).toBe(404); // Gironde: not in Normandie
    expect(await cts(admin, "75", "yvelines-cts78-cnr-sante-2022")).toBe(404); // a CTS consultation covers its own CTS only
    expect(await cts(admin, "78", "yvelines-cts78-cnr-sante-2022")).toBe(200);
    expect(await cts(admin, "14", "inconnue")).toBe(404);
    expect(await region(admin, "inconnue")).toBe(404);
    expect(await cts(null, "inconnu")).toBe(404);
  });

  it("a draft consultation has no report", async () => {
    await h.db.updateTable("consultations").set({ status: "draft" }).where("slug", "=", SLUG).execute();
    try {
      expect(await cts(PERSONAS.admin!)).toBe(404);
    } finally {
      await h.db.updateTable("consultations").set({ status: "open" }).where("slug", "=", SLUG).execute();
    }
  });

  it("live results: the region view opens to everyone while the vote is open, only when switched on", async () => {
    await h.db.updateTable("consultations").set({ live_results: 1 }).where("slug", "=", SLUG).execute();
    try {
      expect(await region(null)).toBe(200);
      expect(await region(PERSONAS.resident!)).toBe(200);
      // CTS reports stay with the CTS.
      expect(await cts(PERSONAS.resident!)).toBe(403);
    } finally {
      await h.db.updateTable("consultations").set({ live_results: 0 }).where("slug", "=", SLUG).execute();
    }
  });
});

describe.each(testDatabases)("report access decisions (the domain's reasons), on $name", ({ openLoaded }) => {
  let h: DatabaseHandle;
  beforeAll(async () => {
    h = await openLoaded();
  });
  afterAll(async () => h?.close());
  const user = (persona: Persona) => context(persona).auth.user;
  const reason = (decision: { ok: true } | { ok: false; reason: string }) => (decision.ok ? "ok" : decision.reason);

  it("names why a CTS report is closed to a reader, before publication", async () => {
    const code = "76-rouen-elbeuf";
    expect(reason(await ctsReportAccess(h.db, null, { code, slug: "inconnue" }))).toBe("unknown-consultation");
    expect(reason(await ctsReportAccess(h.db, null, { code: "33", slug: SLUG }))).toBe("unknown-territory");
    expect(reason(await ctsReportAccess(h.db, null, { code, slug: SLUG }))).toBe("sign-in");
    expect(reason(await ctsReportAccess(h.db, user(PERSONAS.resident!), { code, slug: SLUG }))).toBe(
      "cts-results-unpublished",
    );
    const member = await ctsReportAccess(h.db, user(PERSONAS["CTS member, this territory"]!), { code, slug: SLUG });
    expect(member).toMatchObject({ ok: true, consultation: { slug: SLUG }, territory: { code } });
  });

  it("names why the region view is closed, and opens it to all once published", async () => {
    expect(reason(await regionResultsAccess(h.db, null, "inconnue"))).toBe("unknown-consultation");
    expect(reason(await regionResultsAccess(h.db, null, SLUG))).toBe("sign-in");
    expect(reason(await regionResultsAccess(h.db, user(PERSONAS["CTS member, this territory"]!), SLUG))).toBe(
      "region-results-unpublished",
    );
    expect(reason(await regionResultsAccess(h.db, user(PERSONAS.admin!), SLUG))).toBe("ok");
    await h.db.updateTable("consultations").set({ status: "results_published" }).where("slug", "=", SLUG).execute();
    try {
      expect(reason(await regionResultsAccess(h.db, null, SLUG))).toBe("ok");
      expect(reason(await ctsReportAccess(h.db, null, { code: "76-rouen-elbeuf", slug: SLUG }))).toBe("ok");
    } finally {
      await h.db.updateTable("consultations").set({ status: "open" }).where("slug", "=", SLUG).execute();
    }
  });
});

describe("a CTS's space (comments and their exports)", () => {
  const user = (persona: Persona) => context(persona).auth.user;
  it("is for the CTS's members and administrators; the routes layer answers sign-in or 403", async () => {
    const decisions = Object.fromEntries(
      Object.entries(PERSONAS).map(([name, persona]) => {
        const decision = ctsSpaceAccess(user(persona), "76-rouen-elbeuf");
        return [name, decision.ok ? "ok" : decision.reason];
      }),
    );
    expect(decisions).toEqual({
      anonymous: "sign-in",
      resident: "not-cts-member",
      association: "not-cts-member",
      "CTS member, this territory": "ok",
      "CTS member, another territory": "not-cts-member",
      moderator: "not-cts-member",
      admin: "ok",
    });
    const statusOf = (persona: Persona) =>
      status(async () => requireCtsAccess(context(persona), request, "76-rouen-elbeuf"));
    expect(await statusOf(null)).toBe(302);
    expect(await statusOf(PERSONAS.resident!)).toBe(403);
    expect(await statusOf(PERSONAS.admin!)).toBe(200);
  });
});

describe.each(testDatabases)("CTS invitations on $name", ({ open }) => {
  let h: DatabaseHandle;
  beforeAll(async () => {
    h = await open();
    await loadTerritories(h.db);
  });
  afterAll(async () => h?.close());

  const tokenFromOutbox = async (email: string) => {
    const mail = await h.db
      .selectFrom("outbox")
      .select("body_text")
      .where("to_address", "=", email)
      .orderBy("created_at", "desc")
      .executeTakeFirstOrThrow();
    return /token=([A-Za-z0-9_-]+)/.exec(mail.body_text)![1]!;
  };
  const roles = async (userId: string) =>
    (await h.db.selectFrom("user_roles").select(["role", "scope"]).where("user_id", "=", userId).execute())
      .map((r) => `${r.role}:${r.scope}`)
      .sort();

  it("makes an account for a new address (verified by the link) and grants the role, once", async () => {
    const admin = await makePerson(h.db, "76540", { roles: [{ role: "admin", scope: "" }] });
    expect(
      await inviteCtsMember(h.db, { email: "nouvelle@exemple.fr", ctsCode: "76-rouen-elbeuf", invitedBy: admin.id }),
    ).toEqual({ ok: true });
    const token = await tokenFromOutbox("nouvelle@exemple.fr");
    expect((await checkInvitation(h.db, token)).invitation).toMatchObject({
      email: "nouvelle@exemple.fr",
      ctsCode: "76-rouen-elbeuf",
      accountExists: false,
    });
    const result = await acceptInvitation(h.db, token, {
      newAccount: { password: "une longue phrase de passe", communeCode: "76540" },
    });
    expect(result).toMatchObject({ ok: true, ctsCode: "76-rouen-elbeuf" });
    if (!result.ok) return;
    expect(await roles(result.userId)).toEqual(["cts_member:76-rouen-elbeuf", "resident:"]);
    const user = await h.db
      .selectFrom("users")
      .select("email_verified_at")
      .where("id", "=", result.userId)
      .executeTakeFirstOrThrow();
    expect(user.email_verified_at).not.toBeNull();
    expect(
      await acceptInvitation(h.db, token, {
        newAccount: { password: "une longue phrase de passe", communeCode: "76540" },
      }),
    ).toEqual({ ok: false, reason: "used" });
    expect(
      await inviteCtsMember(h.db, { email: "nouvelle@exemple.fr", ctsCode: "76-rouen-elbeuf", invitedBy: admin.id }),
    ).toEqual({ ok: false, reason: "already_member" });
  });

  it("joins an existing account only when signed in as the invited address; refuses unknown, expired and foreign uses", async () => {
    const admin = await makePerson(h.db, "76540", { roles: [{ role: "admin", scope: "" }] });
    const member = await makePerson(h.db, "14118");
    const other = await makePerson(h.db, "14118");
    expect(await inviteCtsMember(h.db, { email: member.email, ctsCode: "14", invitedBy: admin.id })).toEqual({
      ok: true,
    });
    const token = await tokenFromOutbox(member.email);
    expect(await acceptInvitation(h.db, token, { userId: other.id, email: other.email })).toEqual({
      ok: false,
      reason: "wrong_account",
    });
    expect(
      await acceptInvitation(h.db, token, {
        newAccount: { password: "une longue phrase de passe", communeCode: "14118" },
      }),
    ).toEqual({ ok: false, reason: "email_taken" });
    expect(await acceptInvitation(h.db, token, { userId: member.id, email: member.email })).toMatchObject({
      ok: true,
      ctsCode: "14",
    });
    expect(await roles(member.id)).toContain("cts_member:14");
    expect(await roles(other.id)).not.toContain("cts_member:14");
    expect(await acceptInvitation(h.db, "inconnu", { userId: member.id, email: member.email })).toEqual({
      ok: false,
      reason: "unknown",
    });
    expect(await inviteCtsMember(h.db, { email: "x@exemple.fr", ctsCode: "pas-un-cts", invitedBy: admin.id })).toEqual({
      ok: false,
      reason: "unknown_cts",
    });

    const later = new Date(Date.now() - 8 * 86_400_000);
    expect(await inviteCtsMember(h.db, { email: other.email, ctsCode: "14", invitedBy: admin.id }, later)).toEqual({
      ok: true,
    });
    const old = await tokenFromOutbox(other.email);
    expect(await acceptInvitation(h.db, old, { userId: other.id, email: other.email })).toEqual({
      ok: false,
      reason: "expired",
    });
  });

  it("two uses of one link at once grant the role once and make at most one account", async () => {
    const admin = await makePerson(h.db, "76540", { roles: [{ role: "admin", scope: "" }] });
    expect(await inviteCtsMember(h.db, { email: "course@exemple.fr", ctsCode: "27", invitedBy: admin.id })).toEqual({
      ok: true,
    });
    const token = await tokenFromOutbox("course@exemple.fr");
    const results = await Promise.all(
      Array.from({ length: 5 }, () =>
        acceptInvitation(h.db, token, { newAccount: { password: "une longue phrase de passe", communeCode: "27229" } }),
      ),
    );
    expect(results.filter((r) => r.ok)).toHaveLength(1);
    const accounts = await h.db.selectFrom("users").select("id").where("email", "=", "course@exemple.fr").execute();
    expect(accounts).toHaveLength(1);
  });
});
