import type { Kysely } from "kysely";
import type { AssuranceLevel, ConsultationStatus, Database } from "../../db/schema";
import { ASSURANCE_LABELS, ASSURANCE_LEVELS, meetsLevel } from "../identity/assurance";
import { VersionedCache } from "../platform/versioned-cache.server";
import { formatNumber } from "../ui/format";
import {
  bootstrapRanks,
  planGroups,
  seedFromString,
  tally,
  topAgreement,
  withheldLabel,
  type Ballot,
  type Method,
  type TallyResult,
  type TopAgreement,
  type Weighting,
} from "../tally";
import {
  nodeOf,
  tallyVersion,
  territoryBallots,
  weightingUnits,
  type TerritoryCounts,
  type TerritoryRef,
} from "./results.server";

// Rankings by assurance level (docs/domain.md#rankings-by-level): the territory's ballots
// recounted per level of their voters, and how far the first ten hold among verified voters.

/** A part of a territory's ballots: all of them, those of one level, or the paper ones. */
export type BallotGroup = "all" | AssuranceLevel | "paper";

export const GROUP_LABELS: Record<BallotGroup, string> = {
  all: "Tous les bulletins",
  ...ASSURANCE_LABELS,
  paper: "Bulletins papier",
};

/** The levels counted as verified voters: a real person was checked. */
const VERIFIED_FROM: AssuranceLevel = "identity";

export interface LevelRanking {
  group: BallotGroup;
  label: string;
  /** null when withheld. */
  ballots: number | null;
  /** « moins de 10 votants » or « secret statistique » when withheld. */
  withheld: string | null;
  rankings: Record<Weighting, TallyResult | null>;
}

export interface RankingsByLevel {
  /** Why no ranking by level is given (open vote, withheld territory), or null. */
  unavailable: string | null;
  groups: LevelRanking[];
  /** The first ten of all ballots among verified voters, and one sentence saying it. */
  verified: { ballots: number | null; agreement: TopAgreement | null; sentence: string };
}

type Consultation = { id: string; method: Method; status: ConsultationStatus | undefined };

const cache = new VersionedCache<RankingsByLevel>(64);

/**
 * The territory's rankings for all ballots and for each level, through the same small-group rule
 * as territories: a level's figures are withheld under the threshold, and a second one with it
 * when the withheld one could be had by subtraction from the whole. Given once the vote is
 * closed: while it is open, published figures move in steps of ten ballots per place, which a
 * recount per level would get round.
 */
export async function rankingsByLevel(
  db: Kysely<Database>,
  consultation: Consultation,
  ref: TerritoryRef,
  counts: TerritoryCounts,
): Promise<RankingsByLevel> {
  const node = nodeOf(ref);
  if (consultation.status !== "closed" && consultation.status !== "results_published")
    return none("Les classements par niveau de garantie sont donnés à la clôture du vote.");
  if (!counts.plan.published(node))
    return none("Les figures de ce territoire ne sont pas publiées : pas de classement par niveau.");
  const version = String(await tallyVersion(db, consultation.id));
  return cache.get(version, `${consultation.id}|${ref.kind}|${ref.code}`, () => compute(db, consultation, ref, counts));
}

function none(reason: string): RankingsByLevel {
  return { unavailable: reason, groups: [], verified: { ballots: null, agreement: null, sentence: reason } };
}

