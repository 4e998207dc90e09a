import { Link, useFetcher, useFetchers } from "@remix-run/react";
import { createContext, useCallback, useContext, useEffect, useMemo, useRef, useState, type ReactNode } from "react";
import { GRADE_LABELS, GRADES, type Grade, type Method } from "../tally/types";
import type { VoteFlash } from "./vote-forms";
import type { VoteResult } from "./vote-forms";
import type { BallotEntry, VotingState } from "./voting.server";

// The vote on the pages: the controls of one proposal for each method, the summary of the ballot,
// and the confirmations. Every control is a small form posting to /consultations/:slug/vote, so it
// works without JavaScript (a redirect back); with JavaScript the same forms go through useFetcher
// (no page load), the ballot shown is optimistic while the request runs, and the answer is
// announced in an aria-live region beside the control that was used.

/** Where a proposal's vote controls and messages are on a page (the redirect's #anchor). */
export const voteAnchor = (slug: string) => `vote-${slug}`;

/** The message slot of the page itself, for votes about no proposal, or one no longer shown. */
export const PAGE_SLOT = "page";

export const voteAction = (consultationSlug: string) => `/consultations/${consultationSlug}/vote`;

/** True once React runs in the browser (false during the server render and hydration). */
export function useHydrated(): boolean {
  const [hydrated, setHydrated] = useState(false);
  useEffect(() => setHydrated(true), []);
  return hydrated;
}

/** Asks the action for data instead of a redirect, once the page's scripts run. */
export function ReplyField() {
  return useHydrated() ? <input type="hidden" name="reply" value="data" /> : null;
}

// ————— Confirmations —————

interface Announcement {
  slot: string;
  seq: number;
  ok: boolean;
  status: number | null;
  message: string;
}

const AnnouncerContext = createContext<{ latest: Announcement | null } | null>(null);

/**
 * Keeps the page's latest vote message, from a vote fetcher (with JavaScript) or from the flash
 * cookie (after a redirect without it). The message shows in one place only: the slot of the
 * proposal it is about, else the page slot.
 */
export function VoteAnnouncer({
  flash,
  slots,
  children,
}: {
  flash: VoteFlash | null;
  slots: readonly string[];
  children: ReactNode;
}) {
  const seq = useRef(0);
  const fromFlash = (f: VoteFlash): Announcement => ({
    slot: f.proposal ?? PAGE_SLOT,
    seq: ++seq.current,
    ok: true,
    status: null,
    message: f.message,
  });
  const [latest, setLatest] = useState<Announcement | null>(() => (flash ? fromFlash(flash) : null));
  // A new flash (a vote sent before the scripts ran) replaces the message; the first is already in.
  const flashKey = flash ? `${flash.proposal}|${flash.message}` : null;
  const applied = useRef(flashKey);
  useEffect(() => {
    if (flash && flashKey !== applied.current) setLatest(fromFlash(flash));
    applied.current = flashKey;
    // eslint-disable-next-line react-hooks/exhaustive-deps -- the flash is read through its key
  }, [flashKey]);
  const report = useCallback((slot: string, result: VoteResult) => {
    setLatest({
      slot,
      seq: ++seq.current,
      ok: result.ok,
      status: result.ok ? null : result.status,
      message: result.message,
    });
  }, []);

  // Watch every vote fetcher for its answer, from here rather than from the control that sent it:
  // a control may be gone by then (a proposal removed from "Mon vote"). The watchers of the page's
  // slots are there before any vote, so that no answer arrives before its watcher; a vote from a
  // slot the page did not list is watched from the moment it is seen.
  const fetchers = useFetchers();
  const [discovered, setDiscovered] = useState<string[]>([]);
  const listed = [...slots, PAGE_SLOT].map((slot) => `vote:${slot}`);
  const missing = fetchers
    .map((f) => f.key)
    .filter((k) => k.startsWith("vote:") && !listed.includes(k) && !discovered.includes(k));
  useEffect(() => {
    if (missing.length) setDiscovered((current) => [...new Set([...current, ...missing])]);
    // eslint-disable-next-line react-hooks/exhaustive-deps -- the new keys are read through their joined list
  }, [missing.join(" ")]);
  const keys = [...new Set([...listed, ...discovered])];

  const value = useMemo(() => ({ latest }), [latest]);
  return (
    <AnnouncerContext.Provider value={value}>
      {keys.map((k) => (
        <FetcherReporter key={k} fetcherKey={k} report={report} />
      ))}
      {children}
    </AnnouncerContext.Provider>
  );
}

