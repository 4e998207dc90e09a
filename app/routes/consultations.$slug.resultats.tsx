import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { STATUS_LABELS } from "~/catalogue/themes";
import { requireRegionResults } from "~/web/access.server";
import { TileGrid } from "~/reports/charts";
import { recentExports } from "~/reports/exports.server";
import { formatPercent } from "~/reports/figures";
import { buildRegionView } from "~/reports/region.server";
import { GeneratedStamp, RankingsSection } from "~/reports/report-view";
import { db } from "~/platform/db.server";
import { Breadcrumb } from "~/ui/breadcrumb";
import { GeneralErrorBoundary } from "~/ui/error-boundary";
import { Notice } from "~/ui/fields";
import { formatDateTime, formatNumber } from "~/ui/format";
import { DataTable } from "~/ui/table";
import { CtsAnswersOverview } from "~/answers/answer-views";
import { ctsFollowUp } from "~/answers/follow-up.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data ? `Résultats — ${data.view.consultation.title} — Priorités Santé` : "Résultats — Priorités Santé" },
];

export async function loader({ params, request, context }: LoaderFunctionArgs) {
  const { consultation } = await requireRegionResults(db(), context, request, params.slug);
  const [view, datasets, followUp] = await Promise.all([
    buildRegionView(db(), consultation),
    recentExports(db(), consultation.id, "region", 3),
    consultation.status === "results_published" ? ctsFollowUp(db(), consultation.id) : null,
  ]);
  return {
    view,
    answers: followUp?.map((f) => ({ code: f.code, name: f.name, top: f.topList })) ?? null,
    datasets,
    regionCode: consultation.region_code,
    live: consultation.status === "open" && consultation.live_results === 1,
  };
}

