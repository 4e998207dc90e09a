import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DatabaseHandle } from "../../db/connect";
import { generateDemoBallots } from "../../app/ballots/demo-ballots.server";
import {
  computeIntervals,
  IntervalCoordinator,
  type IntervalJob,
  type IntervalRunner,
} from "../../app/ballots/intervals.server";
import { tallyVersion } from "../../app/ballots/results.server";
import { territoryParticipation } from "../../app/ballots/results.server";
import { seedFromString } from "../../app/tally";
import { testDatabases } from "../support/databases";

// Rank intervals are computed off the request path and kept per tally version in a table every
// server reads: a request never waits for them (before the first ones it gets "en cours de
// calcul"), a page gets the last ones with their version while newer ones are computed, and two
// servers asked for the same territory compute it once and both get the result.

const SLUG = "normandie-cnr-sante-2022";

/** A runner that counts its jobs and holds each one until `release()`. */
function heldRunner() {
  const jobs: IntervalJob[] = [];
  let open!: () => void;
  let gate = new Promise<void>((resolve) => (open = resolve));
  const run: IntervalRunner = async (db, job) => {
    jobs.push(job);
    await gate;
    return computeIntervals(db, job);
  };
  return {
    run,
    jobs,
    release: () => open(),
    hold: () => (gate = new Promise<void>((resolve) => (open = resolve))),
  };
}

/** Resolves once `done()` holds (checked every 10 ms, for at most 10 s). */
async function until(done: () => boolean): Promise<void> {
  for (let i = 0; i < 1000 && !done(); i++) await new Promise((resolve) => setTimeout(resolve, 10));
}

