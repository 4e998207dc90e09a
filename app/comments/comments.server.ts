import { randomUUID } from "node:crypto";
import type { Kysely } from "kysely";
import { lockRow } from "../../db/dialect";
import type { Database, ModerationState, FlagReason, Stance } from "../../db/schema";
import { consultationIsOpen } from "../catalogue/consultation-window";
import { locateCommune, type Place } from "../territories/territories.server";
import { formatDateTime } from "../ui/format";
import { commentShown, replyListed } from "./visibility.server";
import { ANONYMOUS_LABEL, DELETED_AUTHOR_LABEL, EDIT_WINDOW_MINUTES, reviewState, type ReviewState } from "./labels";
import { Refusal } from "../platform/refusal";

/** A refusal about comments (also contributions, moderation and associations): see Refusal. */
export class CommentError extends Refusal {}

/** The signed-in person, as the session gives it. */
export interface Actor {
  id: string;
  email?: string;
  emailVerified: boolean;
  communeCode: string | null;
  displayName: string | null;
  roles: readonly { role: string; scope: string }[];
}

type ConsultationRow = Pick<
  Database["consultations"],
  "id" | "slug" | "region_code" | "cts_code" | "status" | "opens_at" | "closes_at"
>;

/** Why this person cannot comment in this consultation now, or null when they can. */
export function commentRefusal(
  consultation: ConsultationRow,
  actor: Actor | null,
  place: Pick<Place, "region" | "cts"> | null,
  now: Date,
): string | null {
  if (!consultationIsOpen(consultation, now)) {
    return consultation.opens_at && now.toISOString() < consultation.opens_at && consultation.status === "open"
      ? "Les commentaires ouvriront avec la consultation."
      : "La consultation est close : on ne peut plus y commenter.";
  }
  if (!actor) return "Connectez-vous pour commenter.";
  if (actor.roles.some((r) => r.role === "association")) {
    return "Les associations publient des contributions dans leur propre rubrique, pas des commentaires d’habitants.";
  }
  if (actor.roles.some((r) => r.role === "cts_member"))
    return "Les comptes de membre de CTS lisent les commentaires et n’en publient pas.";
  if (!actor.roles.some((r) => r.role === "resident")) return "Seuls les habitants inscrits peuvent commenter.";
  if (!actor.emailVerified)
    return "Confirmez d’abord votre adresse électronique (lien reçu par e-mail) pour pouvoir commenter.";
  if (!place) return "Votre commune est inconnue : choisissez-la dans « Mon compte ».";
  if (place.region.code !== consultation.region_code)
    return "Les commentaires de cette consultation sont réservés aux habitants de sa région.";
  if (consultation.cts_code && place.cts?.code !== consultation.cts_code) {
    return "Les commentaires de cette consultation sont réservés aux habitants du territoire de son conseil territorial de santé.";
  }
  return null;
}

async function proposalWithConsultation(db: Kysely<Database>, proposalId: string) {
  const row = await db
    .selectFrom("proposals as p")
    .innerJoin("consultations as c", "c.id", "p.consultation_id")
    .select([
      "p.id as proposal_id",
      "c.id",
      "c.slug",
      "c.region_code",
      "c.cts_code",
      "c.status",
      "c.opens_at",
      "c.closes_at",
    ])
    .where("p.id", "=", proposalId)
    .where("c.status", "!=", "draft")
    .executeTakeFirst();
  if (!row) throw new CommentError("not-found", "Cette proposition n’existe pas.");
  return row;
}

export interface NewComment {
  proposalId: string;
  actor: Actor;
  body: string;
  /** Required for a top-level comment. */
  stance?: Stance | undefined;
  /** Set for a reply. */
  parentId?: string | undefined;
  /** Signed "un·e habitant·e"; forced when the person has no display name. */
  anonymous: boolean;
  now?: Date;
}

/**
 * Publishes a comment or a reply (one level: a reply to a reply is refused), with the author's
 * arrondissement and CTS territory of the moment. `body` must already be cleaned (forms.ts).
 */
