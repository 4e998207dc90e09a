import type { LoaderFunctionArgs } from "@remix-run/node";
import { searchCommunes } from "~/territories/territories.server";
import { db } from "~/platform/db.server";

/** Live results for the commune picker: GET /api/communes?q=lisieux (or a postal code). */
export async function loader({ request }: LoaderFunctionArgs) {
  const q = new URL(request.url).searchParams.get("q") ?? "";
  return { results: await searchCommunes(db(), q) };
}
