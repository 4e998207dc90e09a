import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { useEffect, useRef, useState, type DragEvent } from "react";
import { requireUser } from "~/web/guards.server";
import { getConsultation } from "~/catalogue/catalogue.server";
import { db } from "~/platform/db.server";
import { GeneralErrorBoundary } from "~/ui/error-boundary";
import { wantsNotices } from "~/answers/choices.server";
import { NoticeWishForm } from "~/answers/answer-views";
import { Breadcrumb } from "~/ui/breadcrumb";
import { Notice } from "~/ui/fields";
import { formatDateTime } from "~/ui/format";
import { GRADE_LABELS } from "~/tally/types";
import { takeVoteFlash } from "~/web/vote-flash.server";
import {
  GradePicker,
  METHOD_HOW_TO,
  PAGE_SLOT,
  RefusalReason,
  ReplyField,
  VoteAnnouncer,
  VoteMessage,
  ballotCount,
  useHydrated,
  useShownBallot,
  useVoteFetcher,
  voteAction,
  voteAnchor,
  type ShownBallot,
} from "~/voting/vote-controls";
import { readVoting } from "~/voting/voting.server";
import { arrondissementLabel } from "~/ui/place-names";

// "Mon vote": the resident's own ballot in one consultation, where it counts, when it last changed,
// and the buttons to change it (the review page of an approval ballot) or withdraw it. Nobody else
// sees it (docs/domain.md#privacy).

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data ? `Mon vote — ${data.consultation.title} — Priorités Santé` : "Mon vote — Priorités Santé" },
];

export async function loader({ params, request, context }: LoaderFunctionArgs) {
  const user = requireUser(context, request);
  const found = await getConsultation(db(), params.slug ?? "");
  if (!found) throw new Response("Cette consultation n’existe pas ou n’est pas publiée.", { status: 404 });
  const url = new URL(request.url);
  const voting = await readVoting(db(), await context.contentVersion(), found.consultation, user, url.pathname);
  if (voting.kind === "anonymous") throw new Error("unreachable: requireUser");
  const { flash, headers } = await takeVoteFlash(request);
  const { slug, title, status } = found.consultation;
  // Closing a consultation unlinks its ballots from their voters (lifecycle.server.ts).
  const anonymised = status === "closed" || status === "results_published";
  const answerNotices = await wantsNotices(db(), user.id);
  return data({ consultation: { slug, title, anonymised }, voting, flash, answerNotices }, { headers });
}

