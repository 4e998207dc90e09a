import { ASSURANCE_LEVELS } from "../../db/schema";
import { ANSWER_STATUSES } from "~/answers/labels";
import { STATUS_LABELS as CONSULTATION_STATUS_LABELS } from "~/catalogue/themes";
import { GRADES, METHODS, STATUS_LABELS as ROW_STATUS_LABELS, SMALL_GROUP_THRESHOLD } from "~/tally";

// The open-data API described for machines (OpenAPI 3.1, whose schemas are JSON Schema 2020-12).
// Response shapes are built by plain functions (resultsDocument, answersDocument, openDataIndex),
// not by zod schemas, so they are written out here; tests/integration/open-data-api.test.ts
// checks every real answer against them with `additionalProperties: false` and fails on any
// field added, removed or changed on either side.

const text = { type: "string" } as const;
const textOrNull = { type: ["string", "null"] } as const;
const count = { type: "integer", minimum: 0 } as const;
const countOrNull = { type: ["integer", "null"], minimum: 0 } as const;
const instant = { type: "string", format: "date-time" } as const;
const link = { type: "string", format: "uri" } as const;
const linkOrNull = { type: ["string", "null"], format: "uri" } as const;
const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });

/** An object whose properties are all required and the only ones allowed. */
function record(properties: Record<string, object>, description?: string, optional: readonly string[] = []) {
  return {
    type: "object",
    ...(description ? { description } : {}),
    properties,
    required: Object.keys(properties).filter((key) => !optional.includes(key)),
    additionalProperties: false,
  };
}

const withheld = {
  ...textOrNull,
  description: `null, ou pourquoi les chiffres sont retenus : « moins de ${SMALL_GROUP_THRESHOLD} votants » (petit groupe) ou « secret statistique » (un voisin qui permettrait de le retrouver par soustraction).`,
};

const rowBase = {
  proposal: { ...text, description: "Identifiant (slug) de la proposition." },
  title: text,
  rank: {
    type: ["integer", "null"],
    minimum: 1,
    description: "1 = premier ; les ex æquo partagent un rang ; null si non classée.",
  },
  status: {
    type: "string",
    enum: Object.keys(ROW_STATUS_LABELS),
    description: Object.entries(ROW_STATUS_LABELS)
      .map(([code, label]) => `${code} : ${label}`)
      .join(" ; "),
  },
  rankInterval: {
    type: ["array", "null"],
    items: { type: "number" },
    minItems: 2,
    maxItems: 2,
    description:
      "Intervalle de rang [5e, 95e percentile] du bootstrap (200 rééchantillonnages), null s’il n’est pas encore calculé.",
  },
};

const answerVersion = {
  version: { type: "integer", minimum: 1 },
  status: { type: "string", enum: [...ANSWER_STATUSES] },
  statusLabel: text,
  justification: text,
  planReference: textOrNull,
  planUrl: linkOrNull,
  nextStep: textOrNull,
  answeredOn: { type: "string", format: "date" },
  dueOn: { type: ["string", "null"], format: "date" },
  publishedAt: { ...textOrNull, format: "date-time" },
};

