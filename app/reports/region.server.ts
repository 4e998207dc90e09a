import type { Kysely } from "kysely";
import { readContentVersion } from "../../db/content-version";
import type { Database, Theme } from "../../db/schema";
import {
  emptyTally,
  publishedCounts,
  publishedVersion,
  territoryCounts,
  weightingUnits,
  type TerritoryRef,
} from "../ballots/results.server";
import {
  SMALL_GROUP_THRESHOLD,
  smallGroupLabel,
  STATUS_LABELS,
  withheldLabel,
  type TallyResult,
  type TerritoryNode,
  type Weighting,
} from "../tally";
import type { IntervalStamp } from "./interval-stamp";
import { rankingsWithIntervals, type RankingRow, type ReportConsultation, type Weights } from "./cts-report.server";
import { departementShapes } from "./departement-map.server";
import { figureColumns, figureValues, firstPriorities } from "./figures";
import { nodeOf } from "../ballots/results.server";
import { locateCommune } from "../territories/territories.server";
import { DATASET_COLUMNS } from "./open-dataset";

export interface RegionView {
  consultation: {
    slug: string;
    title: string;
    status: ReportConsultation["status"];
    method: ReportConsultation["method"];
    regionName: string;
  };
  generatedAt: string;
  tallyVersion: number;
  /** null when withheld. */
  ballots: number | null;
  state: "empty" | "small" | "ranked";
  threshold: number;
  smallGroupLabel: string;
  explanations: Record<Weighting, string>;
  rankings: Record<Weighting, RankingRow[]>;
  intervals: IntervalStamp | null;
  arrondissements: {
    code: string;
    name: string;
    departement: string;
    population: number;
    /** null when withheld (`withheld` says why). */
    ballots: number | null;
    rate: number | null;
    withheld: string | null;
  }[];
  territories: {
    code: string;
    name: string;
    /** null when withheld (`withheld` says why). */
    ballots: number | null;
    withheld: string | null;
    top: { rank: number; title: string; figure: string }[];
  }[];
  /**
   * Participation per département, summed from its published arrondissements; withheld whole when
   * one of them is (a département total would give a withheld arrondissement back by subtraction).
   */
  departements: {
    code: string;
    name: string;
    population: number;
    ballots: number | null;
    rate: number | null;
    withheld: string | null;
  }[];
  /** The départements' outlines, or null when one has none (overseas). */
  map: { viewBox: string; shapes: { code: string; path: string }[] } | null;
  /** Ballots kept at the end of each day in the region (empty when its figures are withheld). */
  timeline: { day: string; total: number }[];
}

type Computed = Omit<RegionView, "rankings" | "intervals"> & {
  results: Record<Weighting, TallyResult>;
  byId: Map<string, { id: string; slug: string; title: string; theme: Theme }>;
  weights: Weights;
};
const cache = new Map<string, Computed>();

/** The region's ranking, its participation per arrondissement, and each CTS's first priorities. */
export async function buildRegionView(
  db: Kysely<Database>,
  consultation: ReportConsultation,
  now = new Date(),
): Promise<RegionView> {
  const [version, stamp] = await Promise.all([publishedVersion(db, consultation), readContentVersion(db)]);
  const key = `${consultation.id}|${version}|${consultation.status}|${stamp}`;
  const ref: TerritoryRef = { kind: "region", code: consultation.region_code };
  let computed = cache.get(key);
  if (!computed) {
    computed = await compute(db, consultation, version, now);
    if (cache.size >= 32) cache.delete(cache.keys().next().value!);
    cache.set(key, computed);
  }
  const { results, byId, weights, ...view } = computed;
  return {
    ...view,
    ...(await rankingsWithIntervals(db, consultation, ref, view.state === "ranked", results, byId, weights)),
  };
}

