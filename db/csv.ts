import fs from "node:fs";
import { parse } from "csv-parse/sync";

export interface CsvLineError {
  line: number;
  message: string;
}

/** A data line of an imported CSV: its number in the file (the header is line 1) and its cells by column. */
export interface CsvRecord {
  line: number;
  cells: Record<string, string>;
}

export type CsvRead =
  | { ok: true; delimiter: "," | ";"; records: CsvRecord[]; errors: CsvLineError[] }
  | { ok: false; errors: CsvLineError[] };

/**
 * Reads an imported CSV the way administrators produce it: UTF-8 with or without BOM, header names
 * trimmed and lower-cased, blank lines skipped, one record per line. The separator is the header's
 * (`;` when it has more semicolons than commas, `,` otherwise), so a `;` inside a comma-separated
 * file is an ordinary character. Each line is read on its own: a line that cannot be read (wrong
 * number of columns, a quote left open) is listed in `errors` and the others are still returned,
 * so the caller can check them and list every error of the file at once — an unclosed quote never
 * swallows the lines after it. `ok: false` is for the file as a whole (no header, a required
 * column missing, no data line). For a file too large to hold, `CsvLineReader` reads it line by
 * line the same way.
 */
export function readCsv(text: string, required: string[]): CsvRead {
  const reader = new CsvLineReader(required);
  const records: CsvRecord[] = [];
  const errors: CsvLineError[] = [];
  const lines = splitLines(text);
  for (let i = 0; i < lines.length; i++) {
    const read = reader.read(lines[i]!, i + 1);
    if (read.kind === "file") return { ok: false, errors: [read.error] };
    if (read.kind === "record") records.push({ line: read.line, cells: read.cells });
    else if (read.kind === "error") errors.push(read.error);
  }
  const end = reader.end();
  if (end) return { ok: false, errors: [end] };
  return { ok: true, delimiter: reader.delimiter!, records, errors };
}

/** A file's lines, as `readCsv` and `fileLines` cut them (`\r\n`, `\n` or `\r`). */
export function splitLines(text: string): string[] {
  return text.split(/\r\n|\n|\r/);
}

/** What one line of an imported CSV is (see CsvLineReader.read). */
export type CsvLine =
  | ({ kind: "record" } & CsvRecord)
  | { kind: "error"; error: CsvLineError }
  | { kind: "blank" | "header" }
  /** The file as a whole cannot be read (its header): stop there. */
  | { kind: "file"; error: CsvLineError };

/**
 * `readCsv` one line at a time, for files read as a stream: give it every line of the file in
 * order, numbered from 1, then call `end()`. It keeps only the header.
 */
export class CsvLineReader {
  delimiter: "," | ";" | undefined;
  private columns: string[] | undefined;
  private dataLines = 0;

  constructor(private readonly required: readonly string[]) {}

  read(raw: string, line: number): CsvLine {
    const text = line === 1 ? raw.replace(/^\uFEFF/, "") : raw;
    if (text.trim() === "") return { kind: "blank" };
    if (!this.columns) return this.readHeader(text, line);
    const columns = this.columns;
    const delimiter = this.delimiter!;
    this.dataLines++;
    const cells = readLine(text, delimiter);
    if (typeof cells === "string") return { kind: "error", error: { line, message: cells } };
    if (cells.length !== columns.length) {
      return {
        kind: "error",
        error: {
          line,
          message:
            `${cells.length} colonne${cells.length > 1 ? "s" : ""} au lieu de ${columns.length} ` +
            `(séparateur « ${delimiter} » ; une valeur qui contient « ${delimiter} » s’écrit entre guillemets).`,
        },
      };
    }
    const record: Record<string, string> = {};
    for (let j = 0; j < columns.length; j++) record[columns[j]!] = cells[j]!;
    return { kind: "record", line, cells: record };
  }

  /** After the last line: why the file as a whole cannot be read (empty, no data line), or null. */
  end(): CsvLineError | null {
    if (!this.columns) return { line: 1, message: "Le fichier est vide." };
    if (!this.dataLines) return { line: 1, message: "Le fichier ne contient aucune ligne de données." };
    return null;
  }

  private readHeader(text: string, line: number): CsvLine {
    const count = (c: string) => text.split(c).length - 1;
    const delimiter = count(";") > count(",") ? ";" : ",";
    const header = readLine(text, delimiter);
    if (typeof header === "string") return { kind: "file", error: { line, message: `En-tête illisible : ${header}` } };
    const columns = header.map((h) => h.toLowerCase());
    const missing = this.required.filter((h) => !columns.includes(h));
    if (missing.length)
      return { kind: "file", error: { line, message: `Colonne(s) manquante(s) : ${missing.join(", ")}.` } };
    this.delimiter = delimiter;
    this.columns = columns;
    return { kind: "header" };
  }
}

/**
 * A file's lines, read as a stream in chunks of lines (cut as `splitLines` cuts a string, so the
 * numbering is the same): a file of any size in little memory.
 */
export async function* fileLines(file: string, chunkBytes = 1 << 20): AsyncGenerator<string[]> {
  let rest: Buffer | null = null;
  for await (const chunk of fs.createReadStream(file, { highWaterMark: chunkBytes })) {
    const bytes: Buffer = rest ? Buffer.concat([rest, chunk as Buffer]) : (chunk as Buffer);
    // Cut after the last line break: never inside a UTF-8 character, nor between a `\r\n`'s halves
    // (a `\r` that ends the chunk waits for the next one).
    let cut = bytes.lastIndexOf(10) + 1;
    const cr = bytes.lastIndexOf(13);
    if (cr >= cut && cr < bytes.length - 1) cut = cr + 1;
    rest = bytes.subarray(cut);
    if (cut === 0) continue;
    const lines = splitLines(bytes.toString("utf8", 0, cut));
    lines.pop(); // after the last line break: nothing
    yield lines;
  }
  if (rest?.length) yield splitLines(rest.toString("utf8"));
}

/** One line's cells, trimmed, or why it cannot be read (in French). */
function readLine(text: string, delimiter: "," | ";"): string[] | string {
  // Most lines hold no quote: splitting them is what the parser would do, a hundred times faster.
  if (!text.includes('"')) return text.split(delimiter).map((cell) => cell.trim());
  try {
    const [cells] = parse(text, { delimiter, trim: true }) as string[][];
    return cells ?? [];
  } catch (error) {
    switch ((error as { code?: string }).code) {
      case "CSV_QUOTE_NOT_CLOSED":
        return "guillemet ouvert jamais fermé (une valeur entre guillemets doit finir sur la même ligne).";
      case "CSV_INVALID_CLOSING_QUOTE":
      case "CSV_NON_TRIMABLE_CHAR_AFTER_CLOSING_QUOTE":
        return 'texte après un guillemet fermant (un guillemet dans une valeur s’écrit deux fois : "").';
      case "INVALID_OPENING_QUOTE":
        return "guillemet au milieu d’une valeur (entourez toute la valeur de guillemets).";
      default:
        return `ligne illisible (${(error as Error).message}).`;
    }
  }
}