export default function MyBallot() {
  const { consultation, voting, flash, answerNotices } = useLoaderData<typeof loader>();
  const saved = voting.ballot;
  const ballot = useShownBallot(voting.method, voting.k, saved?.entries);
  const open = voting.kind === "open";
  const shown =
    ballot.method === "approval"
      ? (saved?.entries ?? []).filter((e) => ballot.selected.has(e.slug))
      : ballot.method === "majority_judgment"
        ? (saved?.entries ?? []).filter((e) => ballot.grades.has(e.slug))
        : ballot.order.map((slug) => ({ slug, title: ballot.titles.get(slug) ?? slug }));
  const proposalsHref = `/consultations/${consultation.slug}`;

  // Removing a proposal removes its buttons, and the focus with them: put it on the list's heading
  // (the confirmation is announced by the live region) rather than leave it on the page's body.
  const removing = useRef(false);
  useEffect(() => {
    if (!removing.current || document.activeElement !== document.body) return;
    removing.current = false;
    document.querySelector<HTMLElement>("#mon-bulletin, #pas-de-vote")?.focus();
  });
  return (
    <div
      onSubmit={(event) => {
        const submitter = (event.nativeEvent as SubmitEvent).submitter as HTMLButtonElement | null;
        if (submitter && ["unapprove", "ungrade", "rank-remove", "withdraw"].includes(submitter.value))
          removing.current = true;
      }}
      onFocus={() => {
        // Any focus after the removal means the person has moved on.
        removing.current = false;
      }}
    >
      <VoteAnnouncer flash={flash} slots={[...(saved?.entries ?? []).map((e) => e.slug), ORDER_SLOT]}>
        <Breadcrumb
          items={[
            { to: "/consultations", label: "Consultations" },
            { to: proposalsHref, label: consultation.title },
            { label: "Mon vote" },
          ]}
        />
        <h1>Mon vote</h1>
        <p className="fr-text--lead ps-text">
          <Link to={proposalsHref}>{consultation.title}</Link>
        </p>
        <p className="fr-text--sm">Vous seul voyez ce vote : il est compté sans votre nom dans les résultats.</p>
        {voting.kind === "refused" ? (
          <Notice
            kind="warning"
            title={saved ? "Votre vote ne peut plus être modifié" : "Vous ne pouvez pas voter ici"}
          >
            <RefusalReason reason={voting.reason} unverified={voting.unverified} />
          </Notice>
        ) : null}
        <VoteMessage slot={PAGE_SLOT} shownSlots={shown.map((e) => e.slug)} />
        {saved && !consultation.anonymised ? (
          <section className="fr-mb-4w" aria-label="Réponses du CTS">
            <NoticeWishForm on={answerNotices} back={`/consultations/${consultation.slug}/mon-vote`} />
          </section>
        ) : null}

        {!saved || shown.length === 0 ? (
          <section className="fr-mb-6w" data-testid="no-ballot">
            <h2 id="pas-de-vote" tabIndex={-1}>
              {consultation.anonymised ? "Aucun vote à afficher" : "Vous n’avez pas encore voté"}
            </h2>
            {consultation.anonymised ? (
              <p>
                Cette consultation est close : ses votes sont devenus anonymes et ne sont plus reliés à aucun compte. Si
                vous aviez voté, votre vote est compté dans les résultats.
              </p>
            ) : null}
            {open ? (
              <>
                <p>{METHOD_HOW_TO[voting.method](voting.k)}</p>
                <Link className="fr-btn" to={proposalsHref}>
                  Voir les propositions
                </Link>
              </>
            ) : null}
          </section>
        ) : (
          <>
            <section className="fr-mb-4w" aria-labelledby="mon-bulletin">
              <h2 id="mon-bulletin" tabIndex={-1}>
                {ballot.method === "approval"
                  ? "Mes priorités"
                  : ballot.method === "majority_judgment"
                    ? "Mes mentions"
                    : "Mon classement"}
              </h2>
              <p className="fr-text--bold" data-testid="ballot-count">
                {ballotCount(ballot)}
              </p>
              {ballot.method === "approval" ? (
                <ul className="ps-plain-list" data-testid="my-ballot">
                  {shown.map((e) => (
                    <ApprovalItem key={e.slug} consultationSlug={consultation.slug} entry={e} open={open} />
                  ))}
                </ul>
              ) : ballot.method === "majority_judgment" ? (
                <ul className="ps-plain-list" data-testid="my-ballot">
                  {shown.map((e) => (
                    <li key={e.slug} id={voteAnchor(e.slug)} className="ps-ballot-item">
                      <p className="fr-text--bold fr-mb-1w ps-text">
                        <Link to={`${proposalsHref}/propositions/${e.slug}`}>{e.title}</Link>
                      </p>
                      {open ? (
                        <>
                          <GradePicker
                            consultationSlug={consultation.slug}
                            proposal={e}
                            ballot={ballot}
                            idPrefix="mon-vote"
                          />
                          <VoteMessage slot={e.slug} />
                        </>
                      ) : (
                        <p>
                          Votre mention : <strong>{GRADE_LABELS[ballot.grades.get(e.slug)!]}</strong>
                        </p>
                      )}
                    </li>
                  ))}
                </ul>
              ) : (
                <RankedList consultationSlug={consultation.slug} ballot={ballot} open={open} />
              )}
              {open ? (
                <p className="fr-mt-3w">
                  {ballot.method === "approval"
                    ? ballot.selected.size < ballot.k
                      ? `Vous pouvez encore en choisir ${ballot.k - ballot.selected.size}. `
                      : "Vous avez choisi le maximum : retirez-en une pour en choisir une autre. "
                    : ballot.method === "ranked" && ballot.order.length < ballot.k
                      ? `Vous pouvez encore en ajouter ${ballot.k - ballot.order.length}. `
                      : ""}
                  <Link to={proposalsHref}>Parcourir les propositions</Link>
                </p>
              ) : null}
            </section>
            <section className="fr-mb-4w" aria-labelledby="ou-compte">
              <h2 id="ou-compte" className="fr-h4">
                Où et quand
              </h2>
              <p data-testid="ballot-place">
                Votre vote compte dans l’{arrondissementLabel(saved.arrondissement.name)} ({saved.arrondissement.code}),
                territoire {saved.territory.name}, là où vous habitiez lors de votre dernière modification.
              </p>
              <p data-testid="ballot-updated">Dernière modification : le {formatDateTime(saved.updatedAt)}.</p>
            </section>
            {open ? <WithdrawBallot consultationSlug={consultation.slug} /> : null}
          </>
        )}
      </VoteAnnouncer>
    </div>
  );
}

