import { randomUUID } from "node:crypto";
import type { Kysely } from "kysely";
import { readCsv, type CsvLineError } from "../../db/csv";
import type { Database } from "../../db/schema";
import { resolveCts } from "../territories/territories.server";
import { GRADE_LABELS, GRADES, type Grade, type Method } from "../tally/types";
import { BallotContentError, countedContent, validateContent } from "./ballot-content";
import { isPostgres } from "../../db/dialect";
import { applyChanges, logEvents, readMethodParams, type CellChange } from "./ballots.server";

export type ImportLineError = CsvLineError;

export type PaperImportResult =
  { ok: true; imported: number; blank: number } | { ok: false; errors: ImportLineError[] };

const COLUMN = { approval: "selections", majority_judgment: "grades", ranked: "order" } as const;

/** A grade as its code (`tres_prioritaire`) or its French label (« Très prioritaire »), in any case. */
const gradeByName = new Map<string, Grade>([
  ...GRADES.map((g) => [g, g] as const),
  ...GRADES.map((g) => [GRADE_LABELS[g].toLowerCase(), g] as const),
]);

/** Ballot rows written per statement (10 columns: under both databases' parameter limits). */
const BATCH = 1000;

const NOT_OPEN = "La consultation n’est pas ouverte : les bulletins ne peuvent plus être ajoutés.";

/**
 * Imports ballots collected on paper or with a helper, from a CSV with one row per ballot:
 * `arrondissement` (code) and, by method, `selections` (slug|slug…), `grades` (slug=grade|…, `;`
 * accepted between pairs too) or `order` (slug|slug…). The whole file is checked first — every bad
 * line is listed, unreadable ones included — and nothing is written unless all lines are good. A
 * blank ballot (nothing chosen) is no ballot (`countedContent`, as online): reported, not counted.
 * Imported ballots count like online ones, marked "paper".
 *
 * Written in one transaction under the consultation lock a cast takes (a close waits for the import, an
 * import after a close is refused): ballot rows and events in batches first, then the kept counts
 * as one set of net changes in the cast's row order, last, so the count rows voters also write are
 * locked for the shortest time and in the same order (docs/decisions/011-paper-import-under-load.md).
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
  if (consultation.status !== "open") return { ok: false, errors: [{ line: 0, message: NOT_OPEN }] };
  const rules = readMethodParams(consultation.method, consultation.method_params);
  const column = COLUMN[consultation.method];

  const csvRead = readCsv(csv, ["arrondissement", column]);
  if (!csvRead.ok) return { ok: false, errors: csvRead.errors };

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

  const errors: ImportLineError[] = [...csvRead.errors];
  const ballots: CellChange[] = [];
  let blank = 0;
  for (const { line, cells } of csvRead.records) {
    const arrondissement = cells.arrondissement ?? "";
    const cts = ctsByArrondissement.get(arrondissement);
    if (!cts) {
      errors.push({ line, message: `Arrondissement inconnu dans cette région : « ${arrondissement} ».` });
      continue;
    }
    if (consultation.cts_code && cts !== consultation.cts_code) {
      errors.push({
        line,
        message: `L’arrondissement ${arrondissement} n’est pas dans le territoire de cette consultation.`,
      });
      continue;
    }
    try {
      const content = countedContent(
        validateContent(ballotRules, readContent(consultation.method, cells[column] ?? "", idBySlug)),
      );
      if (content) ballots.push({ where: { arrondissement, cts }, content, sign: 1 });
      else blank++;
    } catch (error) {
      if (!(error instanceof BallotContentError)) throw error;
      errors.push({ line, message: error.message });
    }
  }
  if (errors.length) return { ok: false, errors: errors.sort((a, b) => a.line - b.line) };

  const now = new Date().toISOString();
  const written = await db.transaction().execute(async (trx) => {
    // Shared like a cast's, exclusive for a close (ADR 010): the import is whole before a close or
    // refused after it. SQLite's one writer serialises them the same way.
    const query = trx.selectFrom("consultations").select("status").where("id", "=", consultation.id);
    const phase = await (isPostgres(trx) ? query.forKeyShare() : query).executeTakeFirst();
    if (phase?.status !== "open") return false;
    for (let i = 0; i < ballots.length; i += BATCH) {
      const batch = ballots.slice(i, i + BATCH);
      await trx
        .insertInto("ballots")
        .values(
          batch.map((ballot) => ({
            id: randomUUID(),
            consultation_id: consultation.id,
            user_id: null,
            arrondissement_code: ballot.where.arrondissement,
            cts_code: ballot.where.cts,
            channel: "paper" as const,
            content: JSON.stringify(ballot.content),
            assurance_level: null,
            created_at: now,
            updated_at: now,
          })),
        )
        .execute();
      await logEvents(
        trx,
        consultation.id,
        "paper",
        batch.map((ballot) => ({ outcome: "cast" as const, where: ballot.where, at: now })),
      );
    }
    await applyChanges(trx, consultation.id, "paper", ballots);
    return true;
  });
  if (!written) return { ok: false, errors: [{ line: 0, message: NOT_OPEN }] };
  return { ok: true, imported: ballots.length, blank };
}

/** A ballot's content as the method's JSON, from its CSV cell; proposals by slug become ids. */
function readContent(method: Method, raw: string, idBySlug: ReadonlyMap<string, string>): unknown {
  const idOf = (slug: string) => {
    const id = idBySlug.get(slug);
    if (!id) throw new BallotContentError(`Proposition inconnue dans cette consultation : « ${slug} ».`);
    return id;
  };
  if (method === "majority_judgment") {
    const grades: Record<string, Grade> = {};
    // `|` between pairs never clashes with the file's separator; `;` does in a `;`-separated file
    // unless the cell is quoted, and is accepted for the files written that way.
    for (const pair of raw
      .split(/[|;]/)
      .map((s) => s.trim())
      .filter(Boolean)) {
      const [slug = "", grade = ""] = pair.split("=").map((s) => s.trim());
      const id = idOf(slug);
      const g = gradeByName.get(grade.toLowerCase());
      if (!g) {
        throw new BallotContentError(
          `Mention inconnue : « ${grade} » (attendu : ${GRADES.map((c) => `${c} ou « ${GRADE_LABELS[c]} »`).join(", ")}).`,
        );
      }
      if (grades[id]) throw new BallotContentError(`La proposition « ${slug} » a deux mentions.`);
      grades[id] = g;
    }
    return { grades };
  }
  const list = raw
    .split("|")
    .map((s) => s.trim())
    .filter(Boolean)
    .map(idOf);
  return method === "approval" ? { selections: list } : { order: list };
}
