import type { Kysely } from "kysely";
import { readContentVersion } from "../../db/content-version";
import type { BallotMethod, ConsultationStatus, Database, Stance, Theme } from "../../db/schema";
import { ctsComments, ctsContributions } from "../comments/cts-export.server";
import type { ReportAnswer } from "../answers/report-answers.server";
import { rankIntervalsSnapshot, type IntervalSnapshot } from "../ballots/intervals.server";
import { rankingsByLevel, type BallotGroup } from "../ballots/levels.server";
import {
  emptyTally,
  publishedCounts,
  publishedVersion,
  territoryCounts,
  weightingUnits,
  type TerritoryCounts,
  type TerritoryRef,
} from "../ballots/results.server";
import {
  SMALL_GROUP_THRESHOLD,
  STATUS_LABELS as ROW_STATUS_LABELS,
  smallGroupLabel,
  withheldLabel,
  type RankInterval,
  type TallyResult,
  type TerritoryNode,
  type TopAgreement,
  type Weighting,
} from "../tally";
import { ctsArrondissements } from "../territories/territories.server";
import { distribution, rowFigure, type AnyRow, type Segment } from "./figures";
import type { IntervalStamp } from "./interval-stamp";

export interface ReportConsultation {
  id: string;
  slug: string;
  title: string;
  status: ConsultationStatus;
  method: BallotMethod;
  method_params: string;
  region_code: string;
  cts_code: string | null;
  opens_at: string | null;
  closes_at: string | null;
  live_results: 0 | 1;
}

/** A consultation as reports read it, or null when it does not exist or is still a draft. */
export async function findReportConsultation(db: Kysely<Database>, slug: string): Promise<ReportConsultation | null> {
  const row = await db
    .selectFrom("consultations")
    .select([
      "id",
      "slug",
      "title",
      "status",
      "method",
      "method_params",
      "region_code",
      "cts_code",
      "opens_at",
      "closes_at",
      "live_results",
    ])
    .where("slug", "=", slug)
    .where("status", "!=", "draft")
    .executeTakeFirst();
  return row ?? null;
}

export interface RankingRow {
  id: string;
  slug: string;
  title: string;
  theme: Theme;
  rank: number | null;
  statusLabel: string;
  figure: string;
  /** 5th–95th percentile of the rank over the bootstrap; null when unranked. */
  interval: [number, number] | null;
  /** Its interval overlaps the one of the row above: the two ranks are not distinguishable. */
  indistinct: boolean;
  row: AnyRow;
}

export interface ParticipationLine {
  code: string;
  name: string;
  population: number;
  /** Ballot figures are null when the disclosure plan withholds the line (`withheld` says why). */
  online: number | null;
  paper: number | null;
  ballots: number | null;
  verifiedResidents: number;
  /** ballots / population; null without population or when withheld. */
  rate: number | null;
  /** "moins de 10 votants" or "secret statistique…", when the line's ballot figures are withheld. */
  withheld: string | null;
}

export interface TimelineDay {
  day: string;
  cast: number;
  withdrawn: number;
  /** Ballots kept at the end of the day. */
  total: number;
}

export interface BreakdownColumn {
  code: string;
  name: string;
  /** null when withheld. */
  ballots: number | null;
  /** Withheld by the disclosure plan (under the threshold, or to protect one that is). */
  small: boolean;
  /** Why, in words, when withheld. */
  label: string | null;
}

export interface BreakdownCell {
  rank: number | null;
  figure: string;
}

export interface Disagreement {
  id: string;
  title: string;
  best: { rank: number; arrondissement: string };
  worst: { rank: number; arrondissement: string };
  spread: number;
}

export interface ProposalDetail {
  id: string;
  slug: string;
  title: string;
  segments: Segment[];
  comments: Record<Stance, number>;
  contributions: number;
}

/** One row of a ranking by level: no interval (intervals are computed for all ballots). */
export interface LevelRow {
  slug: string;
  title: string;
  rank: number | null;
  statusLabel: string;
  figure: string;
  row: AnyRow;
}

/** The territory's rankings per assurance level (docs/domain.md#rankings-by-level). */
export interface ReportLevels {
  /** Why there are none (open vote, withheld territory), or null. */
  unavailable: string | null;
  groups: {
    group: BallotGroup;
    label: string;
    ballots: number | null;
    withheld: string | null;
    rankings: Record<Weighting, LevelRow[]>;
  }[];
  /** Whether the first ten of all ballots hold among verified voters, in one sentence. */
  sentence: string;
  verifiedBallots: number | null;
  agreement: TopAgreement | null;
}

