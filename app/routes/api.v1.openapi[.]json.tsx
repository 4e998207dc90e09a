import { env } from "~/platform/env.server";
import { openApiDocument } from "~/web/openapi";

/** GET /api/v1/openapi.json — the open-data API described for machines (OpenAPI 3.1). */
export function loader() {
  // The same for everyone and for the process's life: browsers and tools may keep it a while.
  return Response.json(openApiDocument(env().PUBLIC_URL), { headers: { "Cache-Control": "public, max-age=300" } });
}
