import { sql, type Kysely } from "kysely";
import type { AssuranceLevel, Database } from "../../db/schema";
import {
  aggregatesFromRows,
  inNode,
  isSmallGroup,
  planDisclosure,
  publishedTally,
  tally,
  type Ballot,
  type CountRow,
  type DisclosurePlan,
  type Method,
  type Place,
  type TallyResult,
  type TerritoryNode,
  type Weighting,
  unitPopulations,
} from "../tally";
import { contentCells, type BallotContent } from "./ballot-content";
import { readMethodParams } from "./ballots.server";
import { refreshLiveSnapshot } from "./live-snapshot.server";

export type TerritoryKind = "region" | "cts" | "arrondissement";
export interface TerritoryRef {
  kind: TerritoryKind;
  code: string;
}

/** "region:28", "cts:76-rouen-elbeuf", "arrondissement:143" → a territory reference, or null. */
export function parseTerritory(value: string | null | undefined): TerritoryRef | null {
  const match = /^(region|cts|arrondissement):([0-9A-Za-z-]{1,40})$/.exec(value ?? "");
  return match ? { kind: match[1] as TerritoryKind, code: match[2]! } : null;
}

/** The territory's name and region, or null when no such territory exists. */
export async function findTerritory(db: Kysely<Database>, ref: TerritoryRef) {
  const table = ref.kind === "region" ? "regions" : ref.kind === "cts" ? "cts_territories" : "arrondissements";
  if (table === "regions") {
    const row = await db.selectFrom("regions").select(["code", "name"]).where("code", "=", ref.code).executeTakeFirst();
    return row ? { ...ref, name: row.name, regionCode: row.code } : null;
  }
  const row = await db
    .selectFrom(table)
    .select(["code", "name", "region_code"])
    .where("code", "=", ref.code)
    .executeTakeFirst();
  return row ? { ...ref, name: row.name, regionCode: row.region_code } : null;
}

/** With its status, a consultation's publications read the live copy while it is open. */
type ConsultationForResults = { id: string; method: Method; method_params: string; status?: string };

// The filter that selects a territory's rows in ballot_counts, ballot_totals and ballots.
function territoryColumn(ref: TerritoryRef) {
  return ref.kind === "cts"
    ? ("cts_code" as const)
    : ref.kind === "arrondissement"
      ? ("arrondissement_code" as const)
      : null;
}

export interface Participation {
  arrondissement: string;
  name: string;
  population: number;
  online: number;
  paper: number;
  ballots: number;
}

/** Ballots per arrondissement of a territory (online and paper), with populations, from the kept totals. */
export async function territoryParticipation(
  db: Kysely<Database>,
  consultationId: string,
  ref: TerritoryRef,
  source: CountSource = KEPT,
): Promise<Participation[]> {
  const column = territoryColumn(ref);
  let query = db
    .selectFrom(`${source.totals} as t` as "ballot_totals as t")
    .innerJoin("arrondissements as a", "a.code", "t.arrondissement_code")
    .select((eb) => [
      "t.arrondissement_code",
      "t.channel",
      "a.name",
      "a.population",
      eb.fn.sum<number>("t.ballots").as("ballots"),
    ])
    .where("t.consultation_id", "=", consultationId)
    .groupBy(["t.arrondissement_code", "t.channel", "a.name", "a.population"]);
  if (column) query = query.where(`t.${column}`, "=", ref.code);
  const rows = await query.execute();
  const byArrondissement = new Map<string, Participation>();
  for (const r of rows) {
    const entry = byArrondissement.get(r.arrondissement_code) ?? {
      arrondissement: r.arrondissement_code,
      name: r.name,
      population: Number(r.population),
      online: 0,
      paper: 0,
      ballots: 0,
    };
    const n = Number(r.ballots);
    entry[r.channel] += n;
    entry.ballots += n;
    byArrondissement.set(r.arrondissement_code, entry);
  }
  return [...byArrondissement.values()]
    .filter((p) => p.ballots > 0)
    .sort((a, b) => (a.arrondissement < b.arrondissement ? -1 : 1));
}

/** The disclosure node of a territory reference. */
export function nodeOf(ref: TerritoryRef): TerritoryNode {
  return ref.kind === "region" ? { kind: "region" } : { kind: ref.kind, code: ref.code };
}

/**
 * Where counts are read: the kept counts, or while a consultation is open their live copy, which
 * moves in steps (live-snapshot.server.ts).
 */
