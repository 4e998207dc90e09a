// Participation and small groups: figures every breakdown shows next to a ranking.

export const SMALL_GROUP_THRESHOLD = 10;

/**
 * A breakdown cell with fewer than `threshold` ballots shows `smallGroupLabel()` instead of
 * figures, in pages and in exports (docs/domain.md#small-groups).
 */
export function isSmallGroup(ballots: number | readonly unknown[], threshold: number = SMALL_GROUP_THRESHOLD): boolean {
  const n = typeof ballots === "number" ? ballots : ballots.length;
  return n < threshold;
}

export function smallGroupLabel(threshold: number = SMALL_GROUP_THRESHOLD): string {
  return `moins de ${threshold} votants`;
}

export function ballotsByArrondissement(ballots: readonly { arrondissement: string }[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const b of ballots) counts[b.arrondissement] = (counts[b.arrondissement] ?? 0) + 1;
  return counts;
}

export type ParticipationRow = {
  arrondissement: string;
  ballots: number;
  population: number | null;
  /** ballots / population; null without a positive population. */
  rate: number | null;
};

/**
 * Participation per arrondissement = ballots / population, for every arrondissement of the
 * territory (`populations`) and any other that has ballots, sorted by code.
 */
export function participation(
  ballots: Readonly<Record<string, number>>,
  populations: Readonly<Record<string, number>>,
): ParticipationRow[] {
  const codes = [...new Set([...Object.keys(populations), ...Object.keys(ballots)])].sort();
  return codes.map((arrondissement) => {
    const n = ballots[arrondissement] ?? 0;
    const pop = populations[arrondissement];
    const population = typeof pop === "number" ? pop : null;
    return {
      arrondissement,
      ballots: n,
      population,
      rate: population !== null && population > 0 ? n / population : null,
    };
  });
}
