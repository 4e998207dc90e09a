// The report's sections, shared by the CTS report page and the public results pages.
import { Link } from "@remix-run/react";
import { DataTable } from "../ui/table";
import { formatDateTime, formatNumber, formatNumericDate } from "../ui/format";
import { Notice } from "../ui/fields";
import { STANCE_LABELS } from "../comments/labels";
import type { ReactNode } from "react";
import { firstRanks, rankShifts } from "./chart-geometry";
import { Legend, RankIntervalChart, RankShiftChart, StackedBar, TimelineChart } from "./charts";
import type { CtsReport, RankingRow } from "./cts-report.server";
import { formatPercent } from "./figures";
import { INTERVALS_PENDING, intervalsSentence, type IntervalStamp } from "./interval-stamp";

/** How many priorities a summary shows first. */
export const FIRST = 10;

/** A long table or list behind a disclosure: closed on screen, printed open (app.css). */
export function More({ summary, children }: { summary: string; children: ReactNode }) {
  return (
    <details className="ps-more">
      <summary className="fr-link fr-icon-arrow-down-s-line fr-link--icon-right">{summary}</summary>
      <div className="ps-more__body">{children}</div>
    </details>
  );
}

/** How to read a rank chart, in one sentence. */
export const HOW_TO_READ =
  "Chaque point est le rang d’une proposition, et son trait l’intervalle où ce rang pourrait se trouver si l’on refaisait le tirage des bulletins : quand les traits de deux propositions se chevauchent, leur ordre n’est pas établi.";

/** The first ten of a ranking, drawn with their intervals. */
export function FirstTen({
  id,
  caption,
  rows,
  proposalHref,
}: {
  id: string;
  caption: string;
  rows: RankingRow[];
  proposalHref: (slug: string) => string;
}) {
  return <RankIntervalChart id={id} caption={caption} rows={firstRanks(rows, FIRST)} proposalHref={proposalHref} />;
}

/** The proposals among the first ten of either ranking, with their raw and weighted ranks. */
export function RankShifts({
  id,
  rankings,
  proposalHref,
  pending = false,
}: {
  id: string;
  rankings: Record<"raw" | "population", RankingRow[]>;
  proposalHref: (slug: string) => string;
  /** No interval yet: whether a shift is clear cannot be said. */
  pending?: boolean;
}) {
  const slugs = new Map(rankings.raw.map((r) => [r.id, r.slug]));
  const rows = rankShifts(rankings.raw, rankings.population, FIRST).map((r) => ({ ...r, slug: slugs.get(r.id)! }));
  // Only those that move are drawn: the sentence says how many keep their rank.
  const moved = rows.filter((r) => r.shift !== 0);
  const clear = rows.filter((r) => r.clear);
  return (
    <>
      <p>
        {moved.length === 0
          ? `Les deux classements placent les ${FIRST} premières propositions aux mêmes rangs.`
          : `${moved.length} des propositions en tête de l’un ou l’autre classement n’ont pas le même rang dans les deux${
              pending
                ? " ; les intervalles de rang, en cours de calcul, diront quels écarts sont nets"
                : clear.length
                  ? ` ; l’écart est net (intervalles disjoints) pour ${clear.length === 1 ? "une d’elles" : `${clear.length} d’entre elles`}`
                  : " ; aucun écart n’est net : leurs intervalles se chevauchent"
            }.`}
      </p>
      {moved.length ? (
        <RankShiftChart
          id={id}
          caption={`Rang brut et rang pondéré des propositions en tête de l’un ou l’autre classement qui changent de rang`}
          rows={moved}
          proposalHref={proposalHref}
        />
      ) : null}
    </>
  );
}

const rate = (r: number | null) => (r === null ? "—" : formatPercent(r));

