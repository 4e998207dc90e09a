import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DatabaseHandle } from "../../db/connect";
import { generateDemoBallots } from "../../app/ballots/demo-ballots.server";
import { LIVE_STEP, refreshLiveSnapshot } from "../../app/ballots/live-snapshot.server";
import { testDatabases } from "../support/databases";

// Renewals of the live copy that overlap (several page views, or several servers, at once): each
// either copies or leaves the copy to the other, never fails. On PostgreSQL the calls run on
// separate pooled connections, as on two servers; on SQLite they take turns.

describe.each(testDatabases)("the live copy renewed by several readers at once on $name", ({ openLoaded }) => {
  let h: DatabaseHandle;
  let consultationId: string;
  beforeAll(async () => {
    h = await openLoaded();
    consultationId = (
      await h.db
        .selectFrom("consultations")
        .select("id")
        .where("slug", "=", "normandie-cnr-sante-2022")
        .executeTakeFirstOrThrow()
    ).id;
  });
  afterAll(async () => h?.close());

  const totals = async (table: "ballot_totals" | "live_totals") =>
    new Map(
      (
        await h.db
          .selectFrom(table as "live_totals")
          .select(["arrondissement_code", "cts_code", "channel", "ballots"])
          .where("consultation_id", "=", consultationId)
          .execute()
      ).map((r) => [`${r.arrondissement_code}|${r.cts_code}|${r.channel}`, Number(r.ballots)]),
    );

  it("first copies and later ones, four at a time: no failure, and the copy equals the kept totals where it moved", async () => {
    for (const [count, seed] of [
      [2000, 1],
      [600, 2],
    ] as const) {
      await generateDemoBallots(h.db, { consultationSlug: "normandie-cnr-sante-2022", count, seed });
      const moved = await Promise.all([1, 2, 3, 4].map(() => refreshLiveSnapshot(h.db, consultationId)));
      expect(moved.some((n) => n > 0)).toBe(true);
      // Nothing is left due: whichever call copied a place, it copied it whole.
      expect(await refreshLiveSnapshot(h.db, consultationId)).toBe(0);
      const kept = await totals("ballot_totals");
      const live = await totals("live_totals");
      expect(live.size).toBeGreaterThan(0);
      for (const [key, ballots] of live) {
        const now = kept.get(key)!;
        // A copied place is exact as of its copy, and within one step of the kept totals.
        expect(ballots).toBeLessThanOrEqual(now);
        expect(now - ballots).toBeLessThan(LIVE_STEP);
      }
    }
  });
});
