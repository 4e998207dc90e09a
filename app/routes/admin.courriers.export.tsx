import type { ActionFunctionArgs } from "@remix-run/node";
import { exportPendingLetters } from "~/identity/postal-letters.server";
import { lettersCsv, lettersPdf } from "~/identity/postal-letter-files.server";
import { db } from "~/platform/db.server";
import { env } from "~/platform/env.server";
import { readFormData } from "~/web/form.server";
import { requireRole } from "~/web/guards.server";

// A POST, not a GET: exporting makes the codes and marks the letters sent.
export async function action({ request, context }: ActionFunctionArgs) {
  const admin = requireRole(context, request, "admin");
  const format = (await readFormData(request)).get("format") === "pdf" ? "pdf" : "csv";
  const letters = await exportPendingLetters(db(), { by: admin.id, format });
  const day = new Date().toISOString().slice(0, 10);
  const body = format === "csv" ? lettersCsv(letters) : new Uint8Array(await lettersPdf(letters, env().PUBLIC_URL));
  return new Response(body, {
    headers: {
      "Content-Type": format === "csv" ? "text/csv; charset=utf-8" : "application/pdf",
      "Content-Disposition": `attachment; filename="courriers-${day}.${format}"`,
      "X-Content-Type-Options": "nosniff",
      "Cache-Control": "private, no-store",
    },
  });
}