export interface CountSource {
  counts: "ballot_counts" | "live_counts";
  totals: "ballot_totals" | "live_totals";
}
const KEPT: CountSource = { counts: "ballot_counts", totals: "ballot_totals" };
const LIVE: CountSource = { counts: "live_counts", totals: "live_totals" };

/**
 * The counts a publication reads: the live copy while the consultation is open (renewed first
 * where due), the kept counts once it is closed.
 */
export async function publicationSource(
  db: Kysely<Database>,
  consultation: { id: string; status?: string },
): Promise<CountSource> {
  if (consultation.status !== "open") return KEPT;
  await refreshLiveSnapshot(db, consultation.id);
  return LIVE;
}

/** Ballots per place (arrondissement within a CTS territory) of the whole consultation. */
export async function consultationPlaces(
  db: Kysely<Database>,
  consultationId: string,
  source: CountSource = KEPT,
): Promise<Place[]> {
  const rows = await db
    .selectFrom(source.totals as "live_totals")
    .select((eb) => ["arrondissement_code", "cts_code", eb.fn.sum<number>("ballots").as("ballots")])
    .where("consultation_id", "=", consultationId)
    .groupBy(["arrondissement_code", "cts_code"])
    .execute();
  return rows
    .map((r) => ({ cts: r.cts_code, arrondissement: r.arrondissement_code, ballots: Number(r.ballots) }))
    .filter((p) => p.ballots > 0);
}

/** What a territory's rankings are computed from: its kept counts, loaded once. */
export interface TerritoryCounts {
  rules: ReturnType<typeof readMethodParams>;
  /** Proposal ids in catalogue order. */
  proposals: string[];
  /** Per arrondissement (its places in the territory added up). */
  participation: Participation[];
  /** Counts per (proposal, place, cell). */
  rows: (CountRow & { cts: string })[];
  /** The territory's places with their ballots. */
  places: Place[];
  /** The consultation's disclosure plan: every published figure goes through it. */
  plan: DisclosurePlan;
}

/**
 * A territory's kept counts (proposal × arrondissement × cell) with its participation: cost in
 * proportion to proposals × arrondissements, not to ballots. With the consultation's status, an
 * open consultation's counts come from the live copy that moves in steps (`publicationSource`).
 */
export async function territoryCounts(
  db: Kysely<Database>,
  consultation: ConsultationForResults,
  ref: TerritoryRef,
): Promise<TerritoryCounts> {
  const rules = readMethodParams(consultation.method, consultation.method_params);
  const column = territoryColumn(ref);
  const source = await publicationSource(db, consultation);
  let counts = db
    .selectFrom(source.counts as "live_counts")
    .select((eb) => ["proposal_id", "arrondissement_code", "cts_code", "cell", eb.fn.sum<number>("count").as("count")])
    .where("consultation_id", "=", consultation.id)
    .groupBy(["proposal_id", "arrondissement_code", "cts_code", "cell"]);
  if (column) counts = counts.where(column, "=", ref.code);
  const [rows, participation, proposals, allPlaces] = await Promise.all([
    counts.execute(),
    territoryParticipation(db, consultation.id, ref, source),
    db
      .selectFrom("proposals")
      .select("id")
      .where("consultation_id", "=", consultation.id)
      .orderBy("position")
      .execute(),
    consultationPlaces(db, consultation.id, source),
  ]);
  const node = nodeOf(ref);
  return {
    rules,
    proposals: proposals.map((p) => p.id),
    participation,
    rows: rows
      .filter((r) => Number(r.count) !== 0)
      .map((r) => ({
        proposal: r.proposal_id,
        arrondissement: r.arrondissement_code,
        cts: r.cts_code,
        cell: r.cell,
        count: Number(r.count),
      })),
    places: allPlaces.filter((p) => inNode(node, p)),
    plan: planDisclosure(allPlaces),
  };
}

/**
 * A territory's ranking as it may be published, from its loaded counts (or a territory within
 * them: a CTS report's arrondissements): null when the disclosure plan withholds it; weighted by
 * the plan's units. Every page, API answer and export ranks through here.
 */
export function publishedCounts(
  counts: TerritoryCounts,
  node: TerritoryNode,
  weighting: Weighting,
): TallyResult | null {
  return publishedTally(
    counts.plan,
    node,
    {
      method: counts.rules.method,
      proposals: counts.proposals,
      params: { k: counts.rules.k, quorum: counts.rules.quorum },
      places: counts.places,
      rows: counts.rows,
      populations: weightingPopulations(counts.participation),
    },
    weighting,
  );
}

