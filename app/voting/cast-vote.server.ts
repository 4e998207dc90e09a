import type { Kysely } from "kysely";
import type { Database } from "../../db/schema";
import type { SessionUser } from "../identity/session.server";
import { BallotError, changeBallot, readMethodParams } from "../ballots/ballots.server";
import { take } from "../platform/rate-limit.server";
import type { RefusalCode } from "../platform/refusal";
import type { VoteInput } from "./vote-forms";
import { votedSlugs } from "./vote-forms";
import { confirmation, mutateFor } from "./vote-intents.server";
import { findConsultationForVote, findProposalsBySlug, placeOf, toVoter, voteRefusal } from "./voting.server";

export type CastVoteOutcome =
  | { ok: true; message: string; proposal: string | null }
  | { ok: false; code: RefusalCode; message: string; retryAfter?: number };

/**
 * One vote, from the parsed form to the confirmation, the most specific rule first: may this
 * person vote in this consultation now (forbidden), within the ballots' rate limit (too-many), is
 * the form well formed (invalid), are its proposals this consultation's (invalid); then the ballot
 * changes in one transaction (changeBallot: nothing is written on a refusal) and the confirmation
 * is phrased. `version` is the content version: the voter's place and the consultation's
 * proposals are read once per version (see the README, Benchmarks).
 */
export async function castVote(
  db: Kysely<Database>,
  input: {
    version: string;
    consultation: NonNullable<Awaited<ReturnType<typeof findConsultationForVote>>>;
    user: SessionUser;
    /** The form as its schema read it: the vote, or why it could not be read. */
    vote: { ok: true; value: VoteInput } | { ok: false; message: string };
  },
): Promise<CastVoteOutcome> {
  const { version, consultation, user } = input;
  const place = await placeOf(db, version, user);
  const reason = voteRefusal(consultation, user, place);
  if (reason) return { ok: false, code: "forbidden", message: reason };
  const allowance = await take("ballots", user.id);
  if (!allowance.ok)
    return { ok: false, code: "too-many", message: allowance.message, retryAfter: allowance.retryAfter };
  if (!input.vote.ok) return { ok: false, code: "invalid", message: input.vote.message };

  const vote = input.vote.value;
  const slugs = votedSlugs(vote);
  const { named: proposals, ids } = await findProposalsBySlug(db, version, consultation.id, slugs);
  if (slugs.some((s) => !proposals.has(s)))
    return { ok: false, code: "invalid", message: "Cette proposition n’appartient pas à cette consultation." };
  let change;
  try {
    change = await changeBallot(
      db,
      { consultationSlug: consultation.slug, voter: toVoter(user), place, proposalIds: ids },
      mutateFor(vote, proposals),
    );
  } catch (error) {
    if (error instanceof BallotError) return { ok: false, code: error.code, message: error.message };
    throw error;
  }
  const rules = readMethodParams(consultation.method, consultation.method_params);
  return {
    ok: true,
    message: confirmation(vote, change, rules, proposals),
    proposal: "proposal" in vote ? vote.proposal : null,
  };
}
