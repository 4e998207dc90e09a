import type { LoaderFunctionArgs } from "@remix-run/node";
import type { ExportFormat } from "../../db/schema";
import { recordAudit } from "~/audit/audit.server";
import { requireCtsReport } from "~/web/access.server";
import { buildCtsReport } from "~/reports/cts-report.server";
import { EXPORT_FORMATS } from "~/reports/export-formats";
import {
  EXPORT_TYPES,
  exportFilename,
  hashedStream,
  recordExport,
  reportCsv,
  reportJson,
  reportPdf,
  reportXlsx,
  sha256,
} from "~/reports/exports.server";
import { db } from "~/platform/db.server";
import { withAnswers } from "~/answers/report-answers.server";

/** GET /cts/:code/rapports/:slug/export/(csv|json|xlsx|pdf): the report as a file, recorded with its SHA-256. */
export async function loader({ params, request, context }: LoaderFunctionArgs) {
  const format = params.format as ExportFormat;
  if (!EXPORT_FORMATS.includes(format))
    throw new Response("Format d’export inconnu : csv, json, xlsx ou pdf.", { status: 404 });
  const { consultation, territory } = await requireCtsReport(db(), context, request, params);
  const report = await withAnswers(db(), await buildCtsReport(db(), consultation, territory), consultation.id);
  await recordAudit(db(), {
    kind: "export",
    detail: `rapport ${consultation.slug} du CTS ${territory.code} (${format.toUpperCase()})`,
  });
  const record = (digest: string, bytes: number) =>
    recordExport(db(), {
      consultationId: consultation.id,
      territory: territory.code,
      format,
      tallyVersion: report.tallyVersion,
      generatedAt: report.generatedAt,
      sha256: digest,
      bytes,
    });
  const headers = {
    "Content-Type": EXPORT_TYPES[format],
    "Content-Disposition": `attachment; filename="${exportFilename(report, format)}"`,
    "Cache-Control": "private, no-store",
    "X-Content-Type-Options": "nosniff",
  };
  if (format === "csv") return new Response(hashedStream(reportCsv(report), record), { headers });
  const body =
    format === "json"
      ? Buffer.from(JSON.stringify(reportJson(report), null, 2))
      : format === "xlsx"
        ? await reportXlsx(report)
        : await reportPdf(report);
  const digest = sha256(body);
  await record(digest, body.length);
  return new Response(new Uint8Array(body), {
    headers: { ...headers, "Repr-Digest": `sha-256=:${Buffer.from(digest, "hex").toString("base64")}:` },
  });
}
