import { describe, expect, it } from "vitest";
import { planGroups, spearman, topAgreement } from "../../app/tally";

describe("planGroups: which parts of a territory's ballots may show a ranking", () => {
  it("withholds a part under the threshold, and the smallest other one with it when it would be had by subtraction", () => {
    const plan = planGroups([
      { key: "email", ballots: 120 },
      { key: "identity", ballots: 40 },
      { key: "residence", ballots: 3 },
      { key: "in_person", ballots: 0 },
      { key: "paper", ballots: 25 },
    ]);
    expect(plan.get("residence")).toBe("small");
    expect(plan.get("paper")).toBe("secondary");
    expect(plan.get("identity")).toBeNull();
    expect(plan.get("email")).toBeNull();
    expect(plan.get("in_person")).toBeNull();
  });

  it("two withheld parts holding the threshold together need no third", () => {
    const plan = planGroups([
      { key: "a", ballots: 100 },
      { key: "b", ballots: 6 },
      { key: "c", ballots: 5 },
      { key: "d", ballots: 30 },
    ]);
    expect([...plan.entries()].filter(([, s]) => s)).toEqual([
      ["b", "small"],
      ["c", "small"],
    ]);
  });

  it("two withheld parts holding fewer than the threshold together take a published one with them", () => {
    const plan = planGroups([
      { key: "a", ballots: 100 },
      { key: "b", ballots: 2 },
      { key: "c", ballots: 3 },
      { key: "d", ballots: 30 },
    ]);
    expect(plan.get("d")).toBe("secondary");
    expect(plan.get("a")).toBeNull();
  });
});

describe("spearman", () => {
  it("is 1 for the same order, -1 for the reverse, and shares tied places", () => {
    expect(spearman([1, 2, 3, 4], [10, 20, 30, 40])).toBeCloseTo(1);
    expect(spearman([1, 2, 3, 4], [4, 3, 2, 1])).toBeCloseTo(-1);
    // x ranks 1..4; y ranks 1.5, 1.5, 3, 4: r = 0.9487 (by hand: Σdxdy = 4.5, Σdx² = 5, Σdy² = 4.5).
    expect(spearman([1, 2, 3, 4], [1, 1, 3, 4])!).toBeCloseTo(4.5 / Math.sqrt(5 * 4.5), 10);
    expect(spearman([1, 1, 1], [1, 2, 3])).toBeNull();
  });
});

describe("topAgreement", () => {
  const proposals = Array.from({ length: 12 }, (_, i) => `p${i + 1}`);
  const whole = proposals.map((proposal, i) => ({ proposal, rank: i + 1 }));

  it("counts the whole's first ten kept within the subset's first ten, unranked ones counted last", () => {
    // The subset swaps p1 and p2 and drops p10 to 12th.
    const subset = new Map<string, number | null>(proposals.map((p, i) => [p, i + 1]));
    subset.set("p1", 2);
    subset.set("p2", 1);
    subset.set("p10", 12);
    subset.set("p12", 10);
    const a = topAgreement({ whole, subset, proposals });
    expect(a.top).toEqual(proposals.slice(0, 10));
    expect(a.kept).toBe(9);
    expect(a.correlation!).toBeGreaterThan(0.9);
    expect(a.interval).toBeNull();
    const unranked = topAgreement({ whole, subset: new Map([["p1", 1]]), proposals });
    expect(unranked.kept).toBe(1);
    expect(unranked.correlation).toBeCloseTo(
      spearman([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], [1, 13, 13, 13, 13, 13, 13, 13, 13, 13])!,
    );
  });

  it("gives the 5th–95th percentile of the correlation over the resamples", () => {
    const P = proposals.length;
    const ranks = new Int32Array(20 * P);
    // Resample r ranks the proposals in order, except that it reverses the first r/2 places.
    for (let r = 0; r < 20; r++) {
      const order = proposals.map((_, i) => i + 1);
      const flip = Math.floor(r / 2);
      for (let i = 0; i < flip; i++) order[i] = flip - i;
      ranks.set(order, r * P);
    }
    const a = topAgreement({
      whole,
      subset: new Map(proposals.map((p, i) => [p, i + 1])),
      proposals,
      resamples: { count: 20, ranks },
    });
    expect(a.correlation).toBeCloseTo(1);
    expect(a.interval![1]).toBeCloseTo(1);
    expect(a.interval![0]).toBeLessThan(0);
  });
});
