import type { LoaderFunctionArgs } from "@remix-run/node";
import { resultsDocument } from "~/ballots/results-api.server";
import { db } from "~/platform/db.server";
import { openDataJson } from "~/web/open-data-api.server";

/**
 * Open data: GET /api/v1/consultations/:slug/results?territory=region:28|cts:14|arrondissement:143
 * &weighting=raw|population. JSON; errors are JSON too, with a French message.
 */
export async function loader({ params, request, context }: LoaderFunctionArgs) {
  const url = new URL(request.url);
  return openDataJson(context, () =>
    resultsDocument(db(), {
      slug: params.slug ?? "",
      territory: url.searchParams.get("territory"),
      weighting: url.searchParams.get("weighting"),
      user: context.auth.user,
    }),
  );
}
