import type { LoaderFunctionArgs } from "@remix-run/node";
import { answersCsvRows, answersDocument, OpenDataError } from "~/answers/open-data.server";
import { csvLines } from "~/reports/exports.server";
import { db } from "~/platform/db.server";
import { REFUSAL_STATUS } from "~/web/access.server";

/** GET /consultations/:slug/donnees-reponses.csv — the CTS's published answers, as a dataset. */
export async function loader({ params }: LoaderFunctionArgs) {
  let document;
  try {
    document = await answersDocument(db(), { slug: params.slug ?? "", cts: null });
  } catch (error) {
    if (error instanceof OpenDataError) throw new Response(error.message, { status: REFUSAL_STATUS[error.code] });
    throw error;
  }
  return new Response(`\uFEFF${csvLines(answersCsvRows(document))}`, {
    headers: {
      "Content-Type": "text/csv; charset=utf-8",
      "Content-Disposition": `attachment; filename="reponses-cts-${document.consultation}-${document.generatedAt.slice(0, 10)}.csv"`,
      "Cache-Control": "no-store",
      "X-Content-Type-Options": "nosniff",
    },
  });
}
