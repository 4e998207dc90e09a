import type { LoaderFunctionArgs } from "@remix-run/node";
import { requireUser } from "~/web/guards.server";
import { collectMyData } from "~/privacy/my-data.server";
import { db } from "~/platform/db.server";

/** « Télécharger mes données » : everything about the signed-in person, as a JSON attachment. */
export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = requireUser(context, request);
  const document = await collectMyData(db(), user.id);
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
