import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  inNode,
  planDisclosure,
  publishedTally,
  type ApprovalRow,
  type DisclosureOptions,
  type PlaceCounts,
  type TerritoryNode,
} from "../../app/tally";

// The subtraction attack (issue 15, finding 2) on random consultations: an attacker reads every
// published ranking — region, CTS territories, arrondissements, arrondissements within a CTS,
// raw and weighted — knows every population and even every place's number of ballots, and
// combines the published figures linearly. A withheld territory is recovered when its count is a
// linear combination of published ones. Exact arithmetic modulo a large prime.

const P = (1n << 61n) - 1n;
const mod = (a: bigint) => ((a % P) + P) % P;
function inverse(a: bigint): bigint {
  let [r0, r1, s0, s1] = [mod(a), P, 1n, 0n];
  while (r1 !== 0n) {
    const q = r0 / r1;
    [r0, r1] = [r1, r0 - q * r1];
    [s0, s1] = [s1, s0 - q * s1];
  }
  return mod(s0);
}

/** Row echelon basis of the attacker's equations over the places (unknowns). */
class Span {
  private rows = new Map<number, bigint[]>();
  constructor(private size: number) {}
  private reduce(v: bigint[]): bigint[] {
    const r = v.map(mod);
    for (let i = 0; i < this.size; i++) {
      if (r[i] === 0n) continue;
      const pivot = this.rows.get(i);
      if (!pivot) continue;
      const f = r[i]!;
      for (let j = i; j < this.size; j++) r[j] = mod(r[j]! - f * pivot[j]!);
    }
    return r;
  }
  add(v: bigint[]) {
    const r = this.reduce(v);
    const i = r.findIndex((x) => x !== 0n);
    if (i < 0) return;
    const inv = inverse(r[i]!);
    this.rows.set(
      i,
      r.map((x) => mod(x * inv)),
    );
  }
  contains(v: bigint[]): boolean {
    return this.reduce(v).every((x) => x === 0n);
  }
}

const PROPOSALS = ["p1", "p2", "p3"];

/** A consultation: CTS territories, each with arrondissements (shared codes make split arrondissements). */
const consultationArb = fc
  .array(
    fc.uniqueArray(
      fc.record({
        code: fc.integer({ min: 0, max: 9 }).map((i) => `A${i}`),
        ballots: fc.oneof(fc.integer({ min: 1, max: 9 }), fc.integer({ min: 10, max: 40 }), fc.constant(0)),
      }),
      { minLength: 1, maxLength: 4, selector: (a) => a.code },
    ),
    { minLength: 1, maxLength: 4 },
  )
  .chain((territories) => {
    const places = territories.flatMap((list, i) =>
      list.map((a) => ({ cts: `C${i}`, arrondissement: a.code, ballots: a.ballots })),
    );
    return fc.record({
      places: fc.constant(places),
      // Ballots choosing each proposal, per place.
      selections: fc.tuple(
        ...places.map((p) => fc.array(fc.integer({ min: 0, max: p.ballots }), { minLength: 3, maxLength: 3 })),
      ),
      populations: fc.array(fc.integer({ min: 1_000, max: 500_000 }), { minLength: 10, maxLength: 10 }),
    });
  });

type Consultation = {
  places: { cts: string; arrondissement: string; ballots: number }[];
  selections: number[][];
  populations: number[];
};

