import type { Kysely } from "kysely";
import { readContentVersion } from "../../db/content-version";
import type { Database, ExportFormat } from "../../db/schema";
import { log } from "../platform/log.server";
import type { CtsReport, ReportConsultation } from "./cts-report.server";
import { csvLines, reportCsv, reportJson, reportPdf, reportXlsx } from "./exports.server";
import { regionDataset } from "./region.server";

// The size a download link announces is the size of the file it serves, and no page request
// renders an export to learn it. The CSV and JSON are measured exactly from the report already
// built for the page (a few milliseconds). The PDF and XLSX take up to a second to render, so
// they are measured on the exports served: the last one of the same tally version gives the exact
// size (only the generation time inside differs, same length); failing that, the last one of an
// older version gives it "environ" (the report has the same rows, figures of other widths). A
// report never exported is rendered once in the background after the request that first showed
// it, and its size kept: exact for its tally version, "environ" for the later ones (rendering
// again at each version would cost a second of CPU per view while votes come in). Until then its
// link has no size.
// A size measured before the report's rank intervals were computed (no interval column) is
// announced "environ" once the intervals are there.
const sizes = new Map<string, { bytes: number; version: number; intervals: number | null }>();
const SIZE_CACHE = 256;

function remember(key: string, bytes: number, version = 0, intervals: number | null = null) {
  if (sizes.size >= SIZE_CACHE) sizes.delete(sizes.keys().next().value!);
  sizes.set(key, { bytes, version, intervals });
  return bytes;
}

// Background measures: one at a time (a PDF is a second of this process's CPU), one per key, and
// a bounded number waiting (beyond it a link stays without size until a later request asks again).
const waiting = new Set<string>();
const MAX_WAITING = 16;
let queue: Promise<void> = Promise.resolve();

function measureLater(
  key: string,
  measure: () => Promise<{ bytes: number; version?: number; intervals?: number | null }>,
) {
  if (waiting.has(key) || waiting.size >= MAX_WAITING) return;
  waiting.add(key);
  queue = queue
    // After the request that asked has been answered.
    .then(() => new Promise<void>((resolve) => setImmediate(resolve)))
    .then(measure)
    .then(
      ({ bytes, version, intervals }) => void remember(key, bytes, version, intervals),
      // Nothing is kept from a measure that failed (a store gone away mid-read): a later request
      // asks again.
      (error: unknown) => log().warn({ err: error }, "Taille d'un export : mesure en arrière-plan échouée"),
    )
    .finally(() => waiting.delete(key));
}

/** Resolves once the sizes being measured in the background are known (tests). */
export function settleExportSizes(): Promise<void> {
  return queue;
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
  /** Null while not known yet (being measured). */
  bytes: number | null;
  /** From an export of an older tally version. */
  approximate: boolean;
}

/** The byte size of each export of this report, as its download would serve it now, where known. */
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
  const base = [consultationId, report.territory.code, answers].join("|");
  const out = {} as Record<ExportFormat, ExportSize>;
  for (const format of formats) {
    if (format === "csv" || format === "json") {
      // The same report (its figures are computed once per tally version, at generatedAt), the
      // same intervals and answers: the same bytes. Measuring them again took tens of milliseconds
      // of every request.
      const key = [
        consultationId,
        report.territory.code,
        report.generatedAt,
        JSON.stringify(report.intervals),
        answers,
        format,
      ].join("|");
      const known = sizes.get(key);
      out[format] = { bytes: known ? known.bytes : remember(key, await render(report, format)), approximate: false };
      continue;
    }
    const key = `${base}|${format}`;
    const version = report.tallyVersion;
    const intervals = report.intervals?.version ?? null;
    const known = sizes.get(key);
    const same = served.find((e) => e.format === format && e.tally_version === version);
    const older = served.find((e) => e.format === format);
    if (known && known.version === version && known.intervals === intervals)
      out[format] = { bytes: known.bytes, approximate: false };
    else if (same) out[format] = { bytes: Number(same.bytes), approximate: false };
    else if (known) out[format] = { bytes: known.bytes, approximate: true };
    else if (older) out[format] = { bytes: Number(older.bytes), approximate: true };
    else {
      measureLater(key, async () => ({ bytes: await render(report, format), version, intervals }));
      out[format] = { bytes: null, approximate: false };
    }
  }
  return out;
}

/**
 * The byte size of the open dataset (`/consultations/<slug>/donnees-resultats.csv`) at this
 * version, or null while it is measured in the background (it reads every territory's tally).
 */
export async function datasetSize(
  db: Kysely<Database>,
  consultation: ReportConsultation,
  version: number,
): Promise<number | null> {
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
  measureLater(key, async () => {
    let bytes = Buffer.byteLength("\uFEFF", "utf8");
    for await (const row of regionDataset(db, consultation)) bytes += Buffer.byteLength(csvLines([row]), "utf8");
    return { bytes };
  });
  return null;
}
