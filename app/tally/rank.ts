// The ranking rules of docs/domain.md#tally, on dense counts. Ranks are competition ranks: a
// proposal's rank is 1 + the number of proposals strictly better, so exact ties share a rank
// (1, 2, 2, 4). Nothing here ever looks at an id, a date or an input order to order two proposals.
import type { Dense, Rules } from "./aggregate";
import { bigSign, cellSums, compareFiltered, productTolerance, type CellSums, type Weights } from "./exact";
import { GRADES, type RowStatus } from "./types";

/** Per proposal (ranked ones only): majority grade index (0 = best), p > q, and the weighted sums around it. */
export type MajorityStats = { grade: number; plus: boolean; above: number; below: number; total: number };

export type Core = {
  sums: CellSums;
  /** Per proposal: 1-based rank, 0 when unranked. */
  ranks: Int32Array;
  status: RowStatus[];
  /** Ranked proposals, best first; within a tie, in no meaningful order (the caller sorts them for display). */
  order: number[];
  /** Majority judgment only, per proposal (undefined when unranked). */
  majority: (MajorityStats | undefined)[];
};

/** Borda points per cell: with K places, 1st gets K points … Kth gets 1. */
export const bordaPoints = (k: number, place: number): number => k - place;

/**
 * Sorts the candidates with `better` (negative when x ranks above y; a total preorder) and gives
 * competition ranks: equal under `better` → same rank.
 */
function assignRanks(candidates: number[], better: (x: number, y: number) => number, ranks: Int32Array): number[] {
  const order = candidates.slice().sort(better);
  for (let i = 0; i < order.length; i++) {
    const p = order[i]!;
    const prev = i > 0 ? order[i - 1]! : -1;
    ranks[p] = i > 0 && better(prev, p) === 0 ? ranks[prev]! : i + 1;
  }
  return order;
}

/** Sum of cells [from, to) of proposal p, float and exact. */
const floatSum = (s: CellSums, p: number, from: number, to: number): number => {
  let t = 0;
  for (let c = from; c < to; c++) t += s.weighted[p * s.cells + c]!;
  return t;
};
const exactSum = (s: CellSums, p: number, from: number, to: number): bigint => {
  const row = s.exact(p);
  let t = 0n;
  for (let c = from; c < to; c++) t += row[c]!;
  return t;
};

/** Approval weight, or Borda points, of proposal p (float). */
function linearScore(dense: Dense, s: CellSums, p: number): number {
  if (dense.method === "approval") return s.weighted[p]!;
  let t = 0;
  for (let c = 0; c < s.cells; c++) t += bordaPoints(s.cells, c) * s.weighted[p * s.cells + c]!;
  return t;
}
function linearScoreExact(dense: Dense, s: CellSums, p: number): bigint {
  const row = s.exact(p);
  if (dense.method === "approval") return row[0]!;
  let t = 0n;
  for (let c = 0; c < s.cells; c++) t += BigInt(bordaPoints(s.cells, c)) * row[c]!;
  return t;
}

function majorityStats(s: CellSums, p: number): MajorityStats {
  const total = floatSum(s, p, 0, GRADES.length);
  // The first grade, from best to worst, whose cumulative weight exceeds half the total
  // (2 × cum > total). Unweighted, this is the grade at position ⌊n/2⌋ from 0 among the n grades
  // sorted best → worst, the lower median: cum > n/2 ⟺ cum ≥ ⌊n/2⌋ + 1.
  let grade = GRADES.length - 1;
  let cum = 0;
  for (let c = 0; c < GRADES.length; c++) {
    cum += s.weighted[p * GRADES.length + c]!;
    const exceeds = compareFiltered(2 * cum, total, s.tolerance, () =>
      bigSign(2n * exactSum(s, p, 0, c + 1), exactSum(s, p, 0, GRADES.length)),
    );
    if (exceeds > 0) {
      grade = c;
      break;
    }
  }
  const above = floatSum(s, p, 0, grade);
  const below = floatSum(s, p, grade + 1, GRADES.length);
  // p > q compares shares of the same total: compare the sums.
  const plus =
    compareFiltered(above, below, s.tolerance, () =>
      bigSign(exactSum(s, p, 0, grade), exactSum(s, p, grade + 1, GRADES.length)),
    ) > 0;
  return { grade, plus, above, below, total };
}

