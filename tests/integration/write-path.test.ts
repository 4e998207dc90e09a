import { afterAll, beforeAll, describe, expect, it } from "vitest";
import SQLite from "better-sqlite3";
import type { DatabaseHandle } from "../../db/connect";
import { withStatementCache } from "../../db/connect";
import { writeTransaction } from "../../db/dialect";
import { bumpContentVersion, readContentVersion } from "../../db/content-version";
import { BallotError, changeBallot, type Voter } from "../../app/ballots/ballots.server";
import { verifyCounts } from "../../app/ballots/results.server";
import { createResident, markEmailVerified } from "../../app/identity/users.server";
import { locateCommuneAt } from "../../app/territories/territories.server";
import { VersionedCache } from "../../app/platform/versioned-cache.server";
import type { Database } from "../../db/schema";
import { testDatabases } from "../support/databases";

// The optimisations of the vote path (README, Benchmarks) keep its guarantees: group commit keeps
// each write all-or-nothing and answers only after the commit; cached statements return the
// current rows; values kept per content version are dropped when the version changes.

const NORMANDIE = "normandie-cnr-sante-2022";

describe.each(testDatabases)("write path on $name", ({ openLoaded }) => {
  let h: DatabaseHandle;
  let proposalIds: string[] = [];
  let n = 0;

  async function resident(commune: string): Promise<Voter> {
    const created = await createResident(h.db, {
      email: `w${n++}-${Math.random()}@exemple.fr`,
      password: "une phrase de passe",
      communeCode: commune,
    });
    if (!created.ok) throw new Error("setup");
    await markEmailVerified(h.db, created.userId);
    return { id: created.userId, emailVerified: true, communeCode: commune, roles: [{ role: "resident", scope: "" }] };
  }

  beforeAll(async () => {
    h = await openLoaded();
    proposalIds = (
      await h.db
        .selectFrom("proposals")
        .innerJoin("consultations", "consultations.id", "proposals.consultation_id")
        .select("proposals.id")
        .where("consultations.slug", "=", NORMANDIE)
        .orderBy("proposals.position")
        .execute()
    ).map((r) => r.id);
  });
  afterAll(async () => h?.close());

  it("writes started together: a failing one leaves nothing, the others are all kept", async () => {
    const key = (s: string) => `write-path:${n}:${s}`;
    const run = (name: string, fail: boolean) =>
      writeTransaction(h.db, async (trx) => {
        await trx
          .insertInto("app_state")
          .values({ key: key(name), value: "1" })
          .execute();
        await trx
          .insertInto("app_state")
          .values({ key: key(`${name}-2`), value: "1" })
          .execute();
        if (fail) throw new Error(`échec ${name}`);
        return name;
      });
    const results = await Promise.allSettled([run("a", false), run("b", true), run("c", false)]);
    expect(results.map((r) => r.status)).toEqual(["fulfilled", "rejected", "fulfilled"]);
    expect((results[1] as PromiseRejectedResult).reason.message).toBe("échec b");
    const keys = (await h.db.selectFrom("app_state").select("key").where("key", "like", `write-path:${n}:%`).execute())
      .map((r) => r.key)
      .sort();
    expect(keys).toEqual([key("a"), key("a-2"), key("c"), key("c-2")]);
  });

  it("a write that breaks a constraint fails alone, and its group commits the rest", async () => {
    const taken = `write-path-unique:${n}`;
    await h.db.insertInto("app_state").values({ key: taken, value: "1" }).execute();
    const results = await Promise.allSettled([
      writeTransaction(h.db, (trx) =>
        trx
          .insertInto("app_state")
          .values({ key: `${taken}:x`, value: "1" })
          .execute(),
      ),
      writeTransaction(h.db, (trx) => trx.insertInto("app_state").values({ key: taken, value: "2" }).execute()),
      writeTransaction(h.db, (trx) =>
        trx
          .insertInto("app_state")
          .values({ key: `${taken}:y`, value: "1" })
          .execute(),
      ),
    ]);
    expect(results.map((r) => r.status)).toEqual(["fulfilled", "rejected", "fulfilled"]);
    const rows = await h.db
      .selectFrom("app_state")
      .select(["key", "value"])
      .where("key", "like", `${taken}%`)
      .orderBy("key")
      .execute();
    expect(rows).toEqual([
      { key: taken, value: "1" },
      { key: `${taken}:x`, value: "1" },
      { key: `${taken}:y`, value: "1" },
    ]);
  });

  it("inside a transaction, a write runs in it and goes with it", async () => {
    const key = `write-path-nested:${n}`;
    await expect(
      h.db.transaction().execute(async (trx) => {
        await writeTransaction<Database, unknown>(trx, (inner) =>
          inner.insertInto("app_state").values({ key, value: "1" }).execute(),
        );
        throw new Error("annulé");
      }),
    ).rejects.toThrow("annulé");
    expect(await h.db.selectFrom("app_state").select("key").where("key", "=", key).execute()).toEqual([]);
  });

  it("60 votes at once, a third of them refused: the others are counted, the counts recount exactly", async () => {
    const voters = await Promise.all(Array.from({ length: 60 }, () => resident("14366")));
    const [a, b] = proposalIds;
    const results = await Promise.allSettled(
      voters.map((voter, i) =>
        changeBallot(h.db, { consultationSlug: NORMANDIE, voter }, () =>
          // Every third ballot names a proposal of no consultation: refused, nothing written.
          ({ selections: i % 3 === 2 ? [a, "pas-une-proposition"] : i % 2 ? [a, b] : [b] }),
        ),
      ),
    );
    const refused = results.filter((r) => r.status === "rejected");
    expect(refused).toHaveLength(20);
    for (const r of refused) expect((r as PromiseRejectedResult).reason).toBeInstanceOf(BallotError);
    const consultationId = (
      await h.db.selectFrom("consultations").select("id").where("slug", "=", NORMANDIE).executeTakeFirstOrThrow()
    ).id;
    const ballots = await h.db
      .selectFrom("ballots")
      .select("user_id")
      .where("consultation_id", "=", consultationId)
      .execute();
    expect(new Set(ballots.map((r) => r.user_id))).toEqual(
      new Set(voters.filter((_, i) => i % 3 !== 2).map((v) => v.id)),
    );
    expect(await verifyCounts(h.db, consultationId)).toEqual([]);
  });

  it("a ballot changed, moved to another arrondissement and withdrawn: the kept counts follow the net changes", async () => {
    const voter = await resident("14366");
    const [a, b, c] = proposalIds;
    const consultationId = (
      await h.db.selectFrom("consultations").select("id").where("slug", "=", NORMANDIE).executeTakeFirstOrThrow()
    ).id;
    const steps: (() => Promise<unknown>)[] = [
      () => changeBallot(h.db, { consultationSlug: NORMANDIE, voter }, () => ({ selections: [a, b] })),
      () => changeBallot(h.db, { consultationSlug: NORMANDIE, voter }, () => ({ selections: [b, c] })),
      // Moved to Rouen: the same selections now count in another arrondissement and CTS.
      () =>
        changeBallot(h.db, { consultationSlug: NORMANDIE, voter: { ...voter, communeCode: "76540" } }, () => ({
          selections: [b, c],
        })),
      () =>
        changeBallot(h.db, { consultationSlug: NORMANDIE, voter: { ...voter, communeCode: "76540" } }, () => ({
          selections: [a],
        })),
      () => changeBallot(h.db, { consultationSlug: NORMANDIE, voter: { ...voter, communeCode: "76540" } }, () => null),
    ];
    for (const step of steps) {
      await step();
      expect(await verifyCounts(h.db, consultationId)).toEqual([]);
    }
  });

  it("a place kept for a content version is read again once the version changes", async () => {
    const before = await readContentVersion(h.db);
    const place = await locateCommuneAt(h.db, before, "76540");
    expect(place?.cts?.code).toBe("76-rouen-elbeuf");
    // Rename the CTS the way a territory import would, with the version change it makes.
    await h.db.transaction().execute(async (trx) => {
      await trx
        .updateTable("cts_territories")
        .set({ name: "Rouen–Elbeuf (renommé)" })
        .where("code", "=", "76-rouen-elbeuf")
        .execute();
      await bumpContentVersion(trx);
    });
    expect((await locateCommuneAt(h.db, before, "76540"))?.cts?.name).toBe(place?.cts?.name);
    const after = await readContentVersion(h.db);
    expect(after).not.toBe(before);
    expect((await locateCommuneAt(h.db, after, "76540"))?.cts?.name).toBe("Rouen–Elbeuf (renommé)");
  });
});