export interface CtsReport {
  consultation: Omit<ReportConsultation, "method_params" | "id" | "live_results"> & { regionName: string };
  territory: { code: string; name: string };
  generatedAt: string;
  tallyVersion: number;
  threshold: number;
  /** Why the territory's figures are withheld ("moins de 10 votants", "secret statistique…"). */
  smallGroupLabel: string;
  /** null when withheld. */
  ballots: number | null;
  /** "empty": no ballot; "small": withheld by the disclosure plan, no figure shown; "ranked". */
  state: "empty" | "small" | "ranked";
  explanations: Record<Weighting, string>;
  participation: { lines: ParticipationLine[]; total: ParticipationLine; timeline: TimelineDay[] };
  rankings: Record<Weighting, RankingRow[]>;
  /** The CTS's published answers by proposal id, when attached (app/answers/report-answers.server.ts). */
  answers?: Record<string, ReportAnswer>;
  /** Which tally version the rank intervals were computed on (they are computed in the background). */
  intervals: IntervalStamp | null;
  breakdown: {
    columns: BreakdownColumn[];
    rows: { id: string; title: string; cells: (BreakdownCell | null)[] }[];
    allSmall: boolean;
  };
  disagreements: Disagreement[];
  levels: ReportLevels;
  proposals: ProposalDetail[];
}

/**
 * The older of the two weightings' interval stamps (the one a reader should be told about), or
 * "en cours de calcul" (version null) until both have intervals.
 */
function intervalStamp(...snapshots: IntervalSnapshot[]): IntervalStamp {
  const computing = snapshots.some((s) => s.computing);
  const done = snapshots.filter(
    (s): s is IntervalSnapshot & { version: number; computedAt: string } => s.version !== null && s.computedAt !== null,
  );
  if (done.length < snapshots.length) return { version: null, computedAt: null, computing };
  const oldest = done.reduce((a, b) => (b.version < a.version ? b : a));
  return { version: oldest.version, computedAt: oldest.computedAt, computing };
}

/** The CTS territory, when the consultation covers it (a CTS consultation covers its own only). */
export async function findReportTerritory(db: Kysely<Database>, consultation: ReportConsultation, ctsCode: string) {
  const cts = await db
    .selectFrom("cts_territories")
    .select(["code", "name", "region_code"])
    .where("code", "=", ctsCode)
    .executeTakeFirst();
  if (!cts || cts.region_code !== consultation.region_code) return null;
  if (consultation.cts_code && consultation.cts_code !== cts.code) return null;
  return { code: cts.code, name: cts.name };
}

/** The weighting units of a territory's ballots, for its rank intervals (`weightingUnits`). */
export type Weights = { units: Record<string, string>; populations: Record<string, number> };

type Computed = Omit<CtsReport, "proposals" | "rankings" | "intervals"> & {
  details: Omit<ProposalDetail, "comments" | "contributions">[];
  results: Record<Weighting, TallyResult>;
  byId: Map<string, { id: string; slug: string; title: string; theme: Theme }>;
  weights: Weights;
};

// Tallies, intervals and participation per (consultation, territory, tally version): a report
// opened again, or exported, while no ballot was written costs only its comment counts.
const computedCache = new Map<string, Computed>();
const CACHE_SIZE = 64;

/**
 * Everything a CTS meeting reads about one consultation in its territory. Figures come from the
 * kept counts through the tally engine (the same functions as the open-data API); rank intervals
 * from the bootstrap over the territory's ballots.
 */
export async function buildCtsReport(
  db: Kysely<Database>,
  consultation: ReportConsultation,
  territory: { code: string; name: string },
  now = new Date(),
): Promise<CtsReport> {
  const [version, stamp] = await Promise.all([publishedVersion(db, consultation), readContentVersion(db)]);
  const key = `${consultation.id}|${territory.code}|${version}|${consultation.status}|${stamp}`;
  let computed = computedCache.get(key);
  if (!computed) {
    computed = await compute(db, consultation, territory, version, now);
    if (computedCache.size >= CACHE_SIZE) computedCache.delete(computedCache.keys().next().value!);
    computedCache.set(key, computed);
  }
  const { details, results, byId, weights, ...report } = computed;
  const [comments, contributions, ranked] = await Promise.all([
    commentCounts(db, consultation.id, territory.code),
    contributionCounts(db, consultation.id, territory.code),
    rankingsWithIntervals(
      db,
      consultation,
      { kind: "cts", code: territory.code },
      report.state === "ranked",
      results,
      byId,
      weights,
    ),
  ]);
  return {
    ...report,
    ...ranked,
    proposals: details.map((d) => ({
      ...d,
      comments: comments.get(d.id) ?? { for: 0, against: 0, nuanced: 0 },
      contributions: contributions.get(d.id) ?? 0,
    })),
  };
}

