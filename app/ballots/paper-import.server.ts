import { randomUUID } from "node:crypto";
import { sql, type Kysely } from "kysely";
import { CsvLineReader, splitLines, type CsvLine, type CsvLineError } from "../../db/csv";
import type { Database } from "../../db/schema";
import { resolveCts } from "../territories/territories.server";
import { GRADE_LABELS, GRADES, type Grade, type Method } from "../tally/types";
import { BallotContentError, countedContent, validateContent } from "./ballot-content";
import { isPostgres } from "../../db/dialect";
import { applyChanges, keepEventDays, NetChanges, readMethodParams } from "./ballots.server";

export type ImportLineError = CsvLineError;

export type PaperImportResult =
  | { ok: true; imported: number; blank: number }
  /** `more`: errors past the first KEPT_ERRORS, counted and not kept. */
  | { ok: false; errors: ImportLineError[]; more?: number };

/**
 * The file's lines, read twice (checked, then written): the whole text, or a function that opens
 * them anew each time as chunks of lines (`fileLines` for a file of any size).
 */
export type PaperLines = string | (() => AsyncIterable<readonly string[]> | Iterable<readonly string[]>);

/** Where an import stands: lines checked (first reading), then lines written (second reading). */
export interface ImportProgress {
  phase: "checked" | "written";
  lines: number;
  /** Since this reading began. */
  seconds: number;
}

const COLUMN = { approval: "selections", majority_judgment: "grades", ranked: "order" } as const;

/** A grade as its code (`tres_prioritaire`) or its French label (« Très prioritaire »), in any case. */
const gradeByName = new Map<string, Grade>([
  ...GRADES.map((g) => [g, g] as const),
  ...GRADES.map((g) => [GRADE_LABELS[g].toLowerCase(), g] as const),
]);

/**
 * Ballots written per batch: one statement for the ballots and one for their events, whatever the
 * size (the rows go as one JSON text on SQLite, as arrays on PostgreSQL: no parameter limit). At
 * 1,000 a batch the statements' round trips were a third of a 1 M import on PostgreSQL; past 5,000
 * nothing more is gained and a batch holds ~1 MB.
 */
const BATCH = 5000;

/** Errors kept (and listed) at most: a file of a million bad lines would otherwise hold them all. */
export const KEPT_ERRORS = 100_000;

/** Progress is told every this many lines. */
export const PROGRESS_EVERY = 100_000;

const NOT_OPEN = "La consultation n’est pas ouverte : les bulletins ne peuvent plus être ajoutés.";

/** The file changed between its two readings: the import is rolled back. */
class FileChanged extends Error {
  constructor(readonly error: ImportLineError) {
    super(error.message);
  }
}

/**
 * Imports ballots collected on paper or with a helper, from a CSV with one row per ballot:
 * `arrondissement` (code) and, by method, `selections` (slug|slug…), `grades` (slug=grade|…, `;`
 * accepted between pairs too) or `order` (slug|slug…). The whole file is checked first — every bad
 * line is listed (the first KEPT_ERRORS), unreadable ones included — and nothing is written unless
 * all lines are good. A blank ballot (nothing chosen) is no ballot (`countedContent`, as online):
 * reported, not counted. Imported ballots count like online ones, marked "paper".
 *
 * The file is read twice and never held: once to check it, keeping only its errors, then again to
 * write it in batches, keeping only the kept counts' net changes summed so far (one entry per
 * territory, proposal and cell). Written in one transaction under the consultation lock a cast
 * takes (a close waits for the import, an import after a close is refused): ballot rows and events
 * in batches first, then the kept counts as one set of net changes in the cast's row order, last,
 * so the count rows voters also write are locked for the shortest time and in the same order
 * (docs/decisions/011-paper-import-under-load.md). A line that no longer reads the same the second
 * time (the file changed meanwhile) rolls it all back.
 */
