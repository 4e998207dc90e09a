import type { Kysely } from "kysely";
import type { BallotMethod, ConsultationStatus, Database } from "../../db/schema";
import { answersArePublic } from "../answers/open-data.server";
import { canReadResults } from "../ballots/results-api.server";
import { METHOD_NAMES, STATUS_LABELS } from "../catalogue/themes";
import { LICENCE } from "./open-dataset";
import { regionResultsArePublic } from "./report-access.server";

/** What everyone may read of a consultation's results in its phase. */
export type PublicResults = "published" | "live" | "none";

const PUBLIC_RESULTS_LABELS: Record<PublicResults, string> = {
  published: "Résultats publiés : classements, jeu de données et réponses des CTS sont ouverts à tous.",
  live: "Vote en cours, résultats en direct : le classement de la région et le jeu de données sont ouverts à tous ; les classements par territoire dans l’API attendent la publication.",
  none: "Résultats non publics : jusqu’à leur publication, réservés aux administrateurs et, pour leur territoire, aux membres des CTS.",
};

/** A link, or null when it would not answer an anonymous reader (403 or 404) in this phase. */
type Link = string | null;

export interface OpenDataIndex {
  generatedAt: string;
  licence: string;
  /** The machine-readable description of the API (OpenAPI 3.1). */
  openapi: string;
  consultations: IndexedConsultation[];
}

export interface IndexedConsultation {
  slug: string;
  title: string;
  status: { code: Exclude<ConsultationStatus, "draft">; label: string };
  method: { code: BallotMethod; label: string };
  opensAt: string | null;
  closesAt: string | null;
  publicResults: { code: PublicResults; label: string };
  region: { code: string; name: string };
  /** The CTS territories the consultation covers (one when it is a CTS's own). */
  cts: IndexedCts[];
  resources: {
    page: string;
    resultsPage: Link;
    /** The region's ranking (results API); add &weighting=population for the weighted one. */
    results: Link;
    /** Every territory's rankings as CSV, and its description (CSV on the Web). */
    dataset: Link;
    datasetDescription: Link;
    answers: Link;
    answersCsv: Link;
  };
}

export interface IndexedCts {
  code: string;
  name: string;
  results: Link;
  answers: Link;
  report: Link;
  answersPage: Link;
}

/**
 * GET /api/v1/consultations: every consultation the public sees (drafts never), its territories
 * and the links to its results that answer an anonymous reader now. The phase rules are the
 * routes' own (`regionResultsArePublic`, `canReadResults`, `answersArePublic`): a link is listed
 * exactly when its route would answer 200. `site` is the public address (PUBLIC_URL), not the
 * request's Host header, so links cannot be pointed elsewhere.
 */
export async function openDataIndex(db: Kysely<Database>, input: { site: string; now?: Date }): Promise<OpenDataIndex> {
  const [consultations, territories] = await Promise.all([
    db
      .selectFrom("consultations as c")
      .innerJoin("regions as r", "r.code", "c.region_code")
      .select([
        "c.slug",
        "c.title",
        "c.status",
        "c.method",
        "c.opens_at",
        "c.closes_at",
        "c.live_results",
        "c.region_code",
        "c.cts_code",
        "r.name as region_name",
      ])
      .where("c.status", "!=", "draft")
      .orderBy("c.position")
      .orderBy("c.title")
      .execute(),
    db.selectFrom("cts_territories").select(["code", "name", "region_code"]).orderBy("code").execute(),
  ]);
  const url = (path: string) => `${input.site}${path}`;
  const indexed: IndexedConsultation[] = [];
  for (const c of consultations) {
    const status = c.status as Exclude<ConsultationStatus, "draft">;
    const slug = encodeURIComponent(c.slug);
    const region = { kind: "region" as const, code: c.region_code, regionCode: c.region_code };
    // Anonymous: results by territory and CTS reports open together, at publication.
    const rankings = await canReadResults(db, null, c, region);
    const regionView = regionResultsArePublic(c);
    const answers = answersArePublic(c);
    const publicResults: PublicResults = rankings ? "published" : regionView ? "live" : "none";
    const api = `/api/v1/consultations/${slug}`;
    indexed.push({
      slug: c.slug,
      title: c.title,
      status: { code: status, label: STATUS_LABELS[status] },
      method: { code: c.method, label: METHOD_NAMES[c.method] },
      opensAt: c.opens_at,
      closesAt: c.closes_at,
      publicResults: { code: publicResults, label: PUBLIC_RESULTS_LABELS[publicResults] },
      region: { code: c.region_code, name: c.region_name },
      cts: territories
        .filter((t) => t.region_code === c.region_code && (!c.cts_code || t.code === c.cts_code))
        .map((t) => {
          const code = encodeURIComponent(t.code);
          return {
            code: t.code,
            name: t.name,
            results: rankings ? url(`${api}/results?territory=cts:${code}`) : null,
            answers: answers ? url(`${api}/answers?cts=${code}`) : null,
            report: rankings ? url(`/cts/${code}/rapports/${slug}`) : null,
            answersPage: answers ? url(`/consultations/${slug}/reponses/${code}`) : null,
          };
        }),
      resources: {
        page: url(`/consultations/${slug}`),
        resultsPage: regionView ? url(`/consultations/${slug}/resultats`) : null,
        results: rankings ? url(`${api}/results?territory=region:${encodeURIComponent(c.region_code)}`) : null,
        dataset: regionView ? url(`/consultations/${slug}/donnees-resultats.csv`) : null,
        datasetDescription: regionView ? url(`/consultations/${slug}/donnees-resultats.json`) : null,
        answers: answers ? url(`${api}/answers`) : null,
        answersCsv: answers ? url(`/consultations/${slug}/donnees-reponses.csv`) : null,
      },
    });
  }
  return {
    generatedAt: (input.now ?? new Date()).toISOString(),
    licence: LICENCE,
    openapi: url("/api/v1/openapi.json"),
    consultations: indexed,
  };
}