export function ParticipationSection({ report }: { report: Pick<CtsReport, "participation" | "territory"> }) {
  const { lines, total, timeline } = report.participation;
  return (
    <section aria-labelledby="participation">
      <h2 id="participation">Participation</h2>
      <p>
        {total.ballots === null || total.online === null || total.paper === null
          ? `Bulletins : ${total.withheld ?? ""}`
          : `${formatNumber(total.ballots)} bulletin${total.ballots > 1 ? "s" : ""} (${formatNumber(total.online)} en ligne, ${formatNumber(total.paper)} sur papier)`}{" "}
        pour {formatNumber(total.population)} habitants, soit une participation de {rate(total.rate)} ;{" "}
        {formatNumber(total.verifiedResidents)} habitant{total.verifiedResidents > 1 ? "s" : ""} inscrit
        {total.verifiedResidents > 1 ? "s" : ""} et vérifié{total.verifiedResidents > 1 ? "s" : ""}.
      </p>
      <DataTable id="participation-table" caption="Participation par arrondissement">
        <thead>
          <tr>
            <th scope="col">Arrondissement</th>
            <th scope="col">Population</th>
            <th scope="col">Habitants inscrits vérifiés</th>
            <th scope="col">Bulletins en ligne</th>
            <th scope="col">Bulletins papier</th>
            <th scope="col">Bulletins</th>
            <th scope="col">Participation</th>
          </tr>
        </thead>
        <tbody>
          {[...lines, total].map((l) => (
            <tr key={l.code || "total"}>
              <th scope="row">{l.code ? `${l.name} (${l.code})` : l.name}</th>
              <td>{formatNumber(l.population)}</td>
              <td>{formatNumber(l.verifiedResidents)}</td>
              {[l.online, l.paper, l.ballots].map((n, i) => (
                <td key={i}>{n === null ? <span className="fr-text--xs">{l.withheld}</span> : formatNumber(n)}</td>
              ))}
              <td>{rate(l.rate)}</td>
            </tr>
          ))}
        </tbody>
      </DataTable>
      <h3 className="fr-h5">Bulletins au fil du temps</h3>
      {timeline.length === 0 ? (
        <p>Aucun bulletin déposé pour l’instant.</p>
      ) : (
        <div className="fr-grid-row fr-grid-row--gutters">
          <div className="fr-col-12 fr-col-md-7">
            <TimelineChart id="timeline" days={timeline} />
          </div>
          <div className="fr-col-12 fr-col-md-5">
            <More summary={`Bulletins jour par jour (${timeline.length} jour${timeline.length > 1 ? "s" : ""})`}>
              <DataTable id="timeline-table" caption="Bulletins par jour">
                <thead>
                  <tr>
                    <th scope="col">Jour</th>
                    <th scope="col">Déposés</th>
                    <th scope="col">Retirés</th>
                    <th scope="col">Total</th>
                  </tr>
                </thead>
                <tbody>
                  {timeline.map((d) => (
                    <tr key={d.day}>
                      <th scope="row">{formatNumericDate(d.day)}</th>
                      <td>{formatNumber(d.cast)}</td>
                      <td>{formatNumber(d.withdrawn)}</td>
                      <td>{formatNumber(d.total)}</td>
                    </tr>
                  ))}
                </tbody>
              </DataTable>
            </More>
          </div>
        </div>
      )}
    </section>
  );
}

export function RankingTable({
  id,
  caption,
  rows,
  proposalHref,
  intervals = true,
}: {
  id: string;
  caption: string;
  rows: RankingRow[];
  proposalHref: (slug: string) => string;
  /** false while the first intervals are computed: no interval column. */
  intervals?: boolean;
}) {
  return (
    <DataTable id={id} caption={caption}>
      <thead>
        <tr>
          <th scope="col">Rang</th>
          {intervals ? <th scope="col">Intervalle</th> : null}
          <th scope="col">Proposition</th>
          <th scope="col">Résultat</th>
        </tr>
      </thead>
      <tbody>
        {rows.map((r) => (
          <tr key={r.id}>
            <td>
              {r.rank === null ? (
                r.statusLabel
              ) : (
                <>
                  {r.rank}
                  {r.indistinct ? (
                    <abbr title="rang non distinguable de celui de la ligne précédente" className="fr-ml-1v">
                      ≈
                    </abbr>
                  ) : null}
                </>
              )}
            </td>
            {intervals ? <td>{r.interval ? `${r.interval[0]}–${r.interval[1]}` : "—"}</td> : null}
            <td>
              <Link to={proposalHref(r.slug)}>{r.title}</Link>
            </td>
            <td>{r.figure}</td>
          </tr>
        ))}
      </tbody>
    </DataTable>
  );
}

/**
 * Both rankings: how to read them, where they disagree (the first ten of either), and the full
 * tables behind a disclosure. `charts` adds the first ten of each drawn with their intervals.
 */