function FetcherReporter({
  fetcherKey,
  report,
}: {
  fetcherKey: string;
  report: (slot: string, result: VoteResult) => void;
}) {
  const fetcher = useFetcher<VoteResult>({ key: fetcherKey });
  const reported = useRef<VoteResult | undefined>(undefined);
  useEffect(() => {
    if (fetcher.data && fetcher.data !== reported.current) {
      reported.current = fetcher.data;
      report(fetcherKey.slice("vote:".length), fetcher.data);
    }
  }, [fetcher.data, fetcherKey, report]);
  return null;
}

/**
 * A live region, always in the page so that what appears in it is announced. `slot` is a proposal
 * slug or PAGE_SLOT; the page slot also shows messages whose slot is not among `shownSlots`.
 */
export function VoteMessage({ slot, shownSlots }: { slot: string; shownSlots?: readonly string[] }) {
  const latest = useContext(AnnouncerContext)?.latest ?? null;
  const mine =
    latest && (latest.slot === slot || (slot === PAGE_SLOT && shownSlots && !shownSlots.includes(latest.slot)))
      ? latest
      : null;
  return (
    <div aria-live="polite" aria-atomic="true" className="ps-vote-message" data-testid={`vote-message-${slot}`}>
      {mine ? (
        <div key={mine.seq} className={`fr-alert fr-alert--sm fr-alert--${mine.ok ? "success" : "error"} fr-mt-2w`}>
          <p>
            {mine.ok ? (
              mine.message
            ) : (
              <>
                <strong>Vote non enregistré :</strong> {mine.message} Rien n’a été modifié.
              </>
            )}
          </p>
        </div>
      ) : null}
    </div>
  );
}

// ————— The ballot shown, with the requests still running applied —————

export interface ShownBallot {
  method: Method;
  k: number;
  selected: ReadonlySet<string>;
  grades: ReadonlyMap<string, Grade>;
  /** Ranked: slugs, first = most important. */
  order: readonly string[];
  /** Entries with their titles, in the ballot's order (ranked) or the server's order. */
  titles: ReadonlyMap<string, string>;
}

/** The resident's ballot as the page shows it: the server's, plus the votes on their way. */
export function useShownBallot(method: Method, k: number, entries: readonly BallotEntry[] | undefined): ShownBallot {
  const fetchers = useFetchers();
  const pending = fetchers.filter(
    (f) =>
      f.key.startsWith("vote:") &&
      f.formData &&
      f.formMethod?.toUpperCase() === "POST" &&
      // A refused vote is no longer pending: show the ballot as it stayed.
      !(f.data && !f.data.ok && f.state !== "submitting"),
  );
  const pendingKey = pending.map((f) => `${f.key}:${f.state}:${[...f.formData!.entries()].join(",")}`).join("|");
  return useMemo(() => {
    const selected = new Set<string>();
    const grades = new Map<string, Grade>();
    let order: string[] = [];
    const titles = new Map<string, string>();
    for (const e of entries ?? []) {
      titles.set(e.slug, e.title);
      if (method === "approval") selected.add(e.slug);
      if (method === "majority_judgment" && e.grade) grades.set(e.slug, e.grade);
      if (method === "ranked") order.push(e.slug);
    }
    for (const f of pending) {
      const form = f.formData!;
      const intent = form.get("intent");
      const slug = String(form.get("proposal") ?? "");
      if (intent === "approve" && selected.size < k) selected.add(slug);
      else if (intent === "unapprove") selected.delete(slug);
      else if (intent === "grade" && GRADES.includes(form.get("grade") as Grade))
        grades.set(slug, form.get("grade") as Grade);
      else if (intent === "ungrade") grades.delete(slug);
      else if (intent === "rank-add" && !order.includes(slug) && order.length < k) order.push(slug);
      else if (intent === "rank-remove") order = order.filter((s) => s !== slug);
      else if (intent === "rank-move" && order.includes(slug)) {
        const to = Math.min(Math.max(Number(form.get("to")) || 1, 1), order.length);
        order = order.filter((s) => s !== slug);
        order.splice(to - 1, 0, slug);
      } else if (intent === "rank-order") {
        const wanted = form.getAll("order").map(String);
        if (new Set(wanted).size === wanted.length && wanted.length <= k) order = wanted;
      } else if (intent === "withdraw") {
        selected.clear();
        grades.clear();
        order = [];
      }
    }
    return { method, k, selected, grades, order, titles };
    // eslint-disable-next-line react-hooks/exhaustive-deps -- the pending votes are read through their key
  }, [method, k, entries, pendingKey]);
}

