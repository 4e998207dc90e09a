import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { requireCtsAccess } from "~/web/access.server";
import { STATUS_LABELS } from "~/catalogue/themes";
import { ctsConsultationsWithCounts, findCtsTerritory } from "~/comments/cts-export.server";
import { db } from "~/platform/db.server";
import { GeneralErrorBoundary } from "~/ui/error-boundary";

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data ? `Commentaires — CTS ${data.cts.name} — Priorités Santé` : "Commentaires du CTS — Priorités Santé" },
];

export async function loader({ params, request, context }: LoaderFunctionArgs) {
  const code = params.code ?? "";
  requireCtsAccess(context, request, code);
  const cts = await findCtsTerritory(db(), code);
  if (!cts) throw new Response("Ce territoire de CTS n’existe pas.", { status: 404 });
  return { cts: { code: cts.code, name: cts.name }, consultations: await ctsConsultationsWithCounts(db(), cts) };
}

export default function CtsComments() {
  const { cts, consultations } = useLoaderData<typeof loader>();
  return (
    <>
      <h1>Commentaires du CTS {cts.name}</h1>
      <p>
        Les commentaires écrits par les habitants de votre territoire et les contributions des associations qui y
        agissent, par consultation : consultez-les et exportez-les (CSV pour un tableur, JSON).
      </p>
      {consultations.length === 0 ? <p>Aucune consultation dans votre région pour l’instant.</p> : null}
      <ul>
        {consultations.map((c) => (
          <li key={c.slug}>
            <Link to={`/cts/${encodeURIComponent(cts.code)}/commentaires/${c.slug}`}>{c.title}</Link> —{" "}
            {STATUS_LABELS[c.status]}, {c.comments} commentaire{c.comments > 1 ? "s" : ""} de votre territoire,{" "}
            {c.contributions} contribution{c.contributions > 1 ? "s" : ""} d’associations
          </li>
        ))}
      </ul>
    </>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
