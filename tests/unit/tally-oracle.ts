// A second, deliberately naive implementation of the rules of docs/domain.md#tally and #weighting,
// for the property tests: exact fractions ballot by ballot, the rules' sentences transcribed literally, and a rank computed as
// 1 + the number of proposals strictly better (no sorting, no aggregates, no floating point).
import fc from "fast-check";
import { GRADES, type Ballot, type Grade, type Method, type Weighting } from "../../app/tally";

type Fraction = { n: bigint; d: bigint };
const fraction = (n: bigint, d = 1n): Fraction => ({ n, d });
const add = (a: Fraction, b: Fraction): Fraction => ({ n: a.n * b.d + b.n * a.d, d: a.d * b.d });
const times = (a: Fraction, k: bigint): Fraction => ({ n: a.n * k, d: a.d });
const div = (a: Fraction, b: Fraction): Fraction => ({ n: a.n * b.d, d: a.d * b.n });
const cmp = (a: Fraction, b: Fraction) => {
  const x = a.n * b.d;
  const y = b.n * a.d;
  return x > y ? 1 : x < y ? -1 : 0;
};
const toNumber = (a: Fraction) => Number(a.n) / Number(a.d);
const ZERO = fraction(0n);

export type OracleRow = { rank: number | null; score?: number; grade?: Grade; p?: number; q?: number };

export function oracle(
  method: Method,
  proposals: readonly string[],
  ballots: readonly Ballot[],
  o: { weighting: Weighting; populations?: Record<string, number>; k: number; quorum: number },
): Map<string, OracleRow> {
  const perArr = new Map<string, number>();
  for (const b of ballots) perArr.set(b.arrondissement, (perArr.get(b.arrondissement) ?? 0) + 1);
  // "each ballot from arrondissement a counts population(a) / ballots(a)"
  const weightOf = (b: Ballot) =>
    o.weighting === "raw"
      ? fraction(1n)
      : fraction(BigInt(o.populations![b.arrondissement]!), BigInt(perArr.get(b.arrondissement)!));
  const total = ballots.reduce((s, b) => add(s, weightOf(b)), ZERO);
  const result = new Map<string, OracleRow>();
  if (ballots.length === 0) {
    for (const p of proposals) result.set(p, { rank: null });
    return result;
  }
  if (method !== "majority_judgment") {
    const score = new Map<string, Fraction>();
    for (const p of proposals) {
      let s = ZERO;
      for (const b of ballots) {
        if (method === "approval") {
          if ((b.content as { selections: string[] }).selections.includes(p)) s = add(s, weightOf(b));
        } else {
          const place = (b.content as { order: string[] }).order.indexOf(p);
          // "with K places, 1st gets K points … Kth gets 1"
          if (place >= 0) s = add(s, times(weightOf(b), BigInt(o.k - place)));
        }
      }
      score.set(p, div(s, total));
    }
    for (const p of proposals) {
      const better = proposals.filter((x) => cmp(score.get(x)!, score.get(p)!) > 0).length;
      result.set(p, { rank: 1 + better, score: toNumber(score.get(p)!) });
    }
    return result;
  }
  type Mj = { g: number; p: Fraction; q: Fraction };
  const stats = new Map<string, Mj>();
  for (const p of proposals) {
    const graded = ballots.filter((b) => (b.content as { grades: Record<string, Grade> }).grades[p] !== undefined);
    if (graded.length === 0 || graded.length < o.quorum) continue; // "fewer grades than the quorum"
    const mass = GRADES.map((g) =>
      graded
        .filter((b) => (b.content as { grades: Record<string, Grade> }).grades[p] === g)
        .reduce((s, b) => add(s, weightOf(b)), ZERO),
    );
    const t = mass.reduce(add, ZERO);
    // "the first grade, from best to worst, at which the cumulative weight exceeds half the total"
    let cum = ZERO;
    let g = 0;
    for (; g < GRADES.length; g++) {
      cum = add(cum, mass[g]!);
      if (cmp(times(cum, 2n), t) > 0) break;
    }
    const above = mass.slice(0, g).reduce(add, ZERO);
    const below = mass.slice(g + 1).reduce(add, ZERO);
    stats.set(p, { g, p: div(above, t), q: div(below, t) });
  }
  const better = (x: Mj, y: Mj) => {
    if (x.g !== y.g) return x.g < y.g;
    const px = cmp(x.p, x.q) > 0;
    const py = cmp(y.p, y.q) > 0;
    if (px && !py) return true; // "p > q ranks above p ≤ q"
    if (!px && py) return false;
    if (px) return cmp(x.p, y.p) > 0; // "between two with p > q the larger p ranks higher"
    return cmp(x.q, y.q) < 0; // "between two with p ≤ q the smaller q ranks higher"
  };
  for (const p of proposals) {
    const s = stats.get(p);
    if (!s) {
      result.set(p, { rank: null });
      continue;
    }
    const above = [...stats.values()].filter((x) => better(x, s)).length;
    result.set(p, { rank: 1 + above, grade: GRADES[s.g]!, p: toNumber(s.p), q: toNumber(s.q) });
  }
  return result;
}

// ---- generators shared by the property tests ----

export const PROPOSALS = ["p0", "p1", "p2", "p3", "p4"];
export const ARRONDISSEMENTS = ["141", "142", "143", "2A1"];

/** Ballots may name an id outside the ranked list ("zz"): the tally must ignore it. */
const ids = [...PROPOSALS, "zz"];

export function ballotArb(method: Method, k: number): fc.Arbitrary<Ballot> {
  const arrondissement = fc.constantFrom(...ARRONDISSEMENTS);
  if (method === "majority_judgment") {
    return fc.record({
      arrondissement,
      content: fc
        .array(fc.tuple(fc.constantFrom(...ids), fc.constantFrom(...GRADES)), { maxLength: ids.length })
        .map((pairs) => ({ grades: Object.fromEntries(pairs) as Record<string, Grade> })),
    });
  }
  const list = fc.shuffledSubarray(ids, { maxLength: k });
  return method === "approval"
    ? fc.record({ arrondissement, content: list.map((selections) => ({ selections })) })
    : fc.record({ arrondissement, content: list.map((order) => ({ order })) });
}

/** Small populations make exact ties between different weights likely; large ones test magnitudes. */
export const populationsArb: fc.Arbitrary<Record<string, number>> = fc
  .tuple(...ARRONDISSEMENTS.map(() => fc.oneof(fc.integer({ min: 1, max: 6 }), fc.integer({ min: 1, max: 2_500_000 }))))
  .map((pops) => Object.fromEntries(ARRONDISSEMENTS.map((a, i) => [a, pops[i]!])));

export const rulesArb = fc.record({ k: fc.integer({ min: 1, max: 4 }), quorum: fc.integer({ min: 0, max: 4 }) });
