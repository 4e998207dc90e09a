import type { LoaderFunctionArgs } from "@remix-run/node";
import { recordAudit } from "~/audit/audit.server";
import { requireUser } from "~/web/guards.server";
import { collectMyData } from "~/privacy/my-data.server";
import { db } from "~/platform/db.server";

/** « Télécharger mes données » : everything about the signed-in person, as a JSON attachment. */
export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = requireUser(context, request);
  const document = await collectMyData(db(), user.id);
  await recordAudit(db(), { kind: "data_export", userId: user.id, detail: "« Télécharger mes données »" });
  const day = document.genereLe.slice(0, 10);
  return new Response(JSON.stringify(document, null, 2), {
    headers: {
      "Content-Type": "application/json; charset=utf-8",
      "Content-Disposition": `attachment; filename="priorites-sante-mes-donnees-${day}.json"`,
      // Personal data: never kept by a browser cache or a proxy.
      "Cache-Control": "no-store",
      "X-Content-Type-Options": "nosniff",
    },
  });
}
