import type { LoaderFunctionArgs } from "@remix-run/node";
import { ResultsError, resultsDocument } from "~/ballots/results-api.server";
import { db } from "~/platform/db.server";
import { retryHeaders, take } from "~/platform/rate-limit.server";
import { REFUSAL_STATUS } from "~/web/access.server";

/**
 * Open data: GET /api/v1/consultations/:slug/results?territory=region:28|cts:14|arrondissement:143
 * &weighting=raw|population. JSON; errors are JSON too, with a French message.
 */
export async function loader({ params, request, context }: LoaderFunctionArgs) {
  const url = new URL(request.url);
  const allowance = await take("apiPerAddress", context.clientAddress);
  if (!allowance.ok)
    return Response.json({ error: allowance.message }, { status: 429, headers: retryHeaders(allowance) });
  try {
    const document = await resultsDocument(db(), {
      slug: params.slug ?? "",
      territory: url.searchParams.get("territory"),
      weighting: url.searchParams.get("weighting"),
      user: context.auth.user,
    });
    return Response.json(document, { headers: { "Cache-Control": "no-store" } });
  } catch (error) {
    if (error instanceof ResultsError)
      return Response.json({ error: error.message }, { status: REFUSAL_STATUS[error.code] });
    throw error;
  }
}
