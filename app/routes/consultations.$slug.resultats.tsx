import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { parseTerritory, publishedVersion, type TerritoryRef } from "~/ballots/results.server";
import { STATUS_LABELS } from "~/catalogue/themes";
import { requireRegionResults } from "~/web/access.server";
import { DepartementMap, TimelineChart } from "~/reports/charts";
import { colourBreaks } from "~/reports/chart-geometry";
import { MAP_CREDIT } from "~/reports/departement-map.server";
import { datasetSize } from "~/reports/export-sizes.server";
import { recentExports } from "~/reports/exports.server";
import { formatRate } from "~/reports/figures";
import { buildRegionView, residentTerritories, territoryFocus, type TerritoryFocus } from "~/reports/region.server";
import { FirstTen, GeneratedStamp, HOW_TO_READ, More, RankingsSection } from "~/reports/report-view";
import { INTERVALS_PENDING } from "~/reports/interval-stamp";
import { db } from "~/platform/db.server";
import { Breadcrumb } from "~/ui/breadcrumb";
import { DownloadLink } from "~/ui/download-link";
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
  const { consultation, user } = await requireRegionResults(db(), context, request, params.slug);
  // The territories a resident came for: the one chosen in the form, else their CTS and
  // arrondissement when signed in, else the region.
  const chosen = parseTerritory(new URL(request.url).searchParams.get("territoire"));
  const refs: TerritoryRef[] = chosen
    ? [chosen]
    : await residentTerritories(db(), consultation, user?.communeCode ?? null);
  const [view, datasets, followUp, version] = await Promise.all([
    buildRegionView(db(), consultation),
    recentExports(db(), consultation.id, "region", 3),
    consultation.status === "results_published" ? ctsFollowUp(db(), consultation.id) : null,
    publishedVersion(db(), consultation),
  ]);
  const focus = (await Promise.all(refs.map((r) => territoryFocus(db(), consultation, r)))).filter(
    (f): f is TerritoryFocus => f !== null,
  );
  // Nothing to show for the chosen or own territories (withheld, no ballot): the region's follow.
  if (!focus.some((f) => !f.withheld)) {
    const region = await territoryFocus(db(), consultation, { kind: "region", code: consultation.region_code });
    if (region) focus.push(region);
  }
  return {
    view,
    focus,
    chosen: chosen ? `${chosen.kind}:${chosen.code}` : "",
    answers: followUp?.map((f) => ({ code: f.code, name: f.name, top: f.topList })) ?? null,
    datasets,
    datasetBytes: view.state === "ranked" ? await datasetSize(db(), consultation, version) : null,
    regionCode: consultation.region_code,
    live: consultation.status === "open" && consultation.live_results === 1,
    mapCredit: MAP_CREDIT,
  };
}

// "— Rouen (arrondissement)": a territory named without an article to elide.
const FOCUS_NAMES: Record<TerritoryFocus["kind"], (name: string) => string> = {
  region: (n) => `— ${n} (région)`,
  cts: (n) => `— ${n} (CTS)`,
  arrondissement: (n) => `— ${n} (arrondissement)`,
};

