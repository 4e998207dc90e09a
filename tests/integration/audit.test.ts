import { Kysely, SqliteDialect } from "kysely";
import SQLite from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DatabaseHandle } from "../../db/connect";
import type { Database } from "../../db/schema";
import { auditJournal, purgeAuditEvents, recordAudit, truncateIp } from "../../app/audit/audit.server";
import { grantRole } from "../../app/identity/users.server";
import { postComment } from "../../app/comments/comments.server";
import { moderate } from "../../app/moderation/moderation.server";
import { testDatabases } from "../support/databases";
import { makePerson } from "../support/people";

describe("truncateIp", () => {
  it("keeps the network, drops the host", () => {
    expect(truncateIp("203.0.113.77")).toBe("203.0.113.0");
    expect(truncateIp("::ffff:192.168.4.9")).toBe("192.168.4.0");
    expect(truncateIp("2001:db8:abcd:12:1:2:3:4")).toBe("2001:db8:abcd::");
    expect(truncateIp("2001:db8::1")).toBe("2001:db8:0::");
    expect(truncateIp("::1")).toBe("0:0:0::");
    expect(truncateIp("pas une adresse")).toBeNull();
    expect(truncateIp(undefined)).toBeNull();
  });
});

describe("recordAudit never throws into the request", () => {
  it("a database without the table: logged, resolved", async () => {
    const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: new SQLite(":memory:") }) });
    await expect(recordAudit(db, { kind: "export", detail: "x" })).resolves.toBeUndefined();
    await db.destroy();
  });
});

describe.each(testDatabases)("security journal on $name", ({ name, openLoaded }) => {
  let h: DatabaseHandle;
  const events = (kind: string) =>
    h.db
      .selectFrom("audit_events")
      .selectAll()
      .where("kind", "=", kind as never)
      .orderBy("created_at")
      .execute();

  beforeAll(async () => {
    h = await openLoaded();
  });
  afterAll(async () => h?.close());

  it("records an event with its fields; a role actually granted is recorded once", async () => {
    const person = await makePerson(h.db);
    await recordAudit(h.db, {
      kind: "export",
      userId: person.id,
      ip: "198.51.100.23",
      path: "/cts/14/commentaires/x/export.csv",
      detail: "commentaires",
    });
    expect(await events("export")).toMatchObject([
      {
        kind: "export",
        user_id: person.id,
        ip: "198.51.100.0",
        path: "/cts/14/commentaires/x/export.csv",
        detail: "commentaires",
      },
    ]);
    const before = (await events("role_change")).length;
    await grantRole(h.db, person.id, "cts_member", "14", { id: null, label: "un test" });
    await grantRole(h.db, person.id, "cts_member", "14", { id: null, label: "un test" });
    const granted = (await events("role_change")).slice(before);
    expect(granted).toHaveLength(1);
    expect(granted[0]!.detail).toBe(`rôle cts_member (14) donné au compte ${person.id} par un test`);
  });

  it("records a moderation decision with the moderator", async () => {
    const author = await makePerson(h.db);
    const moderator = await makePerson(h.db, "14118", { roles: [{ role: "moderator", scope: "28" }] });
    const proposal = await h.db
      .selectFrom("proposals")
      .innerJoin("consultations", "consultations.id", "proposals.consultation_id")
      .select("proposals.id")
      .where("consultations.slug", "=", "normandie-cnr-sante-2022")
      .executeTakeFirstOrThrow();
    const { id } = await postComment(h.db, {
      proposalId: proposal.id,
      actor: author,
      stance: "for",
      body: "Un commentaire qui sera masqué.",
      anonymous: true,
    });
    await moderate(h.db, { moderator, intent: "hide", kind: "comment", id, reason: "insult" });
    expect(await events("moderation")).toMatchObject([
      { user_id: moderator.id, detail: `hide comment ${id} (insult)` },
    ]);
  });

  it("a flood from one network is capped at 30 events a minute per kind", async () => {
    // The cap is kept in this process's memory: each database gets networks of its own.
    const net = name === "sqlite" ? "192.0.2" : "198.18.0";
    for (let i = 0; i < 35; i++)
      await recordAudit(h.db, { kind: "login_failed", ip: `${net}.1`, detail: "adresse inconnue" });
    expect(await events("login_failed")).toHaveLength(30);
    await recordAudit(h.db, {
      kind: "login_failed",
      ip: name === "sqlite" ? "192.0.3.1" : "198.18.1.1",
      detail: "adresse inconnue",
    });
    expect(await events("login_failed")).toHaveLength(31);
  });

  it("pages and filters the journal; purges what is older than 6 months", async () => {
    const now = new Date("2026-11-23T12:00:00Z");
    await recordAudit(h.db, { kind: "forbidden", ip: null, detail: "vieux", now: new Date("2026-05-22T12:00:00Z") });
    await recordAudit(h.db, { kind: "forbidden", ip: null, detail: "récent", now: new Date("2026-05-24T12:00:00Z") });
    const page = await auditJournal(h.db, { page: 1, kind: "forbidden" });
    expect(page.total).toBe(2);
    expect(page.entries.map((e) => e.detail)).toEqual(["récent", "vieux"]);
    const second = await auditJournal(h.db, { page: 2, kind: "forbidden", pageSize: 1 });
    expect(second).toMatchObject({ page: 2, pageCount: 2, total: 2 });
    expect(second.entries.map((e) => e.detail)).toEqual(["vieux"]);
    expect((await auditJournal(h.db, { page: 9, kind: "forbidden", pageSize: 1 })).page).toBe(2);
    expect(await purgeAuditEvents(h.db, now)).toBe(1);
    expect((await events("forbidden")).map((e) => e.detail)).toEqual(["récent"]);
  });
});