/** "3 sur 5 choisies", "12 propositions évaluées", "2 sur 5 classées". */
export function ballotCount(ballot: ShownBallot): string {
  const plural = (n: number, word: string) => `${word}${n > 1 ? "s" : ""}`;
  if (ballot.method === "approval")
    return `${ballot.selected.size} sur ${ballot.k} ${plural(ballot.selected.size, "choisie")}`;
  if (ballot.method === "ranked")
    return `${ballot.order.length} sur ${ballot.k} ${plural(ballot.order.length, "classée")}`;
  const n = ballot.grades.size;
  return `${n} ${plural(n, "proposition")} ${plural(n, "évaluée")}`;
}

export const METHOD_HOW_TO: Record<Method, (k: number) => string> = {
  approval: (k) =>
    `Choisissez jusqu’à ${k} propositions avec le bouton « Prioritaire ». Vous pouvez changer d’avis jusqu’à la clôture.`,
  majority_judgment: () =>
    "Donnez une mention aux propositions de votre choix, de « Priorité absolue » à « Pas prioritaire ». Une proposition sans mention ne compte pas dans votre vote.",
  ranked: (k) =>
    `Ajoutez jusqu’à ${k} propositions à votre classement, puis ordonnez-les dans « Mon vote », la plus importante en premier.`,
};

/**
 * Above the proposals: what the resident can do and where their ballot stands, or why they cannot
 * vote (said once for the page rather than on every card).
 */
/** Why this person cannot vote, with the way out when there is one (confirming their address). */
export function RefusalReason({ reason, unverified }: { reason: string; unverified: boolean }) {
  return (
    <>
      {reason}
      {unverified ? (
        <>
          {" "}
          <Link to="/mon-compte">Renvoyer le lien depuis « Mon compte »</Link>.
        </>
      ) : null}
    </>
  );
}

export function VoteSummary({
  consultationSlug,
  voting,
  ballot,
}: {
  consultationSlug: string;
  voting: VotingState;
  ballot: ShownBallot;
}) {
  const monVote = `/consultations/${consultationSlug}/mon-vote`;
  if (voting.kind === "anonymous") {
    return (
      <div className="fr-alert fr-alert--info fr-mb-3w" data-testid="vote-summary">
        <h3 className="fr-alert__title">Pour voter</h3>
        <p>
          <Link to={voting.loginHref}>Connectez-vous</Link> ou <Link to="/inscription">créez un compte</Link> avec votre
          commune : le vote est ouvert aux habitants du territoire de la consultation, une fois leur adresse
          électronique confirmée.
        </p>
      </div>
    );
  }
  if (voting.kind === "refused") {
    if (voting.bystander) return null;
    return (
      <div className="fr-alert fr-alert--warning fr-mb-3w" data-testid="vote-summary">
        <h3 className="fr-alert__title">Vous ne pouvez pas voter ici</h3>
        <p>
          <RefusalReason reason={voting.reason} unverified={voting.unverified} />
          {voting.ballot ? (
            <>
              {" "}
              <Link to={monVote}>Voir mon vote</Link>.
            </>
          ) : null}
        </p>
      </div>
    );
  }
  return (
    <div className="fr-callout fr-mb-3w" data-testid="vote-summary">
      <h3 className="fr-callout__title fr-h6">Votre vote</h3>
      <p className="fr-callout__text fr-text--md">{METHOD_HOW_TO[ballot.method](ballot.k)}</p>
      <p className="fr-text--bold fr-mb-2w" data-testid="ballot-count">
        {ballotCount(ballot)}
        {ballot.method === "approval" && ballot.selected.size >= ballot.k
          ? " : retirez-en une pour en choisir une autre"
          : ""}
      </p>
      <Link className="fr-btn fr-btn--secondary fr-btn--sm" to={monVote}>
        Revoir mon vote
      </Link>
    </div>
  );
}

// ————— The controls of one proposal —————

interface ControlProps {
  consultationSlug: string;
  proposal: { slug: string; title: string };
  ballot: ShownBallot;
}

/** The vote controls of one proposal for the consultation's method, and their message slot. */
export function ProposalVoteControls(props: ControlProps) {
  return (
    <div className="ps-vote-controls">
      {props.ballot.method === "approval" ? (
        <ApprovalToggle {...props} />
      ) : props.ballot.method === "majority_judgment" ? (
        <GradePicker {...props} />
      ) : (
        <RankToggle {...props} />
      )}
      <VoteMessage slot={props.proposal.slug} />
    </div>
  );
}

