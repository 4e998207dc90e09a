import type { ActionFunctionArgs, HeadersFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import { Link, useActionData, useLoaderData } from "@remix-run/react";
import { AnnotatedLine, AnnotatedText, firstUses } from "~/catalogue/annotated-text";
import { SourceProvenance } from "~/catalogue/proposal-provenance";
import { findProposalTitle, getConsultation, getProposal } from "~/catalogue/catalogue.server";
import { GLOSSARY } from "~/catalogue/glossary";
import { CommentSection } from "~/comments/comment-section";
import { ContributionsSection } from "~/associations/contributions-section";
import { proposalDiscussion } from "~/comments/discussion.server";
import { discussionAction } from "~/web/proposal-page.server";
import { orNotFound } from "~/web/access.server";
import { db } from "~/platform/db.server";
import { GeneralErrorBoundary } from "~/ui/error-boundary";
import { Breadcrumb } from "~/ui/breadcrumb";
import { ProposalBadges } from "~/catalogue/proposal-badges";
import { formatDate } from "~/ui/format";
import { DataTable } from "~/ui/table";
import { takeVoteFlash } from "~/web/vote-flash.server";
import {
  PAGE_SLOT,
  ProposalVoteControls,
  VoteAnnouncer,
  VoteMessage,
  VoteSummary,
  ballotCount,
  voteAnchor,
  useShownBallot,
} from "~/voting/vote-controls";
import { readVoting } from "~/voting/voting.server";
import { readFormData } from "~/web/form.server";
import { answersForProposalPage } from "~/answers/answers.server";
import { ProposalAnswers } from "~/answers/answer-views";
import { locateCommune } from "~/territories/territories.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data ? `${data.proposal.title} — Priorités Santé` : "Proposition — Priorités Santé" },
  ...(data?.proposal.summary ? [{ name: "description", content: data.proposal.summary }] : []),
];

// Carries the action's Retry-After onto the page of a 429 (too many comments).
export const headers: HeadersFunction = ({ actionHeaders }) => {
  const headers = new Headers();
  const retryAfter = actionHeaders.get("Retry-After");
  if (retryAfter) headers.set("Retry-After", retryAfter);
  return headers;
};

const NO_CONSULTATION = "Cette consultation n’existe pas ou n’est pas publiée.";
const NO_PROPOSAL = "Cette proposition n’existe pas dans cette consultation.";

export async function loader({ params, request, context }: LoaderFunctionArgs) {
  const found = orNotFound(await getConsultation(db(), params.slug ?? ""), NO_CONSULTATION);
  const detail = orNotFound(await getProposal(db(), found.consultation.id, params.proposal ?? ""), NO_PROPOSAL);
  const url = new URL(request.url);
  const voting = await readVoting(
    db(),
    await context.contentVersion(),
    found.consultation,
    context.auth.user,
    `${url.pathname}${url.search}`,
  );
  const { flash, headers } = await takeVoteFlash(request);
  const discussion = await proposalDiscussion(db(), {
    consultation: found.consultation,
    proposalId: detail.proposal.id,
    user: context.auth.user,
    searchParams: url.searchParams,
  });
  const reader = context.auth.user ? await locateCommune(db(), context.auth.user.communeCode) : null;
  const answers = await answersForProposalPage(db(), detail.proposal.id, reader?.cts?.code ?? null);
  return data(
    {
      consultation: { slug: found.consultation.slug, title: found.consultation.title },
      ...detail,
      voting,
      flash,
      discussion,
      answers,
      justPublished: url.searchParams.get("publiee"),
    },
    { headers },
  );
}

export async function action({ params, request, context }: ActionFunctionArgs) {
  const found = orNotFound(await getConsultation(db(), params.slug ?? ""), NO_CONSULTATION);
  const proposal = orNotFound(await findProposalTitle(db(), found.consultation.id, params.proposal ?? ""), NO_PROPOSAL);
  // Comments, replies, edits, deletions, "useful" marks, reports, review requests (votes post to /vote).
  return discussionAction({ request, context, formData: await readFormData(request), proposalId: proposal.id });
}

