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
 * column missing, no data line).
 */
export function readCsv(text: string, required: string[]): CsvRead {
  const lines = text.replace(/^\uFEFF/, "").split(/\r\n|\n|\r/);
  const headerIndex = lines.findIndex((l) => l.trim() !== "");
  if (headerIndex < 0) return { ok: false, errors: [{ line: 1, message: "Le fichier est vide." }] };
  const headerLine = lines[headerIndex]!;
  const count = (c: string) => headerLine.split(c).length - 1;
  const delimiter = count(";") > count(",") ? ";" : ",";
  const header = readLine(headerLine, delimiter);
  if (typeof header === "string")
    return { ok: false, errors: [{ line: headerIndex + 1, message: `En-tête illisible : ${header}` }] };
  const columns = header.map((h) => h.toLowerCase());
  const missing = required.filter((h) => !columns.includes(h));
  if (missing.length) {
    return {
      ok: false,
      errors: [{ line: headerIndex + 1, message: `Colonne(s) manquante(s) : ${missing.join(", ")}.` }],
    };
  }
  const records: CsvRecord[] = [];
  const errors: CsvLineError[] = [];
  for (let i = headerIndex + 1; i < lines.length; i++) {
    const text = lines[i]!;
    if (text.trim() === "") continue;
    const line = i + 1;
    const cells = readLine(text, delimiter);
    if (typeof cells === "string") {
      errors.push({ line, message: cells });
    } else if (cells.length !== columns.length) {
      errors.push({
        line,
        message:
          `${cells.length} colonne${cells.length > 1 ? "s" : ""} au lieu de ${columns.length} ` +
          `(séparateur « ${delimiter} » ; une valeur qui contient « ${delimiter} » s’écrit entre guillemets).`,
      });
    } else {
      records.push({ line, cells: Object.fromEntries(columns.map((c, j) => [c, cells[j]!])) });
    }
  }
  if (!records.length && !errors.length)
    return { ok: false, errors: [{ line: 1, message: "Le fichier ne contient aucune ligne de données." }] };
  return { ok: true, delimiter, records, errors };
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