export async function postComment(db: Kysely<Database>, input: NewComment): Promise<{ id: string }> {
  const now = input.now ?? new Date();
  const consultation = await proposalWithConsultation(db, input.proposalId);
  const place = await locateCommune(db, input.actor.communeCode);
  const reason = commentRefusal(consultation, input.actor, place, now);
  if (reason || !place) throw new CommentError("forbidden", reason ?? "Commentaire impossible.");
  if (!input.parentId && !input.stance)
    throw new CommentError("invalid", "Indiquez votre position : pour, contre ou nuancé.");
  const id = randomUUID();
  const iso = now.toISOString();
  await db.transaction().execute(async (trx) => {
    if (input.parentId) {
      // Locked so that a parent being deleted or hidden at the same moment is seen.
      await lockRow(trx, "comments", input.parentId);
      const parent = await trx
        .selectFrom("comments")
        .select(["id", "proposal_id", "parent_id", "deleted_at", "moderation"])
        .where("id", "=", input.parentId)
        .executeTakeFirst();
      if (!parent || parent.proposal_id !== input.proposalId)
        throw new CommentError("not-found", "Le commentaire auquel vous répondez n’existe pas.");
      if (parent.parent_id) {
        throw new CommentError("invalid", "On ne peut pas répondre à une réponse : répondez au commentaire de départ.");
      }
      if (parent.deleted_at)
        throw new CommentError(
          "conflict",
          "Ce commentaire a été supprimé par son auteur : on ne peut plus y répondre.",
        );
      if (parent.moderation !== "visible")
        throw new CommentError("conflict", "Ce commentaire est masqué : on ne peut pas y répondre pour l’instant.");
    }
    await trx
      .insertInto("comments")
      .values({
        id,
        consultation_id: consultation.id,
        proposal_id: input.proposalId,
        parent_id: input.parentId ?? null,
        user_id: input.actor.id,
        anonymous: input.anonymous || !input.actor.displayName ? 1 : 0,
        stance: input.parentId ? (input.stance ?? null) : input.stance!,
        body: input.body,
        arrondissement_code: place.arrondissement.code,
        cts_code: place.cts?.code ?? place.departement.code,
        moderation: "visible",
        hidden_reason: null,
        review_requested_at: null,
        review_message: null,
        reviewed_at: null,
        created_at: iso,
        updated_at: iso,
        edited_at: null,
        deleted_at: null,
      })
      .execute();
  });
  return { id };
}

async function ownComment(db: Kysely<Database>, commentId: string, userId: string, verb: string) {
  const row = await db
    .selectFrom("comments as c")
    .innerJoin("consultations as k", "k.id", "c.consultation_id")
    .select([
      "c.id",
      "c.user_id",
      "c.parent_id",
      "c.stance",
      "c.body",
      "c.created_at",
      "c.deleted_at",
      "c.moderation",
      "k.status",
      "k.opens_at",
      "k.closes_at",
    ])
    .where("c.id", "=", commentId)
    .executeTakeFirst();
  if (!row) throw new CommentError("not-found", "Ce commentaire n’existe pas.");
  if (row.user_id !== userId)
    throw new CommentError("forbidden", `Vous ne pouvez ${verb} que vos propres commentaires.`);
  return row;
}

/** Whether the author may still edit a comment written at `createdAt`. */
export function withinEditWindow(createdAt: string, now: Date): boolean {
  return now.getTime() - new Date(createdAt).getTime() <= EDIT_WINDOW_MINUTES * 60_000;
}

/** Edits one's own comment within 15 minutes of posting; the comment is then marked "modifié". */
export async function editComment(
  db: Kysely<Database>,
  input: { commentId: string; actor: Actor; body: string; stance?: Stance | undefined; now?: Date },
): Promise<void> {
  const now = input.now ?? new Date();
  const row = await ownComment(db, input.commentId, input.actor.id, "modifier");
  if (row.deleted_at) throw new CommentError("conflict", "Ce commentaire a été supprimé.");
  if (row.moderation !== "visible")
    throw new CommentError("conflict", "Ce commentaire est masqué par la modération : il ne peut pas être modifié.");
  if (!consultationIsOpen(row, now))
    throw new CommentError("forbidden", "La consultation est close : les commentaires ne peuvent plus être modifiés.");
  if (!withinEditWindow(row.created_at, now)) {
    throw new CommentError(
      "forbidden",
      `Un commentaire ne peut être modifié que dans les ${EDIT_WINDOW_MINUTES} minutes qui suivent sa publication.`,
    );
  }
  const stance = row.parent_id ? row.stance : (input.stance ?? row.stance);
  if (row.body === input.body && row.stance === stance) return;
  const iso = now.toISOString();
  const result = await db
    .updateTable("comments")
    .set({ body: input.body, stance, edited_at: iso, updated_at: iso })
    .where("id", "=", input.commentId)
    .where("user_id", "=", input.actor.id)
    .where("deleted_at", "is", null)
    .where("moderation", "=", "visible")
    .executeTakeFirst();
  if (Number(result.numUpdatedRows) !== 1)
    throw new CommentError("conflict", "Ce commentaire a changé entre-temps : rechargez la page.");
}