describe.each(testDatabases)("rank intervals off the request path on $name", ({ openLoaded }) => {
  let h: DatabaseHandle;
  let consultation: { id: string; method: "approval" | "majority_judgment" | "ranked"; method_params: string };
  const ref = { kind: "region" as const, code: "28" };

  beforeAll(async () => {
    h = await openLoaded();
    consultation = await h.db
      .selectFrom("consultations")
      .select(["id", "method", "method_params"])
      .where("slug", "=", SLUG)
      .executeTakeFirstOrThrow();
    await generateDemoBallots(h.db, { consultationSlug: SLUG, count: 200, seed: 1 });
  }, 60_000);
  afterAll(async () => h?.close());

  const populations = async () =>
    Object.fromEntries(
      (await territoryParticipation(h.db, consultation.id, ref)).map((p) => [
        p.arrondissement,
        Math.max(1, p.population),
      ]),
    );
  const expected = async (weighting: "raw" | "population", resamples: number) =>
    computeIntervals(h.db, {
      consultation,
      ref,
      weighting,
      populations: await populations(),
      resamples,
      seed: seedFromString(`${consultation.id}|region:28|${weighting}|${resamples}`),
    });

  it("a request before the first intervals answers at once, 'en cours de calcul', and the computation runs behind it", async () => {
    const runner = heldRunner();
    const server = new IntervalCoordinator(runner.run);
    const first = await server.snapshot(h.db, consultation, ref, "raw", await populations(), { resamples: 20 });
    // Answered while the computation is held: nothing to show yet, and it is under way.
    expect(first).toEqual({ intervals: null, version: null, computedAt: null, computing: true });
    await until(() => runner.jobs.length > 0);
    expect(runner.jobs).toHaveLength(1);
    runner.release();
    await server.settle();
    const next = await server.snapshot(h.db, consultation, ref, "raw", await populations(), { resamples: 20 });
    expect(next.version).toBe(await tallyVersion(h.db, consultation.id));
    expect(next.computing).toBe(false);
    expect(next.intervals).toEqual(await expected("raw", 20));
    expect(runner.jobs).toHaveLength(1);
  });

  it("later requests get the last intervals with their version at once, then the newer ones", async () => {
    const runner = heldRunner();
    runner.release();
    const server = new IntervalCoordinator(runner.run);
    const options = { resamples: 21, checkEveryMs: 0 };
    const v1 = await tallyVersion(h.db, consultation.id);
    const first = await server.snapshot(h.db, consultation, ref, "raw", await populations(), {
      ...options,
      wait: "current",
    });
    expect(first.version).toBe(v1);

    await generateDemoBallots(h.db, { consultationSlug: SLUG, count: 50, seed: 2 });
    runner.hold();
    const stale = await server.snapshot(h.db, consultation, ref, "raw", await populations(), options);
    // Served without waiting: the previous version's intervals, while the check behind it finds
    // them stale and starts the computation, which the next answer says is under way.
    expect(stale.version).toBe(v1);
    expect(stale.intervals).toEqual(first.intervals);
    await until(() => runner.jobs.length === 2);
    const meanwhile = await server.snapshot(h.db, consultation, ref, "raw", await populations(), options);
    expect(meanwhile.version).toBe(v1);
    expect(meanwhile.computing).toBe(true);
    runner.release();

    const current = await server.snapshot(h.db, consultation, ref, "raw", await populations(), {
      ...options,
      wait: "current",
    });
    expect(current.version).toBe(await tallyVersion(h.db, consultation.id));
    expect(current.version).toBeGreaterThan(v1);
    expect(current.computing).toBe(false);
    expect(current.intervals).toEqual(await expected("raw", 21));
    // Nothing changed since: nothing is recomputed.
    const again = await server.snapshot(h.db, consultation, ref, "raw", await populations(), {
      ...options,
      wait: "current",
    });
    expect(again.computedAt).toBe(current.computedAt);
    expect(runner.jobs).toHaveLength(2);
  });

  it("two servers asked for the same territory compute it once and both get the result", async () => {
    const a = heldRunner();
    const b = heldRunner();
    const one = new IntervalCoordinator(a.run);
    const two = new IntervalCoordinator(b.run);
    const options = { resamples: 22, checkEveryMs: 0 };
    const p = await populations();
    // Both asked at once, before any intervals exist: both answer at once, both say "en cours".
    const [first1, first2] = await Promise.all([
      one.snapshot(h.db, consultation, ref, "population", p, options),
      two.snapshot(h.db, consultation, ref, "population", p, options),
    ]);
    expect([first1.intervals, first2.intervals]).toEqual([null, null]);
    // Let the claims be made (each server's check runs behind its answer), then look.
    await until(() => a.jobs.length + b.jobs.length > 0);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(a.jobs.length + b.jobs.length).toBe(1);
    const computing = a.jobs.length ? one : two;
    const reading = a.jobs.length ? two : one;
    // The reading server knows the other one is computing.
    expect((await reading.snapshot(h.db, consultation, ref, "population", p, options)).computing).toBe(true);
    a.release();
    b.release();
    // Both wait for the current version: one computes, the other reads its result from the table.
    const [r1, r2] = await Promise.all([
      computing.snapshot(h.db, consultation, ref, "population", p, { ...options, wait: "current" }),
      reading.snapshot(h.db, consultation, ref, "population", p, { ...options, wait: "current" }),
    ]);
    expect(a.jobs.length + b.jobs.length).toBe(1);
    expect(r1.intervals).toEqual(await expected("population", 22));
    expect(r2).toEqual(r1);
    // A third server starting now reads them on its first request, computing nothing.
    const c = heldRunner();
    const three = new IntervalCoordinator(c.run);
    const r3 = await three.snapshot(h.db, consultation, ref, "population", p, options);
    expect(r3.intervals).toEqual(r1.intervals);
    expect(r3.version).toBe(r1.version);
    await three.settle();
    expect(c.jobs).toHaveLength(0);
  });

  it("a claim left by a dead server holds until its lease has passed, then is taken over", async () => {
    const lease = 1_000;
    const p = await populations();
    const options = { resamples: 23, checkEveryMs: 0 };
    // The row as a server that died while computing leaves it: claimed, never released.
    await h.db
      .insertInto("rank_intervals")
      .values({
        consultation_id: consultation.id,
        territory: "region:28",
        weighting: "raw",
        resamples: 23,
        version: null,
        intervals: null,
        computed_at: null,
        claimed_by: "serveur-arrete",
        claimed_at: new Date().toISOString(),
      })
      .execute();
    const runner = heldRunner();
    runner.release();
    const server = new IntervalCoordinator(runner.run, "serveur-vivant", lease);
    const held = await server.snapshot(h.db, consultation, ref, "raw", p, options);
    await server.settle();
    expect(held.computing).toBe(true);
    expect(runner.jobs).toHaveLength(0);
    // Not renewed for longer than the lease: the claim is a dead server's.
    await h.db
      .updateTable("rank_intervals")
      .set({ claimed_at: new Date(Date.now() - 2 * lease).toISOString() })
      .where("claimed_by", "=", "serveur-arrete")
      .execute();
    const taken = await server.snapshot(h.db, consultation, ref, "raw", p, { ...options, wait: "current" });
    expect(runner.jobs).toHaveLength(1);
    expect(taken.intervals).toEqual(await expected("raw", 23));
    const row = await h.db
      .selectFrom("rank_intervals")
      .select(["claimed_by", "version"])
      .where("consultation_id", "=", consultation.id)
      .where("resamples", "=", 23)
      .executeTakeFirstOrThrow();
    expect(row).toEqual({ claimed_by: null, version: taken.version });
  });
});
