import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { safeRedirect } from "~/identity/forms";
import { beginFranceConnect } from "~/identity/franceconnect.server";
import { db } from "~/platform/db.server";
import { GeneralErrorBoundary } from "~/ui/error-boundary";
import { readFormData } from "~/web/form.server";
import { franceConnectFailure, keepKey, requireFranceConnect } from "~/web/franceconnect.server";

// The FranceConnect button posts here: a sign-in (anonymous) or a signed-in resident's identity
// check starts, and the browser goes on to the provider.

export async function loader() {
  requireFranceConnect();
  throw redirect("/connexion");
}

export async function action({ request, context }: ActionFunctionArgs & LoaderFunctionArgs) {
  const settings = requireFranceConnect();
  const formData = await readFormData(request);
  const to = formData.get("redirectTo");
  const returnTo = safeRedirect(typeof to === "string" ? to : null, "/mon-compte");
  try {
    const started = await beginFranceConnect(db(), settings, { userId: context.auth.user?.id ?? null, returnTo });
    return redirect(started.url, { headers: { "Set-Cookie": await keepKey(started.key) } });
  } catch (error) {
    throw await franceConnectFailure(error);
  }
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
