import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { AnnotatedLine } from "~/catalogue/annotated-text";
import { GLOSSARY } from "~/catalogue/glossary";
import { data } from "@remix-run/node";
import { Form, Link, useLoaderData, useSearchParams } from "@remix-run/react";
import { getConsultationAt, listProposalsAt, proposalFacetsAt } from "~/catalogue/catalogue.server";
import { PAGE_SIZE, parseProposalFilters } from "~/catalogue/filters";
import { KIND_LABELS, LEVEL_LABELS, METHOD_LABELS, STATUS_LABELS, THEME_LABELS, THEME_SHORT } from "~/catalogue/themes";
import type { Theme } from "../../db/schema";
import { db } from "~/platform/db.server";
import { GeneralErrorBoundary } from "~/ui/error-boundary";
import { Notice } from "~/ui/fields";
import { Breadcrumb } from "~/ui/breadcrumb";
import { ProposalBadges } from "~/catalogue/proposal-badges";
import { formatDate } from "~/ui/format";
import { Pagination } from "~/ui/pagination";
import { takeVoteFlash } from "~/web/vote-flash.server";
import {
  PAGE_SLOT,
  ProposalVoteControls,
  VoteAnnouncer,
  VoteMessage,
  VoteSummary,
  voteAnchor,
  useShownBallot,
} from "~/voting/vote-controls";
import { ballotStamp, gradingProgress, phaseChangeAfter, readVoting } from "~/voting/voting.server";
import { GradingGuide } from "~/voting/grading-progress";
import { arrondissementLabel } from "~/ui/place-names";

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data ? `${data.consultation.title} — Priorités Santé` : "Consultation — Priorités Santé" },
];

// Everything this page shows comes from the catalogue (kept per content version), the phase and
// dates of the consultation, and, signed in, the resident's place and ballot. For anonymous
// visitors that makes the page a function of its URL, the content version and the clock: it lets
// the render cache keep it until the next opening or closing date.
export async function loader({ params, request, context }: LoaderFunctionArgs) {
  const version = await context.contentVersion();
  const found = await getConsultationAt(db(), version, params.slug ?? "");
  if (!found) throw new Response("Cette consultation n’existe pas ou n’est pas publiée.", { status: 404 });
  const parsed = parseProposalFilters(new URL(request.url).searchParams);
  if (!parsed.ok) throw data(parsed.message, { status: 400 });
  const { filters, truncated } = parsed;
  const [list, facets] = await Promise.all([
    listProposalsAt(db(), version, found.consultation.id, { ...filters, pageSize: PAGE_SIZE }),
    proposalFacetsAt(db(), version, found.consultation.id),
  ]);
  const url = new URL(request.url);
  const user = context.auth.user;
  // Signed in, the page also shows the resident's ballot: its stamp is read before it, and the
  // kept page is served again only while the stamp is unchanged.
  const stamp = user && context.renderCache ? await ballotStamp(db(), found.consultation.id, user.id) : null;
  const voting = await readVoting(db(), version, found.consultation, user, `${url.pathname}${url.search}`);
  const progress =
    voting.kind === "open" && voting.method === "majority_judgment"
      ? await gradingProgress(db(), found.consultation.id, voting.ballot, PAGE_SIZE)
      : null;
  const { flash, headers } = await takeVoteFlash(request);
  if (!flash) {
    const consultationId = found.consultation.id;
    context.renderCache?.allow(
      phaseChangeAfter(found.consultation, new Date()),
      user && stamp !== null ? { stamp, read: () => ballotStamp(db(), consultationId, user.id) } : undefined,
    );
  }
  return data(
    {
      consultation: found.consultation,
      themeCounts: found.themeCounts,
      workshops: found.workshops,
      filters,
      truncated,
      list,
      ...facets,
      voting,
      progress,
      flash,
    },
    { headers },
  );
}

