import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { Ajv2020, type ValidateFunction } from "ajv/dist/2020.js";
import addFormats from "ajv-formats";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { connect } from "../../db/connect";
import { saveAnswer } from "../../app/answers/answers.server";
import { answerSchema } from "../../app/answers/forms";
import { publishAnswers } from "../../app/answers/publication.server";
import { generateDemoBallots } from "../../app/ballots/demo-ballots.server";
import { advanceConsultation, setLiveResults } from "../../app/ballots/lifecycle.server";
import { RULES } from "../../app/platform/rate-limit.server";
import type { OpenDataIndex } from "../../app/reports/open-data-index.server";
import { copyLoadedSqlite } from "../support/databases";
import { makePerson } from "../support/people";
import { startServer, type RunningServer } from "../support/server";

// The open-data API over HTTP against the built server: every answer — the index, each link it
// lists, the errors — is checked against the schema the OpenAPI document (served by the same
// server) gives for its path and status, and every path × status of the document is met at
// least once. Three consultations published (one per method, so that every row shape is met),
// Normandie open with live results, and a draft.

const NORMANDIE = "normandie-cnr-sante-2022";
const CENTRE = "centre-val-de-loire-cnr-sante-2022";
const AQUITAINE = "nouvelle-aquitaine-cnr-sante-2022";
const YVELINES = "yvelines-cts78-cnr-sante-2022";
const DRAFT = "brouillon-normandie";
/** The id the document is registered under in ajv, for refs into it. */
const ID = "https://priorites-sante.exemple.fr/api/v1/openapi.json";

type OpenApi = {
  servers: { url: string }[];
  paths: Record<string, { get: { responses: Record<string, { $ref?: string; content?: JsonContent }> } }>;
  components: { responses: Record<string, { content: JsonContent }> };
};
type JsonContent = { "application/json": { schema: { $ref: string } } };

