import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { STATUS_LABELS } from "~/catalogue/themes";
import { requireCtsAccess } from "~/web/access.server";
import { formatPercent } from "~/reports/figures";
import { ctsDashboard } from "~/reports/dashboard.server";
import { db } from "~/platform/db.server";
import { GeneralErrorBoundary } from "~/ui/error-boundary";
import { formatDate, formatNumber } from "~/ui/format";

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data ? `CTS ${data.cts.name} — Priorités Santé` : "Espace CTS — Priorités Santé" },
];

export async function loader({ params, request, context }: LoaderFunctionArgs) {
  requireCtsAccess(context, request, params.code ?? "");
  const dashboard = await ctsDashboard(db(), params.code ?? "");
  if (!dashboard) throw new Response("Ce territoire de CTS n’existe pas.", { status: 404 });
  return dashboard;
}

export default function CtsDashboard() {
  const { cts, population, arrondissements, consultations } = useLoaderData<typeof loader>();
  const code = encodeURIComponent(cts.code);
  return (
    <>
      <h1>Conseil territorial de santé {cts.name}</h1>
      <p>
        {formatNumber(population)} habitants, {arrondissements} arrondissement{arrondissements > 1 ? "s" : ""}. Les
        chiffres des consultations ouvertes avancent par paliers (un arrondissement n’est mis à jour qu’après au moins
        10 nouveaux bulletins) ; les habitants ne les voient pas avant la publication des résultats.
      </p>
      {consultations.length === 0 ? <p>Aucune consultation ne couvre encore votre territoire.</p> : null}
      <div className="fr-grid-row fr-grid-row--gutters">
        {consultations.map((c) => (
          <div className="fr-col-12 fr-col-md-6" key={c.slug}>
            <div className="fr-card fr-card--no-arrow">
              <div className="fr-card__body">
                <div className="fr-card__content">
                  <h2 className="fr-card__title">
                    <Link to={`/cts/${code}/rapports/${c.slug}`}>{c.title}</Link>
                  </h2>
                  <div className="fr-card__desc">
                    <p>
                      <span className="fr-badge fr-badge--info fr-badge--no-icon">{STATUS_LABELS[c.status]}</span>
                      {c.closesAt && c.status === "open" ? ` jusqu’au ${formatDate(c.closesAt)}` : null}
                    </p>
                    <p>
                      {c.ballots === null
                        ? `Bulletins dans le territoire : ${c.withheld ?? ""}`
                        : `${formatNumber(c.ballots)} bulletin${c.ballots > 1 ? "s" : ""} dans le territoire`}
                      {c.rate === null ? "" : `, participation ${formatPercent(c.rate)}`}.
                    </p>
                    {c.top.length ? (
                      <>
                        <p className="fr-mb-1v">En tête (classement brut) :</p>
                        <ul className="ps-plain-list">
                          {c.top.map((t) => (
                            <li key={t.title}>
                              {t.rank}. {t.title} — {t.figure}
                            </li>
                          ))}
                        </ul>
                      </>
                    ) : (
                      <p>Pas encore de classement : moins de 10 bulletins.</p>
                    )}
                    <p>
                      <Link to={`/cts/${code}/commentaires/${c.slug}`}>Commentaires et contributions</Link>
                    </p>
                    <p>
                      <Link to={`/cts/${code}/reponses/${c.slug}`}>Réponses du CTS aux propositions</Link>
                    </p>
                  </div>
                </div>
              </div>
            </div>
          </div>
        ))}
      </div>
    </>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