async function compute(
  db: Kysely<Database>,
  consultation: ReportConsultation,
  version: number,
  now: Date,
): Promise<Computed> {
  const ref: TerritoryRef = { kind: "region", code: consultation.region_code };
  const [counts, region, arrondissements, departements, territories, proposals] = await Promise.all([
    territoryCounts(db, consultation, ref),
    db.selectFrom("regions").select("name").where("code", "=", consultation.region_code).executeTakeFirstOrThrow(),
    db
      .selectFrom("arrondissements")
      .select(["code", "name", "departement_code", "population"])
      .where("region_code", "=", consultation.region_code)
      .orderBy("code")
      .execute(),
    db
      .selectFrom("departements")
      .select(["code", "name"])
      .where("region_code", "=", consultation.region_code)
      .execute(),
    db
      .selectFrom("cts_territories")
      .select(["code", "name"])
      .where("region_code", "=", consultation.region_code)
      .$if(!!consultation.cts_code, (q) => q.where("code", "=", consultation.cts_code!))
      .orderBy("name")
      .execute(),
    db
      .selectFrom("proposals")
      .select(["id", "slug", "title", "theme"])
      .where("consultation_id", "=", consultation.id)
      .execute(),
  ]);
  const byId = new Map(proposals.map((p) => [p.id, p]));
  const timeline = await regionTimeline(db, consultation.id);
  const node: TerritoryNode = { kind: "region" };
  const total = counts.places.reduce((s, p) => s + p.ballots, 0);
  const suppression = counts.plan.suppression(node);
  const state = total === 0 ? "empty" : suppression ? "small" : "ranked";
  const raw = publishedCounts(counts, node, "raw") ?? emptyTally(counts, "raw");
  const weighted = publishedCounts(counts, node, "population") ?? emptyTally(counts, "population");
  const kept = new Map(counts.participation.map((p) => [p.arrondissement, p.ballots]));
  const departementNames = new Map(departements.map((d) => [d.code, d.name]));
  const withheld = (n: TerritoryNode) => {
    const why = counts.plan.suppression(n);
    return why ? withheldLabel(why, counts.plan.threshold) : null;
  };
  // Each CTS territory from the region's counts (they carry each place's CTS territory).
  const tops = territories.map((t) => {
    const ctsNode: TerritoryNode = { kind: "cts", code: t.code };
    const result = publishedCounts(counts, ctsNode, "raw");
    return {
      code: t.code,
      name: t.name,
      ballots: result ? result.ballots : null,
      withheld: withheld(ctsNode),
      top: result ? firstPriorities(result, (id) => byId.get(id)!.title) : [],
    };
  });
  const lines = arrondissements
    // A CTS consultation shows the arrondissements that voted in it.
    .filter((a) => !consultation.cts_code || kept.has(a.code))
    .map((a) => {
      const population = Number(a.population);
      const ballots = kept.get(a.code) ?? 0;
      const hidden = withheld({ kind: "arrondissement", code: a.code });
      return {
        code: a.code,
        name: a.name,
        departementCode: a.departement_code,
        departement: departementNames.get(a.departement_code) ?? a.departement_code,
        population,
        ballots: hidden ? null : ballots,
        rate: hidden || population <= 0 ? null : ballots / population,
        withheld: hidden,
      };
    });
  const departementCodes = [...new Set(lines.map((l) => l.departementCode))].sort();
  const departementLines = departementCodes.map((code) => {
    const own = lines.filter((l) => l.departementCode === code);
    const population = own.reduce((s, l) => s + l.population, 0);
    const hidden = own.find((l) => l.withheld)?.withheld ?? null;
    const ballots = hidden ? null : own.reduce((s, l) => s + (l.ballots ?? 0), 0);
    return {
      code,
      name: departementNames.get(code) ?? code,
      population,
      ballots,
      rate: ballots === null || population <= 0 ? null : ballots / population,
      withheld: hidden ? "secret statistique (un arrondissement au moins est masqué)" : null,
    };
  });
  return {
    consultation: {
      slug: consultation.slug,
      title: consultation.title,
      status: consultation.status,
      method: consultation.method,
      regionName: region.name,
    },
    generatedAt: now.toISOString(),
    tallyVersion: version,
    ballots: state === "small" ? null : total,
    state,
    threshold: SMALL_GROUP_THRESHOLD,
    smallGroupLabel: suppression
      ? withheldLabel(suppression, SMALL_GROUP_THRESHOLD)
      : smallGroupLabel(SMALL_GROUP_THRESHOLD),
    explanations: { raw: raw.explanation, population: weighted.explanation },
    results: { raw, population: weighted },
    byId,
    weights: weightingUnits(counts, node),
    arrondissements: lines.map(({ departementCode: _, ...l }) => l),
    departements: departementLines,
    map: departementShapes(departementCodes),
    timeline: state === "ranked" ? timeline : [],
    territories: tops,
  };
}

