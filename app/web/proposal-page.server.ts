import { parseWithZod } from "@conform-to/zod/v4";
import type { SubmissionResult } from "@conform-to/react";
import { data, redirect } from "@remix-run/node";
import type { AppLoadContext } from "@remix-run/node";
import { requireUser } from "./guards.server";
import { db } from "~/platform/db.server";
import { CommentError, deleteComment, editComment, setUseful } from "~/comments/comments.server";
import { postCommentWithinLimits } from "~/comments/discussion.server";
import {
  commentSchema,
  deleteSchema,
  editSchema,
  replySchema,
  flagSchema,
  reviewSchema,
  usefulSchema,
  type DiscussionActionData,
} from "~/comments/forms";
import { flagContent, requestReview } from "~/moderation/moderation.server";
import { REFUSAL_STATUS } from "./access.server";
import { retryHeaders } from "~/platform/rate-limit.server";

// The proposal page's action controller for its discussion forms (the data comes from
// ~/comments/discussion.server): which form was sent, the domain call, and the HTTP answer.

function back(url: URL, ok: string | null, anchor: string) {
  const params = new URLSearchParams(url.search);
  params.delete("ok");
  params.delete("index");
  params.delete("_data");
  if (ok) params.set("ok", ok);
  const qs = params.toString();
  return redirect(`${url.pathname}${qs ? `?${qs}` : ""}#${anchor}`, 303);
}

function refused(form: string, error: unknown, submission: { reply: Reply }) {
  if (!(error instanceof CommentError)) throw error;
  return data<DiscussionActionData>(
    { form, message: error.message, result: submission.reply({ formErrors: [error.message] }) },
    { status: REFUSAL_STATUS[error.code] },
  );
}

type Reply = (options?: { formErrors?: string[] }) => SubmissionResult<string[]>;

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
      const posted = await postCommentWithinLimits(db(), {
        proposalId,
        actor: user,
        body: value.body,
        stance: value.intent === "comment" ? value.stance : undefined,
        parentId: value.intent === "reply" ? value.parentId : undefined,
        anonymous: value.signature === "anonyme",
      });
      if (!posted.ok) {
        return data<DiscussionActionData>(
          { form, message: posted.message, result: submission.reply({ formErrors: [posted.message] }) },
          {
            status: REFUSAL_STATUS[posted.code],
            headers: posted.retryAfter ? retryHeaders({ retryAfter: posted.retryAfter }) : undefined,
          },
        );
      }
      return back(url, intent === "comment" ? "commentaire" : "reponse", `commentaire-${posted.id}`);
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
        return refused(form, error, submission);
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
        return refused(form, error, submission);
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
        return refused(form, error, submission);
      }
    }
    case "report": {
      const submission = parseWithZod(formData, { schema: flagSchema });
      const form = `report-${String(formData.get("targetKind") ?? "")}-${String(formData.get("targetId") ?? "")}`;
      if (submission.status !== "success") return invalid(form, submission);
      const v = submission.value;
      try {
        await flagContent(db(), {
          kind: v.targetKind,
          id: v.targetId,
          reporterId: user.id,
          reason: v.reason,
          details: v.details,
        });
        return back(url, "signale", `${v.targetKind === "comment" ? "commentaire" : "contribution"}-${v.targetId}`);
      } catch (error) {
        return refused(form, error, submission);
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
        return refused(form, error, submission);
      }
    }
    default:
      throw new Response("Action inconnue.", { status: 400 });
  }
}