function ApprovalItem({
  consultationSlug,
  entry,
  open,
}: {
  consultationSlug: string;
  entry: { slug: string; title: string };
  open: boolean;
}) {
  const fetcher = useVoteFetcher(entry.slug);
  return (
    <li id={voteAnchor(entry.slug)} className="ps-ballot-item">
      <div className="ps-vote-row ps-vote-row--between">
        <p className="fr-text--bold fr-mb-0 ps-text">
          <Link to={`/consultations/${consultationSlug}/propositions/${entry.slug}`}>{entry.title}</Link>
        </p>
        {open ? (
          <fetcher.Form method="post" action={voteAction(consultationSlug)}>
            <input type="hidden" name="proposal" value={entry.slug} />
            <ReplyField />
            <button
              type="submit"
              name="intent"
              value="unapprove"
              className="fr-btn fr-btn--sm fr-btn--tertiary fr-icon-delete-line fr-btn--icon-left"
            >
              Retirer
              <span className="fr-sr-only"> : {entry.title}</span>
            </button>
          </fetcher.Form>
        ) : null}
      </div>
      <VoteMessage slot={entry.slug} />
    </li>
  );
}

type Direction = "up" | "down";

/** The message slot of a drag and drop (the whole order changes at once). */
const ORDER_SLOT = "order";

/**
 * The ranked ballot, first = most important. Up and down are buttons in small forms (keyboard and
 * no-JavaScript first); dragging with a mouse is an extra. The focus follows the moved proposal.
 */
function RankedList({
  consultationSlug,
  ballot,
  open,
}: {
  consultationSlug: string;
  ballot: ShownBallot;
  open: boolean;
}) {
  const hydrated = useHydrated();
  const order = ballot.order;
  const wanted = useRef<{ slug: string; dir: Direction } | null>(null);
  const orderFetcher = useVoteFetcher(ORDER_SLOT);
  const [dragging, setDragging] = useState<string | null>(null);

  // React moves list items in the DOM when the order changes, and a moved button loses the focus:
  // give it back to the same proposal's button (or its other arrow when this one is now disabled).
  useEffect(() => {
    const want = wanted.current;
    if (!want) return;
    const item = document.getElementById(voteAnchor(want.slug));
    const active = document.activeElement;
    if (!item || (active && active !== document.body && !item.contains(active))) {
      wanted.current = null;
      return;
    }
    const button = (dir: Direction) =>
      item.querySelector<HTMLButtonElement>(`button[data-move="${dir}"]:not(:disabled)`);
    const target = button(want.dir) ?? button(want.dir === "up" ? "down" : "up");
    if (target && active !== target) target.focus();
  });

  const drop = (event: DragEvent<HTMLLIElement>, onto: string) => {
    event.preventDefault();
    const moved = dragging;
    setDragging(null);
    if (!moved || moved === onto) return;
    const next = order.filter((s) => s !== moved);
    const at = next.indexOf(onto) + (order.indexOf(moved) < order.indexOf(onto) ? 1 : 0);
    next.splice(at, 0, moved);
    const form = new FormData();
    form.set("intent", "rank-order");
    next.forEach((s) => form.append("order", s));
    form.set("reply", "data");
    orderFetcher.submit(form, { method: "post", action: voteAction(consultationSlug) });
  };

  return (
    <>
      {open && hydrated ? (
        <p className="fr-text--sm ps-drag-hint">
          Avec une souris, vous pouvez aussi faire glisser une proposition à sa place.
        </p>
      ) : null}
      <ol className="ps-plain-list ps-ranked-list" data-testid="my-ballot">
        {order.map((slug, i) => (
          <li
            key={slug}
            id={voteAnchor(slug)}
            className={`ps-ballot-item${dragging === slug ? " ps-ballot-item--dragging" : ""}`}
            draggable={open && hydrated}
            onDragStart={(event) => {
              setDragging(slug);
              event.dataTransfer.effectAllowed = "move";
              event.dataTransfer.setData("text/plain", slug);
            }}
            onDragOver={(event) => {
              if (dragging) event.preventDefault();
            }}
            onDrop={(event) => drop(event, slug)}
            onDragEnd={() => setDragging(null)}
          >
            <RankedItem
              consultationSlug={consultationSlug}
              slug={slug}
              title={ballot.titles.get(slug) ?? slug}
              place={i + 1}
              count={order.length}
              open={open}
              onMove={(dir) => {
                wanted.current = { slug, dir };
              }}
            />
          </li>
        ))}
      </ol>
    </>
  );
}