/** What the attacker recovers: the withheld territories whose figures follow from published ones. */
function attack(c: Consultation, options: DisclosureOptions) {
  const plan = planDisclosure(c.places, options);
  const populations = Object.fromEntries(c.populations.map((p, i) => [`A${i}`, p]));
  const counts: PlaceCounts = {
    method: "approval",
    proposals: PROPOSALS,
    places: c.places,
    rows: c.places.flatMap((p, i) =>
      PROPOSALS.map((proposal, j) => ({ ...p, proposal, cell: 0, count: c.selections[i]![j]! })).filter(
        (r) => r.count > 0,
      ),
    ),
    populations,
  };
  const places = c.places.filter((p) => p.ballots > 0);
  const nodes: TerritoryNode[] = [
    { kind: "region" },
    ...[...new Set(places.map((p) => p.cts))].map((code) => ({ kind: "cts" as const, code })),
    ...[...new Set(places.map((p) => p.arrondissement))].map((code) => ({ kind: "arrondissement" as const, code })),
    ...places.map((p) => ({ kind: "part" as const, cts: p.cts, arrondissement: p.arrondissement })),
  ];
  const span = new Span(places.length);
  const indicator = (node: TerritoryNode) => places.map((p) => (inNode(node, p) ? 1n : 0n));
  for (const node of nodes) {
    for (const weighting of ["raw", "population"] as const) {
      const result = publishedTally(plan, node, counts, weighting);
      if (!result) continue;
      if (weighting === "raw") {
        span.add(indicator(node));
        continue;
      }
      // Weighted: Σ over units of population / ballots of the unit × its selections.
      const units = new Map<string, { n: number; codes: Set<string> }>();
      for (const p of places.filter((q) => inNode(node, q))) {
        const u = units.get(plan.unit(node, p)) ?? { n: 0, codes: new Set<string>() };
        u.n += p.ballots;
        u.codes.add(p.arrondissement);
        units.set(plan.unit(node, p), u);
      }
      const popOf = (u: { codes: Set<string> }) => [...u.codes].reduce((s, code) => s + populations[code]!, 0);
      const coefficient = (p: (typeof places)[number]) => {
        const u = units.get(plan.unit(node, p))!;
        return { exact: BigInt(popOf(u)) * inverse(BigInt(u.n)), float: popOf(u) / u.n };
      };
      // The attacker's model is the published figure: check it on every proposal.
      for (const [j, proposal] of PROPOSALS.entries()) {
        const row = result.ranking.find((r) => r.proposal === proposal) as ApprovalRow;
        const modelled = places.reduce(
          (s, p) => s + (inNode(node, p) ? coefficient(p).float * c.selections[c.places.indexOf(p)]![j]! : 0),
          0,
        );
        expect(row.weight).toBeCloseTo(modelled, 6);
      }
      span.add(places.map((p) => (inNode(node, p) ? coefficient(p).exact : 0n)));
    }
  }
  // The hierarchy's cells (CTS territories, places) withheld for any reason, and any territory
  // withheld as small. (An arrondissement as a whole, withheld only to protect one of its places,
  // holds at least `threshold` ballots: its places are what must stay hidden.)
  const protectedNodes = nodes.filter((node) => {
    const why = plan.suppression(node);
    return why === "small" || (why === "secondary" && (node.kind === "cts" || node.kind === "part"));
  });
  const recovered = protectedNodes.filter((node) => span.contains(indicator(node)));
  // Groups under the threshold: any set of up to three places, fewer than `threshold` ballots in
  // all, not published as such, whose sum follows from published figures.
  const withheld = places.map((_, i) => i).filter((i) => !plan.published({ kind: "part", ...places[i]! }));
  const smallGroups: number[][] = [];
  for (const a of withheld)
    for (const b of [a, ...withheld.filter((x) => x > a)])
      for (const d of [b, ...withheld.filter((x) => x > b)]) {
        const set = [...new Set([a, b, d])];
        if (set.reduce((s, i) => s + places[i]!.ballots, 0) >= plan.threshold) continue;
        if (span.contains(places.map((_, i) => (set.includes(i) ? 1n : 0n)))) smallGroups.push(set);
      }
  return { recovered, smallGroups };
}

describe("secondary suppression against the subtraction attack", () => {
  it("no withheld territory, and no group under the threshold, follows from published figures", () => {
    fc.assert(
      fc.property(consultationArb, (c) => {
        const { recovered, smallGroups } = attack(c, {});
        expect(recovered).toEqual([]);
        expect(smallGroups).toEqual([]);
      }),
      { numRuns: 400 },
    );
  });

  it("without secondary suppression, the same attack recovers withheld territories", () => {
    const result = fc.check(
      fc.property(consultationArb, (c) => attack(c, { secondary: false }).recovered.length === 0),
      { numRuns: 400 },
    );
    expect(result.failed).toBe(true);
  });

  it("the issue's case: a 7-ballot arrondissement next to published ones, raw and weighted", () => {
    const c: Consultation = {
      places: [
        { cts: "C0", arrondissement: "A0", ballots: 7 },
        { cts: "C0", arrondissement: "A1", ballots: 30 },
        { cts: "C0", arrondissement: "A2", ballots: 12 },
        { cts: "C1", arrondissement: "A3", ballots: 25 },
      ],
      selections: [
        [7, 0, 3],
        [10, 20, 5],
        [6, 6, 6],
        [1, 2, 3],
      ],
      populations: [80_000, 150_000, 90_000, 200_000, 1, 1, 1, 1, 1, 1],
    };
    expect(attack(c, { secondary: false }).recovered).toContainEqual({ kind: "part", cts: "C0", arrondissement: "A0" });
    expect(attack(c, {})).toEqual({ recovered: [], smallGroups: [] });
    const plan = planDisclosure(c.places);
    expect(plan.suppression({ kind: "part", cts: "C0", arrondissement: "A0" })).toBe("small");
    // Its smallest sibling goes with it; the CTS territory and the largest one stay.
    expect(plan.suppression({ kind: "part", cts: "C0", arrondissement: "A2" })).toBe("secondary");
    expect(plan.published({ kind: "part", cts: "C0", arrondissement: "A1" })).toBe(true);
    expect(plan.published({ kind: "cts", code: "C0" })).toBe(true);
    expect(plan.suppression({ kind: "arrondissement", code: "A0" })).toBe("small");
  });

  it("withholds a second part when the first two withheld ones hold fewer than the threshold together", () => {
    const plan = planDisclosure([
      { cts: "C0", arrondissement: "A0", ballots: 1 },
      { cts: "C0", arrondissement: "A1", ballots: 2 },
      { cts: "C0", arrondissement: "A2", ballots: 15 },
      { cts: "C0", arrondissement: "A3", ballots: 40 },
    ]);
    expect(plan.suppression({ kind: "part", cts: "C0", arrondissement: "A2" })).toBe("secondary");
    expect(plan.published({ kind: "part", cts: "C0", arrondissement: "A3" })).toBe(true);
  });
});
