import type { LoaderFunctionArgs } from "@remix-run/node";
import { publishedVersion } from "~/ballots/results.server";
import { requireRegionResults } from "~/web/access.server";
import { csvLines, hashedStream, recordExport } from "~/reports/exports.server";
import { regionDataset } from "~/reports/region.server";
import { db } from "~/platform/db.server";

/** GET /consultations/:slug/donnees-resultats.csv — every territory's ranking, streamed, recorded with its SHA-256. */
export async function loader({ params, request, context }: LoaderFunctionArgs) {
  const { consultation } = await requireRegionResults(db(), context, request, params.slug);
  const generatedAt = new Date().toISOString();
  const version = await publishedVersion(db(), consultation);
  const rows = regionDataset(db(), consultation);
  async function* lines() {
    yield "\uFEFF";
    for await (const row of rows) yield csvLines([row]);
  }
  const body = hashedStream(lines(), (sha256, bytes) =>
    recordExport(db(), {
      consultationId: consultation.id,
      territory: "region",
      format: "csv",
      tallyVersion: version,
      generatedAt,
      sha256,
      bytes,
    }),
  );
  return new Response(body, {
    headers: {
      "Content-Type": "text/csv; charset=utf-8",
      "Content-Disposition": `attachment; filename="resultats-${consultation.slug}-${generatedAt.slice(0, 10)}-v${version}.csv"`,
      "Cache-Control": "no-store",
      "X-Content-Type-Options": "nosniff",
    },
  });
}
