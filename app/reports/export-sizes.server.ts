import type { Kysely } from "kysely";
import { readContentVersion } from "../../db/content-version";
import type { Database, ExportFormat } from "../../db/schema";
import type { CtsReport, ReportConsultation } from "./cts-report.server";
import { csvLines, reportCsv, reportJson, reportPdf, reportXlsx } from "./exports.server";
import { regionDataset } from "./region.server";

// The size a download link announces is the size of the file it serves, measured by rendering
// that file: the CSV and JSON from the report already built for the page, the XLSX and PDF once
// per (report, tally version, answers) and kept in memory. Only the generation time inside the
// file differs from one download to the next (same length), so the figure is exact.
const sizes = new Map<string, number>();
const SIZE_CACHE = 256;

function remember(key: string, bytes: number) {
  if (sizes.size >= SIZE_CACHE) sizes.delete(sizes.keys().next().value!);
  sizes.set(key, bytes);
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

/** The byte size of each export of this report, as its download would serve it now. */
export async function reportExportSizes(
  report: CtsReport,
  formats: readonly ExportFormat[],
): Promise<Record<ExportFormat, number>> {
  const answers = report.answers ? JSON.stringify(report.answers) : "";
  const base = [
    report.consultation.slug,
    report.territory.code,
    report.consultation.status,
    report.tallyVersion,
    report.intervals?.version ?? "",
    answers.length,
    answers,
  ].join("|");
  const out = {} as Record<ExportFormat, number>;
  for (const format of formats) {
    const key = `${base}|${format}`;
    out[format] = sizes.get(key) ?? remember(key, await render(report, format));
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
  if (known !== undefined) return known;
  let bytes = Buffer.byteLength("\uFEFF", "utf8");
  for await (const row of regionDataset(db, consultation, new Date().toISOString(), version))
    bytes += Buffer.byteLength(csvLines([row]), "utf8");
  return remember(key, bytes);
}
