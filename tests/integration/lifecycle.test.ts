import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DatabaseHandle } from "../../db/connect";
import { isPostgres } from "../../db/dialect";
import { loadTerritories } from "../../db/territories/load";
import { loadCatalogue } from "../../app/catalogue/catalogue-load.server";
import { changeBallot } from "../../app/ballots/ballots.server";
import { advanceConsultation } from "../../app/ballots/lifecycle.server";
import { importPaperBallots } from "../../app/ballots/paper-import.server";
import { territoryTally, verifyCounts } from "../../app/ballots/results.server";
import { createResident, markEmailVerified } from "../../app/identity/users.server";
import { testDatabases } from "../support/databases";

const SLUG = "normandie-cnr-sante-2022";

describe.each(testDatabases)("consultation phases on $name", ({ openLoaded }) => {
  let h: DatabaseHandle;
  beforeAll(async () => {
    h = await openLoaded();
  });
  afterAll(async () => h?.close());

  it("closing drops every ballot's user link and rounds times to the day, results unchanged; phases only move forward", async () => {
    const consultation = await h.db
      .selectFrom("consultations")
      .select(["id", "method", "method_params"])
      .where("slug", "=", SLUG)
      .executeTakeFirstOrThrow();
    const proposals = await h.db
      .selectFrom("proposals")
      .select("id")
      .where("consultation_id", "=", consultation.id)
      .orderBy("position")
      .limit(3)
      .execute();
    const voters = [];
    for (let i = 0; i < 12; i++) {
      const created = await createResident(h.db, {
        email: `v${i}@exemple.fr`,
        password: "une phrase de passe",
        communeCode: i % 2 ? "14366" : "76540",
      });
      if (!created.ok) throw new Error("setup");
      await markEmailVerified(h.db, created.userId);
      const voter = {
        id: created.userId,
        emailVerified: true,
        communeCode: i % 2 ? "14366" : "76540",
        roles: [{ role: "resident", scope: "" }],
      };
      voters.push(voter);
      await changeBallot(h.db, { consultationSlug: SLUG, voter }, () => ({ selections: [proposals[i % 3]!.id] }));
    }
    const region = { kind: "region" as const, code: "28" };
    const before = await territoryTally(h.db, consultation, region, "raw");

    await expect(advanceConsultation(h.db, SLUG, "results_published")).rejects.toThrow(/ne peut pas passer/);
    const closed = await advanceConsultation(h.db, SLUG, "closed");
    expect(closed).toEqual({ from: "open", to: "closed", anonymised: 12 });
    const ballots = await h.db
      .selectFrom("ballots")
      .select(["user_id", "created_at", "updated_at"])
      .where("consultation_id", "=", consultation.id)
      .execute();
    expect(ballots).toHaveLength(12);
    for (const b of ballots) {
      expect(b.user_id).toBeNull();
      expect(b.created_at).toMatch(/T00:00:00\.000Z$/);
      expect(b.updated_at).toMatch(/T00:00:00\.000Z$/);
    }
    const events = await h.db
      .selectFrom("ballot_events")
      .select("created_at")
      .where("consultation_id", "=", consultation.id)
      .execute();
    expect(events.every((e) => e.created_at.endsWith("T00:00:00.000Z"))).toBe(true);
    expect((await territoryTally(h.db, consultation, region, "raw")).result).toEqual(before.result);

    // No vote after closing; no way back.
    await expect(changeBallot(h.db, { consultationSlug: SLUG, voter: voters[0]! }, () => null)).rejects.toMatchObject({
      code: "forbidden",
    });
    await expect(advanceConsultation(h.db, SLUG, "open")).rejects.toThrow(/ne peut pas passer/);
    expect((await advanceConsultation(h.db, SLUG, "results_published")).to).toBe("results_published");
  });
});

/** Spearman's rank correlation of two permutations of 0 … n-1. */
function spearman(a: number[], b: number[]): number {
  const n = a.length;
  const d2 = a.reduce((s, x, i) => s + (x - b[i]!) ** 2, 0);
  return 1 - (6 * d2) / (n * (n * n - 1));
}