/**
 * Deletes one's own comment, at any time: the text is erased and a tombstone keeps the thread
 * (its replies) readable. Deleting twice is harmless.
 */
export async function deleteComment(
  db: Kysely<Database>,
  input: { commentId: string; actor: Actor; now?: Date },
): Promise<void> {
  const row = await ownComment(db, input.commentId, input.actor.id, "supprimer");
  if (row.deleted_at) return;
  const iso = (input.now ?? new Date()).toISOString();
  await db.transaction().execute((trx) => tombstoneComments(trx, [input.commentId], iso));
}

/**
 * Erases comments' text, keeping tombstones so their replies stay readable; their useful marks go
 * and their open flags are closed (nothing left to examine). Run inside the caller's
 * transaction (one comment deleted by its author, or all of them when an account is deleted).
 */
export async function tombstoneComments(
  trx: Kysely<Database>,
  commentIds: readonly string[],
  iso: string,
): Promise<void> {
  if (!commentIds.length) return;
  await trx
    .updateTable("comments")
    .set({ body: "", deleted_at: iso, updated_at: iso })
    .where("id", "in", commentIds)
    .where("deleted_at", "is", null)
    .execute();
  await trx.deleteFrom("comment_useful").where("comment_id", "in", commentIds).execute();
  await trx
    .updateTable("flags")
    .set({ resolved_at: iso, resolution: "dismissed" })
    .where("target_kind", "=", "comment")
    .where("target_id", "in", commentIds)
    .where("resolved_at", "is", null)
    .execute();
}

/**
 * Marks (or unmarks) a comment as useful. Once per person: the primary key decides, so a double
 * click or two tabs never count twice.
 */
export async function setUseful(
  db: Kysely<Database>,
  input: { commentId: string; actor: Actor; useful: boolean; now?: Date },
): Promise<void> {
  const now = input.now ?? new Date();
  const row = await db
    .selectFrom("comments as c")
    .innerJoin("consultations as k", "k.id", "c.consultation_id")
    .select(["c.id", "c.user_id", "c.deleted_at", "c.moderation", "k.status", "k.opens_at", "k.closes_at"])
    .where("c.id", "=", input.commentId)
    .executeTakeFirst();
  if (!row) throw new CommentError("not-found", "Ce commentaire n’existe pas.");
  if (!input.actor.roles.some((r) => r.role === "resident"))
    throw new CommentError("forbidden", "Seuls les habitants inscrits peuvent juger un commentaire utile.");
  if (!input.actor.emailVerified) throw new CommentError("forbidden", "Confirmez d’abord votre adresse électronique.");
  if (row.user_id === input.actor.id)
    throw new CommentError("forbidden", "Vous ne pouvez pas juger utile votre propre commentaire.");
  if (row.deleted_at || row.moderation !== "visible")
    throw new CommentError("conflict", "Ce commentaire n’est plus affiché.");
  if (!consultationIsOpen(row, now)) throw new CommentError("forbidden", "La consultation est close.");
  if (input.useful) {
    await db
      .insertInto("comment_useful")
      .values({ comment_id: input.commentId, user_id: input.actor.id, created_at: now.toISOString() })
      .onConflict((oc) => oc.columns(["comment_id", "user_id"]).doNothing())
      .execute();
  } else {
    await db
      .deleteFrom("comment_useful")
      .where("comment_id", "=", input.commentId)
      .where("user_id", "=", input.actor.id)
      .execute();
  }
}

// — Reading —

export const COMMENT_SORTS = ["recents", "utiles"] as const;
export type CommentSort = (typeof COMMENT_SORTS)[number];
export const COMMENT_PAGE_SIZE = 20;

export interface CommentFilters {
  stance?: Stance | undefined;
  arrondissement?: string | undefined;
  cts?: string | undefined;
  sort: CommentSort;
  page: number;
}

export type CommentState = ModerationState | "deleted";