/**
 * The majority gauge (docs/domain.md#tally): better grade first; at the same grade p > q ranks above p ≤ q; between two with
 * p > q the larger p; between two with p ≤ q the smaller q. Shares of different totals are compared
 * by cross-multiplication (a/b > c/d ⟺ a·d > c·b, b and d > 0), never by dividing.
 */
function compareMajority(s: CellSums, stats: (MajorityStats | undefined)[], x: number, y: number): number {
  const sx = stats[x]!;
  const sy = stats[y]!;
  if (sx.grade !== sy.grade) return sx.grade - sy.grade;
  if (sx.plus !== sy.plus) return sx.plus ? -1 : 1;
  const g = sx.grade;
  // plus: p_x vs p_y (above / total); minus: q_x vs q_y (below / total).
  const nx = sx.plus ? sx.above : sx.below;
  const ny = sx.plus ? sy.above : sy.below;
  const lhs = nx * sy.total;
  const rhs = ny * sx.total;
  const sign = compareFiltered(lhs, rhs, productTolerance(s, lhs, rhs), () => {
    const [from, to] = sx.plus ? [0, g] : [g + 1, GRADES.length];
    const ex = exactSum(s, x, from, to) * exactSum(s, y, 0, GRADES.length);
    const ey = exactSum(s, y, from, to) * exactSum(s, x, 0, GRADES.length);
    return bigSign(ex, ey);
  });
  // Larger p ranks higher; smaller q ranks higher.
  return sx.plus ? -sign : sign;
}

/** Ranks the proposals of `dense` under `weights`. */
export function rankDense(dense: Dense, weights: Weights, rules: Rules): Core {
  const P = dense.proposals.length;
  const sums = cellSums(dense, weights);
  const ranks = new Int32Array(P);
  const majority: (MajorityStats | undefined)[] = new Array<MajorityStats | undefined>(P).fill(undefined);
  if (weights.total === 0) {
    // No ballot (or no weight): nothing to rank with, and no 0/0.
    return { sums, ranks, status: new Array<RowStatus>(P).fill("no_ballots"), order: [], majority };
  }
  const status = new Array<RowStatus>(P).fill("ranked");
  let order: number[];
  const all = Array.from({ length: P }, (_, p) => p);
  if (dense.method === "majority_judgment") {
    const candidates: number[] = [];
    for (let p = 0; p < P; p++) {
      let grades = 0;
      for (let c = 0; c < GRADES.length; c++) grades += sums.counts[p * GRADES.length + c]!;
      // The quorum counts grades, never weight; a proposal nobody graded has no majority grade.
      if (grades < rules.quorum || grades === 0) {
        status[p] = "not_enough_grades";
        continue;
      }
      majority[p] = majorityStats(sums, p);
      candidates.push(p);
    }
    order = assignRanks(candidates, (x, y) => compareMajority(sums, majority, x, y), ranks);
  } else {
    // Approval share and Borda points per ballot share one denominator (the total weight):
    // comparing numerators is comparing scores.
    const score = Float64Array.from(all, (p) => linearScore(dense, sums, p));
    order = assignRanks(
      all,
      (x, y) =>
        compareFiltered(
          score[y]!,
          score[x]!,
          sums.tolerance === 0 ? 0 : sums.tolerance * (dense.method === "approval" ? 1 : 2),
          () => bigSign(linearScoreExact(dense, sums, y), linearScoreExact(dense, sums, x)),
        ),
      ranks,
    );
  }
  return { sums, ranks, status, order, majority };
}