/** Ballots kept at the end of each day, over the whole consultation. */
async function regionTimeline(db: Kysely<Database>, consultationId: string) {
  // From the counts kept per day, not the event log (one row per ballot).
  const events = await db
    .selectFrom("ballot_event_days")
    .select((eb) => ["day", "kind", eb.fn.sum<number>("count").as("n")])
    .where("consultation_id", "=", consultationId)
    .groupBy(["day", "kind"])
    .execute();
  const days = new Map<string, number>();
  for (const e of events) days.set(e.day, (days.get(e.day) ?? 0) + (e.kind === "cast" ? 1 : -1) * Number(e.n));
  let running = 0;
  return [...days.keys()].sort().map((d) => ({ day: d, total: (running += days.get(d)!) }));
}

export interface TerritoryFocus {
  kind: "region" | "cts" | "arrondissement";
  code: string;
  name: string;
  /** Why its figures are withheld, or null when they are shown. */
  withheld: string | null;
  ballots: number | null;
  rankings: Record<Weighting, RankingRow[]>;
  /** null when there is no ranking; version null while the first intervals are computed. */
  intervals: IntervalStamp | null;
}

/**
 * One territory's rankings with their intervals (region, CTS or arrondissement of the
 * consultation's region), through the disclosure plan like every page; null for a territory
 * outside the region.
 */
export async function territoryFocus(
  db: Kysely<Database>,
  consultation: ReportConsultation,
  ref: TerritoryRef,
): Promise<TerritoryFocus | null> {
  const name =
    ref.kind === "region"
      ? await db
          .selectFrom("regions")
          .select("name")
          .where("code", "=", ref.code)
          .where("code", "=", consultation.region_code)
          .executeTakeFirst()
      : ref.kind === "cts"
        ? await db
            .selectFrom("cts_territories")
            .select("name")
            .where("code", "=", ref.code)
            .where("region_code", "=", consultation.region_code)
            .$if(!!consultation.cts_code, (q) => q.where("code", "=", consultation.cts_code!))
            .executeTakeFirst()
        : await db
            .selectFrom("arrondissements")
            .select("name")
            .where("code", "=", ref.code)
            .where("region_code", "=", consultation.region_code)
            .executeTakeFirst();
  if (!name) return null;
  const [counts, proposals] = await Promise.all([
    territoryCounts(db, consultation, ref),
    db
      .selectFrom("proposals")
      .select(["id", "slug", "title", "theme"])
      .where("consultation_id", "=", consultation.id)
      .execute(),
  ]);
  const node = nodeOf(ref);
  const total = counts.places.reduce((s, p) => s + p.ballots, 0);
  const why = counts.plan.suppression(node);
  const raw = publishedCounts(counts, node, "raw");
  const weighted = publishedCounts(counts, node, "population");
  const ranked = !why && total > 0 && !!raw && !!weighted;
  const { rankings, intervals } = ranked
    ? await rankingsWithIntervals(
        db,
        consultation,
        ref,
        true,
        { raw: raw!, population: weighted! },
        new Map(proposals.map((p) => [p.id, p])),
        weightingUnits(counts, node),
      )
    : { rankings: { raw: [], population: [] }, intervals: null };
  return {
    kind: ref.kind as TerritoryFocus["kind"],
    code: ref.code,
    name: name.name,
    withheld: why ? withheldLabel(why, counts.plan.threshold) : total === 0 ? "aucun bulletin" : null,
    ballots: ranked ? total : null,
    rankings,
    intervals,
  };
}