/** A comment as a page shows it (serialisable); `body` is empty unless the viewer may read it. */
export interface CommentView {
  id: string;
  parentId: string | null;
  stance: Stance | null;
  body: string;
  state: CommentState;
  hiddenReason: FlagReason | null;
  authorLabel: string;
  arrondissementName: string | null;
  createdAt: string;
  createdLabel: string;
  edited: boolean;
  useful: number;
  mine: boolean;
  markedUseful: boolean;
  flaggedByMe: boolean;
  canEdit: boolean;
  canReview: boolean;
  /** The author's review request on their hidden comment. */
  review: ReviewState;
  replies: CommentView[];
}

type Row = {
  id: string;
  parent_id: string | null;
  user_id: string | null;
  anonymous: number;
  stance: Stance | null;
  body: string;
  moderation: ModerationState;
  hidden_reason: FlagReason | null;
  review_requested_at: string | null;
  reviewed_at: string | null;
  created_at: string;
  edited_at: string | null;
  deleted_at: string | null;
  display_name: string | null;
  arrondissement_name: string | null;
  useful: number | string;
};

/** The name shown for an author: their display name, "un·e habitant·e", or "participant supprimé". */
export function authorLabel(row: { user_id: string | null; anonymous: number; display_name: string | null }): string {
  if (row.user_id === null) return DELETED_AUTHOR_LABEL;
  return row.anonymous || !row.display_name ? ANONYMOUS_LABEL : row.display_name;
}

function toView(
  row: Row,
  viewer: { id: string | null; useful: Set<string>; reported: Set<string>; open: boolean; now: Date },
): CommentView {
  const mine = viewer.id !== null && row.user_id === viewer.id;
  const state: CommentState = row.deleted_at ? "deleted" : row.moderation;
  const readable = state === "visible" || (mine && state !== "deleted");
  return {
    id: row.id,
    parentId: row.parent_id,
    stance: state === "deleted" ? null : row.stance,
    body: readable ? row.body : "",
    state,
    hiddenReason: state === "hidden" ? row.hidden_reason : null,
    authorLabel: state === "deleted" ? "" : authorLabel(row),
    arrondissementName: state === "deleted" ? null : row.arrondissement_name,
    createdAt: row.created_at,
    createdLabel: formatDateTime(row.created_at),
    edited: row.edited_at !== null,
    useful: state === "visible" ? Number(row.useful) : 0,
    mine,
    markedUseful: viewer.useful.has(row.id),
    flaggedByMe: viewer.reported.has(row.id),
    canEdit: mine && state === "visible" && viewer.open && withinEditWindow(row.created_at, viewer.now),
    canReview: mine && state === "hidden" && row.review_requested_at === null,
    review: state === "hidden" ? reviewState(row) : "none",
    replies: [],
  };
}

export type StanceCounts = Record<Stance, number> & { total: number };

/** Visible top-level comments of a proposal by stance, for the whole proposal or one CTS territory. */
export async function stanceCounts(
  db: Kysely<Database>,
  proposalId: string,
  ctsCodes?: string[],
): Promise<StanceCounts> {
  let query = db
    .selectFrom("comments as c")
    .select(["c.stance", (eb) => eb.fn.countAll<number>().as("n")])
    .where("c.proposal_id", "=", proposalId)
    .where("c.parent_id", "is", null)
    .where(commentShown("c"));
  if (ctsCodes) {
    if (ctsCodes.length === 0) return { for: 0, against: 0, nuanced: 0, total: 0 };
    query = query.where("c.cts_code", "in", ctsCodes);
  }
  const rows = await query.groupBy("c.stance").execute();
  const counts: StanceCounts = { for: 0, against: 0, nuanced: 0, total: 0 };
  for (const r of rows) {
    if (!r.stance) continue;
    counts[r.stance] = Number(r.n);
    counts.total += Number(r.n);
  }
  return counts;
}

/**
 * One page of a proposal's top-level comments (filtered, sorted) with their replies. Tombstones
 * of deleted comments appear only while they still have replies. `ctsFirst`: a CTS member's
 * territories, whose comments come first.
 */