function RankedItem({
  consultationSlug,
  slug,
  title,
  place,
  count,
  open,
  onMove,
}: {
  consultationSlug: string;
  slug: string;
  title: string;
  place: number;
  count: number;
  open: boolean;
  onMove: (dir: Direction) => void;
}) {
  const fetcher = useVoteFetcher(slug);
  const action = voteAction(consultationSlug);
  const move = (dir: Direction, to: number, label: string, icon: string, disabled: boolean) => (
    <fetcher.Form method="post" action={action} onSubmit={() => onMove(dir)}>
      <input type="hidden" name="proposal" value={slug} />
      <input type="hidden" name="to" value={to} />
      <ReplyField />
      <button
        type="submit"
        name="intent"
        value="rank-move"
        data-move={dir}
        disabled={disabled}
        className={`fr-btn fr-btn--sm fr-btn--secondary fr-btn--icon-left ${icon}`}
      >
        {label}
        <span className="fr-sr-only"> : {title}</span>
      </button>
    </fetcher.Form>
  );
  return (
    <>
      <p className="fr-mb-1w ps-text">
        <span className="ps-rank" data-testid="rank-place">
          {place === 1 ? "1re" : `${place}e`}
        </span>{" "}
        <Link className="fr-text--bold" to={`/consultations/${consultationSlug}/propositions/${slug}`}>
          {title}
        </Link>
      </p>
      {open ? (
        <div className="ps-vote-row">
          {move("up", place - 1, "Monter", "fr-icon-arrow-up-line", place === 1)}
          {move("down", place + 1, "Descendre", "fr-icon-arrow-down-line", place === count)}
          <fetcher.Form method="post" action={action}>
            <input type="hidden" name="proposal" value={slug} />
            <ReplyField />
            <button
              type="submit"
              name="intent"
              value="rank-remove"
              className="fr-btn fr-btn--sm fr-btn--tertiary fr-icon-delete-line fr-btn--icon-left"
            >
              Retirer
              <span className="fr-sr-only"> : {title}</span>
            </button>
          </fetcher.Form>
        </div>
      ) : null}
      <VoteMessage slot={slug} />
    </>
  );
}

/** Withdrawing asks once more, in a disclosure that needs no script. */
function WithdrawBallot({ consultationSlug }: { consultationSlug: string }) {
  const fetcher = useVoteFetcher(PAGE_SLOT);
  return (
    <details className="ps-withdraw fr-mb-6w">
      <summary className="fr-btn fr-btn--secondary fr-icon-delete-line fr-btn--icon-left">Retirer mon vote</summary>
      <div className="fr-mt-2w">
        <p>
          Votre vote sera effacé et ne comptera plus dans les résultats. Vous pourrez voter de nouveau tant que la
          consultation est ouverte.
        </p>
        <fetcher.Form method="post" action={voteAction(consultationSlug)}>
          <ReplyField />
          <button type="submit" name="intent" value="withdraw" className="fr-btn">
            Oui, retirer mon vote
          </button>
        </fetcher.Form>
      </div>
    </details>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
