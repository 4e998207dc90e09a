import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  bootstrapIntervals,
  bootstrapRanks,
  mulberry32,
  seedFromString,
  tally,
  type Ballot,
  type Grade,
  type Method,
  type Weighting,
} from "../../app/tally";
import { PROPOSALS, ballotArb, populationsArb, rulesArb } from "./tally-oracle";

const approval = (arrondissement: string, ...selections: string[]): Ballot<"approval"> => ({
  arrondissement,
  content: { selections },
});

describe("seeded generator", () => {
  it("is mulberry32 as published (the usual JavaScript snippet, reproduced here as the reference)", () => {
    function reference(a: number) {
      return function () {
        let t = (a += 0x6d2b79f5);
        t = Math.imul(t ^ (t >>> 15), t | 1);
        t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
        return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
      };
    }
    for (const seed of [0, 1, 42, 0xdeadbeef]) {
      const ours = mulberry32(seed);
      const theirs = reference(seed);
      for (let i = 0; i < 1000; i++) expect(ours()).toBe(theirs());
    }
  });

  it("derives seeds from text with FNV-1a (standard test vectors)", () => {
    expect(seedFromString("")).toBe(0x811c9dc5);
    expect(seedFromString("a")).toBe(0xe40c292c);
    expect(seedFromString("foobar")).toBe(0xbf9cf968);
  });
});

