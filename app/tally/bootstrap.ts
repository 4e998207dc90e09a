// Rank intervals by bootstrap (docs/domain.md#rank-intervals): resample the ballots with replacement,
// re-tally, and take the 5th–95th percentile of each proposal's rank. Ballots are encoded once
// into typed arrays (arrondissement and filled cells per ballot); a resample draws ballot indices
// from a seeded generator and re-counts, so it never copies a ballot.
import { cellsFor, indexProposals, readParams, visitBallot, type Dense } from "./aggregate";
import { weightsFor } from "./exact";
import { rankDense } from "./rank";
import { TallyInputError, type Ballot, type Method, type TallyRules } from "./types";

/**
 * mulberry32 (Tommy Ettinger's 32-bit generator, public domain): uniform floats in [0, 1) from a
 * 32-bit seed. Small and fast; plenty for resampling, not for secrets.
 */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A 32-bit seed from text (FNV-1a), e.g. from a consultation id and a territory, so a page is stable across reloads. */
export function seedFromString(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** `seed`: an integer, used modulo 2^32. */
export type BootstrapOptions = { resamples?: number; seed: number };

export type RankInterval = {
  /** 5th and 95th percentiles (nearest rank) of the proposal's rank over the resamples where it had one. */
  lo: number | null;
  hi: number | null;
  /** Resamples in which the proposal had a rank (majority judgment: it can miss the quorum in some). */
  rankedIn: number;
};

export type BootstrapResult = { resamples: number; seed: number; intervals: Record<string, RankInterval> };

type Encoded = { arr: Int32Array; offsets: Int32Array; cells: Int32Array; codes: string[] };

function encode(
  method: Method,
  proposals: readonly string[],
  ballots: readonly Ballot[],
  k: number,
  collapse: boolean,
): Encoded {
  const index = indexProposals(proposals);
  const codes = collapse
    ? ["*"]
    : [...new Set(ballots.map((b) => b?.arrondissement))].filter((c): c is string => typeof c === "string").sort();
  const arrIndex = new Map(codes.map((c, i) => [c, i]));
  const arr = new Int32Array(ballots.length);
  const offsets = new Int32Array(ballots.length + 1);
  const filled: number[] = [];
  ballots.forEach((ballot, b) => {
    visitBallot(method, ballot, index, k, (cell) => filled.push(cell));
    arr[b] = collapse ? 0 : arrIndex.get(ballot.arrondissement)!;
    offsets[b + 1] = filled.length;
  });
  return { arr, offsets, cells: Int32Array.from(filled), codes };
}

/**
 * The rank of every proposal in every resample: `ranks[r * proposals.length + p]`, 1-based, 0 when
 * unranked. Resample r draws `ballots.length` indices with `mulberry32(seed)`, continuing the same
 * stream from one resample to the next.
 */
export function bootstrapRanks<M extends Method>(
  ballots: readonly Ballot<M>[],
  rules: TallyRules<M>,
  options: BootstrapOptions,
): { proposals: readonly string[]; resamples: number; ranks: Int32Array } {
  const { resamples = 200, seed } = options;
  if (!Number.isSafeInteger(resamples) || resamples < 1)
    throw new TallyInputError(`Nombre de rééchantillonnages invalide : ${String(resamples)}.`);
  if (!Number.isSafeInteger(seed)) throw new TallyInputError("La graine doit être un entier.");
  const params = readParams(rules.params);
  const weighting = rules.weighting ?? "raw";
  const { method, proposals } = rules;
  const C = cellsFor(method, params.k);
  const P = proposals.length;
  // Raw ranks do not depend on arrondissements: count everything in one.
  const enc = encode(method, proposals, ballots, params.k, weighting === "raw");
  const A = enc.codes.length;
  const stride = P * C;
  const dense: Dense = {
    method,
    proposals,
    arrondissements: enc.codes,
    cells: C,
    ballots: new Float64Array(A),
    counts: new Float64Array(A * stride),
  };
  // Refuse missing populations once, up front, rather than in whichever resample meets them.
  if (weighting === "population")
    weightsFor({ ...dense, ballots: new Float64Array(A).fill(1) }, weighting, rules.populations);
  const ranks = new Int32Array(resamples * P);
  const next = mulberry32(seed);
  const n = ballots.length;
  const { arr, offsets, cells } = enc;
  // How many times each ballot is drawn; then one pass over the ballots in order, which reads
  // memory sequentially (drawing and counting ballot by ballot is about twice as slow).
  const drawn = new Int32Array(n);
  for (let r = 0; r < resamples; r++) {
    drawn.fill(0);
    for (let i = 0; i < n; i++) drawn[Math.floor(next() * n)]! += 1;
    dense.counts.fill(0);
    dense.ballots.fill(0);
    for (let b = 0; b < n; b++) {
      const times = drawn[b]!;
      if (times === 0) continue;
      const a = arr[b]!;
      dense.ballots[a]! += times;
      const base = a * stride;
      for (let j = offsets[b]!, end = offsets[b + 1]!; j < end; j++) dense.counts[base + cells[j]!]! += times;
    }
    const core = rankDense(dense, weightsFor(dense, weighting, rules.populations), params);
    ranks.set(core.ranks, r * P);
  }
  return { proposals, resamples, ranks };
}

/** Nearest-rank percentile of sorted values: the ⌈pct·m/100⌉-th smallest. */
const percentile = (sorted: Int32Array, pct: number) =>
  sorted[Math.max(1, Math.ceil((pct * sorted.length) / 100)) - 1]!;

/**
 * 5th–95th percentile of each proposal's rank over `resamples` bootstrap resamples (default 200).
 * Same ballots, rules and seed → same intervals.
 *
 * @example bootstrapIntervals(ballots, { method: "approval", proposals }, { seed: seedFromString(consultationId) })
 */
export function bootstrapIntervals<M extends Method>(
  ballots: readonly Ballot<M>[],
  rules: TallyRules<M>,
  options: BootstrapOptions,
): BootstrapResult {
  const { proposals, resamples, ranks } = bootstrapRanks(ballots, rules, options);
  const P = proposals.length;
  const intervals: Record<string, RankInterval> = {};
  proposals.forEach((id, p) => {
    const mine: number[] = [];
    for (let r = 0; r < resamples; r++) {
      const rank = ranks[r * P + p]!;
      if (rank > 0) mine.push(rank);
    }
    const sorted = Int32Array.from(mine).sort();
    intervals[id] =
      sorted.length === 0
        ? { lo: null, hi: null, rankedIn: 0 }
        : { lo: percentile(sorted, 5), hi: percentile(sorted, 95), rankedIn: sorted.length };
  });
  return { resamples, seed: options.seed, intervals };
}
