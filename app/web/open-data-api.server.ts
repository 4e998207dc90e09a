import type { AppLoadContext } from "@remix-run/node";
import { Refusal } from "~/platform/refusal";
import { retryHeaders, take } from "~/platform/rate-limit.server";
import { REFUSAL_STATUS } from "./access.server";

// Every /api/v1 answer goes through here, so that all of them count against the same per-address
// limit and speak the same JSON, errors included (what the OpenAPI document promises).

/**
 * The open-data API's answer to one request: 429 past the per-address limit; the document
 * `produce` returns, as JSON, not cached (figures move while a vote is open); a domain refusal as
 * `{ "error": "<message in French>" }` with its status.
 */
export async function openDataJson(context: AppLoadContext, produce: () => Promise<unknown>): Promise<Response> {
  const allowance = await take("apiPerAddress", context.clientAddress);
  if (!allowance.ok)
    return Response.json({ error: allowance.message }, { status: 429, headers: retryHeaders(allowance) });
  try {
    return Response.json(await produce(), { headers: { "Cache-Control": "no-store" } });
  } catch (error) {
    if (error instanceof Refusal)
      return Response.json({ error: error.message }, { status: REFUSAL_STATUS[error.code] });
    throw error;
  }
}
