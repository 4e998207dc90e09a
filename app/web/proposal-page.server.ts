import { parseWithZod } from "@conform-to/zod/v4";
import type { SubmissionResult } from "@conform-to/react";
import { data, redirect } from "@remix-run/node";
import type { AppLoadContext } from "@remix-run/node";
import { type SessionUser } from "~/identity/session.server";
import { requireUser } from "./guards.server";
import { db } from "../platform/db.server";
import { refundComment, takeCommentAllowance } from "../platform/rate-limit.server";
import { locateCommune } from "../territories/territories.server";
import { listContributionsForProposal } from "../associations/associations.server";
import {
  COMMENT_SORTS,
  CommentError,
  commentRefusal,
  consultationIsOpen,
  deleteComment,
  editComment,
  listComments,
  postComment,
  setUseful,
  stanceCounts,
  type CommentFilters,
  type CommentSort,
} from "../comments/comments.server";
import {
  commentSchema,
  deleteSchema,
  editSchema,
  replySchema,
  reportSchema,
  reviewSchema,
  usefulSchema,
} from "../comments/forms";
import { STANCES } from "../comments/labels";
import { reportContent, requestReview } from "../moderation/moderation.server";
import type { Stance } from "../../db/schema";
import { REFUSAL_STATUS } from "./access.server";

// The comment and contribution parts of a proposal page: what its loader adds, what its action
// does. The route module stays thin and calls these two functions.

type ConsultationRow = {
  id: string;
  slug: string;
  region_code: string;
  cts_code: string | null;
  status: "brouillon" | "ouverte" | "close" | "resultats_publies";
  opens_at: string | null;
  closes_at: string | null;
};

/** A proposal's id from its consultation and slug (actions need no more), or null. */
export async function getProposalId(consultationId: string, slug: string): Promise<string | null> {
  const row = await db()
    .selectFrom("proposals")
    .select("id")
    .where("consultation_id", "=", consultationId)
    .where("slug", "=", slug)
    .executeTakeFirst();
  return row?.id ?? null;
}

