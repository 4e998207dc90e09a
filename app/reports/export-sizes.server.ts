import type { Kysely } from "kysely";
import { readContentVersion } from "../../db/content-version";
import type { Database, ExportFormat } from "../../db/schema";
import type { CtsReport, ReportConsultation } from "./cts-report.server";
import { csvLines, reportCsv, reportJson, reportPdf, reportXlsx } from "./exports.server";
import { regionDataset } from "./region.server";

// The size a download link announces is the size of the file it serves. The CSV and JSON are
// measured exactly from the report already built for the page (a few milliseconds). The PDF and
// XLSX take up to a second to render, so they are measured on the exports served: the last one of
// the same tally version gives the exact size (only the generation time inside differs, same
// length); failing that, the last one of an older version gives it "environ" (the report has the
// same rows, figures of other widths); a report never exported is rendered once in memory and
// its size kept for its tally version.
// A size measured before the report's rank intervals were computed (no interval column) is kept
// for its tally version all the same, and announced "environ" once the intervals are there.
const sizes = new Map<string, { bytes: number; intervals: number | null }>();
const SIZE_CACHE = 256;

function remember(key: string, bytes: number, intervals: number | null = null) {
  if (sizes.size >= SIZE_CACHE) sizes.delete(sizes.keys().next().value!);
  sizes.set(key, { bytes, intervals });
  return bytes;
}

async function render(report: CtsReport, format: ExportFormat): Promise<number> {
  if (format === "csv") {
    let bytes = 0;
    for (const part of reportCsv(report)) bytes += Buffer.byteLength(part, "utf8");
    return bytes;
  }
  if (format === "json") return Buffer.byteLength(JSON.stringify(reportJson(report), null, 2), "utf8");
  return (format === "xlsx" ? await reportXlsx(report) : await reportPdf(report)).length;
}

export interface ExportSize {
  bytes: number;
  /** From an export of an older tally version. */
  approximate: boolean;
}

/** The byte size of each export of this report, as its download would serve it now. */
export async function reportExportSizes(
  db: Kysely<Database>,
  consultationId: string,
  report: CtsReport,
  formats: readonly ExportFormat[],
): Promise<Record<ExportFormat, ExportSize>> {
  const served = await db
    .selectFrom("report_exports")
    .select(["format", "tally_version", "bytes"])
    .where("consultation_id", "=", consultationId)
    .where("territory", "=", report.territory.code)
    .where("format", "in", ["pdf", "xlsx"])
    .orderBy("generated_at", "desc")
    .limit(20)
    .execute();
  const answers = report.answers ? JSON.stringify(report.answers) : "";
  const base = [report.consultation.slug, report.territory.code, report.tallyVersion, answers].join("|");
  const out = {} as Record<ExportFormat, ExportSize>;
  for (const format of formats) {
    const key = `${base}|${format}`;
    if (format === "csv" || format === "json") {
      out[format] = { bytes: await render(report, format), approximate: false };
      continue;
    }
    const same = served.find((e) => e.format === format && e.tally_version === report.tallyVersion);
    const older = served.find((e) => e.format === format);
    const known = sizes.get(key);
    const intervals = report.intervals?.version ?? null;
    out[format] =
      known !== undefined
        ? { bytes: known.bytes, approximate: known.intervals !== intervals }
        : same
          ? { bytes: Number(same.bytes), approximate: false }
          : older
            ? { bytes: Number(older.bytes), approximate: true }
            : { bytes: remember(key, await render(report, format), intervals), approximate: false };
  }
  return out;
}

/** The byte size of the open dataset (`/consultations/<slug>/donnees-resultats.csv`) at this version. */
export async function datasetSize(
  db: Kysely<Database>,
  consultation: ReportConsultation,
  version: number,
): Promise<number> {
  const key = `dataset|${consultation.id}|${consultation.status}|${version}|${await readContentVersion(db)}`;
  const known = sizes.get(key);
  if (known !== undefined) return known.bytes;
  // A dataset of this version already served: its size (generation times have one length).
  const served = await db
    .selectFrom("report_exports")
    .select("bytes")
    .where("consultation_id", "=", consultation.id)
    .where("territory", "=", "region")
    .where("format", "=", "csv")
    .where("tally_version", "=", version)
    .orderBy("generated_at", "desc")
    .executeTakeFirst();
  if (served) return remember(key, Number(served.bytes));
  let bytes = Buffer.byteLength("\uFEFF", "utf8");
  for await (const row of regionDataset(db, consultation)) bytes += Buffer.byteLength(csvLines([row]), "utf8");
  return remember(key, bytes);
}
