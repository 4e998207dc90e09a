import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { STATUS_LABELS } from "~/catalogue/themes";
import { requireCtsReport } from "~/web/access.server";
import { buildCtsReport } from "~/reports/cts-report.server";
import { EXPORT_FORMATS, EXPORT_LABELS } from "~/reports/export-formats";
import { reportExportSizes } from "~/reports/export-sizes.server";
import { caveats, recentExports } from "~/reports/exports.server";
import {
  BreakdownSection,
  GeneratedStamp,
  ParticipationSection,
  ProposalsSection,
  RankingsSection,
} from "~/reports/report-view";
import { LevelsSection } from "~/reports/levels-section";
import { db } from "~/platform/db.server";
import { withAnswers } from "~/answers/report-answers.server";
import { ReportAnswersSection } from "~/answers/answer-views";
import { Breadcrumb } from "~/ui/breadcrumb";
import { GeneralErrorBoundary } from "~/ui/error-boundary";
import { formatDateTime, formatNumber } from "~/ui/format";
import { formatRate } from "~/reports/figures";
import { DataTable } from "~/ui/table";
import { DownloadLink } from "~/ui/download-link";

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  {
    title: data
      ? `Rapport du CTS ${data.report.territory.name} — ${data.report.consultation.title} — Priorités Santé`
      : "Rapport du CTS — Priorités Santé",
  },
];

export async function loader({ params, request, context }: LoaderFunctionArgs) {
  const { consultation, territory, user } = await requireCtsReport(db(), context, request, params);
  const [report, exportLog] = await Promise.all([
    buildCtsReport(db(), consultation, territory).then((r) => withAnswers(db(), r, consultation.id)),
    recentExports(db(), consultation.id, territory.code),
  ]);
  const member = !!user?.roles.some(
    (r) => (r.role === "cts_member" && r.scope === territory.code) || r.role === "admin",
  );
  return {
    report,
    exportLog,
    caveats: caveats(report),
    member,
    sizes: await reportExportSizes(db(), consultation.id, report, EXPORT_FORMATS),
  };
}

const EXPORT_NAMES: Record<(typeof EXPORT_FORMATS)[number], string> = {
  pdf: "Télécharger le rapport pour la réunion",
  xlsx: "Télécharger les tableaux",
  csv: "Télécharger les tableaux",
  json: "Télécharger les données",
};