const schemas = {
  Error: record(
    { error: { ...text, description: "Pourquoi la demande est refusée, en français." } },
    "Une erreur : 400 paramètre invalide, 403 résultats pas encore publics, 404 inconnu, 429 trop de requêtes (voir l’en-tête Retry-After).",
  ),
  Link: linkOrNull,
  Index: record(
    {
      generatedAt: instant,
      licence: text,
      openapi: { ...link, description: "Cette description." },
      consultations: { type: "array", items: ref("IndexedConsultation") },
    },
    "Les consultations visibles de tous (jamais les brouillons) et les liens vers leurs résultats ouverts à tous maintenant. Un lien vaut null quand il ne répondrait pas à un lecteur anonyme dans la phase de la consultation.",
  ),
  IndexedConsultation: record({
    slug: text,
    title: text,
    status: record({
      code: { type: "string", enum: Object.keys(CONSULTATION_STATUS_LABELS).filter((s) => s !== "draft") },
      label: text,
    }),
    method: record({ code: { type: "string", enum: [...METHODS] }, label: text }),
    opensAt: { ...textOrNull, format: "date-time" },
    closesAt: { ...textOrNull, format: "date-time" },
    publicResults: record(
      { code: { type: "string", enum: ["published", "live", "none"] }, label: text },
      "Ce que tout le monde peut lire : published (tout), live (vote en cours avec résultats en direct : page des résultats et jeu de données, pas l’API par territoire), none (rien avant la publication).",
    ),
    region: record({ code: text, name: text }),
    cts: {
      type: "array",
      description: "Les territoires de CTS couverts (un seul pour la consultation d’un CTS).",
      items: record({
        code: text,
        name: text,
        results: { ...ref("Link"), description: "Classement du territoire (API results)." },
        answers: { ...ref("Link"), description: "Réponses publiées du CTS (API answers)." },
        report: { ...ref("Link"), description: "Rapport du CTS (page HTML)." },
        answersPage: { ...ref("Link"), description: "« Ce que le CTS a fait de vos priorités » (page HTML)." },
      }),
    },
    resources: record({
      page: { ...link, description: "Page de la consultation." },
      resultsPage: { ...ref("Link"), description: "Page des résultats." },
      results: {
        ...ref("Link"),
        description:
          "Classement de la région (API results) ; ajoutez &weighting=population pour le classement pondéré.",
      },
      dataset: { ...ref("Link"), description: "Jeu de données : classements de tous les territoires, CSV." },
      datasetDescription: {
        ...ref("Link"),
        description: "Description du jeu de données (CSV on the Web, JSON-LD) : colonnes, codes, licence.",
      },
      answers: { ...ref("Link"), description: "Réponses publiées de tous les CTS (API answers)." },
      answersCsv: { ...ref("Link"), description: "Les mêmes réponses en CSV." },
    }),
  }),
  ApprovalRow: record(
    {
      ...rowBase,
      score: {
        type: "number",
        minimum: 0,
        maximum: 1,
        description: "Part des bulletins (ou du poids) qui la retiennent.",
      },
      selections: { ...count, description: "Bulletins qui la retiennent." },
      weight: { type: "number", minimum: 0, description: "Poids de ces bulletins (= selections en brut)." },
    },
    "Une ligne du classement, vote par approbation.",
  ),
  MajorityJudgmentRow: record(
    {
      ...rowBase,
      majorityGrade: { type: ["string", "null"], enum: [...GRADES, null] },
      majorityGradeLabel: text,
      gauge: { type: ["string", "null"], enum: ["+", "-", null] },
      p: {
        type: "number",
        minimum: 0,
        maximum: 1,
        description: "Part des mentions meilleures que la mention majoritaire.",
      },
      q: { type: "number", minimum: 0, maximum: 1, description: "Part des mentions moins bonnes." },
      grades: { ...count, description: "Nombre de mentions reçues." },
      profile: record({
        counts: { type: "array", items: count, minItems: GRADES.length, maxItems: GRADES.length },
        shares: { type: "array", items: { type: "number" }, minItems: GRADES.length, maxItems: GRADES.length },
      }),
    },
    "Une ligne du classement, jugement majoritaire (majorityGradeLabel seulement avec une mention majoritaire).",
    ["majorityGradeLabel"],
  ),
  RankedRow: record(
    {
      ...rowBase,
      score: { type: "number", minimum: 0, description: "Points de Borda par bulletin (ou par unité de poids)." },
      points: { type: "number", minimum: 0 },
      positions: { type: "array", items: count, description: "Bulletins qui la placent 1re, 2e… K-ième." },
    },
    "Une ligne du classement, classement (Borda).",
  ),
  RankingRow: { oneOf: [ref("ApprovalRow"), ref("MajorityJudgmentRow"), ref("RankedRow")] },
  Results: record(
    {
      consultation: text,
      title: text,
      status: { type: "string", enum: ["open", "closed", "results_published"] },
      method: { type: "string", enum: [...METHODS] },
      territory: record({
        kind: { type: "string", enum: ["region", "cts", "arrondissement"] },
        code: text,
        name: text,
      }),
      weighting: { type: "string", enum: ["raw", "population"] },
      ballots: { ...countOrNull, description: "Bulletins comptés ; null quand les chiffres sont retenus." },
      generatedAt: instant,
      explanation: { ...textOrNull, description: "Une phrase : comment les rangs ont été décidés." },
      smallGroup: withheld,
      rankIntervals: {
        oneOf: [
          { type: "null" },
          record({
            version: countOrNull,
            computedAt: { ...textOrNull, format: "date-time" },
            computing: { type: "boolean" },
          }),
        ],
      },
      ranking: { type: "array", items: ref("RankingRow") },
      byLevel: {
        description: "Classements par niveau de garantie d’identité (null pour un arrondissement).",
        oneOf: [
          { type: "null" },
          record({
            unavailable: textOrNull,
            verified: record(
              {
                ballots: countOrNull,
                sentence: text,
                top: count,
                kept: count,
                correlation: { type: ["number", "null"] },
                correlationInterval: {
                  type: ["array", "null"],
                  items: { type: "number" },
                  minItems: 2,
                  maxItems: 2,
                },
              },
              "Les dix premiers de tous les bulletins parmi les votants vérifiés (top… seulement quand la comparaison est possible).",
              ["top", "kept", "correlation", "correlationInterval"],
            ),
            groups: {
              type: "array",
              items: record({
                level: { type: "string", enum: ["all", ...ASSURANCE_LEVELS, "paper"] },
                label: text,
                ballots: countOrNull,
                smallGroup: withheld,
                ranking: { type: "array", items: ref("RankingRow") },
              }),
            },
          }),
        ],
      },
    },
    "Le classement d’un territoire, à travers le contrôle de divulgation (docs/disclosure-control.md).",
  ),
  AnswerVersion: record(answerVersion),
  Answers: record(
    {
      consultation: text,
      title: text,
      generatedAt: instant,
      statuses: record(Object.fromEntries(ANSWER_STATUSES.map((s) => [s, text]))),
      answers: {
        type: "array",
        items: record(
          {
            cts: record({ code: text, name: text }),
            proposal: record({ slug: text, title: text }),
            ...answerVersion,
            history: { type: "array", items: ref("AnswerVersion"), description: "Versions publiées plus anciennes." },
          },
          "Une réponse : sa version en vigueur, et les précédentes.",
        ),
      },
    },
    "Les réponses publiées des CTS, avec l’historique de leurs versions.",
  ),
  OpenApi: {
    type: "object",
    description: "Un document OpenAPI 3.1.",
    properties: {
      openapi: { type: "string", pattern: "^3\\.1\\." },
      info: { type: "object" },
      paths: { type: "object" },
    },
    required: ["openapi", "info", "paths"],
  },
};