describe("open-data API over HTTP, checked against its OpenAPI document (built server, SQLite)", () => {
  let server: RunningServer;
  let dir: string;
  let document: OpenApi;
  const ajv = new Ajv2020({ allErrors: true, strict: true, allowUnionTypes: true });
  addFormats(ajv);
  // The document's own keywords hold the schemas: let ajv accept them and resolve refs into them.
  ajv.addVocabulary(["openapi", "info", "servers", "paths", "components"]);
  /** Every (path, status) met, to check the document has nothing the test did not see. */
  const met = new Set<string>();

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "ps-open-data-"));
    const file = path.join(dir, "app.sqlite");
    copyLoadedSqlite(file);
    const h = await connect({ sqliteFile: file });
    try {
      const sizes: [string, number][] = [
        [CENTRE, 400],
        [AQUITAINE, 500],
        [YVELINES, 150],
      ];
      for (const [slug, count] of sizes) {
        await generateDemoBallots(h.db, { consultationSlug: slug, count, seed: 19 });
        await advanceConsultation(h.db, slug, "closed");
        await advanceConsultation(h.db, slug, "results_published");
      }
      const normandie = await h.db
        .selectFrom("consultations")
        .select("id")
        .where("slug", "=", NORMANDIE)
        .executeTakeFirstOrThrow();
      await setLiveResults(h.db, normandie.id, true);
      // Two published versions of one answer of the Cher's CTS: a current one with its history.
      const consultation = await h.db
        .selectFrom("consultations")
        .select("id")
        .where("slug", "=", CENTRE)
        .executeTakeFirstOrThrow();
      const proposal = await h.db
        .selectFrom("proposals")
        .select("id")
        .where("consultation_id", "=", consultation.id)
        .orderBy("position")
        .executeTakeFirstOrThrow();
      const member = await makePerson(h.db, "18033", { resident: false, roles: [{ role: "cts_member", scope: "18" }] });
      const ids = { consultationId: consultation.id, ctsCode: "18", proposalId: proposal.id, authorId: member.id };
      for (const [version, status, dueOn] of [
        [0, "a_l_etude", "2027-03-31"],
        [1, "retenue", ""],
      ] as const) {
        const value = answerSchema.parse({
          baseVersion: String(version),
          status,
          justification: "Le CTS du Cher inscrit cette proposition dans sa feuille de route 2027.",
          planReference: "PRS objectif 3",
          planUrl: "https://www.centre-val-de-loire.ars.sante.fr",
          answeredOn: "2026-12-01",
          dueOn,
        });
        expect(await saveAnswer(h.db, { ...ids, value })).toMatchObject({ ok: true });
        await publishAnswers(h.db, { consultationId: consultation.id, ctsCode: "18", userId: member.id });
      }
      const row = await h.db
        .selectFrom("consultations")
        .selectAll()
        .where("slug", "=", NORMANDIE)
        .executeTakeFirstOrThrow();
      await h.db
        .insertInto("consultations")
        .values({ ...row, id: "brouillon-id", slug: DRAFT, title: "Brouillon", status: "draft", position: 99 })
        .execute();
    } finally {
      await h.close();
    }
    server = await startServer({ sqliteFile: file, env: { LOG_LEVEL: "error" } });
    const served = await fetch(`${server.url}/api/v1/openapi.json`);
    expect(served.status).toBe(200);
    document = (await served.json()) as OpenApi;
    ajv.addSchema({ ...document, $id: ID });
  }, 240_000);
  afterAll(async () => {
    await server?.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  /** The validator of the document's schema for `pathname` (as the document writes it) and `status`. */
  function schemaFor(documented: string, status: number): ValidateFunction {
    const response = document.paths[documented]?.get.responses[String(status)];
    if (!response) throw new Error(`${documented} ne documente pas la réponse ${status}`);
    const content = response.$ref
      ? document.components.responses[response.$ref.replace("#/components/responses/", "")]!.content
      : response.content!;
    const validate = ajv.getSchema(`${ID}${content["application/json"].schema.$ref}`);
    if (!validate) throw new Error(`schéma introuvable pour ${documented} ${status}`);
    return validate;
  }

  /** The document's path template that `pathname` matches. */
  function documentedPath(pathname: string): string {
    const found = Object.keys(document.paths).find((p) =>
      new RegExp(`^${p.replace(/\{[^}]+\}/g, "[^/]+").replace(/\./g, "\\.")}$`).test(pathname),
    );
    if (!found) throw new Error(`${pathname} n’est pas dans la description`);
    return found;
  }

  /** GET under /api/v1: the status expected, a JSON body valid against the document's schema. */
  async function api(url: string, status: number): Promise<unknown> {
    const response = await fetch(url.startsWith("http") ? url : `${server.url}${url}`);
    const text = await response.text();
    // A 500 says little in its body: the server's log (errors only) says why.
    expect(response.status, `${url}: ${text.slice(0, 300)}\n${server.output().slice(-3000)}`).toBe(status);
    const body: unknown = JSON.parse(text);
    expect(response.headers.get("content-type")).toContain("application/json");
    const documented = documentedPath(new URL(response.url).pathname);
    const validate = schemaFor(documented, status);
    expect(validate(body), `${url}: ${ajv.errorsText(validate.errors)}`).toBe(true);
    met.add(`${documented} ${status}`);
    return body;
  }

  it("serves its description: OpenAPI 3.1, this server, every schema valid JSON Schema 2020-12", async () => {
    expect(document).toMatchObject({ openapi: "3.1.0", servers: [{ url: server.url }] });
    await api("/api/v1/openapi.json", 200);
    // addSchema validated the document against the 2020-12 meta-schema; compile every schema too.
    for (const name of Object.keys((document as unknown as { components: { schemas: object } }).components.schemas))
      expect(ajv.getSchema(`${ID}#/components/schemas/${name}`)).toBeTypeOf("function");
  });

  it("the index: the public consultations, never the draft; links only where results are open", async () => {
    const index = (await api("/api/v1/consultations", 200)) as OpenDataIndex;
    expect(index.consultations.map((c) => c.slug).sort()).toEqual([AQUITAINE, CENTRE, NORMANDIE, YVELINES].sort());
    const normandie = index.consultations.find((c) => c.slug === NORMANDIE)!;
    expect(normandie.publicResults.code).toBe("live");
    expect(normandie.resources.results).toBeNull();
    expect(normandie.resources.dataset).toBe(`${server.url}/consultations/${NORMANDIE}/donnees-resultats.csv`);
    expect(normandie.cts.every((t) => t.results === null && t.answers === null)).toBe(true);
    const centre = index.consultations.find((c) => c.slug === CENTRE)!;
    expect(centre.method.code).toBe("approval");
    expect(centre.cts).toHaveLength(6);
    expect(centre.cts.find((t) => t.code === "18")!.answers).toBe(
      `${server.url}/api/v1/consultations/${CENTRE}/answers?cts=18`,
    );
  });

  it("every link of the index answers 200: API answers valid against their schema, datasets and pages", async () => {
    const index = (await api("/api/v1/consultations", 200)) as OpenDataIndex;
    const links = index.consultations.flatMap((c) => [
      ...Object.values(c.resources),
      ...c.cts.flatMap((t) => [t.results, t.answers, t.report, t.answersPage]),
    ]);
    const listed = links.filter((l): l is string => l !== null);
    // 3 published consultations: their 19 CTS (4 links each) and 7 resources each; Normandie: 4.
    expect(listed).toHaveLength(19 * 4 + 3 * 7 + 4);
    let rows = 0;
    for (const link of listed) {
      expect(link.startsWith(`${server.url}/`)).toBe(true);
      if (new URL(link).pathname.startsWith("/api/v1/")) {
        const body = (await api(link, 200)) as { ranking?: unknown[]; answers?: unknown[] };
        rows += (body.ranking ?? body.answers ?? []).length;
        continue;
      }
      const response = await fetch(link);
      expect(response.status, link).toBe(200);
      const type = response.headers.get("content-type") ?? "";
      if (link.endsWith(".csv")) expect(type).toContain("text/csv");
      else if (link.endsWith(".json")) expect((await response.json())["@context"]).toBeDefined();
      else expect(type).toContain("text/html");
      await response.arrayBuffer().catch(() => undefined);
    }
    expect(rows).toBeGreaterThan(0);
  }, 240_000);

  it("every row shape and the answers' history are met, figures withheld where small", async () => {
    const results = (slug: string, territory: string) =>
      api(`/api/v1/consultations/${slug}/results?territory=${territory}&weighting=population`, 200) as Promise<{
        method: string;
        ranking: Record<string, unknown>[];
      }>;
    expect((await results(AQUITAINE, "region:75")).ranking[0]).toHaveProperty("majorityGrade");
    expect((await results(YVELINES, "cts:78")).ranking[0]).toHaveProperty("positions");
    // An arrondissement of the Cher: no ranking by level, figures or « moins de 10 votants ».
    const arrondissement = (await api(`/api/v1/consultations/${CENTRE}/results?territory=arrondissement:181`, 200)) as {
      byLevel: unknown;
    };
    expect(arrondissement.byLevel).toBeNull();
    const answers = (await api(`/api/v1/consultations/${CENTRE}/answers?cts=18`, 200)) as {
      answers: { version: number; status: string; history: { version: number }[] }[];
    };
    expect(answers.answers).toMatchObject([{ version: 2, status: "retenue", history: [{ version: 1 }] }]);
  });

  it("errors are JSON with a French message, as documented: unknown, draft, not yet public, malformed", async () => {
    const error = async (url: string, status: number, message: RegExp) =>
      expect(((await api(url, status)) as { error: string }).error).toMatch(message);
    await error(`/api/v1/consultations/inconnue/results`, 404, /Consultation inconnue/);
    await error(`/api/v1/consultations/${DRAFT}/results`, 404, /Consultation inconnue/);
    await error(`/api/v1/consultations/inconnue/answers`, 404, /n’existe pas/);
    await error(`/api/v1/consultations/${DRAFT}/answers`, 404, /n’existe pas/);
    await error(`/api/v1/consultations/${CENTRE}/results?territory=cts:14`, 404, /pas dans la région/);
    await error(`/api/v1/consultations/${NORMANDIE}/results?territory=cts:14`, 403, /pas encore publiés/);
    await error(`/api/v1/consultations/${NORMANDIE}/answers`, 404, /pas encore publiés/);
    await error(`/api/v1/consultations/${CENTRE}/results?territory=pays:fr`, 400, /Paramètre territory invalide/);
    await error(`/api/v1/consultations/${CENTRE}/results?weighting=tout`, 400, /Paramètre weighting invalide/);
    await error(`/api/v1/consultations/${CENTRE}/answers?cts=%3Cscript%3E`, 400, /Paramètre cts invalide/);
  });

  it("past the per-address limit every API path answers a documented 429 with Retry-After", async () => {
    let response: Response;
    let calls = 0;
    do {
      response = await fetch(`${server.url}/api/v1/consultations`);
      await response.arrayBuffer();
      calls++;
    } while (response.status === 200 && calls <= RULES.apiPerAddress.points);
    expect(response.status).toBe(429);
    expect(Number(response.headers.get("Retry-After"))).toBeGreaterThan(0);
    for (const url of [
      "/api/v1/consultations",
      `/api/v1/consultations/${CENTRE}/results`,
      `/api/v1/consultations/${CENTRE}/answers`,
    ]) {
      const body = (await api(url, 429)) as { error: string };
      expect(body.error).toContain("Trop de requêtes sur l’API");
    }
    // The description is not counted: tools read it freely.
    await api("/api/v1/openapi.json", 200);
  });

  it("every path and status the document describes was met above", () => {
    const documented = Object.entries(document.paths).flatMap(([p, item]) =>
      Object.keys(item.get.responses).map((status) => `${p} ${status}`),
    );
    expect([...met].sort()).toEqual(documented.sort());
  });
});
