import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, useLoaderData } from "@remix-run/react";
import { letterCounts } from "~/identity/postal-letters.server";
import { POSTAL_CODE_VALID_DAYS } from "~/identity/postal-code-rules";
import { db } from "~/platform/db.server";
import { GeneralErrorBoundary } from "~/ui/error-boundary";
import { requireRole } from "~/web/guards.server";

export const meta: MetaFunction = () => [{ title: "Courriers de code — Administration — Priorités Santé" }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  requireRole(context, request, "admin");
  return { counts: await letterCounts(db()) };
}

export default function Letters() {
  const { counts } = useLoaderData<typeof loader>();
  return (
    <>
      <h1>Courriers de code (preuve de résidence)</h1>
      <ul data-testid="letter-counts">
        <li>En attente d’envoi : {counts.requested}</li>
        <li>Envoyés, code pas encore saisi : {counts.sent}</li>
        <li>Codes saisis : {counts.used}</li>
      </ul>
      <p>
        Exporter crée le code de chaque courrier en attente, le marque envoyé (code valable {POSTAL_CODE_VALID_DAYS}{" "}
        jours) et l’écrit dans le fichier seulement : la plateforme n’en garde qu’une empreinte. Gardez le fichier
        jusqu’à l’envoi, puis détruisez-le ; un fichier perdu oblige les personnes à demander un nouveau courrier.
      </p>
      <Form method="post" action="/admin/courriers/export" reloadDocument>
        <ul className="fr-btns-group fr-btns-group--inline-md">
          <li>
            <button className="fr-btn" type="submit" name="format" value="csv" disabled={counts.requested === 0}>
              Exporter pour un routeur (CSV)
            </button>
          </li>
          <li>
            <button
              className="fr-btn fr-btn--secondary"
              type="submit"
              name="format"
              value="pdf"
              disabled={counts.requested === 0}
            >
              Exporter les lettres à imprimer (PDF)
            </button>
          </li>
        </ul>
      </Form>
    </>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