export default function RegionResults() {
  const { view, datasets, regionCode, live, answers } = useLoaderData<typeof loader>();
  const slug = view.consultation.slug;
  const published = view.consultation.status === "results_published";
  const departements = [...new Set(view.arrondissements.map((a) => a.departement))];
  return (
    <>
      <Breadcrumb
        items={[
          { to: "/consultations", label: "Consultations" },
          { to: `/consultations/${slug}`, label: view.consultation.title },
          { label: "Résultats" },
        ]}
      />
      <h1 className="fr-mb-1w">Résultats en {view.consultation.regionName}</h1>
      <p className="fr-text--lead fr-mb-2w">{view.consultation.title}</p>
      <p>
        <span className="fr-badge fr-badge--info fr-badge--no-icon">{STATUS_LABELS[view.consultation.status]}</span>{" "}
        {view.ballots === null
          ? `Bulletins dans la région : ${view.smallGroupLabel}.`
          : `${formatNumber(view.ballots)} bulletin${view.ballots > 1 ? "s" : ""} dans la région.`}
      </p>
      {published ? null : live ? (
        <Notice kind="info" title="Résultats en direct">
          Le vote est ouvert : ces chiffres ne sont pas définitifs. Ils avancent par paliers : un arrondissement n’est
          mis à jour qu’après au moins {view.threshold} nouveaux bulletins, pour qu’aucun bulletin ne puisse être isolé.
        </Notice>
      ) : (
        <Notice kind="warning" title="Aperçu réservé aux administrateurs">
          Ces résultats ne sont pas encore publiés : le public ne les voit pas.
        </Notice>
      )}
      <GeneratedStamp report={view} />
      <RankingsSection report={view} proposalHref={(p) => `/consultations/${slug}/propositions/${p}`} />

      <section aria-labelledby="participation">
        <h2 id="participation">Participation par arrondissement</h2>
        {view.arrondissements.length ? (
          <TileGrid
            id="carte-participation"
            title={`Participation par arrondissement en ${view.consultation.regionName}, une ligne par département`}
            tiles={view.arrondissements.map((a) => ({
              code: a.code,
              name: a.name,
              group: a.departement,
              value: a.rate,
              label: a.rate === null ? "—" : formatPercent(a.rate),
            }))}
          />
        ) : null}
        <DataTable id="participation-table" caption="Participation par arrondissement">
          <thead>
            <tr>
              <th scope="col">Département</th>
              <th scope="col">Arrondissement</th>
              <th scope="col">Population</th>
              <th scope="col">Bulletins</th>
              <th scope="col">Participation</th>
            </tr>
          </thead>
          <tbody>
            {departements.flatMap((d) =>
              view.arrondissements
                .filter((a) => a.departement === d)
                .map((a) => (
                  <tr key={a.code}>
                    <td>{d}</td>
                    <th scope="row">{a.name}</th>
                    <td>{formatNumber(a.population)}</td>
                    <td>
                      {a.ballots === null ? <span className="fr-text--xs">{a.withheld}</span> : formatNumber(a.ballots)}
                    </td>
                    <td>{a.rate === null ? "—" : formatPercent(a.rate)}</td>
                  </tr>
                )),
            )}
          </tbody>
        </DataTable>
      </section>

      {answers ? <CtsAnswersOverview consultationSlug={slug} territories={answers} /> : null}
      <section aria-labelledby="territoires">
        <h2 id="territoires">Les priorités de chaque conseil territorial de santé</h2>
        <div className="fr-grid-row fr-grid-row--gutters">
          {view.territories.map((t) => (
            <div className="fr-col-12 fr-col-md-6 fr-col-lg-4" key={t.code}>
              <div className="fr-tile fr-tile--vertical ps-tile-left">
                <div className="fr-tile__body">
                  <h3 className="fr-tile__title">
                    <Link to={`/cts/${encodeURIComponent(t.code)}/rapports/${slug}`}>CTS {t.name}</Link>
                  </h3>
                  <p className="fr-tile__detail">
                    {t.ballots === null ? t.withheld : `${formatNumber(t.ballots)} bulletin${t.ballots > 1 ? "s" : ""}`}
                  </p>
                  {t.top.length ? (
                    <ul className="ps-plain-list fr-text--sm">
                      {t.top.map((p) => (
                        <li key={p.title}>
                          {p.rank}. {p.title} ({p.figure})
                        </li>
                      ))}
                    </ul>
                  ) : (
                    <p className="fr-text--sm">{t.withheld ?? view.smallGroupLabel} : pas de classement.</p>
                  )}
                </div>
              </div>
            </div>
          ))}
        </div>
      </section>

      <section aria-labelledby="donnees">
        <h2 id="donnees">Données ouvertes</h2>
        <p>
          Le jeu de données reprend le classement de chaque territoire (région, CTS, arrondissements), brut et pondéré,
          avec les mêmes règles : un territoire de moins de {view.threshold} bulletins n’a qu’une ligne « moins de{" "}
          {view.threshold} votants », et un territoire voisin dont les chiffres permettraient de retrouver les siens par
          soustraction, une ligne « secret statistique ».
        </p>
        <ul className="fr-btns-group fr-btns-group--inline-md">
          <li>
            <a
              className="fr-btn fr-icon-download-line fr-btn--icon-left"
              href={`/consultations/${slug}/donnees-resultats.csv`}
              download
            >
              Télécharger le jeu de données (CSV)
            </a>
          </li>
          <li>
            <a
              className="fr-btn fr-btn--secondary"
              href={`/api/v1/consultations/${slug}/results?territory=region:${regionCode}`}
            >
              API : classement de la région (JSON)
            </a>
          </li>
        </ul>
        {datasets.length ? (
          <ul className="fr-text--sm">
            {datasets.map((d) => (
              <li key={d.sha256 + d.generated_at}>
                {`Jeu produit le ${formatDateTime(d.generated_at)}, version du décompte ${d.tally_version} : SHA-256 `}
                <code className="ps-text">{d.sha256}</code>
              </li>
            ))}
          </ul>
        ) : null}
      </section>
    </>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
