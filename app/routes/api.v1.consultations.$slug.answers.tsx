import type { LoaderFunctionArgs } from "@remix-run/node";
import { answersDocument } from "~/answers/open-data.server";
import { db } from "~/platform/db.server";
import { openDataJson } from "~/web/open-data-api.server";

/**
 * Open data: GET /api/v1/consultations/:slug/answers[?cts=14] — the CTS's published answers, with
 * their history. JSON; errors are JSON too, with a French message.
 */
export async function loader({ params, request, context }: LoaderFunctionArgs) {
  return openDataJson(context, () =>
    answersDocument(db(), { slug: params.slug ?? "", cts: new URL(request.url).searchParams.get("cts") }),
  );
}