async function compute(
  db: Kysely<Database>,
  consultation: Consultation,
  ref: TerritoryRef,
  counts: TerritoryCounts,
): Promise<RankingsByLevel> {
  const node = nodeOf(ref);
  const weights = weightingUnits(counts, node);
  const ballots = await territoryBallots(db, consultation.id, ref);
  // Each ballot weighs in its place's weighting unit, as in the published weighted ranking.
  const inUnits = ballots.map((b) => ({
    arrondissement: weights.units[`${b.cts}|${b.arrondissement}`] ?? b.arrondissement,
    content: b.content,
    level: b.level,
  }));
  const rules = {
    method: counts.rules.method,
    proposals: counts.proposals,
    params: { k: counts.rules.k, quorum: counts.rules.quorum },
  };
  const rank = (subset: Ballot[], weighting: Weighting) =>
    tally({ ...rules, weighting, populations: weights.populations, ballots: subset } as Parameters<typeof tally>[0]);

  // One pass over the ballots, into their parts (levels in order, then paper).
  const parts: { group: Exclude<BallotGroup, "all">; ballots: typeof inUnits }[] = [
    ...ASSURANCE_LEVELS.map((level) => ({ group: level, ballots: [] })),
    { group: "paper" as const, ballots: [] },
  ];
  const partOf = new Map(parts.map((p) => [p.group, p.ballots]));
  for (const b of inUnits) partOf.get(b.level ?? "paper")!.push(b);
  const plan = planGroups(
    parts.map((p) => ({ key: p.group, ballots: p.ballots.length })),
    counts.plan.threshold,
  );
  const groups: LevelRanking[] = [
    {
      group: "all",
      label: GROUP_LABELS.all,
      ballots: inUnits.length,
      withheld: null,
      rankings: { raw: rank(inUnits, "raw"), population: rank(inUnits, "population") },
    },
    ...parts.map(({ group, ballots: subset }) => {
      const suppression = plan.get(group) ?? null;
      const shown = !suppression && subset.length > 0;
      return {
        group,
        label: GROUP_LABELS[group],
        ballots: suppression ? null : subset.length,
        withheld: suppression ? withheldLabel(suppression, counts.plan.threshold) : null,
        rankings: {
          raw: shown ? rank(subset, "raw") : null,
          population: shown ? rank(subset, "population") : null,
        },
      };
    }),
  ];

  // Verified voters together: their sum minus the published verified levels gives the withheld
  // ones among them, which is safe only when those are every withheld part (whose sum the whole
  // minus the published parts gives already) or none.
  const withheld = parts.filter((p) => p.ballots.length > 0 && plan.get(p.group)).map((p) => p.group);
  const withheldVerified = withheld.filter((g) => g !== "paper" && meetsLevel(g, VERIFIED_FROM));
  const verified = inUnits.filter((b) => b.level !== null && meetsLevel(b.level, VERIFIED_FROM));
  const verifiedShown =
    verified.length >= counts.plan.threshold &&
    (withheldVerified.length === 0 || withheldVerified.length === withheld.length);
  if (!verifiedShown) {
    return {
      unavailable: null,
      groups,
      verified: {
        ballots: null,
        agreement: null,
        sentence: `Trop peu de votants vérifiés (identité, résidence ou guichet ; moins de ${counts.plan.threshold}, ou leur nombre permettrait d’en déduire un autre) pour dire si les dix premières priorités tiennent parmi eux.`,
      },
    };
  }
  const whole = groups[0]!.rankings.raw!;
  const subset = rank(verified, "raw");
  const boot = bootstrapRanks(
    verified,
    { ...rules, weighting: "raw" },
    { seed: seedFromString(`${consultation.id}|${ref.kind}:${ref.code}|verified`) },
  );
  const agreement = topAgreement({
    whole: whole.ranking,
    subset: new Map(subset.ranking.map((r) => [r.proposal, r.rank])),
    proposals: counts.proposals,
    resamples: { count: boot.resamples, ranks: boot.ranks },
  });
  return {
    unavailable: null,
    groups,
    verified: { ballots: verified.length, agreement, sentence: sentence(verified.length, agreement) },
  };
}

const decimal = (x: number) => x.toLocaleString("fr-FR", { minimumFractionDigits: 2, maximumFractionDigits: 2 });

/**
 * One sentence a CTS member can read aloud. "Tiennent" when even the low end of the correlation's
 * interval is 0.5 or more, "tiennent en partie" when the correlation is positive, else "ne
 * tiennent pas".
 */
export function sentence(n: number, a: TopAgreement): string {
  if (a.correlation === null || a.top.length < 2)
    return `Parmi les ${formatNumber(n)} votants vérifiés (identité, résidence ou guichet), ${a.kept} des ${a.top.length} premières priorités restent dans leurs dix premières.`;
  const verdict =
    a.interval && a.interval[0] >= 0.5 ? "tiennent" : a.correlation > 0 ? "tiennent en partie" : "ne tiennent pas";
  const interval = a.interval ? `, intervalle à 90 % de ${decimal(a.interval[0])} à ${decimal(a.interval[1])}` : "";
  return `Les ${a.top.length} premières priorités ${verdict} parmi les ${formatNumber(n)} votants vérifiés (identité, résidence ou guichet) : ${a.kept} sur ${a.top.length} restent dans leurs dix premières (corrélation de rang de Spearman ${decimal(a.correlation)}${interval}).`;
}