export async function importPaperBallots(
  db: Kysely<Database>,
  consultationSlug: string,
  csv: PaperLines,
  progress?: (step: ImportProgress) => void,
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

  /**
   * One reading of the file: each line as a ballot, a blank ballot, an error, or nothing, a chunk
   * of lines at a time (one step of the loop per line was a tenth of a reading's time).
   */
  async function* readBallots() {
    const reader = new CsvLineReader(["arrondissement", column]);
    let line = 0;
    for await (const chunk of typeof csv === "string" ? [splitLines(csv)] : csv()) {
      yield chunk.map((text) => read(reader.read(text, ++line)));
    }
    const end = reader.end();
    if (end) yield [{ kind: "file" as const, error: end }];
  }
  function read(csvLine: CsvLine) {
    if (csvLine.kind !== "record") return csvLine;
    const { line, cells } = csvLine;
    const arrondissement = cells.arrondissement ?? "";
    const cts = ctsByArrondissement.get(arrondissement);
    if (!cts) {
      const message = `Arrondissement inconnu dans cette région : « ${arrondissement} ».`;
      return { kind: "error" as const, error: { line, message } };
    }
    if (consultation!.cts_code && cts !== consultation!.cts_code) {
      const message = `L’arrondissement ${arrondissement} n’est pas dans le territoire de cette consultation.`;
      return { kind: "error" as const, error: { line, message } };
    }
    try {
      const content = countedContent(
        validateContent(ballotRules, readContent(rules.method, cells[column] ?? "", idBySlug)),
      );
      return content
        ? { kind: "ballot" as const, line, ballot: { where: { arrondissement, cts }, content, sign: 1 as const } }
        : { kind: "empty" as const, line };
    } catch (error) {
      if (!(error instanceof BallotContentError)) throw error;
      return { kind: "error" as const, error: { line, message: error.message } };
    }
  }

  // First reading: the errors only.
  const errors: ImportLineError[] = [];
  let more = 0;
  let lines = 0;
  let began = performance.now();
  const seconds = () => (performance.now() - began) / 1000;
  for await (const items of readBallots()) {
    for (const item of items) {
      if (item.kind === "file") return { ok: false, errors: [item.error] };
      if (item.kind === "error") {
        if (errors.length < KEPT_ERRORS) errors.push(item.error);
        else more++;
      }
      if (++lines % PROGRESS_EVERY === 0) progress?.({ phase: "checked", lines, seconds: seconds() });
    }
  }
  if (errors.length) return { ok: false, errors, ...(more ? { more } : {}) };

  // Second reading: written in batches, the kept counts summed meanwhile and applied last.
  const now = new Date().toISOString();
  const nextId = idSequence();
  began = performance.now();
  try {
    const written = await db.transaction().execute(async (trx) => {
      // Shared like a cast's, exclusive for a close (ADR 010): the import is whole before a close or
      // refused after it. SQLite's one writer serialises them the same way.
      const query = trx.selectFrom("consultations").select("status").where("id", "=", consultation.id);
      const phase = await (isPostgres(trx) ? query.forKeyShare() : query).executeTakeFirst();
      if (phase?.status !== "open") return null;
      const net = new NetChanges();
      // Casts per place, for the counts kept per day (the events are written by writeBatch).
      const casts = new Map<string, { where: { arrondissement: string; cts: string }; count: number }>();
      let batch: PaperRow[] = [];
      let blank = 0;
      let imported = 0;
      let read = 0;
      // The batch being written while the next one is read (PostgreSQL answers over the network).
      let writing: Promise<void> = Promise.resolve();
      const flush = async () => {
        await writing;
        writing = writeBatch(trx, consultation.id, now, batch);
        writing.catch(() => undefined); // awaited at the next flush; not an unhandled rejection meanwhile
        batch = [];
      };
      try {
        for await (const items of readBallots()) {
          for (const item of items) {
            if (item.kind === "error" || item.kind === "file") throw new FileChanged(item.error);
            if (item.kind === "empty") blank++;
            if (item.kind === "ballot") {
              const { where, content } = item.ballot;
              batch.push([nextId(), nextId(), where.arrondissement, where.cts, JSON.stringify(content)]);
              net.add(item.ballot);
              const place = `${where.arrondissement}|${where.cts}`;
              const cast = casts.get(place) ?? { where, count: 0 };
              cast.count++;
              casts.set(place, cast);
              imported++;
              if (batch.length === BATCH) await flush();
            }
            if (++read % PROGRESS_EVERY === 0) progress?.({ phase: "written", lines: read, seconds: seconds() });
          }
        }
        if (batch.length) await flush();
      } finally {
        // Never end the transaction (rollback included) with a batch still in flight.
        await writing.catch(() => undefined);
      }
      await writing; // its failure, if any, fails the import
      await applyChanges(trx, consultation.id, "paper", net);
      await keepEventDays(
        trx,
        consultation.id,
        [...casts.values()].map(({ where, count }) => ({ outcome: "cast" as const, where, at: now, count })),
      );
      return { imported, blank };
    });
    if (!written) return { ok: false, errors: [{ line: 0, message: NOT_OPEN }] };
    return { ok: true, ...written };
  } catch (error) {
    if (!(error instanceof FileChanged)) throw error;
    const message = `Le fichier a changé pendant l’import, rien n’a été importé : ${error.error.message}`;
    return { ok: false, errors: [{ line: error.error.line, message }] };
  }
}

