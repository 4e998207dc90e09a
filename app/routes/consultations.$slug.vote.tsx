import { parseWithZod } from "@conform-to/zod/v4";
import type { ActionFunctionArgs, HeadersFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Link, useActionData, useLoaderData } from "@remix-run/react";
import { db } from "~/platform/db.server";
import { retryHeaders } from "~/platform/rate-limit.server";
import { GeneralErrorBoundary } from "~/ui/error-boundary";
import { Notice } from "~/ui/fields";
import { castVote } from "~/voting/cast-vote.server";
import { voteAnchor } from "~/voting/vote-controls";
import { voteSchema, type VoteResult } from "~/voting/vote-forms";
import { findConsultationForVoteAt, voteReturnPath } from "~/voting/voting.server";
import { setVoteFlash } from "~/web/vote-flash.server";
import { orNotFound, REFUSAL_STATUS } from "~/web/access.server";
import { readFormData } from "~/web/form.server";

// Every vote button posts here. With JavaScript (reply=data, sent by useFetcher) the answer is data
// and the page updates in place; without it, a redirect back to the page the form was on (filters,
// page number and the proposal's place kept) with the confirmation in a one-time cookie. A refusal
// is a 400, 403 or 429 with the reason in French, and nothing written (changeBallot guarantees it).

// The title cannot tell a refusal from a plain visit (meta does not see the action's data).
export const meta: MetaFunction = () => [{ title: "Vote — Priorités Santé" }];

// Carries the action's Retry-After onto the refusal page of a 429.
export const headers: HeadersFunction = ({ actionHeaders }) => actionHeaders;

const UNKNOWN = "Cette consultation n’existe pas ou n’est pas publiée.";

export async function loader({ params, context }: LoaderFunctionArgs) {
  // Runs for the refusal page too (loaders follow a document POST), so it cannot redirect: on a
  // plain visit the page just points to the consultation.
  const consultation = orNotFound(
    await findConsultationForVoteAt(db(), await context.contentVersion(), params.slug ?? ""),
    UNKNOWN,
  );
  return { consultationSlug: consultation.slug };
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  // The consultation, the voter's place and the proposals are kept per content version (castVote).
  const version = await context.contentVersion();
  const consultation = orNotFound(await findConsultationForVoteAt(db(), version, params.slug ?? ""), UNKNOWN);
  const back = voteReturnPath(request, consultation.slug);
  const user = context.auth.user;
  if (!user) throw redirect(`/connexion?redirectTo=${encodeURIComponent(back)}`);

  const formData = await readFormData(request);
  const named = formData.get("proposal");
  // Only a well-formed slug is echoed back (to find the proposal's place on the page).
  const proposalSlug = typeof named === "string" && /^[a-z0-9-]{1,200}$/.test(named) ? named : null;
  const submission = parseWithZod(formData, { schema: voteSchema });
  const vote =
    submission.status === "success"
      ? { ok: true as const, value: submission.value }
      : {
          ok: false as const,
          message:
            Object.values(submission.error ?? {}).find((messages) => messages?.length)?.[0] ??
            "Formulaire de vote illisible.",
        };

  const outcome = await castVote(db(), { version, consultation, user, vote });
  if (!outcome.ok) {
    const status = REFUSAL_STATUS[outcome.code];
    return data<VoteResult>(
      { ok: false, status, message: outcome.message, proposal: proposalSlug, back },
      { status, headers: outcome.retryAfter ? retryHeaders({ retryAfter: outcome.retryAfter }) : undefined },
    );
  }
  const { message, proposal } = outcome;
  if (submission.status === "success" && submission.value.reply === "data")
    return data<VoteResult>({ ok: true, message, proposal });
  const hash = proposal ? `#${voteAnchor(proposal)}` : "";
  return redirect(`${back}${hash}`, { headers: { "Set-Cookie": await setVoteFlash({ message, proposal }) } });
}

/** Shown only without JavaScript, when a vote was refused: the status, the reason, the way back. */
export default function VoteRefused() {
  const { consultationSlug } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const refused = result && !result.ok ? result : null;
  if (!refused) {
    return (
      <>
        <h1>Voter</h1>
        <p>
          On vote depuis la page de la consultation :{" "}
          <Link to={`/consultations/${consultationSlug}`}>voir les propositions</Link>.
        </p>
      </>
    );
  }
  return (
    <div className="fr-grid-row">
      <div className="fr-col-12 fr-col-md-8">
        <h1>Vote non enregistré</h1>
        <Notice kind="error" title="Votre vote n’a pas été modifié">
          {refused.message}
        </Notice>
        <p>
          <Link
            className="fr-link fr-icon-arrow-left-line fr-link--icon-left"
            to={`${refused.back}${refused.proposal ? `#${voteAnchor(refused.proposal)}` : ""}`}
          >
            Revenir à la page précédente
          </Link>
        </p>
      </div>
    </div>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