export default function ProposalPage() {
  const {
    consultation,
    proposal,
    sources,
    departementCounts,
    verbatims,
    related,
    workshops,
    voting,
    flash,
    discussion,
    answers,
    justPublished,
  } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const usedTerms = firstUses(proposal.text, GLOSSARY).map((m) => m.entry);
  const ballot = useShownBallot(
    voting.method,
    voting.k,
    voting.kind === "anonymous" ? undefined : voting.ballot?.entries,
  );
  return (
    <VoteAnnouncer flash={flash} slots={[proposal.slug]}>
      <Breadcrumb
        items={[
          { to: "/consultations", label: "Consultations" },
          { to: `/consultations/${consultation.slug}`, label: consultation.title },
          { label: proposal.title },
        ]}
      />
      <article className="ps-text">
        <h1>{proposal.title}</h1>
        <ProposalBadges
          theme={proposal.theme}
          secondaryTheme={proposal.secondary_theme}
          mentions={proposal.mentions}
          level={proposal.level}
          kind={proposal.kind}
          className="fr-mb-3w"
        />
        {proposal.source_wording ? (
          <p data-testid="source-wording">
            Formulation du rapport : « <AnnotatedLine text={proposal.source_wording} glossary={GLOSSARY} /> »
          </p>
        ) : null}
        {proposal.summary ? (
          <div className="fr-callout fr-mb-4w">
            <h2 className="fr-callout__title fr-h6">En bref</h2>
            <p className="fr-callout__text">{proposal.summary}</p>
          </div>
        ) : null}
        {voting.kind === "refused" && voting.bystander ? null : (
          <section className="fr-mb-4w" id={voteAnchor(proposal.slug)} aria-labelledby="votre-vote">
            <h2 className="fr-h4" id="votre-vote">
              Votre vote
            </h2>
            {voting.kind === "open" ? (
              <>
                <ProposalVoteControls consultationSlug={consultation.slug} proposal={proposal} ballot={ballot} />
                <p className="fr-mt-2w">
                  Dans cette consultation : <strong data-testid="ballot-count">{ballotCount(ballot)}</strong> —{" "}
                  <Link to={`/consultations/${consultation.slug}/mon-vote`}>Mon vote</Link>
                </p>
              </>
            ) : (
              <VoteSummary consultationSlug={consultation.slug} voting={voting} ballot={ballot} />
            )}
            <VoteMessage slot={PAGE_SLOT} shownSlots={voting.kind === "open" ? [proposal.slug] : []} />
          </section>
        )}
        <ProposalAnswers consultationSlug={consultation.slug} answers={answers} />
        <h2 className="fr-h4">La proposition</h2>
        <AnnotatedText text={proposal.text} glossary={GLOSSARY} />
        {usedTerms.length ? (
          <p className="fr-text--sm">
            Sigles :{" "}
            {usedTerms.map((t, i) => (
              <span key={t.abbr}>
                {i ? " ; " : ""}
                <Link to={`/glossaire#${t.abbr.toLowerCase()}`}>{t.abbr}</Link> : {t.expansion}
              </span>
            ))}
            .
          </p>
        ) : null}

        {verbatims.length ? (
          <>
            <h2 className="fr-h4">Ce qu’en ont dit des participants</h2>
            {verbatims.map((v, i) => (
              <figure key={i} className="fr-quote fr-mb-2w">
                <blockquote>
                  <p>« {v} »</p>
                </blockquote>
              </figure>
            ))}
          </>
        ) : null}

        <h2 className="fr-h4" id="sources">
          D’où vient cette proposition
        </h2>
        <ul>
          {sources.map((s, i) => (
            <li key={i} data-testid="source">
              <SourceProvenance source={s} />
            </li>
          ))}
        </ul>
        {workshops.length ? (
          <p>Ateliers : {workshops.map((w) => `${w.place}${w.date ? ` (${formatDate(w.date)})` : ""}`).join(", ")}.</p>
        ) : null}
        {departementCounts.length ? (
          <DataTable
            id="citations-par-departement"
            caption="Nombre de fois où la proposition a été citée, par département"
          >
            <thead>
              <tr>
                <th scope="col">Département</th>
                <th scope="col">Citations</th>
              </tr>
            </thead>
            <tbody>
              {departementCounts.map((d) => (
                <tr key={d.departement_code}>
                  <td>
                    {d.departement_name ?? d.departement_code} ({d.departement_code})
                  </td>
                  <td>{d.mentions}</td>
                </tr>
              ))}
            </tbody>
          </DataTable>
        ) : null}

        {related.length ? (
          <>
            <h2 className="fr-h4">Propositions voisines</h2>
            <ul>
              {related.map((r) => (
                <li key={r.slug}>
                  <Link to={`/consultations/${consultation.slug}/propositions/${r.slug}`}>{r.title}</Link>
                </li>
              ))}
            </ul>
          </>
        ) : null}
      </article>
      <ContributionsSection
        discussion={discussion}
        actionData={actionData}
        contributeHref={`/espace-association/contribuer/${consultation.slug}/${proposal.slug}`}
        justPublished={justPublished}
      />
      <CommentSection discussion={discussion} actionData={actionData} />
      <p className="fr-mt-4w">
        <Link className="fr-link fr-icon-arrow-left-line fr-link--icon-left" to={`/consultations/${consultation.slug}`}>
          Toutes les propositions de la consultation
        </Link>
      </p>
    </VoteAnnouncer>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
