import type { ActionFunctionArgs } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { endSession } from "~/identity/session.server";

export async function loader() {
  // Logging out changes state: it takes a POST (the header's button), never a link.
  throw new Response("Utilisez le bouton « Se déconnecter ».", { status: 405, headers: { Allow: "POST" } });
}

export async function action({ context }: ActionFunctionArgs) {
  const cookie = await endSession(context.auth);
  return redirect("/?deconnecte=1", { headers: { "Set-Cookie": cookie } });
}