describe("bootstrap rank intervals", () => {
  // 40 ballots: A in 30, B in 20, C in 19, D in 2. B and C are close, A and D are not.
  const ballots = Array.from({ length: 40 }, (_, i) =>
    approval(
      i % 2 ? "141" : "142",
      ...(i < 30 ? ["A"] : []),
      ...(i % 2 === 0 ? ["B"] : []),
      ...(i >= 21 ? ["C"] : []),
      ...(i < 2 ? ["D"] : []),
    ),
  );
  const rules = { method: "approval" as const, proposals: ["A", "B", "C", "D"] };

  it("is reproducible: same ballots, rules and seed → same intervals; another seed draws other resamples", () => {
    const a = bootstrapIntervals(ballots, rules, { seed: 7 });
    expect(bootstrapIntervals(ballots, rules, { seed: 7 })).toEqual(a);
    expect(a.resamples).toBe(200);
    expect(Array.from(bootstrapRanks(ballots, rules, { seed: 8 }).ranks)).not.toEqual(
      Array.from(bootstrapRanks(ballots, rules, { seed: 7 }).ranks),
    );
  });

  it("gives a clear winner and a clear last [1, 1] and [4, 4], and close proposals overlapping intervals", () => {
    const { intervals } = bootstrapIntervals(ballots, rules, { seed: 1 });
    expect(intervals.A).toEqual({ lo: 1, hi: 1, rankedIn: 200 });
    expect(intervals.D).toEqual({ lo: 4, hi: 4, rankedIn: 200 });
    expect(intervals.B!.lo).toBe(2);
    expect(intervals.C!.hi).toBe(3);
    expect(intervals.B!.hi).toBe(3);
    expect(intervals.C!.lo).toBe(2);
  });

  it("takes the nearest-rank 5th and 95th percentiles of each proposal's resampled ranks", () => {
    for (const resamples of [20, 200, 37]) {
      const { ranks } = bootstrapRanks(ballots, rules, { seed: 3, resamples });
      const { intervals } = bootstrapIntervals(ballots, rules, { seed: 3, resamples });
      rules.proposals.forEach((id, p) => {
        const mine = Array.from({ length: resamples }, (_, r) => ranks[r * 4 + p]!).sort((x, y) => x - y);
        // nearest rank: the ⌈0.05 R⌉-th and ⌈0.95 R⌉-th smallest (R = 200: the 10th and the 190th)
        expect(intervals[id]).toEqual({
          lo: mine[Math.ceil(0.05 * resamples) - 1],
          hi: mine[Math.ceil(0.95 * resamples) - 1],
          rankedIn: resamples,
        });
      });
    }
  });

  it("has nothing to vary when all ballots are identical: every interval is the tally's rank, shared ranks included", () => {
    const same = Array.from({ length: 25 }, (_, i) => approval(i % 3 ? "141" : "142", "B", "C"));
    const proposals = ["A", "B", "C", "D"];
    const ranks = Object.fromEntries(
      tally({ method: "approval", proposals, ballots: same }).ranking.map((r) => [r.proposal, r.rank]),
    );
    expect(ranks).toEqual({ B: 1, C: 1, A: 3, D: 3 });
    for (const weighting of ["raw", "population"] as const) {
      const { intervals } = bootstrapIntervals(
        same,
        { method: "approval", proposals, weighting, populations: { "141": 10, "142": 7 } },
        { seed: 11 },
      );
      for (const id of proposals) expect(intervals[id]).toEqual({ lo: ranks[id], hi: ranks[id], rankedIn: 200 });
    }
  });

  it("gives identical intervals to proposals every ballot treats alike (ties stay ties in every resample)", () => {
    const twins = ballots.map((b) =>
      b.content.selections.includes("B") ? approval(b.arrondissement, ...b.content.selections, "B2") : b,
    );
    const { intervals } = bootstrapIntervals(
      twins,
      { method: "approval", proposals: ["A", "B", "C", "D", "B2"] },
      { seed: 5 },
    );
    expect(intervals.B2).toEqual(intervals.B);
  });

  it("counts, for majority judgment, only the resamples where a proposal reached the quorum", () => {
    // Quorum 10. A: graded by all 30 ballots. B: by exactly 10 of them, so about half the resamples
    // give B fewer than 10 grades. C: never graded.
    const mj: Ballot<"majority_judgment">[] = Array.from({ length: 30 }, (_, i) => ({
      arrondissement: "141",
      content: {
        grades: i < 10 ? { A: "prioritaire", B: "tres_prioritaire" } : ({ A: "prioritaire" } as Record<string, Grade>),
      },
    }));
    const { intervals } = bootstrapIntervals(
      mj,
      { method: "majority_judgment", proposals: ["A", "B", "C"] },
      { seed: 2 },
    );
    expect(intervals.A!.rankedIn).toBe(200);
    expect(intervals.B!.rankedIn).toBeGreaterThan(50);
    expect(intervals.B!.rankedIn).toBeLessThan(150);
    expect(intervals.B).toMatchObject({ lo: 1, hi: 1 }); // when ranked, B (Très prioritaire) is first
    expect(intervals.C).toEqual({ lo: null, hi: null, rankedIn: 0 });
  });

  it("refuses missing populations before resampling, and a non-integer seed", () => {
    const weighted = {
      method: "approval" as const,
      proposals: ["A"],
      weighting: "population" as const,
      populations: { "141": 100 },
    };
    expect(() => bootstrapIntervals(ballots, weighted, { seed: 1 })).toThrow("142");
    expect(() => bootstrapIntervals(ballots, rules, { seed: 1.5 })).toThrow("graine");
  });

  const METHODS: Method[] = ["approval", "majority_judgment", "ranked"];
  const WEIGHTINGS: Weighting[] = ["raw", "population"];
  it.each(METHODS.flatMap((m) => WEIGHTINGS.map((w) => [m, w] as const)))(
    "%s, %s: each resample's ranks are the tally of the ballots it drew (the typed-array recount is the tally)",
    (method, weighting) => {
      fc.assert(
        fc.property(
          rulesArb.chain((params) =>
            fc.record({
              params: fc.constant(params),
              populations: populationsArb,
              ballots: fc.array(ballotArb(method, params.k), { minLength: 1, maxLength: 12 }),
            }),
          ),
          fc.integer({ min: 0, max: 2 ** 32 - 1 }),
          ({ params, populations, ballots }, seed) => {
            const rules = { method, proposals: PROPOSALS, params, weighting, populations };
            const resamples = 3;
            const { ranks } = bootstrapRanks(ballots, rules, { seed, resamples });
            // Redraw the same indices, one resample after another from the same stream, and tally them.
            const next = mulberry32(seed);
            for (let r = 0; r < resamples; r++) {
              const drawn = Array.from({ length: ballots.length }, () => ballots[Math.floor(next() * ballots.length)]!);
              const result = tally({ ...rules, ballots: drawn });
              PROPOSALS.forEach((id, p) => {
                const rank = result.ranking.find((row) => row.proposal === id)!.rank;
                expect(ranks[r * PROPOSALS.length + p], `${id} in resample ${r}`).toBe(rank ?? 0);
              });
            }
            const { intervals } = bootstrapIntervals(ballots, rules, { seed, resamples });
            for (const id of PROPOSALS) {
              const { lo, hi } = intervals[id]!;
              if (lo !== null && hi !== null) {
                expect(lo).toBeGreaterThanOrEqual(1);
                expect(hi).toBeGreaterThanOrEqual(lo);
                expect(hi).toBeLessThanOrEqual(PROPOSALS.length);
              }
            }
          },
        ),
        { numRuns: 60 },
      );
    },
  );
});