/** The proposal's title for screen readers, so that twenty "Prioritaire" buttons are told apart. */
function ForProposal({ title }: { title: string }) {
  return <span className="fr-sr-only"> : {title}</span>;
}

export function useVoteFetcher(slot: string) {
  return useFetcher<VoteResult>({ key: `vote:${slot}` });
}

function ApprovalToggle({ consultationSlug, proposal, ballot }: ControlProps) {
  const fetcher = useVoteFetcher(proposal.slug);
  const pressed = ballot.selected.has(proposal.slug);
  return (
    <fetcher.Form method="post" action={voteAction(consultationSlug)}>
      <input type="hidden" name="proposal" value={proposal.slug} />
      <ReplyField />
      <button
        type="submit"
        name="intent"
        value={pressed ? "unapprove" : "approve"}
        aria-pressed={pressed}
        className={`fr-btn fr-btn--sm fr-btn--icon-left ${pressed ? "fr-icon-check-line" : "fr-btn--secondary fr-icon-add-line"}`}
      >
        Prioritaire
        <ForProposal title={proposal.title} />
      </button>
    </fetcher.Form>
  );
}

/** A select of the five grades and a button: keyboard- and phone-friendly, no script needed. */
export function GradePicker({
  consultationSlug,
  proposal,
  ballot,
  idPrefix = "mention",
}: ControlProps & { idPrefix?: string }) {
  const fetcher = useVoteFetcher(proposal.slug);
  const current = ballot.grades.get(proposal.slug) ?? null;
  const id = `${idPrefix}-${proposal.slug}`;
  return (
    <div>
      <p className="fr-mb-1w" data-testid={`grade-${proposal.slug}`}>
        {current ? (
          <>
            Votre mention : <strong>{GRADE_LABELS[current]}</strong>
          </>
        ) : (
          "Pas encore de mention"
        )}
      </p>
      <div className="ps-vote-row">
        <fetcher.Form method="post" action={voteAction(consultationSlug)} className="ps-vote-row">
          <input type="hidden" name="proposal" value={proposal.slug} />
          <ReplyField />
          <div className="fr-select-group fr-mb-0">
            <label className="fr-label" htmlFor={id}>
              Mention
              <ForProposal title={proposal.title} />
            </label>
            <select
              className="fr-select"
              id={id}
              name="grade"
              required
              defaultValue={current ?? ""}
              key={current ?? "aucune"}
            >
              <option value="" disabled>
                Choisir une mention
              </option>
              {GRADES.map((g) => (
                <option key={g} value={g}>
                  {GRADE_LABELS[g]}
                </option>
              ))}
            </select>
          </div>
          <button type="submit" name="intent" value="grade" className="fr-btn fr-btn--sm">
            {current ? "Changer la mention" : "Enregistrer la mention"}
            <ForProposal title={proposal.title} />
          </button>
        </fetcher.Form>
        {current ? (
          <fetcher.Form method="post" action={voteAction(consultationSlug)}>
            <input type="hidden" name="proposal" value={proposal.slug} />
            <ReplyField />
            <button type="submit" name="intent" value="ungrade" className="fr-btn fr-btn--sm fr-btn--tertiary">
              Retirer la mention
              <ForProposal title={proposal.title} />
            </button>
          </fetcher.Form>
        ) : null}
      </div>
    </div>
  );
}

function RankToggle({ consultationSlug, proposal, ballot }: ControlProps) {
  const fetcher = useVoteFetcher(proposal.slug);
  const place = ballot.order.indexOf(proposal.slug) + 1;
  return (
    <div className="ps-vote-row">
      <fetcher.Form method="post" action={voteAction(consultationSlug)}>
        <input type="hidden" name="proposal" value={proposal.slug} />
        <ReplyField />
        <button
          type="submit"
          name="intent"
          value={place ? "rank-remove" : "rank-add"}
          className={`fr-btn fr-btn--sm fr-btn--icon-left ${
            place ? "fr-btn--tertiary fr-icon-subtract-line" : "fr-btn--secondary fr-icon-add-line"
          }`}
        >
          {place ? "Retirer de mon classement" : "Ajouter à mon classement"}
          <ForProposal title={proposal.title} />
        </button>
      </fetcher.Form>
      {place ? (
        <p className="fr-mb-0 fr-text--bold" data-testid={`rank-${proposal.slug}`}>
          {place === 1 ? "1re" : `${place}e`} de votre classement
        </p>
      ) : null}
    </div>
  );
}