/**
 * The plan's weighting units for a territory, for the bootstrap over its ballots: each place
 * ("cts|arrondissement") → its unit, and each unit's population.
 */
export function weightingUnits(
  counts: TerritoryCounts,
  node: TerritoryNode,
): { units: Record<string, string>; populations: Record<string, number> } {
  const places = counts.places.filter((p) => inNode(node, p));
  return {
    units: Object.fromEntries(places.map((p) => [`${p.cts}|${p.arrondissement}`, counts.plan.unit(node, p)])),
    populations: unitPopulations(counts.plan, node, places, weightingPopulations(counts.participation)),
  };
}

/** Populations as the weighting reads them (an arrondissement is never weightless). */
export function weightingPopulations(participation: readonly Participation[]): Record<string, number> {
  return Object.fromEntries(participation.map((p) => [p.arrondissement, Math.max(1, p.population)]));
}

/** A ranking without any ballot (every proposal "aucun bulletin"): what a withheld territory lays out. */
export function emptyTally(counts: TerritoryCounts, weighting: Weighting): TallyResult {
  return tally({
    method: counts.rules.method,
    proposals: counts.proposals,
    params: { k: counts.rules.k, quorum: counts.rules.quorum },
    weighting,
    populations: {},
    ballots: [],
  } as Parameters<typeof tally>[0]);
}

/**
 * The ranking of the loaded counts, or of some of their arrondissements only, every arrondissement
 * weighing its own population: a recount, not a publication (outputs use `publishedCounts`).
 */
export function tallyCounts(counts: TerritoryCounts, weighting: Weighting, only?: ReadonlySet<string>): TallyResult {
  const participation = only ? counts.participation.filter((p) => only.has(p.arrondissement)) : counts.participation;
  const rows = only ? counts.rows.filter((r) => only.has(r.arrondissement)) : counts.rows;
  const aggregates = aggregatesFromRows({
    method: counts.rules.method,
    params: counts.rules,
    ballots: Object.fromEntries(participation.map((p) => [p.arrondissement, p.ballots])),
    rows,
  });
  return tally({
    method: counts.rules.method,
    proposals: counts.proposals,
    params: { k: counts.rules.k, quorum: counts.rules.quorum },
    weighting,
    populations: weightingPopulations(participation),
    aggregates,
  } as Parameters<typeof tally>[0]);
}

/** A territory's ranking from the kept counts, without disclosure control (recounts, tests, benchmarks). */
export async function territoryTally(
  db: Kysely<Database>,
  consultation: ConsultationForResults,
  ref: TerritoryRef,
  weighting: Weighting,
): Promise<{ result: TallyResult; participation: Participation[] }> {
  // The kept counts themselves, whatever the phase.
  const counts = await territoryCounts(db, { ...consultation, status: undefined }, ref);
  return { result: tallyCounts(counts, weighting), participation: counts.participation };
}

/**
 * The ballots of a territory, as the tally reads them (for the bootstrap and recounts), with the
 * voter's assurance level (null: a paper ballot).
 */
export async function territoryBallots(
  db: Kysely<Database>,
  consultationId: string,
  ref: TerritoryRef,
  chunk = BALLOT_CHUNK,
): Promise<(Ballot & { cts: string; level: AssuranceLevel | null })[]> {
  const column = territoryColumn(ref);
  // Read in chunks (by id, so each chunk goes on where the last stopped): the rows of one chunk
  // are dropped once parsed, instead of every row and every parsed ballot held together.
  const ballots: (Ballot & { cts: string; level: AssuranceLevel | null })[] = [];
  let after = "";
  for (;;) {
    let query = db
      .selectFrom("ballots")
      .select(["id", "arrondissement_code", "cts_code", "content", "assurance_level"])
      .where("consultation_id", "=", consultationId)
      .where("id", ">", after)
      .orderBy("id")
      .limit(chunk);
    if (column) query = query.where(column, "=", ref.code);
    const rows = await query.execute();
    for (const r of rows)
      ballots.push({
        arrondissement: r.arrondissement_code,
        cts: r.cts_code,
        content: JSON.parse(r.content) as BallotContent,
        level: r.assurance_level,
      });
    if (rows.length < chunk) return ballots;
    after = rows[rows.length - 1]!.id;
  }
}

const BALLOT_CHUNK = 20_000;

/**
 * A number that grows with every ballot written to a consultation (cast, change, withdrawal,
 * paper import): caches of results are valid while it stays the same, and exports state it.
 */