export async function listComments(
  db: Kysely<Database>,
  input: {
    proposalId: string;
    viewerId: string | null;
    filters: CommentFilters;
    ctsFirst?: string[];
    open: boolean;
    pageSize?: number;
    now?: Date;
  },
) {
  const pageSize = input.pageSize ?? COMMENT_PAGE_SIZE;
  const now = input.now ?? new Date();
  const { filters } = input;
  let base = db
    .selectFrom("comments as c")
    .where("c.proposal_id", "=", input.proposalId)
    .where("c.parent_id", "is", null)
    .where((eb) =>
      eb.or([
        eb("c.deleted_at", "is", null),
        eb.exists(
          eb.selectFrom("comments as r").select("r.id").whereRef("r.parent_id", "=", "c.id").where(replyListed("r")),
        ),
      ]),
    );
  if (filters.stance) base = base.where("c.stance", "=", filters.stance);
  if (filters.arrondissement) base = base.where("c.arrondissement_code", "=", filters.arrondissement);
  if (filters.cts) base = base.where("c.cts_code", "=", filters.cts);

  const { total } = await base.select((eb) => eb.fn.countAll<number>().as("total")).executeTakeFirstOrThrow();
  const count = Number(total);
  const pageCount = Math.max(1, Math.ceil(count / pageSize));
  const page = Math.min(Math.max(1, filters.page), pageCount);

  const columns = (q: typeof base) =>
    q
      .leftJoin("users as u", "u.id", "c.user_id")
      .leftJoin("arrondissements as a", "a.code", "c.arrondissement_code")
      .select((eb) => [
        "c.id",
        "c.parent_id",
        "c.user_id",
        "c.anonymous",
        "c.stance",
        "c.body",
        "c.moderation",
        "c.hidden_reason",
        "c.review_requested_at",
        "c.reviewed_at",
        "c.created_at",
        "c.edited_at",
        "c.deleted_at",
        "u.display_name",
        "a.name as arrondissement_name",
        eb
          .selectFrom("comment_useful as cu")
          .whereRef("cu.comment_id", "=", "c.id")
          .select(eb.fn.countAll<number>().as("n"))
          .as("useful"),
      ]);

  let ordered = columns(base);
  if (input.ctsFirst?.length) {
    const first = input.ctsFirst;
    ordered = ordered.orderBy((eb) => eb.case().when("c.cts_code", "in", first).then(0).else(1).end());
  }
  if (filters.sort === "utiles") ordered = ordered.orderBy("useful", "desc");
  const top = await ordered
    .orderBy("c.created_at", "desc")
    .orderBy("c.id")
    .limit(pageSize)
    .offset((page - 1) * pageSize)
    .execute();

  const ids = top.map((t) => t.id);
  const replies = ids.length
    ? await columns(db.selectFrom("comments as c"))
        .where("c.parent_id", "in", ids)
        .where(replyListed("c"))
        .orderBy("c.created_at")
        .orderBy("c.id")
        .execute()
    : [];
  const allIds = [...ids, ...replies.map((r) => r.id)];
  const [useful, reported] =
    input.viewerId && allIds.length
      ? await Promise.all([
          db
            .selectFrom("comment_useful")
            .select("comment_id")
            .where("user_id", "=", input.viewerId)
            .where("comment_id", "in", allIds)
            .execute(),
          db
            .selectFrom("flags")
            .select("target_id")
            .where("reporter_id", "=", input.viewerId)
            .where("target_kind", "=", "comment")
            .where("target_id", "in", allIds)
            .execute(),
        ])
      : [[], []];
  const viewer = {
    id: input.viewerId,
    useful: new Set(useful.map((u) => (u as { comment_id: string }).comment_id)),
    reported: new Set(reported.map((r) => (r as { target_id: string }).target_id)),
    open: input.open,
    now,
  };
  const items = top.map((row) => toView(row as Row, viewer));
  const byId = new Map(items.map((i) => [i.id, i]));
  for (const reply of replies) byId.get(reply.parent_id!)?.replies.push(toView(reply as Row, viewer));
  return { items, total: count, page, pageCount };
}

/** The comment's place in its page's URL and its proposal, for redirects and e-mails. */
export async function commentLocation(db: Kysely<Database>, commentId: string) {
  return db
    .selectFrom("comments as c")
    .innerJoin("proposals as p", "p.id", "c.proposal_id")
    .innerJoin("consultations as k", "k.id", "c.consultation_id")
    .select(["c.id", "c.parent_id", "p.slug as proposal_slug", "k.slug as consultation_slug"])
    .where("c.id", "=", commentId)
    .executeTakeFirst();
}

/** Sets or clears the name shown with one's comments (null: none, comments are signed "un·e habitant·e"). */
export async function setDisplayName(db: Kysely<Database>, userId: string, displayName: string | null): Promise<void> {
  await db
    .updateTable("users")
    .set({ display_name: displayName, updated_at: new Date().toISOString() })
    .where("id", "=", userId)
    .execute();
}