/**
 * Both rankings with the last rank intervals computed for them, without waiting, and which tally
 * version those intervals belong to. Until both weightings have intervals neither shows any, so
 * the two tables always have the same columns.
 */
export async function rankingsWithIntervals(
  db: Kysely<Database>,
  consultation: ReportConsultation,
  ref: TerritoryRef,
  ranked: boolean,
  results: Record<Weighting, TallyResult>,
  byId: Map<string, { id: string; slug: string; title: string; theme: Theme }>,
  weights: Weights,
): Promise<{ rankings: Record<Weighting, RankingRow[]>; intervals: IntervalStamp | null }> {
  if (!ranked) return { rankings: { raw: [], population: [] }, intervals: null };
  const options = { units: weights.units };
  const [raw, population] = await Promise.all([
    rankIntervalsSnapshot(db, consultation, ref, "raw", weights.populations, options),
    rankIntervalsSnapshot(db, consultation, ref, "population", weights.populations, options),
  ]);
  const both = raw.intervals !== null && population.intervals !== null;
  return {
    rankings: {
      raw: rankingRows(results.raw, byId, both ? raw.intervals! : {}),
      population: rankingRows(results.population, byId, both ? population.intervals! : {}),
    },
    intervals: intervalStamp(raw, population),
  };
}

async function compute(
  db: Kysely<Database>,
  consultation: ReportConsultation,
  territory: { code: string; name: string },
  version: number,
  now: Date,
): Promise<Computed> {
  const ref: TerritoryRef = { kind: "cts", code: territory.code };
  const [counts, arrondissements, region, proposals] = await Promise.all([
    territoryCounts(db, consultation, ref),
    ctsArrondissements(db, territory.code),
    db.selectFrom("regions").select("name").where("code", "=", consultation.region_code).executeTakeFirstOrThrow(),
    db
      .selectFrom("proposals")
      .select(["id", "slug", "title", "theme"])
      .where("consultation_id", "=", consultation.id)
      .orderBy("position")
      .execute(),
  ]);
  const byId = new Map(proposals.map((p) => [p.id, p]));
  const node: TerritoryNode = { kind: "cts", code: territory.code };
  const total = counts.places.reduce((s, p) => s + p.ballots, 0);
  const suppression = counts.plan.suppression(node);
  const state = total === 0 ? "empty" : suppression ? "small" : "ranked";
  // A withheld territory is still tallied (its rows are never shown): the page keeps its layout.
  const raw = publishedCounts(counts, node, "raw") ?? emptyTally(counts, "raw");
  const weighted = publishedCounts(counts, node, "population") ?? emptyTally(counts, "population");
  const ballots = state === "small" ? null : total;
  const [participation, byLevel] = await Promise.all([
    participationLines(db, consultation.id, territory.code, counts, arrondissements),
    rankingsByLevel(db, consultation, ref, counts),
  ]);
  const levelRows = (result: TallyResult | null): LevelRow[] =>
    (result?.ranking ?? []).map((row) => {
      const p = byId.get(row.proposal)!;
      return {
        slug: p.slug,
        title: p.title,
        rank: row.rank,
        statusLabel: ROW_STATUS_LABELS[row.status],
        figure: rowFigure(result!.method, row),
        row,
      };
    });
  // An arrondissement without a ballot has no ranking either: it reads as a small group.
  const columns: BreakdownColumn[] = participation.lines.map((l) => ({
    code: l.code,
    name: l.name,
    ballots: l.ballots,
    small: !l.ballots,
    label: l.ballots ? null : (l.withheld ?? smallGroupLabel(SMALL_GROUP_THRESHOLD)),
  }));
  const columnTallies = columns.map((c) =>
    c.small ? null : publishedCounts(counts, { kind: "part", cts: territory.code, arrondissement: c.code }, "raw"),
  );
  const breakdownRows = raw.ranking.map((r) => {
    const p = byId.get(r.proposal)!;
    return {
      id: p.id,
      title: p.title,
      cells: columnTallies.map((t) => {
        if (!t) return null;
        const row = t.ranking.find((x) => x.proposal === r.proposal)!;
        return { rank: row.rank, figure: rowFigure(raw.method, row) };
      }),
    };
  });
  const rules = counts.rules;
  return {
    consultation: {
      slug: consultation.slug,
      title: consultation.title,
      status: consultation.status,
      method: consultation.method,
      region_code: consultation.region_code,
      cts_code: consultation.cts_code,
      opens_at: consultation.opens_at,
      closes_at: consultation.closes_at,
      regionName: region.name,
    },
    territory,
    generatedAt: now.toISOString(),
    tallyVersion: version,
    threshold: SMALL_GROUP_THRESHOLD,
    smallGroupLabel: suppression
      ? withheldLabel(suppression, SMALL_GROUP_THRESHOLD)
      : smallGroupLabel(SMALL_GROUP_THRESHOLD),
    ballots,
    state,
    explanations: { raw: raw.explanation, population: weighted.explanation },
    participation,
    results: { raw, population: weighted },
    byId,
    weights: weightingUnits(counts, node),
    breakdown: { columns, rows: state === "empty" ? [] : breakdownRows, allSmall: columns.every((c) => c.small) },
    disagreements: disagreements(columns, columnTallies, byId),
    levels: {
      unavailable: byLevel.unavailable,
      groups: byLevel.groups.map((g) => ({
        group: g.group,
        label: g.label,
        ballots: g.ballots,
        withheld: g.withheld,
        rankings: { raw: levelRows(g.rankings.raw), population: levelRows(g.rankings.population) },
      })),
      sentence: byLevel.verified.sentence,
      verifiedBallots: byLevel.verified.ballots,
      agreement: byLevel.verified.agreement,
    },
    details: raw.ranking.map((r) => {
      const p = byId.get(r.proposal)!;
      return {
        id: p.id,
        slug: p.slug,
        title: p.title,
        segments: state === "ranked" ? distribution(raw.method, r, total, rules.k) : [],
      };
    }),
  };
}

