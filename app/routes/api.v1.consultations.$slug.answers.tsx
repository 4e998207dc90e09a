import type { LoaderFunctionArgs } from "@remix-run/node";
import { answersDocument, OpenDataError } from "~/answers/open-data.server";
import { db } from "~/platform/db.server";
import { retryHeaders, take } from "~/platform/rate-limit.server";

/**
 * Open data: GET /api/v1/consultations/:slug/answers[?cts=14] — the CTS's published answers, with
 * their history. JSON; errors are JSON too, with a French message.
 */
export async function loader({ params, request, context }: LoaderFunctionArgs) {
  const allowance = await take("apiPerAddress", context.clientAddress);
  if (!allowance.ok)
    return Response.json({ error: allowance.message }, { status: 429, headers: retryHeaders(allowance) });
  try {
    const document = await answersDocument(db(), {
      slug: params.slug ?? "",
      cts: new URL(request.url).searchParams.get("cts"),
    });
    return Response.json(document, { headers: { "Cache-Control": "no-store" } });
  } catch (error) {
    if (error instanceof OpenDataError) return Response.json({ error: error.message }, { status: error.status });
    throw error;
  }
}