describe("prepared statements kept per SQL text (SQLite)", () => {
  it("return the current rows for each parameter, and stay bounded", () => {
    const sqlite = new SQLite(":memory:");
    const cached = withStatementCache(sqlite, 2);
    cached.prepare("create table t (k text primary key, v integer)").run([]);
    const insert = cached.prepare("insert into t (k, v) values (?, ?)");
    insert.run(["a", 1]);
    expect(cached.prepare("insert into t (k, v) values (?, ?)")).toBe(insert);
    cached.prepare("insert into t (k, v) values (?, ?)").run(["b", 2]);
    const select = (k: string) => cached.prepare("select v from t where k = ?").all([k]);
    expect(select("a")).toEqual([{ v: 1 }]);
    cached.prepare("update t set v = ? where k = ?").run([10, "a"]);
    expect(select("a")).toEqual([{ v: 10 }]);
    expect(select("b")).toEqual([{ v: 2 }]);
    // A third text pushes the oldest out: it is prepared again, and still right.
    expect(cached.prepare("insert into t (k, v) values (?, ?)")).not.toBe(insert);
    cached.close();
  });
});

describe("VersionedCache", () => {
  it("keeps a value for its version only, and does not keep a failed load", async () => {
    const cache = new VersionedCache<number>(2);
    let loads = 0;
    const load = async () => ++loads;
    expect(await cache.get("v1", "k", load)).toBe(1);
    expect(await cache.get("v1", "k", load)).toBe(1);
    expect(await cache.get("v2", "k", load)).toBe(2);
    await expect(cache.get("v2", "bad", () => Promise.reject(new Error("x")))).rejects.toThrow("x");
    expect(await cache.get("v2", "bad", load)).toBe(3);
  });
});
