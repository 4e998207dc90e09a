import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { getAssociationPage } from "~/associations/associations.server";
import { formatSize } from "~/associations/contributions-section";
import { formatOrganisationId } from "~/comments/identifiers";
import { REASON_LABELS } from "~/comments/labels";
import { PlainText } from "~/comments/plain-text";
import { db } from "~/platform/db.server";
import { GeneralErrorBoundary } from "~/ui/error-boundary";
import { Breadcrumb } from "~/ui/breadcrumb";

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data ? `${data.association.name} — Associations — Priorités Santé` : "Association — Priorités Santé" },
];

export async function loader({ params }: LoaderFunctionArgs) {
  const page = await getAssociationPage(db(), params.slug ?? "");
  if (!page) throw new Response("Cette association n’existe pas ou n’est pas vérifiée.", { status: 404 });
  return {
    association: {
      name: page.association.name,
      identifier: formatOrganisationId({ kind: page.association.identifier_kind, value: page.association.identifier }),
      agrement: page.association.agrement,
    },
    territories: page.territories.map((t) => t.label),
    contributions: page.contributions.map((c) => ({
      id: c.id,
      title: c.title,
      body: c.body,
      moderation: c.moderation,
      hiddenReason: c.hidden_reason,
      publishedLabel: c.publishedLabel,
      proposalSlug: c.proposal_slug,
      proposalTitle: c.proposal_title,
      consultationSlug: c.consultation_slug,
      consultationTitle: c.consultation_title,
      file: c.file_id ? { id: c.file_id, filename: c.filename!, size: Number(c.size) } : null,
    })),
  };
}

export default function AssociationPage() {
  const { association, territories, contributions } = useLoaderData<typeof loader>();
  return (
    <>
      <Breadcrumb items={[{ to: "/associations", label: "Associations" }, { label: association.name }]} />
      <h1 className="ps-text">{association.name}</h1>
      <p>
        <span className="fr-badge fr-badge--purple-glycine">Association vérifiée</span>
      </p>
      <ul>
        <li>{association.identifier}</li>
        {association.agrement ? <li>Agrément « usagers du système de santé » : {association.agrement}</li> : null}
        <li>Territoires d’action : {territories.join(", ")}</li>
      </ul>
      <h2>Contributions ({contributions.length})</h2>
      {contributions.length === 0 ? <p>Aucune contribution publiée pour l’instant.</p> : null}
      <ul className="ps-plain-list">
        {contributions.map((c) => (
          <li key={c.id} className="ps-contribution fr-mb-3w" data-testid="association-contribution">
            <article>
              <p className="fr-text--sm fr-mb-1w">
                Sur «{" "}
                <Link to={`/consultations/${c.consultationSlug}/propositions/${c.proposalSlug}#contribution-${c.id}`}>
                  {c.proposalTitle}
                </Link>{" "}
                » ({c.consultationTitle}) · publiée le {c.publishedLabel}
              </p>
              {c.moderation === "visible" ? (
                <>
                  <h3 className="fr-h6 fr-mb-1w">{c.title}</h3>
                  <PlainText text={c.body} />
                  {c.file ? (
                    <p>
                      <a
                        className="fr-link fr-icon-download-line fr-link--icon-left"
                        href={`/pieces-jointes/${c.file.id}`}
                        download
                      >
                        Télécharger la pièce jointe{" "}
                        <span className="fr-text--xs">
                          ({c.file.filename}, PDF, {formatSize(c.file.size)})
                        </span>
                      </a>
                    </p>
                  ) : null}
                </>
              ) : (
                <p className="ps-comment__placeholder">
                  {c.moderation === "hidden"
                    ? `Masquée par la modération : ${c.hiddenReason ? REASON_LABELS[c.hiddenReason] : "contenu contraire à la charte"}.`
                    : "Contribution masquée en attente d’examen par la modération."}
                </p>
              )}
            </article>
          </li>
        ))}
      </ul>
    </>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
