import type { MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { listConsultations } from "~/catalogue/catalogue.server";
import { METHOD_NAMES, STATUS_LABELS } from "~/catalogue/themes";
import { db } from "~/platform/db.server";
import { GeneralErrorBoundary } from "~/ui/error-boundary";

export const meta: MetaFunction = () => [{ title: "Consultations — Priorités Santé" }];

export async function loader() {
  return { consultations: await listConsultations(db()) };
}

export default function Consultations() {
  const { consultations } = useLoaderData<typeof loader>();
  return (
    <>
      <h1>Consultations</h1>
      <p>Chaque consultation présente les propositions issues des ateliers du CNR Santé d’une région.</p>
      {consultations.length === 0 ? (
        <p>Aucune consultation n’est ouverte pour le moment.</p>
      ) : (
        <ul className="fr-grid-row fr-grid-row--gutters ps-plain-list">
          {consultations.map((c) => (
            <li key={c.slug} className="fr-col-12 fr-col-md-6">
              <div className="fr-card fr-enlarge-link">
                <div className="fr-card__body">
                  <div className="fr-card__content">
                    <h2 className="fr-card__title">
                      <Link to={`/consultations/${c.slug}`}>{c.title}</Link>
                    </h2>
                    <p className="fr-card__desc">
                      {c.proposal_count} propositions — {METHOD_NAMES[c.method]}
                    </p>
                    <div className="fr-card__start">
                      <ul className="fr-badges-group">
                        <li>
                          <p className="fr-badge fr-badge--info fr-badge--no-icon">
                            {c.cts_name ? `CTS ${c.cts_name}` : c.region_name}
                          </p>
                        </li>
                        <li>
                          <p className="fr-badge fr-badge--no-icon">{STATUS_LABELS[c.status]}</p>
                        </li>
                      </ul>
                    </div>
                  </div>
                </div>
              </div>
            </li>
          ))}
        </ul>
      )}
    </>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
