import { randomUUID } from "node:crypto";
import type { Kysely } from "kysely";
import { readCsv, type CsvLineError } from "../../db/csv";
import type { Database } from "../../db/schema";
import { resolveCts } from "../territories/territories.server";
import { GRADE_LABELS, GRADES, type Grade } from "../tally/types";
import { BallotContentError, validateContent, type BallotContent } from "./ballot-content";
import { applyCells, logEvent, readMethodParams } from "./ballots.server";

export type ImportLineError = CsvLineError;

export type PaperImportResult = { ok: true; imported: number } | { ok: false; errors: ImportLineError[] };

const COLUMN = { approval: "selections", majority_judgment: "grades", ranked: "order" } as const;

const gradeByName = new Map<string, Grade>([
  ...GRADES.map((g) => [g, g] as const),
  ...GRADES.map((g) => [GRADE_LABELS[g].toLowerCase(), g] as const),
]);

/**
 * Imports ballots collected on paper or with a helper, from a CSV with one row per ballot:
 * `arrondissement` (code) and, by method, `selections` (slug|slug…), `grades` (slug=grade;…) or
 * `order` (slug|slug…). The whole file is checked first — every bad line is listed — and nothing
 * is written unless all lines are good. Imported ballots count like online ones, marked "paper".
 */
export async function importPaperBallots(
  db: Kysely<Database>,
  consultationSlug: string,
  csv: string,
): Promise<PaperImportResult> {
  const consultation = await db
    .selectFrom("consultations")
    .select(["id", "region_code", "cts_code", "method", "method_params", "status"])
    .where("slug", "=", consultationSlug)
    .executeTakeFirst();
  if (!consultation)
    return { ok: false, errors: [{ line: 0, message: `Consultation inconnue : ${consultationSlug}` }] };
  if (consultation.status !== "open") {
    return {
      ok: false,
      errors: [{ line: 0, message: "La consultation n’est pas ouverte : les bulletins ne peuvent plus être ajoutés." }],
    };
  }
  const rules = readMethodParams(consultation.method, consultation.method_params);
  const column = COLUMN[consultation.method];

  const csvRead = readCsv(csv, ["arrondissement", column]);
  if (!csvRead.ok) return { ok: false, errors: csvRead.errors };
  const records = csvRead.records;

  const proposals = await db
    .selectFrom("proposals")
    .select(["id", "slug"])
    .where("consultation_id", "=", consultation.id)
    .execute();
  const idBySlug = new Map(proposals.map((p) => [p.slug, p.id]));
  const arrondissements = await db
    .selectFrom("arrondissements")
    .select(["code", "departement_code"])
    .where("region_code", "=", consultation.region_code)
    .execute();
  const ctsByArrondissement = new Map<string, string>();
  for (const a of arrondissements) {
    const cts = await resolveCts(db, { communeCodes: [], arrondissement: a.code, departement: a.departement_code });
    ctsByArrondissement.set(a.code, cts?.code ?? a.departement_code);
  }
  const ballotRules = { method: rules.method, k: rules.k, proposals: new Set(idBySlug.values()) };

  const errors: ImportLineError[] = [];
  const ballots: { arrondissement: string; cts: string; content: BallotContent }[] = [];
  records.forEach((record, index) => {
    const line = index + 2;
    const arrondissement = record.arrondissement ?? "";
    const cts = ctsByArrondissement.get(arrondissement);
    if (!cts) {
      errors.push({ line, message: `Arrondissement inconnu dans cette région : « ${arrondissement} ».` });
      return;
    }
    if (consultation.cts_code && cts !== consultation.cts_code) {
      errors.push({
        line,
        message: `L’arrondissement ${arrondissement} n’est pas dans le territoire de cette consultation.`,
      });
      return;
    }
    const raw = record[column] ?? "";
    const slugError = (slug: string) => `Proposition inconnue dans cette consultation : « ${slug} ».`;
    try {
      let content: unknown;
      if (consultation.method === "majority_judgment") {
        const grades: Record<string, Grade> = {};
        for (const pair of raw
          .split(";")
          .map((s) => s.trim())
          .filter(Boolean)) {
          const [slug = "", grade = ""] = pair.split("=").map((s) => s.trim());
          const id = idBySlug.get(slug);
          if (!id) throw new BallotContentError(slugError(slug));
          const g = gradeByName.get(grade.toLowerCase());
          if (!g) throw new BallotContentError(`Mention inconnue : « ${grade} » (attendu : ${GRADES.join(", ")}).`);
          if (grades[id]) throw new BallotContentError(`La proposition « ${slug} » a deux mentions.`);
          grades[id] = g;
        }
        content = { grades };
      } else {
        const list = raw
          .split("|")
          .map((s) => s.trim())
          .filter(Boolean)
          .map((slug) => {
            const id = idBySlug.get(slug);
            if (!id) throw new BallotContentError(slugError(slug));
            return id;
          });
        content = consultation.method === "approval" ? { selections: list } : { order: list };
      }
      ballots.push({ arrondissement, cts, content: validateContent(ballotRules, content) });
    } catch (error) {
      if (!(error instanceof BallotContentError)) throw error;
      errors.push({ line, message: error.message });
    }
  });
  if (errors.length) return { ok: false, errors };

  const now = new Date().toISOString();
  await db.transaction().execute(async (trx) => {
    for (const ballot of ballots) {
      const where = { arrondissement: ballot.arrondissement, cts: ballot.cts };
      await trx
        .insertInto("ballots")
        .values({
          id: randomUUID(),
          consultation_id: consultation.id,
          user_id: null,
          arrondissement_code: ballot.arrondissement,
          cts_code: ballot.cts,
          channel: "paper",
          content: JSON.stringify(ballot.content),
          assurance_level: null,
          created_at: now,
          updated_at: now,
        })
        .execute();
      await applyCells(trx, consultation.id, where, "paper", ballot.content, 1);
      await logEvent(trx, consultation.id, "cast", where, "paper", now);
    }
  });
  return { ok: true, imported: ballots.length };
}
