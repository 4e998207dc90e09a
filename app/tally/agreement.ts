// Rankings of subsets of ballots (by assurance level) and how far the first places of the whole
// hold among a subset (docs/domain.md#rankings-by-level).
import { SMALL_GROUP_THRESHOLD } from "./participation";
import type { Suppression } from "./disclosure";

/**
 * Which groups of a partition of one published territory's ballots may show a ranking. Primary:
 * fewer than `threshold` ballots. Secondary, as between sibling territories: since the groups add
 * up to the published whole, a lone withheld group could be had by subtraction, so the smallest
 * published one is withheld with it unless those withheld hold `threshold` ballots together.
 */
export function planGroups(
  groups: readonly { key: string; ballots: number }[],
  threshold: number = SMALL_GROUP_THRESHOLD,
): Map<string, Suppression | null> {
  const result = new Map<string, Suppression | null>();
  for (const g of groups) result.set(g.key, g.ballots > 0 && g.ballots < threshold ? "small" : null);
  for (;;) {
    const withheld = groups.filter((g) => g.ballots > 0 && result.get(g.key));
    const held = withheld.reduce((s, g) => s + g.ballots, 0);
    if (withheld.length === 0 || (withheld.length >= 2 && held >= threshold)) return result;
    const published = groups
      .filter((g) => g.ballots > 0 && !result.get(g.key))
      .sort((a, b) => a.ballots - b.ballots || a.key.localeCompare(b.key));
    if (published.length === 0) return result;
    result.set(published[0]!.key, "secondary");
  }
}

/** Average ranks (1-based) of values, ties sharing the mean of their places. */
function averageRanks(values: readonly number[]): number[] {
  const order = values.map((v, i) => [v, i] as const).sort((a, b) => a[0] - b[0]);
  const ranks = new Array<number>(values.length);
  for (let i = 0; i < order.length;) {
    let j = i;
    while (j + 1 < order.length && order[j + 1]![0] === order[i]![0]) j++;
    for (let m = i; m <= j; m++) ranks[order[m]![1]] = (i + j) / 2 + 1;
    i = j + 1;
  }
  return ranks;
}

/** Spearman's rank correlation of two paired series; null when either has no spread. */
export function spearman(x: readonly number[], y: readonly number[]): number | null {
  if (x.length !== y.length || x.length < 2) return null;
  const rx = averageRanks(x);
  const ry = averageRanks(y);
  const mean = (x.length + 1) / 2;
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let i = 0; i < x.length; i++) {
    const dx = rx[i]! - mean;
    const dy = ry[i]! - mean;
    sxy += dx * dy;
    sxx += dx * dx;
    syy += dy * dy;
  }
  return sxx === 0 || syy === 0 ? null : sxy / Math.sqrt(sxx * syy);
}

export interface TopAgreement {
  /** The whole's first places compared (up to `size`, ranked ones only). */
  top: string[];
  /** How many of them are also within the subset's first `size` places. */
  kept: number;
  /** Spearman's correlation between their ranks in the whole and in the subset. */
  correlation: number | null;
  /** 5th–95th percentile of that correlation over bootstrap resamples of the subset's ballots. */
  interval: [number, number] | null;
}

/**
 * How the whole's first `size` places fare among a subset of its ballots. `subsetRank` gives a
 * proposal's rank in the subset (0 or null: unranked, counted as after every ranked one);
 * `resampleRanks`, when given, the subset's ranks in each bootstrap resample
 * (`bootstrapRanks(…).ranks`, resample r at r × proposals.length).
 */
export function topAgreement(input: {
  whole: readonly { proposal: string; rank: number | null }[];
  subset: ReadonlyMap<string, number | null>;
  proposals: readonly string[];
  resamples?: { count: number; ranks: Int32Array };
  size?: number;
}): TopAgreement {
  const size = input.size ?? 10;
  const P = input.proposals.length;
  const ranked = input.whole.filter((r) => r.rank !== null);
  const top = ranked.slice(0, size).map((r) => r.proposal);
  const wholeRanks = ranked.slice(0, size).map((r) => r.rank!);
  const last = P + 1;
  const of = (rank: number | null | undefined) => (rank ? rank : last);
  const subsetRanks = top.map((id) => of(input.subset.get(id)));
  const kept = subsetRanks.filter((r) => r <= size).length;
  const correlation = spearman(wholeRanks, subsetRanks);
  let interval: [number, number] | null = null;
  if (input.resamples && correlation !== null && top.length >= 2) {
    const index = new Map(input.proposals.map((id, i) => [id, i]));
    const values: number[] = [];
    for (let r = 0; r < input.resamples.count; r++) {
      const ranks = top.map((id) => of(input.resamples!.ranks[r * P + index.get(id)!]));
      const rho = spearman(wholeRanks, ranks);
      if (rho !== null) values.push(rho);
    }
    if (values.length) {
      values.sort((a, b) => a - b);
      const at = (pct: number) => values[Math.max(1, Math.ceil((pct * values.length) / 100)) - 1]!;
      interval = [at(5), at(95)];
    }
  }
  return { top, kept, correlation, interval };
}
