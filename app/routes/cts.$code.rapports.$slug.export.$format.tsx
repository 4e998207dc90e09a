import { createHash } from "node:crypto";
import type { LoaderFunctionArgs } from "@remix-run/node";
import type { ExportFormat } from "../../db/schema";
import { requireCtsReport } from "~/reports/access.server";
import { buildCtsReport, type CtsReport } from "~/reports/cts-report.server";
import { EXPORT_FORMATS } from "~/reports/export-formats";
import { EXPORT_TYPES, exportFilename, recordExport, reportCsv, reportJson, reportPdf, reportXlsx, sha256 } from "~/reports/exports.server";
import { db } from "~/server/db.server";

/** GET /cts/:code/rapports/:slug/export/(csv|json|xlsx|pdf): the report as a file, recorded with its SHA-256. */
export async function loader({ params, request, context }: LoaderFunctionArgs) {
  const format = params.format as ExportFormat;
  if (!EXPORT_FORMATS.includes(format)) throw new Response("Format d’export inconnu : csv, json, xlsx ou pdf.", { status: 404 });
  const { consultation, territory } = await requireCtsReport(db(), context, request, params);
  const report = await buildCtsReport(db(), consultation, territory);
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
  if (format === "csv") return new Response(csvStream(report, record), { headers });
  const body =
    format === "json" ? Buffer.from(JSON.stringify(reportJson(report), null, 2)) : format === "xlsx" ? await reportXlsx(report) : await reportPdf(report);
  const digest = sha256(body);
  await record(digest, body.length);
  return new Response(new Uint8Array(body), { headers: { ...headers, "Repr-Digest": `sha-256=:${Buffer.from(digest, "hex").toString("base64")}:` } });
}

// Written section by section as the client reads, hashed on the way; recorded once complete.
function csvStream(report: CtsReport, record: (digest: string, bytes: number) => Promise<void>) {
  const parts = reportCsv(report);
  const hash = createHash("sha256");
  let bytes = 0;
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      const next = parts.next();
      if (next.done) {
        await record(hash.digest("hex"), bytes);
        controller.close();
        return;
      }
      const chunk = Buffer.from(next.value, "utf8");
      hash.update(chunk);
      bytes += chunk.length;
      controller.enqueue(chunk);
    },
  });
}