/** A ballot row to write: its id, its event's id, arrondissement, CTS territory, content (JSON). */
type PaperRow = [string, string, string, string, string];

/**
 * Ballots and their "cast" events, a batch in two statements. The rows go as one JSON text on
 * SQLite (one prepared statement whatever the batch's size) and as one array a column on
 * PostgreSQL (`unnest`): neither meets a parameter limit, and neither is compiled per row.
 */
async function writeBatch(trx: Kysely<Database>, consultationId: string, now: string, rows: readonly PaperRow[]) {
  if (isPostgres(trx)) {
    const column = (i: number) => rows.map((row) => row[i]!);
    await sql`insert into ballots (id, consultation_id, user_id, arrondissement_code, cts_code, channel, content,
        assurance_level, created_at, updated_at)
      select x.id, ${consultationId}, null, x.arrondissement, x.cts, 'paper', x.content, null, ${now}, ${now}
      from unnest(${column(0)}::text[], ${column(2)}::text[], ${column(3)}::text[], ${column(4)}::text[])
        as x(id, arrondissement, cts, content)`.execute(trx);
    await sql`insert into ballot_events (id, consultation_id, kind, arrondissement_code, cts_code, channel, created_at)
      select x.id, ${consultationId}, 'cast', x.arrondissement, x.cts, 'paper', ${now}
      from unnest(${column(1)}::text[], ${column(2)}::text[], ${column(3)}::text[]) as x(id, arrondissement, cts)`.execute(
      trx,
    );
    return;
  }
  const json = JSON.stringify(rows);
  await sql`insert into ballots (id, consultation_id, user_id, arrondissement_code, cts_code, channel, content,
      assurance_level, created_at, updated_at)
    select value ->> 0, ${consultationId}, null, value ->> 2, value ->> 3, 'paper', value ->> 4, null, ${now}, ${now}
    from json_each(${json})`.execute(trx);
  await sql`insert into ballot_events (id, consultation_id, kind, arrondissement_code, cts_code, channel, created_at)
    select value ->> 1, ${consultationId}, 'cast', value ->> 2, value ->> 3, 'paper', ${now}
    from json_each(${json})`.execute(trx);
}

/**
 * Ids for an import's rows: a random UUID's first 80 bits, then a counter. Shaped and as unique
 * as the others, but in order within the import, so a million rows go to the end of one place in
 * the primary keys' indexes instead of a million random pages.
 */
function idSequence(): () => string {
  const prefix = randomUUID().slice(0, 24);
  let n = 0;
  return () => prefix + (n++).toString(16).padStart(12, "0");
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