export default function ConsultationPage() {
  const { consultation, themeCounts, workshops, filters, truncated, list, levels, kinds, voting, progress, flash } =
    useLoaderData<typeof loader>();
  const [searchParams] = useSearchParams();
  const themes = Object.keys(themeCounts) as Theme[];
  const filtered = !!(filters.theme || filters.level || filters.kind || filters.q);
  const ballot = useShownBallot(
    voting.method,
    voting.k,
    voting.kind === "anonymous" ? undefined : voting.ballot?.entries,
  );
  const canVote = voting.kind === "open";
  return (
    <VoteAnnouncer flash={flash} slots={list.items.map((p) => p.slug)}>
      <Breadcrumb
        items={[
          { to: "/", label: "Accueil" },
          { to: "/consultations", label: "Consultations" },
          { label: consultation.title },
        ]}
      />
      <h1>{consultation.title}</h1>
      <ul className="fr-badges-group fr-mb-2w">
        <li>
          <p className="fr-badge fr-badge--info fr-badge--no-icon">
            {consultation.cts_name ? `CTS ${consultation.cts_name}` : consultation.region_name}
          </p>
        </li>
        <li>
          <p className="fr-badge fr-badge--no-icon">{STATUS_LABELS[consultation.status]}</p>
        </li>
      </ul>
      {voting.kind === "open" || (voting.kind === "refused" && voting.ballot) ? (
        <p>
          <Link
            className="fr-btn fr-btn--secondary fr-icon-checkbox-circle-line fr-btn--icon-left"
            to={`/consultations/${consultation.slug}/mon-vote`}
          >
            Mon vote
          </Link>
        </p>
      ) : null}
      {consultation.status === "results_published" || (consultation.status === "open" && consultation.live_results) ? (
        <p>
          <Link
            className="fr-btn fr-icon-bar-chart-box-line fr-btn--icon-left"
            to={`/consultations/${consultation.slug}/resultats`}
          >
            {consultation.status === "open" ? "Résultats en direct" : "Voir les résultats"}
          </Link>
        </p>
      ) : null}
      <p className="fr-text--lead ps-text">{consultation.description}</p>
      <ul>
        <li>Région : {consultation.region_name}</li>
        <li>{METHOD_LABELS[consultation.method]}.</li>
        <li>{Object.values(themeCounts).reduce((a, b) => a + (b ?? 0), 0)} propositions.</li>
        {consultation.opens_at || consultation.closes_at ? (
          <li>
            Dates : {consultation.opens_at ? `du ${formatDate(consultation.opens_at)} ` : ""}
            {consultation.closes_at ? `au ${formatDate(consultation.closes_at)}` : ""}
          </li>
        ) : null}
      </ul>
      {workshops.length ? (
        <details className="fr-mb-4w">
          <summary className="fr-text--bold">Les {workshops.length} ateliers à l’origine de ces propositions</summary>
          <ul className="fr-mt-2w">
            {workshops.map((w) => (
              <li key={w.slug}>
                <span className="fr-text--bold">{w.place}</span>
                {w.arrondissement_name
                  ? ` — ${arrondissementLabel(w.arrondissement_name)}`
                  : w.departement_name
                    ? ` — ${w.departement_name}`
                    : ""}
                {w.date ? `, ${formatDate(w.date)}` : ""}
                {w.participants ? `, ${w.participants} participants` : ""}
              </li>
            ))}
          </ul>
        </details>
      ) : null}

      <h2 id="propositions">Les propositions</h2>
      <nav aria-label="Propositions par thème" className="fr-mb-3w">
        <ul className="fr-tags-group">
          {themes.map((t) => (
            <li key={t}>
              <Link
                className="fr-tag"
                to={`?theme=${t}#propositions`}
                aria-current={filters.theme === t ? "page" : undefined}
              >
                {THEME_SHORT[t]}{" "}
                {progress?.themes[t] ? (
                  <>
                    ({progress.themes[t].graded}/{progress.themes[t].total}
                    <span className="fr-sr-only"> évaluées</span>)
                  </>
                ) : (
                  <>({themeCounts[t]})</>
                )}
              </Link>
            </li>
          ))}
        </ul>
      </nav>
      <Form method="get" className="fr-mb-4w" aria-labelledby="propositions" preventScrollReset>
        <div className="fr-grid-row fr-grid-row--gutters">
          <div className="fr-col-12 fr-col-md-6">
            <div className="fr-input-group">
              <label className="fr-label" htmlFor="q">
                Rechercher
                <span className="fr-hint-text">Mots ou sigles, sans se soucier des accents (ex. : médecin, IPA)</span>
              </label>
              <input
                className="fr-input"
                type="search"
                id="q"
                name="q"
                defaultValue={filters.q ?? ""}
                maxLength={200}
              />
            </div>
          </div>
          <div className="fr-col-12 fr-col-md-6">
            <div className="fr-select-group">
              <label className="fr-label" htmlFor="theme">
                Thème
              </label>
              <select className="fr-select" id="theme" name="theme" defaultValue={filters.theme ?? ""}>
                <option value="">Tous les thèmes</option>
                {themes.map((t) => (
                  <option key={t} value={t}>
                    {THEME_LABELS[t]}
                  </option>
                ))}
              </select>
            </div>
          </div>
          {levels.length > 0 ? (
            <div className="fr-col-12 fr-col-md-4">
              <div className="fr-select-group">
                <label className="fr-label" htmlFor="level">
                  Niveau
                </label>
                <select className="fr-select" id="level" name="level" defaultValue={filters.level ?? ""}>
                  <option value="">Tous les niveaux</option>
                  {levels.map((l) => (
                    <option key={l} value={l}>
                      {LEVEL_LABELS[l]}
                    </option>
                  ))}
                </select>
              </div>
            </div>
          ) : null}
          {kinds.length > 1 ? (
            <div className="fr-col-12 fr-col-md-4">
              <div className="fr-select-group">
                <label className="fr-label" htmlFor="kind">
                  Type
                </label>
                <select className="fr-select" id="kind" name="kind" defaultValue={filters.kind ?? ""}>
                  <option value="">Tous les types</option>
                  {kinds.map((k) => (
                    <option key={k} value={k}>
                      {KIND_LABELS[k]}
                    </option>
                  ))}
                </select>
              </div>
            </div>
          ) : null}
          <div className="fr-col-12 fr-col-md-4">
            <div className="fr-select-group">
              <label className="fr-label" htmlFor="sort">
                Trier par
              </label>
              <select className="fr-select" id="sort" name="sort" defaultValue={filters.sort}>
                <option value="source">Ordre du rapport</option>
                <option value="mentions">Les plus citées dans les ateliers</option>
                <option value="alpha">Ordre alphabétique</option>
              </select>
            </div>
          </div>
        </div>
        <ul className="fr-btns-group fr-btns-group--inline-md fr-mt-2w">
          <li>
            <button className="fr-btn" type="submit">
              Afficher les propositions
            </button>
          </li>
          {filtered ? (
            <li>
              <Link className="fr-btn fr-btn--secondary" to="?" preventScrollReset>
                Effacer les filtres
              </Link>
            </li>
          ) : null}
        </ul>
      </Form>

      {truncated ? (
        <Notice kind="warning">
          Votre recherche était trop longue : seuls ses 200 premiers caractères ont été utilisés.
        </Notice>
      ) : null}
      {list.requestedPage !== list.page ? (
        <Notice kind="info">
          La page {list.requestedPage} n’existe pas : voici la page {list.page} sur {list.pageCount}.
        </Notice>
      ) : null}
      <VoteSummary consultationSlug={consultation.slug} voting={voting} ballot={ballot} />
      {progress ? <GradingGuide progress={progress} /> : null}
      <VoteMessage slot={PAGE_SLOT} shownSlots={list.items.map((p) => p.slug)} />
      <p role="status" aria-live="polite" className="fr-text--bold" data-testid="result-count">
        {list.total === 0
          ? "Aucune proposition ne correspond à ces critères."
          : `${list.total} proposition${list.total > 1 ? "s" : ""}${filtered ? " correspondent à ces critères" : ""}${list.pageCount > 1 ? ` — page ${list.page} sur ${list.pageCount}` : ""}`}
      </p>
      {list.total === 0 && filtered ? (
        <p>
          Essayez un autre mot, ou <Link to="?">affichez toutes les propositions</Link>.
        </p>
      ) : null}
      <ol className="ps-plain-list" start={(list.page - 1) * PAGE_SIZE + 1}>
        {list.items.map((p, i) => (
          <li key={p.slug} className="fr-mb-3w" id={canVote ? voteAnchor(p.slug) : undefined}>
            {/* A card with vote buttons is not one big link (the DSFR forbids controls in a clickable card). */}
            <div className={`fr-card fr-card--horizontal${canVote ? "" : " fr-enlarge-link"}`}>
              <div className="fr-card__body">
                <div className="fr-card__content">
                  <h3 className="fr-card__title">
                    <Link to={`/consultations/${consultation.slug}/propositions/${p.slug}`}>
                      <AnnotatedLine text={p.title} glossary={GLOSSARY} />
                    </Link>
                  </h3>
                  {p.summary ? (
                    <p className="fr-card__desc ps-text">
                      <AnnotatedLine text={p.summary} glossary={GLOSSARY} />
                    </p>
                  ) : null}
                  <div className="fr-card__start">
                    <ProposalBadges
                      theme={p.theme}
                      secondaryTheme={p.secondary_theme}
                      mentions={p.mentions}
                      level={p.level}
                      kind={p.kind}
                      size="sm"
                    />
                    <p className="fr-card__detail" data-testid="proposal-number">
                      N° {(list.page - 1) * PAGE_SIZE + i + 1}
                    </p>
                  </div>
                </div>
                {canVote ? (
                  <div className="fr-card__footer">
                    <ProposalVoteControls consultationSlug={consultation.slug} proposal={p} ballot={ballot} />
                  </div>
                ) : null}
              </div>
            </div>
          </li>
        ))}
      </ol>
      <Pagination page={list.page} pageCount={list.pageCount} params={searchParams} />
    </VoteAnnouncer>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