export function RankingsSection({
  report,
  proposalHref,
  title = "Classements",
  charts = false,
}: {
  report: Pick<
    CtsReport,
    "state" | "ballots" | "threshold" | "smallGroupLabel" | "explanations" | "rankings" | "intervals" | "tallyVersion"
  >;
  proposalHref: (slug: string) => string;
  title?: string;
  charts?: boolean;
}) {
  const count = report.rankings.raw.length;
  const pending = report.intervals?.version === null;
  return (
    <section aria-labelledby="classements" className="ps-rankings">
      <h2 id="classements">{title}</h2>
      {report.state === "empty" ? (
        <Notice kind="info" title="Aucun bulletin">
          Aucun bulletin n’a encore été déposé dans ce territoire : il n’y a pas de classement à montrer.
        </Notice>
      ) : report.state === "small" ? (
        <Notice kind="info" title={report.smallGroupLabel}>
          {report.smallGroupLabel.startsWith("moins")
            ? `Le territoire compte moins de ${report.threshold} bulletins : aucun chiffre n’est montré, pour que personne ne puisse être reconnu.`
            : `Les chiffres de ce territoire sont masqués : avec ceux des territoires voisins, ils permettraient de retrouver par soustraction ceux d’un territoire de moins de ${report.threshold} bulletins.`}
        </Notice>
      ) : (
        <>
          <p>
            Deux lectures : le classement <strong>brut</strong> (un bulletin = une voix) et le classement{" "}
            <strong>pondéré</strong>, où chaque arrondissement pèse le poids de sa population. L’intervalle de rang
            (5e–95e centile sur 200 tirages) dit jusqu’où le rang pourrait varier.
          </p>
          {pending ? (
            <Notice kind="info" title={INTERVALS_PENDING}>
              {intervalsSentence(report.intervals, report.tallyVersion, "page")}
            </Notice>
          ) : null}
          {charts ? (
            <>
              {pending ? null : <p className="fr-text--sm">{HOW_TO_READ}</p>}
              <div className="fr-grid-row fr-grid-row--gutters">
                <div className="fr-col-12 fr-col-lg-6">
                  <FirstTen
                    id="dix-premieres-brut"
                    caption={`Les ${FIRST} premières du classement brut`}
                    rows={report.rankings.raw}
                    proposalHref={proposalHref}
                  />
                </div>
                <div className="fr-col-12 fr-col-lg-6">
                  <FirstTen
                    id="dix-premieres-pondere"
                    caption={`Les ${FIRST} premières du classement pondéré`}
                    rows={report.rankings.population}
                    proposalHref={proposalHref}
                  />
                </div>
              </div>
            </>
          ) : null}
          <h3 className="fr-h5">Brut ou pondéré : ce qui change</h3>
          <RankShifts
            id="ecarts-brut-pondere"
            rankings={report.rankings}
            proposalHref={proposalHref}
            pending={pending}
          />
          {report.rankings.raw.some((r) => r.indistinct) || report.rankings.population.some((r) => r.indistinct) ? (
            <Notice kind="warning" title="Des rangs ne se distinguent pas">
              Les lignes marquées ≈ ont un intervalle de rang qui chevauche celui de la ligne précédente : l’ordre entre
              ces deux propositions n’est pas établi.
            </Notice>
          ) : null}
          <More summary={`Classements complets (${count} propositions, brut et pondéré)`}>
            <div className="fr-grid-row fr-grid-row--gutters">
              <div className="fr-col-12 fr-col-lg-6">
                <p className="fr-text--sm">{report.explanations.raw}</p>
                <RankingTable
                  id="classement-brut"
                  caption="Classement brut"
                  rows={report.rankings.raw}
                  proposalHref={proposalHref}
                  intervals={!pending}
                />
              </div>
              <div className="fr-col-12 fr-col-lg-6">
                <p className="fr-text--sm">{report.explanations.population}</p>
                <RankingTable
                  id="classement-pondere"
                  caption="Classement pondéré par la population"
                  rows={report.rankings.population}
                  proposalHref={proposalHref}
                  intervals={!pending}
                />
              </div>
            </div>
          </More>
        </>
      )}
    </section>
  );
}