describe.each(testDatabases)("closing re-keys ballots in a random order on $name", ({ open }) => {
  let h: DatabaseHandle;
  beforeAll(async () => {
    h = await open();
    await loadTerritories(h.db);
    await loadCatalogue(h.db);
  });
  afterAll(async () => h?.close());

  it("after closing, neither ids nor storage order follow the order of casting; counts unchanged", async () => {
    const slug = "normandie-cnr-sante-2022";
    const consultation = await h.db
      .selectFrom("consultations")
      .select(["id", "method", "method_params"])
      .where("slug", "=", slug)
      .executeTakeFirstOrThrow();
    const proposals = (
      await h.db
        .selectFrom("proposals")
        .select(["id", "slug"])
        .where("consultation_id", "=", consultation.id)
        .orderBy("position")
        .execute()
    ).slice(0, 20);
    // 200 ballots, each telling its place in the order of casting by its selections: one
    // proposal (20), or a pair (190). The first 100 from Caen (143), the others from Rouen (763).
    const contents: string[][] = [];
    for (let i = 0; i < proposals.length && contents.length < 200; i++) contents.push([proposals[i]!.slug]);
    for (let i = 0; i < proposals.length && contents.length < 200; i++)
      for (let j = i + 1; j < proposals.length && contents.length < 200; j++)
        contents.push([proposals[i]!.slug, proposals[j]!.slug]);
    for (const [i, c] of contents.entries()) {
      // One import per ballot: one insertion after the other, as votes would come.
      const line = `${i < 100 ? "143" : "763"},${c.join("|")}`;
      expect(await importPaperBallots(h.db, slug, `arrondissement,selections\n${line}\n`)).toEqual({
        ok: true,
        imported: 1,
        blank: 0,
      });
    }
    const slugOf = new Map(proposals.map((p) => [p.id, p.slug]));
    const key = (slugs: string[]) => [...slugs].sort().join("|");
    const place = new Map(contents.map((c, i) => [key(c), i]));
    const storage = isPostgres(h.db) ? sql`ctid` : sql`rowid`;
    const inStorageOrder = () =>
      h.db
        .selectFrom("ballots")
        .select(["id", "content"])
        .where("consultation_id", "=", consultation.id)
        .orderBy(storage)
        .execute();
    const eventsInStorageOrder = () =>
      h.db
        .selectFrom("ballot_events")
        .select(["id", "arrondissement_code"])
        .where("consultation_id", "=", consultation.id)
        .orderBy(storage)
        .execute();
    const castingPlaces = (rows: { content: string }[]) =>
      rows.map((r) => {
        const selections = (JSON.parse(r.content) as { selections: string[] }).selections.map((id) => slugOf.get(id)!);
        return place.get(key(selections))!;
      });
    const before = await inStorageOrder();
    const eventsBefore = await eventsInStorageOrder();
    const identity = contents.map((_, i) => i);
    // Before closing, storage order is casting order: the measure sees it.
    expect(spearman(castingPlaces(before), identity)).toBe(1);
    expect(eventsBefore.slice(0, 100).every((e) => e.arrondissement_code === "143")).toBe(true);
    const region = { kind: "region" as const, code: "28" };
    const tallyBefore = await territoryTally(h.db, consultation, region, "raw");

    expect((await advanceConsultation(h.db, slug, "closed")).anonymised).toBe(200);

    const after = await inStorageOrder();
    expect(after).toHaveLength(200);
    const places = castingPlaces(after);
    expect([...places].sort((a, b) => a - b)).toEqual(identity);
    // Under a random order, Spearman's rho over 200 has a standard deviation of 1/√199 ≈ 0.07.
    expect(Math.abs(spearman(places, identity))).toBeLessThan(0.3);
    const byId = [...after].sort((a, b) => (a.id < b.id ? -1 : 1));
    expect(Math.abs(spearman(castingPlaces(byId), identity))).toBeLessThan(0.3);
    // New ids for ballots and events alike.
    const oldIds = new Set([...before.map((b) => b.id), ...eventsBefore.map((e) => e.id)]);
    const eventsAfter = await eventsInStorageOrder();
    expect(eventsAfter).toHaveLength(eventsBefore.length);
    expect([...after, ...eventsAfter].some((r) => oldIds.has(r.id))).toBe(false);
    // Events: Caen’s 100 are no longer the first 100 stored (≈ 50 ± 7 of them are).
    const caenFirst = eventsAfter.slice(0, 100).filter((e) => e.arrondissement_code === "143").length;
    expect(caenFirst).toBeGreaterThan(25);
    expect(caenFirst).toBeLessThan(75);
    expect((await territoryTally(h.db, consultation, region, "raw")).result).toEqual(tallyBefore.result);
    expect(await verifyCounts(h.db, consultation.id)).toEqual([]);
  });
});
