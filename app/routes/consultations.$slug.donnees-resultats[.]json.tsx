import type { LoaderFunctionArgs } from "@remix-run/node";
import { publishedVersion } from "~/ballots/results.server";
import { requireRegionResults } from "~/web/access.server";
import { datasetDescription } from "~/reports/open-dataset";
import { db } from "~/platform/db.server";

/**
 * GET /consultations/:slug/donnees-resultats.json — the open dataset's description (CSVW): what the
 * CSV is, its columns, codes and labels. Same access as the CSV.
 */
export async function loader({ params, request, context }: LoaderFunctionArgs) {
  const { consultation } = await requireRegionResults(db(), context, request, params.slug);
  const url = new URL(request.url);
  return Response.json(
    datasetDescription({
      csvUrl: `${url.origin}/consultations/${consultation.slug}/donnees-resultats.csv`,
      consultation: { slug: consultation.slug, title: consultation.title, method: consultation.method },
      generatedAt: new Date().toISOString(),
      tallyVersion: await publishedVersion(db(), consultation),
    }),
    { headers: { "Cache-Control": "no-store" } },
  );
}