/** A signed-in resident's CTS territory and arrondissement, when they are in the consultation's region. */
export async function residentTerritories(
  db: Kysely<Database>,
  consultation: ReportConsultation,
  communeCode: string | null | undefined,
): Promise<TerritoryRef[]> {
  if (!communeCode) return [];
  const place = await locateCommune(db, communeCode);
  if (!place || place.region.code !== consultation.region_code) return [];
  const refs: TerritoryRef[] = [];
  if (place.cts && (!consultation.cts_code || place.cts.code === consultation.cts_code))
    refs.push({ kind: "cts", code: place.cts.code });
  refs.push({ kind: "arrondissement", code: place.arrondissement.code });
  return refs;
}

/**
 * The open dataset: every territory's ranking (region, each CTS, each arrondissement), raw and
 * weighted, one line per proposal; a territory under the threshold gets one line saying so.
 * Built territory by territory from the kept counts, so its memory does not grow with ballots.
 */
export async function* regionDataset(
  db: Kysely<Database>,
  consultation: ReportConsultation,
): AsyncGenerator<(string | number)[]> {
  const proposals = new Map(
    (
      await db
        .selectFrom("proposals")
        .select(["id", "slug", "title"])
        .where("consultation_id", "=", consultation.id)
        .execute()
    ).map((p) => [p.id, p]),
  );
  const figures = figureColumns(consultation.method, false);
  // The first line is the header, so any CSV reader takes the file as it is; what the file is
  // (consultation, generation time, tally version) and what its codes mean are in its description,
  // datasetDescription, served beside it as JSON.
  yield [...DATASET_COLUMNS.map((c) => c.title), ...figures];
  const region = await territoryCounts(db, consultation, { kind: "region", code: consultation.region_code });
  const names = new Map(
    (
      await db
        .selectFrom("arrondissements")
        .select(["code", "name"])
        .where("region_code", "=", consultation.region_code)
        .execute()
    ).map((a) => [a.code, a.name]),
  );
  const regionName = (
    await db.selectFrom("regions").select("name").where("code", "=", consultation.region_code).executeTakeFirstOrThrow()
  ).name;
  // Every territory from the region's counts, through the disclosure plan: a withheld one gets
  // one line saying why, and no figure, not even its ballots.
  const territories: { level: string; code: string; name: string; node: TerritoryNode }[] = [
    { level: "région", code: consultation.region_code, name: regionName, node: { kind: "region" } },
  ];
  for (const t of await db
    .selectFrom("cts_territories")
    .select(["code", "name"])
    .where("region_code", "=", consultation.region_code)
    .orderBy("code")
    .execute()) {
    if (consultation.cts_code && t.code !== consultation.cts_code) continue;
    territories.push({ level: "CTS", code: t.code, name: t.name, node: { kind: "cts", code: t.code } });
  }
  for (const p of region.participation) {
    territories.push({
      level: "arrondissement",
      code: p.arrondissement,
      name: names.get(p.arrondissement) ?? p.arrondissement,
      node: { kind: "arrondissement", code: p.arrondissement },
    });
  }
  for (const t of territories) {
    const raw = publishedCounts(region, t.node, "raw");
    const why = region.plan.suppression(t.node);
    if (!raw || why) {
      yield [
        t.level,
        t.code,
        t.name,
        "",
        "",
        "",
        "",
        "",
        why ? withheldLabel(why, region.plan.threshold) : STATUS_LABELS.no_ballots,
        why ?? "no_ballots",
        ...figures.map(() => ""),
      ];
      continue;
    }
    for (const weighting of ["raw", "population"] as const) {
      const result = weighting === "raw" ? raw : publishedCounts(region, t.node, weighting)!;
      for (const row of result.ranking) {
        const p = proposals.get(row.proposal)!;
        yield [
          t.level,
          t.code,
          t.name,
          result.ballots,
          weighting === "raw" ? "brut" : "pondéré",
          row.rank ?? "",
          p.slug,
          p.title,
          STATUS_LABELS[row.status],
          row.status,
          ...figureValues(consultation.method, row),
        ];
      }
    }
  }
}
