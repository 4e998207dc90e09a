import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DatabaseHandle } from "../../db/connect";
import { generateDemoBallots } from "../../app/ballots/demo-ballots.server";
import { clearIntervals, computeIntervals, rankIntervalsSnapshot } from "../../app/ballots/intervals.server";
import { tallyVersion } from "../../app/ballots/results.server";
import { territoryParticipation } from "../../app/ballots/results.server";
import { seedFromString } from "../../app/tally";
import { testDatabases } from "../support/databases";

// Rank intervals are computed off the request path and kept per tally version: a page gets the
// last ones at once, with their version, while newer ones are computed; the values are those a
// direct computation gives for that version.

const SLUG = "normandie-cnr-sante-2022";

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
    clearIntervals();
  });
  afterAll(async () => h?.close());

  const populations = async () =>
    Object.fromEntries(
      (await territoryParticipation(h.db, consultation.id, ref)).map((p) => [
        p.arrondissement,
        Math.max(1, p.population),
      ]),
    );

  it("first call waits for the first intervals; later ones answer at once with the last computed, then catch up", async () => {
    await generateDemoBallots(h.db, { consultationSlug: SLUG, count: 200, seed: 1 });
    const v1 = await tallyVersion(h.db, consultation.id);
    expect(v1).toBeGreaterThan(0);
    const first = await rankIntervalsSnapshot(h.db, consultation, ref, "raw", await populations(), {
      resamples: 20,
      wait: "first",
      checkEveryMs: 0,
    });
    expect(first.version).toBe(v1);
    expect(first.computing).toBe(false);
    expect(first.computedAt).not.toBeNull();
    const expected = await computeIntervals(h.db, {
      consultation,
      ref,
      weighting: "raw",
      populations: await populations(),
      resamples: 20,
      seed: seedFromString(`${consultation.id}|region:28|raw|20`),
    });
    expect(first.intervals).toEqual(expected);

    await generateDemoBallots(h.db, { consultationSlug: SLUG, count: 50, seed: 2 });
    const stale = await rankIntervalsSnapshot(h.db, consultation, ref, "raw", await populations(), {
      resamples: 20,
      checkEveryMs: 0,
    });
    // Served without waiting: the previous version's intervals, and a computation under way.
    expect(stale.version).toBe(v1);
    expect(stale.intervals).toEqual(first.intervals);
    expect(stale.computing).toBe(true);

    const current = await rankIntervalsSnapshot(h.db, consultation, ref, "raw", await populations(), {
      resamples: 20,
      wait: "current",
    });
    expect(current.version).toBe(await tallyVersion(h.db, consultation.id));
    expect(current.version).toBeGreaterThan(v1);
    expect(current.computing).toBe(false);
    // Nothing changed since: the same object comes back, nothing is recomputed.
    const again = await rankIntervalsSnapshot(h.db, consultation, ref, "raw", await populations(), {
      resamples: 20,
      wait: "current",
    });
    expect(again.computedAt).toBe(current.computedAt);
  });
});
