// Exact comparisons at floating-point speed.
//
// Every quantity the ranking compares is a sum over arrondissements of weight × count: raw, each
// weight is 1 and the sums are integers, exact in floating point (far below 2^53). Weighted, a
// ballot from arrondissement a weighs population(a) / ballots(a), a rational: two proposals can
// have exactly equal weighted scores whose floating-point sums differ in the last bit (1/3 + 1/3 +
// 1/3 ≠ 1), and a comparison of floats would then break a tie that must be shared (docs/domain.md#tally).
//
// So comparisons are filtered: each float sum is within a known relative error of the true value
// (bounded below); when two values are farther apart than that, the float comparison is the exact
// one; otherwise (near-ties and true ties, rare except in small groups) the values are recomputed
// exactly with BigInt, scaled by L = lcm of the ballot counts, which makes every weight an integer:
// weight(a) × L = population(a) × (L / ballots(a)).
//
// Error bound: a weighted cell sum adds A terms fl(fl(pop/n) × count), each with relative error
// ≤ 2u (u = 2^-53), with A − 1 additions of nonnegative terms: relative error ≤ (A + 1)u. Sums of
// up to C cells add ≤ C·u, products of two such sums double it and add u. `tolerance` is 4 times
// the largest of these; if |x̃ − ỹ| > tol · (x̃ + ỹ), then sign(x − y) = sign(x̃ − ỹ) for nonnegative
// x, y whose approximations x̃, ỹ are within relative error tol (tested against an exact-fraction
// oracle in tests/unit/tally-properties.test.ts, "weighted near-ties").
import { TallyInputError, type Weighting } from "./types";
import type { Dense } from "./aggregate";

export type Weights = {
  /** Multiplier per arrondissement (0 for an arrondissement without ballots). */
  float: Float64Array;
  /** Σ weights: ballots when raw, Σ populations of the arrondissements with ballots when weighted. */
  total: number;
  /** Every multiplier is 1: float sums of counts are exact integers. */
  unit: boolean;
  /** Integer multipliers M(a) = weight(a) × L, L > 0 the same for all arrondissements. */
  scaled: () => readonly bigint[];
};

function gcd(a: bigint, b: bigint): bigint {
  while (b !== 0n) [a, b] = [b, a % b];
  return a;
}

export function weightsFor(
  dense: Dense,
  weighting: Weighting,
  populations: Readonly<Record<string, number>> | undefined,
): Weights {
  const A = dense.arrondissements.length;
  if (weighting === "raw") {
    let total = 0;
    for (let a = 0; a < A; a++) total += dense.ballots[a]!;
    return { float: new Float64Array(A).fill(1), total, unit: true, scaled: () => new Array<bigint>(A).fill(1n) };
  }
  if (weighting !== "population") throw new TallyInputError(`Pondération inconnue : « ${String(weighting)} ».`);
  const float = new Float64Array(A);
  const pops: number[] = new Array<number>(A).fill(0);
  let total = 0;
  const missing: string[] = [];
  for (let a = 0; a < A; a++) {
    const n = dense.ballots[a]!;
    if (n === 0) continue; // an arrondissement without ballots weighs nothing
    const code = dense.arrondissements[a]!;
    const pop = populations?.[code];
    if (typeof pop !== "number" || !Number.isSafeInteger(pop) || pop <= 0) {
      missing.push(code);
      continue;
    }
    pops[a] = pop;
    float[a] = pop / n;
    total += pop;
  }
  if (missing.length > 0) {
    throw new TallyInputError(
      `Population manquante ou invalide pour les arrondissements ayant des bulletins : ${missing.join(", ")}.`,
    );
  }
  let cache: bigint[] | undefined;
  const scaled = () => {
    if (cache) return cache;
    let L = 1n;
    for (let a = 0; a < A; a++) {
      const n = BigInt(dense.ballots[a]!);
      if (n > 0n) L = (L / gcd(L, n)) * n;
    }
    cache = pops.map((pop, a) => (pop === 0 ? 0n : (BigInt(pop) * L) / BigInt(dense.ballots[a]!)));
    return cache;
  };
  return { float, total, unit: false, scaled };
}

/** Per proposal and cell: Σ over arrondissements of weight × count, as floats, and exactly on demand. */
export type CellSums = {
  cells: number;
  /** `weighted[p * cells + c]` */
  weighted: Float64Array;
  /** Plain counts summed over arrondissements (the quorum and the displayed counts use these). */
  counts: Float64Array;
  /** Relative error bound of `weighted` and of sums of its cells; 0 when exact. */
  tolerance: number;
  /** The proposal's cells × L, exactly. */
  exact: (p: number) => readonly bigint[];
};

export function cellSums(dense: Dense, weights: Weights): CellSums {
  const { cells, counts } = dense;
  const P = dense.proposals.length;
  const A = dense.arrondissements.length;
  const stride = P * cells;
  const weighted = new Float64Array(stride);
  const plain = weights.unit ? weighted : new Float64Array(stride);
  for (let a = 0; a < A; a++) {
    if (dense.ballots[a] === 0) continue;
    const m = weights.float[a]!;
    const base = a * stride;
    if (weights.unit) {
      for (let i = 0; i < stride; i++) weighted[i]! += counts[base + i]!;
    } else {
      for (let i = 0; i < stride; i++) {
        const v = counts[base + i]!;
        if (v !== 0) {
          weighted[i]! += m * v;
          plain[i]! += v;
        }
      }
    }
  }
  const cache = new Map<number, bigint[]>();
  const exact = (p: number) => {
    let row = cache.get(p);
    if (row) return row;
    const M = weights.scaled();
    row = new Array<bigint>(cells).fill(0n);
    for (let a = 0; a < A; a++) {
      const base = (a * P + p) * cells;
      for (let c = 0; c < cells; c++) {
        const v = counts[base + c]!;
        if (v !== 0) row[c]! += M[a]! * BigInt(v);
      }
    }
    cache.set(p, row);
    return row;
  };
  const tolerance = weights.unit ? 0 : 4 * (2 * (A + cells) + 8) * Number.EPSILON;
  return { cells, weighted, counts: plain, tolerance, exact };
}

/**
 * sign(x − y) for nonnegative x, y approximated by `fx`, `fy` within relative error `tolerance`
 * (0: exact); `exact()` decides when the approximations are too close to tell.
 */
export function compareFiltered(fx: number, fy: number, tolerance: number, exact: () => number): number {
  const d = fx - fy;
  if (tolerance === 0 || Math.abs(d) > tolerance * (fx + fy)) return d > 0 ? 1 : d < 0 ? -1 : 0;
  // A float sum of nonnegative terms is 0 only when every term is 0 (nothing here comes near
  // underflow): two zeros are an exact tie, common (proposals nobody selected) and cheap to settle.
  if (fx === 0 && fy === 0) return 0;
  return exact();
}

/** Tolerance for products of two sums of cells. Raw products of integers are exact below 2^53. */
export function productTolerance(sums: CellSums, fx: number, fy: number): number {
  if (sums.tolerance === 0) return Number.isSafeInteger(fx) && Number.isSafeInteger(fy) ? 0 : Number.EPSILON;
  return 2 * sums.tolerance + Number.EPSILON;
}

export const bigSign = (x: bigint, y: bigint): number => (x > y ? 1 : x < y ? -1 : 0);
