import type { LoaderFunctionArgs } from "@remix-run/node";
import { getAttachment } from "~/associations/associations.server";
import { db } from "~/platform/db.server";

// A contribution's PDF, always as a download: never rendered by the browser on this origin, so a
// file that is not what it claims cannot run anything here.
export async function loader({ params, context }: LoaderFunctionArgs) {
  const id = params.id ?? "";
  const file = /^[0-9a-f-]{36}$/.test(id) ? await getAttachment(db(), id, context.auth.user?.id ?? null) : null;
  if (!file) {
    return new Response("Pièce jointe introuvable.", {
      status: 404,
      headers: { "Content-Type": "text/plain; charset=utf-8", "X-Content-Type-Options": "nosniff" },
    });
  }
  return new Response(file.content, {
    status: 200,
    headers: {
      "Content-Type": "application/pdf",
      "Content-Length": String(file.content.byteLength),
      // The name is reduced to [A-Za-z0-9._-] when stored, so it needs no quoting beyond this.
      "Content-Disposition": `attachment; filename="${file.filename}"`,
      "X-Content-Type-Options": "nosniff",
      "Content-Security-Policy": "default-src 'none'; sandbox",
      "Cross-Origin-Resource-Policy": "same-origin",
      "Cache-Control": "private, no-cache",
      ETag: `"${file.sha256}"`,
    },
  });
}