export default function CtsReportPage() {
  const { report, exportLog, caveats, member, sizes } = useLoaderData<typeof loader>();
  const cts = encodeURIComponent(report.territory.code);
  const base = `/cts/${cts}/rapports/${report.consultation.slug}`;
  const proposalHref = (slug: string) => `/consultations/${report.consultation.slug}/propositions/${slug}`;
  return (
    <>
      <Breadcrumb
        items={[
          ...(member
            ? [{ to: `/cts/${cts}`, label: `CTS ${report.territory.name}` }]
            : [{ to: `/consultations/${report.consultation.slug}/resultats`, label: "Résultats" }]),
          { label: `Rapport — ${report.consultation.title}` },
        ]}
      />
      <h1 className="fr-mb-1w">Rapport du CTS {report.territory.name}</h1>
      <p className="fr-text--lead fr-mb-2w">{report.consultation.title}</p>
      <p>
        <span className="fr-badge fr-badge--info fr-badge--no-icon">{STATUS_LABELS[report.consultation.status]}</span>{" "}
        Région {report.consultation.regionName}.
      </p>
      <GeneratedStamp report={report} />
      <nav className="fr-summary ps-no-print ps-summary" aria-labelledby="sommaire-titre">
        <p className="fr-summary__title" id="sommaire-titre">
          Sommaire
        </p>
        <ol className="fr-summary__list">
          <li>
            <a className="fr-summary__link" href="#classements">
              Classements
            </a>
          </li>
          <li>
            <a className="fr-summary__link" href="#participation">
              Participation
            </a>
          </li>
          <li>
            <a className="fr-summary__link" href="#ventilation">
              Ventilation par arrondissement
            </a>
          </li>
          <li>
            <a className="fr-summary__link" href="#propositions">
              Par proposition
            </a>
          </li>
          <li>
            <a className="fr-summary__link" href="#methode">
              Méthode et limites
            </a>
          </li>
          <li>
            <a className="fr-summary__link" href="#exports">
              Exports
            </a>
          </li>
        </ol>
      </nav>
      <p>
        {report.participation.total.ballots === null
          ? `Bulletins : ${report.participation.total.withheld ?? report.smallGroupLabel}.`
          : `${formatNumber(report.participation.total.ballots)} bulletins pour ${formatNumber(report.participation.total.population)} habitants (participation ${report.participation.total.rate === null ? "—" : formatRate(report.participation.total.rate)}).`}{" "}
        <a href="#exports" className="ps-no-print">
          Exports pour la réunion (PDF, tableur, données)
        </a>
      </p>
      <RankingsSection report={report} proposalHref={proposalHref} charts />
      <ParticipationSection report={report} />
      {report.consultation.status === "results_published" ? (
        <ReportAnswersSection
          answers={report.answers}
          rows={report.rankings.raw}
          publicHref={`/consultations/${report.consultation.slug}/reponses/${encodeURIComponent(report.territory.code)}`}
        />
      ) : null}
      <BreakdownSection report={report} />
      <LevelsSection report={report} />
      {report.state === "ranked" ? <ProposalsSection report={report} proposalHref={proposalHref} /> : null}
      {member ? (
        <p className="ps-no-print">
          <Link to={`/cts/${cts}/commentaires/${report.consultation.slug}`}>
            Lire et exporter les commentaires et contributions du territoire
          </Link>
        </p>
      ) : null}
      <section aria-labelledby="methode">
        <h2 id="methode">Méthode et limites</h2>
        <ul>
          {caveats.map((c) => (
            <li key={c}>{c}</li>
          ))}
        </ul>
      </section>
      <section aria-labelledby="exports" className="ps-no-print">
        <h2 id="exports">Exports</h2>
        <p>
          Pour la réunion du CTS : le PDF s’ouvre sur une page de synthèse à lire en séance (participation, les dix
          premières de chaque classement avec leurs intervalles, les écarts entre brut et pondéré, la méthode), puis
          reprend les graphiques et les tableaux complets. Chaque export indique son heure et sa version du décompte ;
          son empreinte SHA-256 s’affiche ci-dessous, pour vérifier plus tard qu’une copie n’a pas été modifiée. La page
          s’imprime aussi telle quelle.
        </p>
        <ul className="ps-plain-list">
          {(["pdf", "xlsx", "csv", "json"] as const).map((f) => (
            <li key={f} className="fr-mb-1w">
              <DownloadLink
                href={`${base}/export/${f}`}
                label={EXPORT_NAMES[f]}
                format={EXPORT_LABELS[f]}
                bytes={sizes[f].bytes}
                approximate={sizes[f].approximate}
              />
            </li>
          ))}
        </ul>
        <p className="fr-text--sm">
          Le CSV (UTF-8, séparateur point-virgule) s’ouvre dans un tableur ; toute cellule de texte qui commence par =,
          +, -, @ ou un caractère de contrôle y est précédée d’une apostrophe, pour qu’aucune formule ne s’exécute. Le
          JSON suit le format de l’API de données ouvertes.
        </p>
        {exportLog.length === 0 ? (
          <p>Aucun export n’a encore été produit pour ce rapport.</p>
        ) : (
          <DataTable id="exports-table" caption="Derniers exports et leur empreinte">
            <thead>
              <tr>
                <th scope="col">Produit le</th>
                <th scope="col">Format</th>
                <th scope="col">Version du décompte</th>
                <th scope="col">Empreinte SHA-256</th>
              </tr>
            </thead>
            <tbody>
              {exportLog.map((e) => (
                <tr key={`${e.generated_at}-${e.format}-${e.sha256}`}>
                  <td>{formatDateTime(e.generated_at)}</td>
                  <td>{EXPORT_LABELS[e.format]}</td>
                  <td>{e.tally_version}</td>
                  <td>
                    <code className="ps-text">{e.sha256}</code>
                  </td>
                </tr>
              ))}
            </tbody>
          </DataTable>
        )}
      </section>
    </>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