export async function tallyVersion(db: Kysely<Database>, consultationId: string): Promise<number> {
  const row = await db
    .selectFrom("ballot_totals")
    .select((eb) => eb.fn.sum<number>("revision").as("version"))
    .where("consultation_id", "=", consultationId)
    .executeTakeFirst();
  return Number(row?.version ?? 0);
}

/**
 * The version of the figures a publication shows: the tally version once the vote is closed;
 * while it is open, that of the live copy (its ballots, which grow by at least a step at each
 * renewal), so pages, caches and rank intervals change in steps too.
 */
export async function publishedVersion(
  db: Kysely<Database>,
  consultation: { id: string; status?: string },
): Promise<number> {
  if ((await publicationSource(db, consultation)) === KEPT) return tallyVersion(db, consultation.id);
  const row = await db
    .selectFrom("live_totals")
    .select((eb) => eb.fn.sum<number>("ballots").as("version"))
    .where("consultation_id", "=", consultation.id)
    .executeTakeFirst();
  return Number(row?.version ?? 0);
}

export { isSmallGroup };

export interface CountDifference {
  what: string;
  kept: number;
  recounted: number;
}

/**
 * Recomputes the kept counts and totals of a consultation from its ballots and lists every
 * difference (`npm run tally:verify`). An empty list means the counts are right.
 */
export async function verifyCounts(db: Kysely<Database>, consultationId: string): Promise<CountDifference[]> {
  const expectedCells = new Map<string, number>();
  const expectedTotals = new Map<string, number>();
  const ballots = await db
    .selectFrom("ballots")
    .select(["arrondissement_code", "cts_code", "channel", "content"])
    .where("consultation_id", "=", consultationId)
    .execute();
  for (const b of ballots) {
    const place = `${b.arrondissement_code}|${b.cts_code}`;
    const totalKey = `${place}|${b.channel}`;
    expectedTotals.set(totalKey, (expectedTotals.get(totalKey) ?? 0) + 1);
    for (const [proposal, cell] of contentCells(JSON.parse(b.content) as BallotContent)) {
      const key = `${proposal}|${place}|${cell}`;
      expectedCells.set(key, (expectedCells.get(key) ?? 0) + 1);
    }
  }
  const keptCells = await db
    .selectFrom("ballot_counts")
    .select(["proposal_id", "arrondissement_code", "cts_code", "cell", "count"])
    .where("consultation_id", "=", consultationId)
    .execute();
  const keptTotals = await db
    .selectFrom("ballot_totals")
    .select(["arrondissement_code", "cts_code", "channel", "ballots"])
    .where("consultation_id", "=", consultationId)
    .execute();
  const differences: CountDifference[] = [];
  const compare = (label: string, kept: Map<string, number>, expected: Map<string, number>) => {
    for (const key of new Set([...kept.keys(), ...expected.keys()])) {
      const a = kept.get(key) ?? 0;
      const b = expected.get(key) ?? 0;
      if (a !== b) differences.push({ what: `${label} ${key}`, kept: a, recounted: b });
    }
  };
  compare(
    "compte",
    new Map(
      keptCells.map((r) => [`${r.proposal_id}|${r.arrondissement_code}|${r.cts_code}|${r.cell}`, Number(r.count)]),
    ),
    expectedCells,
  );
  compare(
    "bulletins",
    new Map(keptTotals.map((r) => [`${r.arrondissement_code}|${r.cts_code}|${r.channel}`, Number(r.ballots)])),
    expectedTotals,
  );
  // The casts and withdrawals kept per day, against the event log they summarise.
  const day = sql<string>`substr(created_at, 1, 10)`;
  const [events, keptDays] = await Promise.all([
    db
      .selectFrom("ballot_events")
      .select((eb) => ["cts_code", "arrondissement_code", "kind", day.as("day"), eb.fn.countAll<number>().as("n")])
      .where("consultation_id", "=", consultationId)
      .where("kind", "in", ["cast", "withdrawn"])
      .groupBy(["cts_code", "arrondissement_code", "kind", day])
      .execute(),
    db
      .selectFrom("ballot_event_days")
      .select(["cts_code", "arrondissement_code", "kind", "day", "count"])
      .where("consultation_id", "=", consultationId)
      .execute(),
  ]);
  const dayKey = (r: { cts_code: string; arrondissement_code: string; kind: string; day: string }) =>
    `${r.arrondissement_code}|${r.cts_code}|${r.day}|${r.kind}`;
  compare(
    "jour",
    new Map(keptDays.map((r) => [dayKey(r), Number(r.count)])),
    new Map(events.map((r) => [dayKey(r), Number(r.n)])),
  );
  return differences;
}
