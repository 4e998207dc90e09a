import type { Kysely } from "kysely";
import type { ConsultationStatus, Database, Stance } from "../../db/schema";
import type { SessionUser } from "../identity/session.server";
import { locateCommune } from "../territories/territories.server";
import { listContributionsForProposal } from "../associations/associations.server";
import {
  COMMENT_SORTS,
  CommentError,
  commentRefusal,
  listComments,
  postComment,
  stanceCounts,
  type CommentFilters,
  type CommentSort,
} from "./comments.server";
import { STANCES } from "./labels";
import { consultationIsOpen } from "../catalogue/consultation-window";
import { refundComment, takeCommentAllowance } from "../platform/rate-limit.server";
import type { RefusalCode } from "../platform/refusal";

// The discussion under a proposal: its comments (filtered, sorted, paged), their counts by stance,
// the associations' contributions, and whether this person may comment.

type ConsultationRow = {
  id: string;
  slug: string;
  region_code: string;
  cts_code: string | null;
  status: ConsultationStatus;
  opens_at: string | null;
  closes_at: string | null;
};

/** Everything the comment and contribution sections of a proposal page show. */
export async function proposalDiscussion(
  db: Kysely<Database>,
  input: {
    consultation: ConsultationRow;
    proposalId: string;
    user: SessionUser | null;
    /** The page's query: the list's filters, sort and page (position, territoire, tri, page). */
    searchParams: URLSearchParams;
  },
) {
  const { consultation, proposalId, user, searchParams } = input;
  const now = new Date();
  const place = user ? await locateCommune(db, user.communeCode) : null;
  const myPlace = place
    ? {
        arrondissement: { code: place.arrondissement.code, name: place.arrondissement.name },
        cts: { code: place.cts?.code ?? place.departement.code, name: place.cts?.name ?? place.departement.name },
      }
    : null;
  const filters = parseCommentFilters(searchParams, myPlace);
  const open = consultationIsOpen(consultation, now);
  const refusal = commentRefusal(consultation, user, place, now);
  // A CTS member sees their territory's comments first, with counts by stance.
  const memberScopes = (user?.roles ?? []).filter((r) => r.role === "cts_member").map((r) => r.scope);
  const memberCts = (
    memberScopes.length
      ? await db
          .selectFrom("cts_territories")
          .select(["code", "name"])
          .where("code", "in", memberScopes)
          .where("region_code", "=", consultation.region_code)
          .orderBy("name")
          .execute()
      : []
  ).filter((c) => !consultation.cts_code || c.code === consultation.cts_code);
  const ctsFirst = memberCts.map((c) => c.code);
  const [list, counts, ctsCounts, contributions] = await Promise.all([
    listComments(db, { proposalId, viewerId: user?.id ?? null, filters, ctsFirst, open, now }),
    stanceCounts(db, proposalId),
    ctsFirst.length ? stanceCounts(db, proposalId, ctsFirst) : Promise.resolve(null),
    listContributionsForProposal(db, proposalId, user?.id ?? null),
  ]);
  const isAssociation = !!user?.roles.some((r) => r.role === "association");
  return {
    open,
    refusal,
    signedIn: !!user,
    emailVerified: !!user?.emailVerified,
    displayName: user?.displayName ?? null,
    isAssociation,
    myPlace,
    filters: {
      stance: filters.stance ?? "",
      territory: filters.arrondissement ? "arrondissement" : filters.cts ? "cts" : "",
      sort: filters.sort,
    },
    list,
    counts,
    cts: ctsCounts ? { territories: memberCts, counts: ctsCounts, consultationSlug: consultation.slug } : null,
    contributions,
  };
}

export type ProposalDiscussion = Awaited<ReturnType<typeof proposalDiscussion>>;

/** Reads the comment filters of the URL; unknown values fall back to the defaults, never to an error page. */
export function parseCommentFilters(
  params: URLSearchParams,
  place: { arrondissement: { code: string }; cts: { code: string } } | null,
): CommentFilters {
  const stance = params.get("position");
  const territory = params.get("territoire");
  const sort = params.get("tri");
  const page = Number(params.get("page") ?? "1");
  return {
    stance: STANCES.includes(stance as Stance) ? (stance as Stance) : undefined,
    arrondissement: territory === "arrondissement" && place ? place.arrondissement.code : undefined,
    cts: territory === "cts" && place ? place.cts.code : undefined,
    sort: COMMENT_SORTS.includes(sort as CommentSort) ? (sort as CommentSort) : "recents",
    page: Number.isInteger(page) && page >= 1 && page <= 100_000 ? page : 1,
  };
}

/**
 * A comment or reply posted within the resident's allowances (10 per 10 minutes, 50 a day): the
 * allowance is taken first and given back when the comment is refused, so only published comments
 * count. A refusal comes back with its code, its French reason and, past a limit, the wait.
 */
export async function postCommentWithinLimits(
  db: Kysely<Database>,
  input: Parameters<typeof postComment>[1],
): Promise<{ ok: true; id: string } | { ok: false; code: RefusalCode; message: string; retryAfter?: number }> {
  const allowance = await takeCommentAllowance(input.actor.id);
  if (!allowance.ok)
    return { ok: false, code: "too-many", message: allowance.message, retryAfter: allowance.retryAfter };
  try {
    const { id } = await postComment(db, input);
    return { ok: true, id };
  } catch (error) {
    await refundComment(input.actor.id);
    if (error instanceof CommentError) return { ok: false, code: error.code, message: error.message };
    throw error;
  }
}
