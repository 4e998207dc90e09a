import type { LoaderFunctionArgs } from "@remix-run/node";
import { openDataIndex } from "~/reports/open-data-index.server";
import { db } from "~/platform/db.server";
import { env } from "~/platform/env.server";
import { openDataJson } from "~/web/open-data-api.server";

/**
 * Open data: GET /api/v1/consultations — the index: consultations (drafts never), their methods,
 * territories and the links to their results that answer everyone now. The same for every reader.
 */
export async function loader({ context }: LoaderFunctionArgs) {
  return openDataJson(context, () => openDataIndex(db(), { site: env().PUBLIC_URL }));
}
