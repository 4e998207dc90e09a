import type { Kysely } from "kysely";
import type { Database } from "../../db/schema";
import type { SessionUser } from "../identity/session.server";
import { rankingsByLevel } from "./levels.server";
import { resolveCts } from "../territories/territories.server";
import { GRADE_LABELS, withheldLabel, type Method, type RowByMethod, type Weighting } from "../tally";
import { rankIntervalsSnapshot } from "./intervals.server";
import {
  findTerritory,
  nodeOf,
  parseTerritory,
  publishedCounts,
  territoryCounts,
  weightingUnits,
  type TerritoryRef,
} from "./results.server";
import { Refusal } from "../platform/refusal";

/** A refusal to give results (unknown consultation or territory, bad parameter, not yet public). */
export class ResultsError extends Refusal {}

/**
 * Who may read a territory's live results: administrators, and CTS members for their own
 * territory (their CTS, or an arrondissement that belongs to it). Once results are published,
 * everyone.
 */
export async function canReadResults(
  db: Kysely<Database>,
  user: SessionUser | null,
  consultation: { status: string },
  territory: TerritoryRef & { regionCode: string },
): Promise<boolean> {
  if (consultation.status === "results_published") return true;
  if (!user) return false;
  if (user.roles.some((r) => r.role === "admin")) return true;
  const scopes = user.roles.filter((r) => r.role === "cts_member").map((r) => r.scope);
  if (!scopes.length) return false;
  if (territory.kind === "cts") return scopes.includes(territory.code);
  if (territory.kind === "arrondissement") {
    const arrondissement = await db
      .selectFrom("arrondissements")
      .select("departement_code")
      .where("code", "=", territory.code)
      .executeTakeFirst();
    if (!arrondissement) return false;
    const cts = await resolveCts(db, {
      communeCodes: [],
      arrondissement: territory.code,
      departement: arrondissement.departement_code,
    });
    return !!cts && scopes.includes(cts.code);
  }
  return false;
}

/** GET /api/v1/consultations/:slug/results — the open-data shape, also used by exports. */
export async function resultsDocument(
  db: Kysely<Database>,
  input: { slug: string; territory: string | null; weighting: string | null; user: SessionUser | null; now?: Date },
) {
  const consultation = await db
    .selectFrom("consultations")
    .select(["id", "slug", "title", "region_code", "method", "method_params", "status"])
    .where("slug", "=", input.slug)
    .where("status", "!=", "draft")
    .executeTakeFirst();
  if (!consultation) throw new ResultsError("not-found", "Consultation inconnue.");
  const ref = parseTerritory(input.territory ?? `region:${consultation.region_code}`);
  if (!ref)
    throw new ResultsError(
      "invalid",
      "Paramètre territory invalide : region:<code>, cts:<code> ou arrondissement:<code>.",
    );
  const weighting = (input.weighting ?? "raw") as Weighting;
  if (weighting !== "raw" && weighting !== "population")
    throw new ResultsError("invalid", "Paramètre weighting invalide : raw ou population.");
  const territory = await findTerritory(db, ref);
  if (!territory) throw new ResultsError("not-found", "Territoire inconnu.");
  if (territory.regionCode !== consultation.region_code)
    throw new ResultsError("not-found", "Ce territoire n’est pas dans la région de la consultation.");
  if (!(await canReadResults(db, input.user, consultation, territory))) {
    throw new ResultsError(
      "forbidden",
      consultation.status === "results_published"
        ? "Accès refusé."
        : "Les résultats ne sont pas encore publiés : seuls les administrateurs et les membres du CTS du territoire y ont accès.",
    );
  }
  const counts = await territoryCounts(db, consultation, ref);
  const node = nodeOf(ref);
  // Through the disclosure plan: a withheld territory gives no figure, not even its ballots.
  const result = publishedCounts(counts, node, weighting);
  const suppression = counts.plan.suppression(node);
  const proposals = await db
    .selectFrom("proposals")
    .select(["id", "slug", "title"])
    .where("consultation_id", "=", consultation.id)
    .execute();
  const byId = new Map(proposals.map((p) => [p.id, p]));
  const weights = weightingUnits(counts, node);
  // The last intervals computed, without waiting (a newer computation starts in the background
  // when votes came since); before the first ones, `rankIntervals.version` is null.
  const snapshot =
    !result || result.ballots === 0
      ? null
      : await rankIntervalsSnapshot(db, consultation, ref, weighting, weights.populations, { units: weights.units });
  const intervals = snapshot?.intervals ?? {};
  // By level for a region or a CTS territory; an arrondissement is too small a part to split.
  const levels = ref.kind === "arrondissement" ? null : await rankingsByLevel(db, consultation, ref, counts);
  return {
    consultation: consultation.slug,
    title: consultation.title,
    status: consultation.status,
    method: consultation.method,
    territory: { kind: territory.kind, code: territory.code, name: territory.name },
    weighting,
    ballots: result ? result.ballots : null,
    generatedAt: (input.now ?? new Date()).toISOString(),
    explanation: result?.explanation ?? null,
    smallGroup: suppression ? withheldLabel(suppression, counts.plan.threshold) : null,
    rankIntervals: snapshot
      ? { version: snapshot.version, computedAt: snapshot.computedAt, computing: snapshot.computing }
      : null,
    ranking: !result
      ? []
      : result.ranking.map((row) => {
          const interval = intervals[row.proposal];
          return apiRankingRow(
            row,
            byId.get(row.proposal)!,
            interval && interval.lo !== null && interval.hi !== null ? [interval.lo, interval.hi] : null,
          );
        }),
    byLevel: levels && {
      unavailable: levels.unavailable,
      verified: {
        ballots: levels.verified.ballots,
        sentence: levels.verified.sentence,
        ...(levels.verified.agreement
          ? {
              top: levels.verified.agreement.top.length,
              kept: levels.verified.agreement.kept,
              correlation: levels.verified.agreement.correlation,
              correlationInterval: levels.verified.agreement.interval,
            }
          : {}),
      },
      groups: levels.groups.map((g) => ({
        level: g.group,
        label: g.label,
        ballots: g.ballots,
        smallGroup: g.withheld,
        ranking: (g.rankings[weighting] ?? { ranking: [] }).ranking.map((row) =>
          apiRankingRow(row, byId.get(row.proposal)!, null),
        ),
      })),
    },
  };
}

/** One ranking row as the open-data API (and every JSON export) writes it. */
export function apiRankingRow(
  row: RowByMethod[Method],
  p: { slug: string; title: string },
  interval: [number, number] | null,
) {
  const { proposal: _id, ...figures } = row;
  return {
    proposal: p.slug,
    title: p.title,
    ...figures,
    ...("majorityGrade" in figures && figures.majorityGrade
      ? { majorityGradeLabel: GRADE_LABELS[figures.majorityGrade] }
      : {}),
    rankInterval: interval,
  };
}