function rankingRows(
  result: TallyResult,
  byId: Map<string, { id: string; slug: string; title: string; theme: Theme }>,
  intervals: Record<string, RankInterval>,
): RankingRow[] {
  let previous: [number, number] | null = null;
  return result.ranking.map((row) => {
    const p = byId.get(row.proposal)!;
    const i = intervals[row.proposal];
    const interval: [number, number] | null =
      i && i.lo !== null && i.hi !== null && row.rank !== null ? [i.lo, i.hi] : null;
    const indistinct = !!interval && !!previous && interval[0] <= previous[1];
    if (row.rank !== null) previous = interval;
    return {
      id: p.id,
      slug: p.slug,
      title: p.title,
      theme: p.theme,
      rank: row.rank,
      statusLabel: ROW_STATUS_LABELS[row.status],
      figure: rowFigure(result.method, row),
      interval,
      indistinct,
      row,
    };
  });
}

/** The proposals whose rank differs most between the arrondissements above the threshold. */
function disagreements(
  columns: BreakdownColumn[],
  tallies: (TallyResult | null)[],
  byId: Map<string, { title: string }>,
  limit = 5,
): Disagreement[] {
  const counted = columns.map((c, i) => ({ column: c, tally: tallies[i] })).filter((x) => x.tally);
  if (counted.length < 2) return [];
  const ranks = new Map<string, { rank: number; arrondissement: string }[]>();
  for (const { column, tally } of counted) {
    for (const row of tally!.ranking) {
      if (row.rank === null) continue;
      const list = ranks.get(row.proposal) ?? [];
      list.push({ rank: row.rank, arrondissement: column.name });
      ranks.set(row.proposal, list);
    }
  }
  const result: Disagreement[] = [];
  for (const [id, list] of ranks) {
    if (list.length < 2) continue;
    const sorted = [...list].sort((a, b) => a.rank - b.rank);
    const best = sorted[0]!;
    const worst = sorted[sorted.length - 1]!;
    if (worst.rank === best.rank) continue;
    result.push({ id, title: byId.get(id)!.title, best, worst, spread: worst.rank - best.rank });
  }
  // Largest spread first; equal spreads by title, so the list never depends on database order.
  return result.sort((a, b) => b.spread - a.spread || a.title.localeCompare(b.title, "fr")).slice(0, limit);
}