const errorResponse = (description: string) => ({
  description,
  content: { "application/json": { schema: ref("Error") } },
});

const responses = {
  BadRequest: errorResponse("Paramètre invalide."),
  Forbidden: errorResponse(
    "Résultats pas encore publiés : réservés aux administrateurs et aux membres du CTS du territoire.",
  ),
  NotFound: errorResponse("Consultation ou territoire inconnu, ou pas encore public."),
  TooManyRequests: {
    ...errorResponse("Trop de requêtes depuis cette adresse : 120 par minute pour toute l’API."),
    headers: { "Retry-After": { description: "Secondes à attendre.", schema: { type: "integer", minimum: 1 } } },
  },
};

const responseRef = (name: keyof typeof responses) => ({ $ref: `#/components/responses/${name}` });
const ok = (description: string, schema: string) => ({
  description,
  content: { "application/json": { schema: ref(schema) } },
});
const slug = {
  name: "slug",
  in: "path",
  required: true,
  description: "Identifiant de la consultation (voir l’index).",
  schema: { type: "string" },
};

/** The OpenAPI 3.1 document of /api/v1, with `site` (PUBLIC_URL) as its server. */
export function openApiDocument(site: string) {
  return {
    openapi: "3.1.0",
    info: {
      title: "Priorités Santé — API des données ouvertes",
      version: "1",
      description:
        'Les consultations, leurs classements par territoire et les réponses des conseils territoriaux de santé. Réponses en JSON, erreurs comprises ({ "error": "…" }, en français). Les résultats sont publics une fois publiés ; avant, l’API les réserve aux administrateurs et aux membres du CTS du territoire (session du site). Un territoire de moins de 10 bulletins, ou un voisin qui permettrait de le retrouver par soustraction, n’a pas de chiffres. Au plus 120 requêtes par minute et par adresse, pour toute l’API.',
      license: { name: "Licence Ouverte / Open Licence 2.0", identifier: "etalab-2.0" },
    },
    servers: [{ url: site }],
    paths: {
      "/api/v1/consultations": {
        get: {
          operationId: "listConsultations",
          summary: "Index des consultations, de leurs territoires et des liens vers leurs résultats",
          responses: {
            "200": ok("L’index.", "Index"),
            "429": responseRef("TooManyRequests"),
          },
        },
      },
      "/api/v1/consultations/{slug}/results": {
        get: {
          operationId: "getResults",
          summary: "Classement d’un territoire",
          parameters: [
            slug,
            {
              name: "territory",
              in: "query",
              description:
                "region:<code INSEE>, cts:<code du territoire de CTS> ou arrondissement:<code INSEE> ; par défaut la région de la consultation.",
              schema: { type: "string", pattern: "^(region|cts|arrondissement):.+$" },
            },
            {
              name: "weighting",
              in: "query",
              description:
                "raw (un bulletin, une voix ; par défaut) ou population (pondéré par la population des arrondissements).",
              schema: { type: "string", enum: ["raw", "population"], default: "raw" },
            },
          ],
          responses: {
            "200": ok("Le classement.", "Results"),
            "400": responseRef("BadRequest"),
            "403": responseRef("Forbidden"),
            "404": responseRef("NotFound"),
            "429": responseRef("TooManyRequests"),
          },
        },
      },
      "/api/v1/consultations/{slug}/answers": {
        get: {
          operationId: "getAnswers",
          summary: "Réponses publiées des CTS (après la publication des résultats)",
          parameters: [
            slug,
            {
              name: "cts",
              in: "query",
              description: "Code d’un territoire de CTS, pour ses seules réponses.",
              schema: { type: "string", pattern: "^[0-9A-Za-z-]{1,40}$" },
            },
          ],
          responses: {
            "200": ok("Les réponses.", "Answers"),
            "400": responseRef("BadRequest"),
            "404": responseRef("NotFound"),
            "429": responseRef("TooManyRequests"),
          },
        },
      },
      "/api/v1/openapi.json": {
        get: {
          operationId: "getOpenApi",
          summary: "Cette description (OpenAPI 3.1)",
          responses: { "200": ok("Le document.", "OpenApi") },
        },
      },
    },
    components: { schemas, responses },
  };
}
