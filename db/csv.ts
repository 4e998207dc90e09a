import { parse } from "csv-parse/sync";

export interface CsvLineError {
  line: number;
  message: string;
}

/**
 * Reads an imported CSV the way administrators produce it: UTF-8 with or without BOM, comma or
 * semicolon, header names trimmed and lower-cased, blank lines skipped. Checks the header has
 * `required` columns. Line numbers in errors count the header as line 1.
 */
export function readCsv(
  text: string,
  required: string[],
): { ok: true; records: Record<string, string>[] } | { ok: false; errors: CsvLineError[] } {
  let records: Record<string, string>[];
  try {
    records = parse(text.replace(/^\uFEFF/, ""), {
      columns: (header: string[]) => header.map((h) => h.trim().toLowerCase()),
      delimiter: [",", ";"],
      skip_empty_lines: true,
      trim: true,
    });
  } catch (error) {
    return {
      ok: false,
      errors: [
        { line: (error as { lines?: number }).lines ?? 1, message: `CSV illisible : ${(error as Error).message}` },
      ],
    };
  }
  if (!records.length)
    return { ok: false, errors: [{ line: 1, message: "Le fichier ne contient aucune ligne de données." }] };
  const header = Object.keys(records[0]!);
  const missing = required.filter((h) => !header.includes(h));
  if (missing.length)
    return { ok: false, errors: [{ line: 1, message: `Colonne(s) manquante(s) : ${missing.join(", ")}.` }] };
  return { ok: true, records };
}