async function participationLines(
  db: Kysely<Database>,
  consultationId: string,
  ctsCode: string,
  counts: TerritoryCounts,
  arrondissements: Awaited<ReturnType<typeof ctsArrondissements>>,
) {
  const codes = [
    ...new Set([...arrondissements.map((a) => a.code), ...counts.participation.map((p) => p.arrondissement)]),
  ];
  const [residents, events] = await Promise.all([
    codes.length
      ? db
          .selectFrom("users as u")
          .innerJoin("communes as c", "c.code", "u.commune_code")
          .innerJoin("user_roles as r", (join) => join.onRef("r.user_id", "=", "u.id").on("r.role", "=", "resident"))
          .select((eb) => ["c.arrondissement_code", eb.fn.countAll<number>().as("n")])
          .where("u.email_verified_at", "is not", null)
          .where("c.arrondissement_code", "in", codes)
          .groupBy("c.arrondissement_code")
          .execute()
      : [],
    // From the counts kept per day (a few rows per day), not the event log (one row per ballot).
    db
      .selectFrom("ballot_event_days")
      .select((eb) => ["day", "kind", eb.fn.sum<number>("count").as("n")])
      .where("consultation_id", "=", consultationId)
      .where("cts_code", "=", ctsCode)
      .groupBy(["day", "kind"])
      .execute(),
  ]);
  const residentsBy = new Map(residents.map((r) => [r.arrondissement_code, Number(r.n)]));
  const kept = new Map(counts.participation.map((p) => [p.arrondissement, p]));
  const names = new Map(arrondissements.map((a) => [a.code, a]));
  // Ballot figures only where the disclosure plan publishes them (the line of an arrondissement
  // within this CTS territory; the total is the territory's own).
  const withheld = (node: TerritoryNode) => {
    const why = counts.plan.suppression(node);
    return why ? withheldLabel(why, counts.plan.threshold) : null;
  };
  const lines: ParticipationLine[] = codes.sort().map((code) => {
    const p = kept.get(code);
    const population = names.get(code)?.population ?? p?.population ?? 0;
    const ballots = p?.ballots ?? 0;
    const hidden = withheld({ kind: "part", cts: ctsCode, arrondissement: code });
    return {
      code,
      name: names.get(code)?.name ?? p?.name ?? code,
      population,
      online: hidden ? null : (p?.online ?? 0),
      paper: hidden ? null : (p?.paper ?? 0),
      ballots: hidden ? null : ballots,
      verifiedResidents: residentsBy.get(code) ?? 0,
      rate: hidden || population <= 0 ? null : ballots / population,
      withheld: hidden,
    };
  });
  const sum = (f: (p: (typeof counts.participation)[number]) => number) =>
    counts.participation.reduce((s, p) => s + f(p), 0);
  const population = lines.reduce((s, l) => s + l.population, 0);
  const hidden = withheld({ kind: "cts", code: ctsCode });
  const ballots = sum((p) => p.ballots);
  const total: ParticipationLine = {
    code: "",
    name: "Ensemble du territoire",
    population,
    online: hidden ? null : sum((p) => p.online),
    paper: hidden ? null : sum((p) => p.paper),
    ballots: hidden ? null : ballots,
    verifiedResidents: lines.reduce((s, l) => s + l.verifiedResidents, 0),
    rate: hidden || population <= 0 ? null : ballots / population,
    withheld: hidden,
  };
  const days = new Map<string, { cast: number; withdrawn: number }>();
  for (const e of events) {
    const d = days.get(e.day) ?? { cast: 0, withdrawn: 0 };
    d[e.kind] += Number(e.n);
    days.set(e.day, d);
  }
  let running = 0;
  const timeline = [...days.keys()].sort().map((day) => {
    const d = days.get(day)!;
    running += d.cast - d.withdrawn;
    return { day, cast: d.cast, withdrawn: d.withdrawn, total: running };
  });
  // A withheld territory's day-by-day counts would add up to its ballots.
  return { lines, total, timeline: hidden ? [] : timeline };
}

async function commentCounts(db: Kysely<Database>, consultationId: string, ctsCode: string) {
  const rows = await ctsComments(db, consultationId, ctsCode)
    .select((eb) => ["c.proposal_id", "c.stance", eb.fn.countAll<number>().as("n")])
    .where("c.parent_id", "is", null)
    .groupBy(["c.proposal_id", "c.stance"])
    .execute();
  const byProposal = new Map<string, Record<Stance, number>>();
  for (const r of rows) {
    if (!r.stance) continue;
    const entry = byProposal.get(r.proposal_id) ?? { for: 0, against: 0, nuanced: 0 };
    entry[r.stance] += Number(r.n);
    byProposal.set(r.proposal_id, entry);
  }
  return byProposal;
}

async function contributionCounts(db: Kysely<Database>, consultationId: string, ctsCode: string) {
  const rows = await (
    await ctsContributions(db, consultationId, ctsCode)
  )
    .select((eb) => ["c.proposal_id", eb.fn.countAll<number>().as("n")])
    .groupBy("c.proposal_id")
    .execute();
  return new Map(rows.map((r) => [r.proposal_id, Number(r.n)]));
}
