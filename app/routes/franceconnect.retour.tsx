import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { finishFranceConnect } from "~/identity/franceconnect.server";
import { startSession } from "~/identity/session.server";
import { db } from "~/platform/db.server";
import { GeneralErrorBoundary } from "~/ui/error-boundary";
import { dropKey, franceConnectFailure, keepKey, readKey, requireFranceConnect } from "~/web/franceconnect.server";

// Where FranceConnect sends the browser back. Every check is the domain's (finishFranceConnect);
// a refused answer is a page in French, with no session.

export const meta: MetaFunction = () => [{ title: "Connexion avec FranceConnect — Priorités Santé" }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  const settings = requireFranceConnect();
  let outcome;
  try {
    outcome = await finishFranceConnect(db(), settings, {
      key: await readKey(request),
      query: new URL(request.url).searchParams,
      network: context.clientAddress,
    });
  } catch (error) {
    throw await franceConnectFailure(error);
  }
  const headers = new Headers({ "Set-Cookie": await dropKey() });
  if (outcome.kind === "verified") {
    return redirect("/mon-compte?identite=confirmee#niveau-de-garantie", { headers });
  }
  if (outcome.kind === "signed-in") {
    headers.append("Set-Cookie", await startSession(outcome.userId));
    return redirect(outcome.returnTo ?? "/mon-compte", { headers });
  }
  return redirect("/franceconnect/rattachement", { headers: { "Set-Cookie": await keepKey(outcome.key) } });
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
