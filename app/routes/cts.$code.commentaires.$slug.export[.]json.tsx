import type { LoaderFunctionArgs } from "@remix-run/node";
import { recordAudit } from "~/audit/audit.server";
import { requireCtsAccess } from "~/web/access.server";
import { buildCtsExport, exportFilename } from "~/comments/cts-export.server";
import { db } from "~/platform/db.server";

export async function loader({ params, request, context }: LoaderFunctionArgs) {
  const code = params.code ?? "";
  requireCtsAccess(context, request, code);
  const exported = await buildCtsExport(db(), { ctsCode: code, consultationSlug: params.slug ?? "" });
  if (!exported) throw new Response("Cette consultation ne concerne pas ce territoire de CTS.", { status: 404 });
  await recordAudit(db(), { kind: "export", detail: `commentaires ${params.slug} du CTS ${code} (JSON)` });
  return new Response(JSON.stringify(exported, null, 2), {
    headers: {
      "Content-Type": "application/json; charset=utf-8",
      "Content-Disposition": `attachment; filename="${exportFilename(exported, "json")}"`,
      "X-Content-Type-Options": "nosniff",
      "Cache-Control": "private, no-store",
    },
  });
}