export function BreakdownSection({ report }: { report: CtsReport }) {
  const { columns, rows, allSmall } = report.breakdown;
  if (report.state !== "ranked") return null;
  return (
    <section aria-labelledby="ventilation">
      <h2 id="ventilation">Ventilation par arrondissement</h2>
      {allSmall ? (
        <Notice kind="info" title="Pas de ventilation possible">
          {`Les chiffres de chaque arrondissement du territoire sont masqués (moins de ${report.threshold} votants, ou secret statistique) : aucun chiffre par arrondissement n’est montré.`}
        </Notice>
      ) : (
        <>
          <p>
            Rang de chaque proposition dans chaque arrondissement (classement brut), dans l’ordre du classement du
            territoire.
          </p>
          <More summary={`Rang de chaque proposition dans chaque arrondissement (${rows.length} propositions)`}>
            <DataTable id="ventilation-table" caption="Rang par arrondissement">
              <thead>
                <tr>
                  <th scope="col">Proposition</th>
                  {columns.map((c) => (
                    <th scope="col" key={c.code}>
                      {c.name}{" "}
                      <span className="fr-text--xs">
                        ({c.ballots === null ? c.label : `${formatNumber(c.ballots)} bulletins`})
                      </span>
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {rows.map((row) => (
                  <tr key={row.id}>
                    <th scope="row">{row.title}</th>
                    {row.cells.map((c, i) => (
                      <td key={columns[i]!.code}>
                        {c === null ? (
                          <span className="fr-text--xs">{columns[i]!.label}</span>
                        ) : c.rank === null ? (
                          c.figure
                        ) : (
                          `${c.rank}e`
                        )}
                      </td>
                    ))}
                  </tr>
                ))}
              </tbody>
            </DataTable>
          </More>
        </>
      )}
      <h3 className="fr-h5">Là où les arrondissements divergent le plus</h3>
      {report.disagreements.length === 0 ? (
        <p>
          Il faut au moins deux arrondissements au-dessus du seuil de {report.threshold} bulletins pour les comparer.
        </p>
      ) : (
        <ul>
          {report.disagreements.map((d) => (
            <li key={d.id}>
              <strong>{d.title}</strong> : {d.best.rank}e à {d.best.arrondissement}, {d.worst.rank}e à{" "}
              {d.worst.arrondissement} (écart de {d.spread} rangs)
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

export function ProposalsSection({
  report,
  proposalHref,
}: {
  report: CtsReport;
  proposalHref: (slug: string) => string;
}) {
  const legend = report.proposals.find((p) => p.segments.length)?.segments.map((s) => s.label) ?? [];
  return (
    <section aria-labelledby="propositions">
      <h2 id="propositions">Par proposition</h2>
      <p>Répartition des bulletins, avis des habitants du territoire par position, contributions d’associations.</p>
      <More summary={`Détail des ${report.proposals.length} propositions`}>
        {legend.length ? <Legend labels={legend} /> : null}
        <DataTable id="propositions-table" caption="Détail par proposition">
          <thead>
            <tr>
              <th scope="col">Proposition</th>
              <th scope="col">Répartition des bulletins</th>
              <th scope="col">Commentaires « {STANCE_LABELS.for} »</th>
              <th scope="col">Commentaires « {STANCE_LABELS.against} »</th>
              <th scope="col">Commentaires « {STANCE_LABELS.nuanced} »</th>
              <th scope="col">Contributions</th>
            </tr>
          </thead>
          <tbody>
            {report.proposals.map((p) => (
              <tr key={p.id}>
                <th scope="row">
                  <Link to={proposalHref(p.slug)}>{p.title}</Link>
                </th>
                <td>{p.segments.length ? <StackedBar segments={p.segments} label={p.title} /> : "—"}</td>
                <td>{p.comments.for}</td>
                <td>{p.comments.against}</td>
                <td>{p.comments.nuanced}</td>
                <td>{p.contributions}</td>
              </tr>
            ))}
          </tbody>
        </DataTable>
      </More>
    </section>
  );
}

export function GeneratedStamp({
  report,
}: {
  report: {
    generatedAt: string;
    tallyVersion: number;
    consultation: { status: string };
    intervals: IntervalStamp | null;
  };
}) {
  const i = report.intervals;
  // Before the first intervals the rankings section says so (RankingsSection).
  const sentence = i?.version === null ? null : intervalsSentence(i, report.tallyVersion, "page");
  return (
    <p className="fr-text--sm">
      Chiffres du {formatDateTime(report.generatedAt)}, version du décompte n° {report.tallyVersion}.
      {report.consultation.status === "open"
        ? " Le vote est ouvert : ces chiffres avancent par paliers (un arrondissement n’est mis à jour qu’après au moins 10 nouveaux bulletins)."
        : null}
      {sentence ? ` ${sentence}` : null}
    </p>
  );
}