/** Everything the comment and contribution sections of a proposal page show. */
export async function proposalDiscussion(input: {
  consultation: ConsultationRow;
  proposalId: string;
  user: SessionUser | null;
  url: URL;
}) {
  const { consultation, proposalId, user, url } = input;
  const now = new Date();
  const place = user ? await locateCommune(db(), user.communeCode) : null;
  const myPlace = place
    ? {
        arrondissement: { code: place.arrondissement.code, name: place.arrondissement.name },
        cts: { code: place.cts?.code ?? place.departement.code, name: place.cts?.name ?? place.departement.name },
      }
    : null;
  const filters = parseCommentFilters(url.searchParams, myPlace);
  const open = consultationIsOpen(consultation, now);
  const refusal = commentRefusal(consultation, user, place, now);
  // A CTS member sees their territory's comments first, with counts by stance.
  const memberScopes = (user?.roles ?? []).filter((r) => r.role === "cts_member").map((r) => r.scope);
  const memberCts = (
    memberScopes.length
      ? await db()
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
    listComments(db(), { proposalId, viewerId: user?.id ?? null, filters, ctsFirst, open, now }),
    stanceCounts(db(), proposalId),
    ctsFirst.length ? stanceCounts(db(), proposalId, ctsFirst) : Promise.resolve(null),
    listContributionsForProposal(db(), proposalId, user?.id ?? null),
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

/** What the action answers when a form is refused: which form, and why. */
export interface DiscussionActionData {
  form: string;
  result?: SubmissionResult<string[]>;
  message?: string;
}

function back(url: URL, ok: string | null, anchor: string) {
  const params = new URLSearchParams(url.search);
  params.delete("ok");
  params.delete("index");
  params.delete("_data");
  if (ok) params.set("ok", ok);
  const qs = params.toString();
  return redirect(`${url.pathname}${qs ? `?${qs}` : ""}#${anchor}`, 303);
}

function refused(form: string, error: unknown, result?: SubmissionResult<string[]>) {
  if (!(error instanceof CommentError)) throw error;
  return data<DiscussionActionData>(
    { form, message: error.message, ...(result ? { result } : {}) },
    { status: REFUSAL_STATUS[error.code] },
  );
}

function invalid(
  form: string,
  submission: { reply: () => SubmissionResult<string[]>; error?: Record<string, string[] | null> | null | undefined },
) {
  const messages = Object.values(submission.error ?? {})
    .flatMap((m) => m ?? [])
    .filter(Boolean);
  return data<DiscussionActionData>(
    { form, result: submission.reply(), message: messages.join(" ") || "Formulaire incomplet." },
    { status: 400 },
  );
}

/**
 * The proposal page's action for comments, replies, edits, deletions, "useful" marks, reports and
 * review requests. Every branch checks, on the server, who may do it.
 */
export async function discussionAction(input: {
  request: Request;
  context: AppLoadContext;
  formData: FormData;
  proposalId: string;
}) {
  const { request, context, formData, proposalId } = input;
  const user = requireUser(context, request);
  const url = new URL(request.url);
  const intent = String(formData.get("intent") ?? "");

  switch (intent) {
    case "comment":
    case "reply": {
      const submission = parseWithZod(formData, { schema: intent === "comment" ? commentSchema : replySchema });
      const form = intent === "comment" ? "comment-new" : `reply-${String(formData.get("parentId") ?? "")}`;
      if (submission.status !== "success") return invalid(form, submission);
      const value = submission.value;
      const allowance = await takeCommentAllowance(user.id);
      if (!allowance.ok) {
        return data<DiscussionActionData>(
          { form, message: allowance.message, result: submission.reply({ formErrors: [allowance.message] }) },
          { status: 429, headers: { "Retry-After": String(allowance.retryAfter) } },
        );
      }
      try {
        const { id } = await postComment(db(), {
          proposalId,
          actor: user,
          body: value.body,
          stance: value.intent === "comment" ? value.stance : undefined,
          parentId: value.intent === "reply" ? value.parentId : undefined,
          anonymous: value.signature === "anonyme",
        });
        return back(url, intent === "comment" ? "commentaire" : "reponse", `commentaire-${id}`);
      } catch (error) {
        await refundComment(user.id);
        return refused(form, error, submission.reply({ formErrors: [error instanceof Error ? error.message : ""] }));
      }
    }
    case "edit": {
      const submission = parseWithZod(formData, { schema: editSchema });
      const form = `edit-${String(formData.get("commentId") ?? "")}`;
      if (submission.status !== "success") return invalid(form, submission);
      try {
        await editComment(db(), {
          commentId: submission.value.commentId,
          actor: user,
          body: submission.value.body,
          stance: submission.value.stance,
        });
        return back(url, "modifie", `commentaire-${submission.value.commentId}`);
      } catch (error) {
        return refused(form, error, submission.reply({ formErrors: [error instanceof Error ? error.message : ""] }));
      }
    }
    case "delete": {
      const submission = parseWithZod(formData, { schema: deleteSchema });
      const form = `delete-${String(formData.get("commentId") ?? "")}`;
      if (submission.status !== "success") return invalid(form, submission);
      try {
        await deleteComment(db(), { commentId: submission.value.commentId, actor: user });
        return back(url, "supprime", "commentaires");
      } catch (error) {
        return refused(form, error);
      }
    }
    case "useful": {
      const submission = parseWithZod(formData, { schema: usefulSchema });
      const form = `useful-${String(formData.get("commentId") ?? "")}`;
      if (submission.status !== "success") return invalid(form, submission);
      try {
        await setUseful(db(), {
          commentId: submission.value.commentId,
          actor: user,
          useful: formData.get("value") !== "0",
        });
        return back(url, null, `commentaire-${submission.value.commentId}`);
      } catch (error) {
        return refused(form, error);
      }
    }
    case "report": {
      const submission = parseWithZod(formData, { schema: reportSchema });
      const form = `report-${String(formData.get("targetKind") ?? "")}-${String(formData.get("targetId") ?? "")}`;
      if (submission.status !== "success") return invalid(form, submission);
      const v = submission.value;
      try {
        await reportContent(db(), {
          kind: v.targetKind,
          id: v.targetId,
          reporterId: user.id,
          reason: v.reason,
          details: v.details,
        });
        return back(url, "signale", `${v.targetKind === "comment" ? "commentaire" : "contribution"}-${v.targetId}`);
      } catch (error) {
        return refused(form, error);
      }
    }
    case "review": {
      const submission = parseWithZod(formData, { schema: reviewSchema });
      const form = `review-${String(formData.get("targetKind") ?? "")}-${String(formData.get("targetId") ?? "")}`;
      if (submission.status !== "success") return invalid(form, submission);
      const v = submission.value;
      try {
        await requestReview(db(), { kind: v.targetKind, id: v.targetId, userId: user.id, message: v.message });
        return back(url, "reexamen", `${v.targetKind === "comment" ? "commentaire" : "contribution"}-${v.targetId}`);
      } catch (error) {
        return refused(form, error);
      }
    }
    default:
      throw new Response("Action inconnue.", { status: 400 });
  }
}

export const DISCUSSION_INTENTS = new Set(["comment", "reply", "edit", "delete", "useful", "report", "review"]);