export default function RegionResults() {
  const { view, datasets, datasetBytes, regionCode, live, answers, focus, chosen, mapCredit } =
    useLoaderData<typeof loader>();
  const slug = view.consultation.slug;
  const published = view.consultation.status === "results_published";
  const proposalHref = (p: string) => `/consultations/${slug}/propositions/${p}`;
  const breaks = colourBreaks(view.departements.flatMap((d) => (d.rate === null ? [] : [d.rate])));
  const regionFocused = focus.some((f) => f.kind === "region" && !f.withheld);
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
      <p className="fr-mb-1w">
        {view.consultation.title}.{" "}
        <span className="fr-badge fr-badge--sm fr-badge--info fr-badge--no-icon">
          {STATUS_LABELS[view.consultation.status]}
        </span>{" "}
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

      {focus.map((f) => (
        <section key={`${f.kind}:${f.code}`} aria-labelledby={`premieres-${f.kind}`}>
          <h2 id={`premieres-${f.kind}`} className="fr-h4 fr-mb-1w">
            Les 10 premières priorités {FOCUS_NAMES[f.kind](f.name)}
          </h2>
          {f.withheld ? (
            <p>
              Pas de classement pour ce territoire : {f.withheld}. Aucun chiffre n’y est montré, pour que personne ne
              puisse être reconnu.
            </p>
          ) : (
            <>
              <FirstTen
                id={`dix-premieres-${f.kind}`}
                caption={`Classement brut (un bulletin = une voix), ${formatNumber(f.ballots ?? 0)} bulletins`}
                rows={f.rankings.raw}
                proposalHref={proposalHref}
              />
              <p className="fr-text--sm fr-mb-1w">
                {f.intervals?.version === null
                  ? `${INTERVALS_PENDING} : les rangs sont montrés seuls pour l’instant.`
                  : HOW_TO_READ}
              </p>
              {f.kind === "region" ? (
                <p className="fr-text--sm">
                  <a href="#classements">Classements complets de la région, brut et pondéré</a>
                </p>
              ) : (
                <More summary={`Classement complet de ce territoire (${f.rankings.raw.length} propositions)`}>
                  <ol className="fr-text--sm">
                    {f.rankings.raw.map((r) => (
                      <li key={r.id}>
                        {r.rank === null ? `${r.statusLabel} : ` : `${r.rank}. `}
                        <Link to={proposalHref(r.slug)}>{r.title}</Link> ({r.figure}
                        {r.interval ? `, rang ${r.interval[0]} à ${r.interval[1]}` : ""})
                      </li>
                    ))}
                  </ol>
                </More>
              )}
            </>
          )}
        </section>
      ))}
      <Form method="get" className="ps-filters fr-mb-3w" aria-label="Voir un autre territoire">
        <div className="fr-select-group">
          <label className="fr-label" htmlFor="territoire">
            Voir les priorités d’un autre territoire
          </label>
          <select className="fr-select" id="territoire" name="territoire" defaultValue={chosen}>
            <option value={`region:${regionCode}`}>Région {view.consultation.regionName}</option>
            <optgroup label="Conseils territoriaux de santé">
              {view.territories.map((t) => (
                <option key={t.code} value={`cts:${t.code}`}>
                  CTS {t.name}
                </option>
              ))}
            </optgroup>
            <optgroup label="Arrondissements">
              {view.arrondissements.map((a) => (
                <option key={a.code} value={`arrondissement:${a.code}`}>
                  {a.name} ({a.departement})
                </option>
              ))}
            </optgroup>
          </select>
        </div>
        <button type="submit" className="fr-btn fr-btn--secondary">
          Afficher
        </button>
      </Form>
      <GeneratedStamp report={view} />

      <RankingsSection
        report={view}
        proposalHref={proposalHref}
        title={`Classements de la région ${view.consultation.regionName}`}
        charts={!regionFocused}
      />

      <section aria-labelledby="participation">
        <h2 id="participation">Participation</h2>
        {view.map && view.departements.length ? (
          <DepartementMap
            id="carte-participation"
            title={`Participation par département en ${view.consultation.regionName} (bulletins rapportés à la population)`}
            viewBox={view.map.viewBox}
            shapes={view.departements.map((d) => ({
              code: d.code,
              name: d.name,
              path: view.map!.shapes.find((s) => s.code === d.code)!.path,
              value: d.rate,
              label: d.rate === null ? (d.withheld ?? "—") : formatRate(d.rate),
            }))}
            breaks={breaks}
            formatBreak={formatRate}
          />
        ) : null}
        <DataTable id="participation-departements" caption="Participation par département">
          <thead>
            <tr>
              <th scope="col">Département</th>
              <th scope="col">Bulletins</th>
              <th scope="col">Participation</th>
            </tr>
          </thead>
          <tbody>
            {view.departements.map((d) => (
              <tr key={d.code}>
                <th scope="row">
                  {d.name} ({d.code})
                </th>
                <td>
                  {d.ballots === null ? <span className="fr-text--xs">{d.withheld}</span> : formatNumber(d.ballots)}
                </td>
                <td>{d.rate === null ? "—" : formatRate(d.rate)}</td>
              </tr>
            ))}
          </tbody>
        </DataTable>
        <p className="fr-text--xs">
          {mapCredit}. Aucune carte des arrondissements n’est publiée dans un paquet maintenu : leur participation est
          dans le tableau ci-dessous.
        </p>
        <More summary={`Participation par arrondissement (${view.arrondissements.length} arrondissements)`}>
          <DataTable id="participation-table" caption="Participation par arrondissement">
            <thead>
              <tr>
                <th scope="col">Arrondissement</th>
                <th scope="col">Population</th>
                <th scope="col">Bulletins</th>
                <th scope="col">Participation</th>
              </tr>
            </thead>
            <tbody>
              {view.arrondissements.map((a) => (
                <tr key={a.code}>
                  <th scope="row">
                    {a.name} <span className="fr-text--xs">({a.departement})</span>
                  </th>
                  <td>{formatNumber(a.population)}</td>
                  <td>
                    {a.ballots === null ? <span className="fr-text--xs">{a.withheld}</span> : formatNumber(a.ballots)}
                  </td>
                  <td>{a.rate === null ? "—" : formatRate(a.rate)}</td>
                </tr>
              ))}
            </tbody>
          </DataTable>
        </More>
        {view.timeline.length ? (
          <>
            <h3 className="fr-h5">Bulletins au fil du temps</h3>
            <TimelineChart id="timeline" days={view.timeline} />
          </>
        ) : null}
      </section>

      {answers ? <CtsAnswersOverview consultationSlug={slug} territories={answers} /> : null}
      <section aria-labelledby="territoires">
        <h2 id="territoires">Les priorités de chaque conseil territorial de santé</h2>
        <p>Le rapport de chaque CTS reprend ses classements, sa participation et la ventilation par arrondissement.</p>
        <ul>
          {view.territories.map((t) => (
            <li key={t.code}>
              <Link to={`/cts/${encodeURIComponent(t.code)}/rapports/${slug}`}>CTS {t.name}</Link>{" "}
              <span className="fr-text--sm">
                ({t.ballots === null ? t.withheld : `${formatNumber(t.ballots)} bulletin${t.ballots > 1 ? "s" : ""}`})
              </span>
            </li>
          ))}
        </ul>
        <More summary={`Les 3 premières priorités de chaque CTS (${view.territories.length} territoires)`}>
          {view.territories.map((t) => (
            <div key={t.code}>
              <h3 className="fr-h6 fr-mb-1w">CTS {t.name}</h3>
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
          ))}
        </More>
      </section>

      <section aria-labelledby="donnees">
        <h2 id="donnees">Données ouvertes</h2>
        <p>
          Le jeu de données reprend le classement de chaque territoire (région, CTS, arrondissements), brut et pondéré,
          avec les mêmes règles : un territoire de moins de {view.threshold} bulletins n’a qu’une ligne « moins de{" "}
          {view.threshold} votants », et un territoire voisin dont les chiffres permettraient de retrouver les siens par
          soustraction, une ligne « secret statistique ».
        </p>
        <ul className="ps-plain-list">
          <li>
            <DownloadLink
              href={`/consultations/${slug}/donnees-resultats.csv`}
              label="Télécharger le jeu de données"
              format="CSV"
              bytes={datasetBytes}
            />
          </li>
          {/* While the vote is open the API answers only the CTS's members and administrators. */}
          {published ? (
            <li>
              <a className="fr-link" href={`/api/v1/consultations/${slug}/results?territory=region:${regionCode}`}>
                API : classement de la région (JSON)
              </a>
            </li>
          ) : null}
          <li>
            <a className="fr-link" href="/api/v1/consultations">
              API : index des consultations et des liens vers leurs résultats (JSON)
            </a>{" "}
            — <a href="/api/v1/openapi.json">description OpenAPI</a>
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
