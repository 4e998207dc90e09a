import { randomUUID } from "node:crypto";
import { recordAudit } from "../audit/audit.server";
import type { Kysely, Transaction } from "kysely";
import { lockRow } from "../../db/dialect";
import type { Database, ModerationAction, ModerationState, FlagReason } from "../../db/schema";
import { isUniqueViolation } from "../identity/users.server";
import { isVerifiedResident, type ResidentStanding } from "../identity/residence.server";
import { sendEmail } from "../platform/email.server";
import { env } from "../platform/env.server";
import { authorLabel, CommentError } from "../comments/comments.server";
import { formatDateTime } from "../ui/format";
import { REASON_LABELS, FLAGS_TO_HIDE } from "../comments/labels";
import { excerpt } from "../comments/text";

export type TargetKind = "comment" | "contribution";

// A comment is masculine, a contribution feminine: pronoun and agreement follow the word.
const WORD: Record<TargetKind, { the: string; your: string; this: string; it: string; e: string }> = {
  comment: { the: "le commentaire", your: "votre commentaire", this: "ce commentaire", it: "il", e: "" },
  contribution: { the: "la contribution", your: "votre contribution", this: "cette contribution", it: "elle", e: "e" },
};

/** A comment or a contribution, with what moderation needs to know about it. */
export interface Target {
  kind: TargetKind;
  id: string;
  authorUserId: string | null;
  authorEmail: string | null;
  regionCode: string;
  consultationSlug: string;
  proposalSlug: string;
  proposalTitle: string;
  text: string;
  moderation: ModerationState;
  hiddenReason: FlagReason | null;
  deleted: boolean;
  published: boolean;
  reviewRequestedAt: string | null;
  reviewedAt: string | null;
}

export async function loadTarget(db: Kysely<Database>, kind: TargetKind, id: string): Promise<Target | null> {
  if (kind === "comment") {
    const row = await db
      .selectFrom("comments as c")
      .innerJoin("consultations as k", "k.id", "c.consultation_id")
      .innerJoin("proposals as p", "p.id", "c.proposal_id")
      .leftJoin("users as u", "u.id", "c.user_id")
      .select([
        "c.id",
        "c.user_id",
        "u.email",
        "k.region_code",
        "k.slug as consultation_slug",
        "p.slug as proposal_slug",
        "p.title as proposal_title",
        "c.body",
        "c.moderation",
        "c.hidden_reason",
        "c.deleted_at",
        "c.review_requested_at",
        "c.reviewed_at",
      ])
      .where("c.id", "=", id)
      .executeTakeFirst();
    if (!row) return null;
    return {
      kind,
      id: row.id,
      authorUserId: row.user_id,
      authorEmail: row.email,
      regionCode: row.region_code,
      consultationSlug: row.consultation_slug,
      proposalSlug: row.proposal_slug,
      proposalTitle: row.proposal_title,
      text: row.body,
      moderation: row.moderation,
      hiddenReason: row.hidden_reason,
      deleted: row.deleted_at !== null,
      published: true,
      reviewRequestedAt: row.review_requested_at,
      reviewedAt: row.reviewed_at,
    };
  }
  const row = await db
    .selectFrom("contributions as c")
    .innerJoin("consultations as k", "k.id", "c.consultation_id")
    .innerJoin("proposals as p", "p.id", "c.proposal_id")
    .innerJoin("associations as a", "a.id", "c.association_id")
    .innerJoin("users as u", "u.id", "a.user_id")
    .select([
      "c.id",
      "a.user_id",
      "u.email",
      "k.region_code",
      "k.slug as consultation_slug",
      "p.slug as proposal_slug",
      "p.title as proposal_title",
      "c.title",
      "c.body",
      "c.moderation",
      "c.hidden_reason",
      "c.deleted_at",
      "c.published_at",
      "c.review_requested_at",
      "c.reviewed_at",
    ])
    .where("c.id", "=", id)
    .executeTakeFirst();
  if (!row) return null;
  return {
    kind,
    id: row.id,
    authorUserId: row.user_id,
    authorEmail: row.email,
    regionCode: row.region_code,
    consultationSlug: row.consultation_slug,
    proposalSlug: row.proposal_slug,
    proposalTitle: row.proposal_title,
    text: `${row.title}\n\n${row.body}`,
    moderation: row.moderation,
    hiddenReason: row.hidden_reason,
    deleted: row.deleted_at !== null,
    published: row.published_at !== null,
    reviewRequestedAt: row.review_requested_at,
    reviewedAt: row.reviewed_at,
  };
}

function targetUrl(target: Target): string {
  const anchor = target.kind === "comment" ? "commentaire" : "contribution";
  return `${env().PUBLIC_URL}/consultations/${target.consultationSlug}/propositions/${target.proposalSlug}#${anchor}-${target.id}`;
}

const table = (kind: TargetKind) => (kind === "comment" ? "comments" : "contributions");

async function log(
  trx: Kysely<Database>,
  entry: {
    actor: { id: string; label: string } | null;
    action: ModerationAction;
    targetKind: "comment" | "contribution" | "association";
    targetId: string;
    regionCode: string | null;
    reason?: string | null;
    note?: string | null;
    now: string;
  },
): Promise<void> {
  await trx
    .insertInto("moderation_log")
    .values({
      id: randomUUID(),
      actor_id: entry.actor?.id ?? null,
      actor_label: entry.actor?.label ?? "système",
      action: entry.action,
      target_kind: entry.targetKind,
      target_id: entry.targetId,
      region_code: entry.regionCode,
      reason: entry.reason ?? null,
      note: entry.note ?? null,
      created_at: entry.now,
    })
    .execute();
}

/** Appends to the moderation log from another module (association decisions). */
export const logModeration = log;

async function setModeration(
  trx: Transaction<Database>,
  target: Target,
  from: ModerationState[],
  set: { moderation: ModerationState; hidden_reason: FlagReason | null; reviewed?: string },
  now: string,
): Promise<boolean> {
  const values = {
    moderation: set.moderation,
    hidden_reason: set.hidden_reason,
    updated_at: now,
    ...(set.reviewed ? { reviewed_at: set.reviewed } : {}),
  };
  const result =
    target.kind === "comment"
      ? await trx
          .updateTable("comments")
          .set(values)
          .where("id", "=", target.id)
          .where("moderation", "in", from)
          .where("deleted_at", "is", null)
          .executeTakeFirst()
      : await trx
          .updateTable("contributions")
          .set(values)
          .where("id", "=", target.id)
          .where("moderation", "in", from)
          .where("deleted_at", "is", null)
          .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

async function resolveReports(trx: Kysely<Database>, target: Target, resolution: "dismissed" | "upheld", now: string) {
  await trx
    .updateTable("flags")
    .set({ resolved_at: now, resolution })
    .where("target_kind", "=", target.kind)
    .where("target_id", "=", target.id)
    .where("resolved_at", "is", null)
    .execute();
}

/** Why a person may not report, in French (docs/domain.md#comments). */
const REPORT_REFUSALS: Record<Exclude<ResidentStanding, { ok: true }>["reason"], string> = {
  "not-resident": "Seuls les habitants inscrits peuvent signaler un contenu.",
  unverified: "Confirmez d’abord votre adresse électronique (lien reçu par e-mail) pour pouvoir signaler un contenu.",
  elsewhere:
    "Seuls les habitants de la région de cette consultation peuvent signaler ses contenus : votre commune, dans « Mon compte », est dans une autre région.",
};

/**
 * Reports a comment or a contribution. Only verified residents of the consultation's region
 * report (isVerifiedResident), once per item; one's own content cannot be reported. At the third
 * distinct reporter the item is hidden pending review, and its author is told. A person who
 * reports several items of one author counts once per item, and once for the author on the
 * signals page (app/identity/signals.server.ts).
 */
export async function flagContent(
  db: Kysely<Database>,
  input: {
    kind: TargetKind;
    id: string;
    reporterId: string;
    reason: FlagReason;
    details?: string | undefined;
    now?: Date;
  },
): Promise<{ autoHidden: boolean }> {
  const now = (input.now ?? new Date()).toISOString();
  const target = await loadTarget(db, input.kind, input.id);
  if (!target || target.deleted || !target.published)
    throw new CommentError("not-found", `${capitalise(WORD[input.kind].this)} n’existe pas ou n’est plus publié.`);
  if (target.authorUserId === input.reporterId) {
    throw new CommentError(
      "forbidden",
      `Vous ne pouvez pas signaler ${input.kind === "comment" ? "votre propre commentaire" : "votre propre contribution"}.`,
    );
  }
  const standing = await isVerifiedResident(db, input.reporterId, target.regionCode);
  if (!standing.ok) throw new CommentError("forbidden", REPORT_REFUSALS[standing.reason]);
  if (target.moderation !== "visible")
    throw new CommentError(
      "conflict",
      `${capitalise(WORD[input.kind].this)} est déjà masqué${input.kind === "contribution" ? "e" : ""} : la modération s’en occupe.`,
    );
  let autoHidden = false;
  try {
    await db.transaction().execute(async (trx) => {
      await lockRow(trx, table(input.kind), input.id);
      await trx
        .insertInto("flags")
        .values({
          id: randomUUID(),
          target_kind: input.kind,
          target_id: input.id,
          reporter_id: input.reporterId,
          reason: input.reason,
          details: input.details ?? null,
          created_at: now,
          resolved_at: null,
          resolution: null,
        })
        .execute();
      const { n } = await trx
        .selectFrom("flags")
        .select((eb) => eb.fn.count<number>("reporter_id").distinct().as("n"))
        .where("target_kind", "=", input.kind)
        .where("target_id", "=", input.id)
        .where("resolved_at", "is", null)
        .executeTakeFirstOrThrow();
      if (Number(n) >= FLAGS_TO_HIDE) {
        autoHidden = await setModeration(
          trx,
          target,
          ["visible"],
          { moderation: "pending_review", hidden_reason: null },
          now,
        );
        if (autoHidden) {
          await log(trx, {
            actor: null,
            action: "auto_hide",
            targetKind: input.kind,
            targetId: input.id,
            regionCode: target.regionCode,
            reason: `${Number(n)} signalements`,
            now,
          });
        }
      }
    });
  } catch (error) {
    if (isUniqueViolation(error))
      throw new CommentError("conflict", `Vous avez déjà signalé ${WORD[input.kind].this}.`);
    throw error;
  }
  if (autoHidden) {
    const { it, e } = WORD[target.kind];
    await notifyAuthor(db, target, {
      subject: `${capitalise(WORD[target.kind].your)} est masqué${e} en attente d’examen — Priorités Santé`,
      lines: [
        `${capitalise(WORD[target.kind].your)} sur la proposition « ${target.proposalTitle} » a été signalé${e} par plusieurs personnes : ` +
          `${it} est masqué${e} le temps qu’un modérateur l’examine.`,
        `Extrait : « ${excerpt(target.text)} »`,
        `Vous recevrez un message quand la modération aura tranché.`,
      ],
    });
  }
  return { autoHidden };
}

export type ModerationIntent = "hide" | "restore" | "dismiss" | "uphold";

export interface Moderator {
  id: string;
  email: string;
  roles: readonly { role: string; scope: string }[];
}

/**
 * The regions a person moderates: an administrator every region (`everyRegion`), a moderator the
 * regions of their roles (role "moderator", scope = region code).
 */
export async function moderatedRegions(
  db: Kysely<Database>,
  user: Pick<Moderator, "roles">,
): Promise<{ everyRegion: boolean; regions: string[] }> {
  if (user.roles.some((r) => r.role === "admin")) {
    const all = await db.selectFrom("regions").select("code").orderBy("code").execute();
    return { everyRegion: true, regions: all.map((r) => r.code) };
  }
  return {
    everyRegion: false,
    regions: user.roles.filter((r) => r.role === "moderator" && r.scope).map((r) => r.scope),
  };
}

/**
 * A moderator's decision on a comment or a contribution of their region:
 * - hide (with a reason, shown in place of the text), the open flags are upheld;
 * - restore (an item hidden automatically or by a moderator, or after a review request);
 * - dismiss (the flags are unfounded; an item hidden by them comes back);
 * - uphold (after the author asked for a review, the item stays hidden).
 * Each is logged, and the author is told by e-mail (except for a dismissal of a visible item).
 */
export async function moderate(
  db: Kysely<Database>,
  input: {
    moderator: Moderator;
    intent: ModerationIntent;
    kind: TargetKind;
    id: string;
    reason?: FlagReason | undefined;
    note?: string | undefined;
    now?: Date;
  },
): Promise<void> {
  const now = (input.now ?? new Date()).toISOString();
  const target = await loadTarget(db, input.kind, input.id);
  if (!target || !target.published) throw new CommentError("not-found", "Élément introuvable.");
  if (!(await moderatedRegions(db, input.moderator)).regions.includes(target.regionCode)) {
    throw new CommentError("forbidden", "Cet élément relève d’une région que vous ne modérez pas.");
  }
  if (target.deleted)
    throw new CommentError("conflict", "Son auteur l’a supprimé entre-temps : il n’y a plus rien à modérer.");
  const actor = { id: input.moderator.id, label: input.moderator.email };
  const stale = () =>
    new CommentError("conflict", "Un autre modérateur a traité cet élément entre-temps : rechargez la file.");
  let notify: { subject: string; lines: string[] } | null = null;
  const e = target.kind === "contribution" ? "e" : "";
  const Your = capitalise(WORD[target.kind].your);

  await db.transaction().execute(async (trx) => {
    await lockRow(trx, table(target.kind), target.id);
    const current = await loadTarget(trx, target.kind, target.id);
    if (!current) throw stale();
    switch (input.intent) {
      case "hide": {
        if (!input.reason)
          throw new CommentError("invalid", "Choisissez le motif du masquage : il est affiché à la place du texte.");
        if (
          !(await setModeration(
            trx,
            current,
            ["visible", "pending_review"],
            { moderation: "hidden", hidden_reason: input.reason },
            now,
          ))
        )
          throw stale();
        await resolveReports(trx, current, "upheld", now);
        await log(trx, {
          actor,
          action: "hide",
          targetKind: current.kind,
          targetId: current.id,
          regionCode: current.regionCode,
          reason: input.reason,
          note: input.note ?? null,
          now,
        });
        notify = {
          subject: `${Your} a été masqué${e} par la modération — Priorités Santé`,
          lines: [
            `${Your} sur la proposition « ${current.proposalTitle} » a été masqué${e} par la modération.`,
            `Motif : ${REASON_LABELS[input.reason]}.`,
            ...(input.note ? [`Précision du modérateur : ${input.note}`] : []),
            `Extrait : « ${excerpt(current.text)} »`,
            `Si vous pensez qu’il s’agit d’une erreur, vous pouvez demander un réexamen, une seule fois, depuis la page de la proposition :\n${targetUrl(current)}`,
          ],
        };
        break;
      }
      case "restore": {
        if (current.moderation === "visible") throw stale();
        const reviewed = current.reviewRequestedAt && !current.reviewedAt ? now : undefined;
        if (
          !(await setModeration(
            trx,
            current,
            ["pending_review", "hidden"],
            { moderation: "visible", hidden_reason: null, ...(reviewed ? { reviewed } : {}) },
            now,
          ))
        ) {
          throw stale();
        }
        await resolveReports(trx, current, "dismissed", now);
        await log(trx, {
          actor,
          action: "restore",
          targetKind: current.kind,
          targetId: current.id,
          regionCode: current.regionCode,
          note: input.note ?? null,
          now,
        });
        notify = {
          subject: `${Your} est de nouveau affiché${e} — Priorités Santé`,
          lines: [
            `Après examen, ${WORD[current.kind].your} sur la proposition « ${current.proposalTitle} » est de nouveau affiché${e} :\n${targetUrl(current)}`,
          ],
        };
        break;
      }
      case "dismiss": {
        if (current.moderation === "hidden") {
          throw new CommentError("conflict", "Cet élément est masqué : rétablissez-le ou maintenez le masquage.");
        }
        const wasPending = current.moderation === "pending_review";
        if (
          wasPending &&
          !(await setModeration(trx, current, ["pending_review"], { moderation: "visible", hidden_reason: null }, now))
        )
          throw stale();
        await resolveReports(trx, current, "dismissed", now);
        await log(trx, {
          actor,
          action: "dismiss",
          targetKind: current.kind,
          targetId: current.id,
          regionCode: current.regionCode,
          note: input.note ?? null,
          now,
        });
        if (wasPending) {
          notify = {
            subject: `${Your} est de nouveau affiché${e} — Priorités Santé`,
            lines: [
              `Les signalements visant ${WORD[current.kind].your} sur la proposition « ${current.proposalTitle} » ont été classés sans suite : ${WORD[current.kind].it} est de nouveau affiché${e}.\n${targetUrl(current)}`,
            ],
          };
        }
        break;
      }
      case "uphold": {
        // Only a stale page leads here once the item is visible again or already re-examined; an
        // item whose author asked nothing has nothing to uphold, and the moderator is told so.
        if (current.moderation === "hidden" && !current.reviewRequestedAt)
          throw new CommentError(
            "conflict",
            `Son auteur n’a pas demandé de réexamen : il n’y a rien à maintenir, ${WORD[current.kind].the} reste masqué${e}.`,
          );
        if (current.moderation !== "hidden" || current.reviewedAt) throw stale();
        const result = await trx
          .updateTable(table(current.kind))
          .set({ reviewed_at: now, updated_at: now })
          .where("id", "=", current.id)
          .where("reviewed_at", "is", null)
          .executeTakeFirst();
        if (Number(result.numUpdatedRows) !== 1) throw stale();
        await log(trx, {
          actor,
          action: "review_upheld",
          targetKind: current.kind,
          targetId: current.id,
          regionCode: current.regionCode,
          reason: current.hiddenReason,
          note: input.note ?? null,
          now,
        });
        notify = {
          subject: `Réexamen : ${WORD[current.kind].your} reste masqué${e} — Priorités Santé`,
          lines: [
            `Après réexamen, ${WORD[current.kind].your} sur la proposition « ${current.proposalTitle} » reste masqué${e}.`,
            ...(current.hiddenReason ? [`Motif : ${REASON_LABELS[current.hiddenReason]}.`] : []),
            ...(input.note ? [`Précision du modérateur : ${input.note}`] : []),
          ],
        };
        break;
      }
    }
  });
  await recordAudit(db, {
    kind: "moderation",
    userId: input.moderator.id,
    detail: `${input.intent} ${input.kind} ${input.id}${input.intent === "hide" && input.reason ? ` (${input.reason})` : ""}`,
  });
  if (notify) await notifyAuthor(db, target, notify);
}

/** The author of a hidden item asks, once, for a moderator to look at it again. */
export async function requestReview(
  db: Kysely<Database>,
  input: { kind: TargetKind; id: string; userId: string; message?: string | undefined; now?: Date },
): Promise<void> {
  const now = (input.now ?? new Date()).toISOString();
  const target = await loadTarget(db, input.kind, input.id);
  if (!target) throw new CommentError("not-found", "Élément introuvable.");
  if (target.authorUserId !== input.userId)
    throw new CommentError("forbidden", "Seul l’auteur peut demander un réexamen.");
  if (target.moderation !== "hidden" || target.deleted)
    throw new CommentError("conflict", "Seul un élément masqué par la modération peut faire l’objet d’un réexamen.");
  if (target.reviewRequestedAt)
    throw new CommentError("conflict", "Vous avez déjà demandé un réexamen : on ne peut le demander qu’une fois.");
  await db.transaction().execute(async (trx) => {
    const result = await trx
      .updateTable(table(input.kind))
      .set({ review_requested_at: now, review_message: input.message ?? null, updated_at: now })
      .where("id", "=", input.id)
      .where("review_requested_at", "is", null)
      .executeTakeFirst();
    if (Number(result.numUpdatedRows) !== 1)
      throw new CommentError("conflict", "Vous avez déjà demandé un réexamen : on ne peut le demander qu’une fois.");
    await log(trx, {
      actor: { id: input.userId, label: target.authorEmail ?? "auteur" },
      action: "review_requested",
      targetKind: input.kind,
      targetId: input.id,
      regionCode: target.regionCode,
      note: input.message ?? null,
      now,
    });
  });
}

async function notifyAuthor(
  db: Kysely<Database>,
  target: Target,
  message: { subject: string; lines: string[] },
): Promise<void> {
  if (!target.authorEmail) return;
  await sendEmail(db, {
    to: target.authorEmail,
    subject: message.subject,
    text: `Bonjour,\n\n${message.lines.join("\n\n")}\n\n— La modération de Priorités Santé`,
  });
}

function capitalise(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

// — The queue —

export interface QueueItem {
  kind: TargetKind;
  id: string;
  /** Oldest open report or review request: the queue is served oldest first. */
  waitingSince: string;
  waitingLabel: string;
  moderation: ModerationState;
  hiddenReason: FlagReason | null;
  title: string | null;
  text: string;
  authorLabel: string;
  /** The author's published comments (or contributions) and how many of them were hidden. */
  authorHistory: { total: number; hidden: number };
  consultationSlug: string;
  proposalSlug: string;
  proposalTitle: string;
  regionName: string;
  flags: { reason: FlagReason; details: string | null; createdLabel: string }[];
  reviewRequested: boolean;
  reviewMessage: string | null;
}

/** What waits for a moderator of these regions: reported, auto-hidden or review-requested items, oldest first. */
export async function moderationQueue(db: Kysely<Database>, regions: string[], limit = 100): Promise<QueueItem[]> {
  if (regions.length === 0) return [];
  const comments = await db
    .selectFrom("comments as c")
    .innerJoin("consultations as k", "k.id", "c.consultation_id")
    .innerJoin("regions as g", "g.code", "k.region_code")
    .innerJoin("proposals as p", "p.id", "c.proposal_id")
    .leftJoin("users as u", "u.id", "c.user_id")
    .select((eb) => [
      "c.id",
      "c.user_id",
      "c.anonymous",
      "u.display_name",
      "c.body as text",
      "c.moderation",
      "c.hidden_reason",
      "c.review_requested_at",
      "c.reviewed_at",
      "c.review_message",
      "c.created_at",
      "k.slug as consultation_slug",
      "p.slug as proposal_slug",
      "p.title as proposal_title",
      "g.name as region_name",
      eb
        .selectFrom("flags as r")
        .select((s) => s.fn.min("r.created_at").as("t"))
        .where("r.target_kind", "=", "comment")
        .whereRef("r.target_id", "=", "c.id")
        .where("r.resolved_at", "is", null)
        .as("oldest_report"),
    ])
    .where("k.region_code", "in", regions)
    .where("c.deleted_at", "is", null)
    .where((eb) =>
      eb.or([
        eb.exists(
          eb
            .selectFrom("flags as r")
            .select("r.id")
            .where("r.target_kind", "=", "comment")
            .whereRef("r.target_id", "=", "c.id")
            .where("r.resolved_at", "is", null),
        ),
        eb("c.moderation", "=", "pending_review"),
        eb.and([
          eb("c.moderation", "=", "hidden"),
          eb("c.review_requested_at", "is not", null),
          eb("c.reviewed_at", "is", null),
        ]),
      ]),
    )
    .execute();

  const contributions = await db
    .selectFrom("contributions as c")
    .innerJoin("consultations as k", "k.id", "c.consultation_id")
    .innerJoin("regions as g", "g.code", "k.region_code")
    .innerJoin("proposals as p", "p.id", "c.proposal_id")
    .innerJoin("associations as a", "a.id", "c.association_id")
    .select((eb) => [
      "c.id",
      "c.association_id",
      "a.name as association_name",
      "c.title",
      "c.body as text",
      "c.moderation",
      "c.hidden_reason",
      "c.review_requested_at",
      "c.reviewed_at",
      "c.review_message",
      "c.created_at",
      "k.slug as consultation_slug",
      "p.slug as proposal_slug",
      "p.title as proposal_title",
      "g.name as region_name",
      eb
        .selectFrom("flags as r")
        .select((s) => s.fn.min("r.created_at").as("t"))
        .where("r.target_kind", "=", "contribution")
        .whereRef("r.target_id", "=", "c.id")
        .where("r.resolved_at", "is", null)
        .as("oldest_report"),
    ])
    .where("k.region_code", "in", regions)
    .where("c.deleted_at", "is", null)
    .where("c.published_at", "is not", null)
    .where((eb) =>
      eb.or([
        eb.exists(
          eb
            .selectFrom("flags as r")
            .select("r.id")
            .where("r.target_kind", "=", "contribution")
            .whereRef("r.target_id", "=", "c.id")
            .where("r.resolved_at", "is", null),
        ),
        eb("c.moderation", "=", "pending_review"),
        eb.and([
          eb("c.moderation", "=", "hidden"),
          eb("c.review_requested_at", "is not", null),
          eb("c.reviewed_at", "is", null),
        ]),
      ]),
    )
    .execute();

  type Pending = Omit<QueueItem, "flags" | "authorHistory"> & { authorKey: { kind: TargetKind; id: string | null } };
  const since = (r: {
    oldest_report: unknown;
    review_requested_at: string | null;
    reviewed_at: string | null;
    created_at: string;
  }) => {
    const times = [
      r.oldest_report as string | null,
      r.review_requested_at && !r.reviewed_at ? r.review_requested_at : null,
    ].filter((t): t is string => !!t);
    return times.sort()[0] ?? r.created_at;
  };
  const pending: Pending[] = [
    ...comments.map((r) => ({
      kind: "comment" as const,
      id: r.id,
      waitingSince: since(r),
      waitingLabel: formatDateTime(since(r)),
      moderation: r.moderation,
      hiddenReason: r.hidden_reason,
      title: null,
      text: r.text,
      authorLabel: authorLabel(r),
      consultationSlug: r.consultation_slug,
      proposalSlug: r.proposal_slug,
      proposalTitle: r.proposal_title,
      regionName: r.region_name,
      reviewRequested: !!r.review_requested_at && !r.reviewed_at,
      reviewMessage: r.review_message,
      authorKey: { kind: "comment" as const, id: r.user_id },
    })),
    ...contributions.map((r) => ({
      kind: "contribution" as const,
      id: r.id,
      waitingSince: since(r),
      waitingLabel: formatDateTime(since(r)),
      moderation: r.moderation,
      hiddenReason: r.hidden_reason,
      title: r.title,
      text: r.text,
      authorLabel: r.association_name,
      consultationSlug: r.consultation_slug,
      proposalSlug: r.proposal_slug,
      proposalTitle: r.proposal_title,
      regionName: r.region_name,
      reviewRequested: !!r.review_requested_at && !r.reviewed_at,
      reviewMessage: r.review_message,
      authorKey: { kind: "contribution" as const, id: r.association_id },
    })),
  ]
    .sort((a, b) => (a.waitingSince < b.waitingSince ? -1 : a.waitingSince > b.waitingSince ? 1 : a.id < b.id ? -1 : 1))
    .slice(0, limit);

  const items: QueueItem[] = [];
  for (const p of pending) {
    const [flags, history] = await Promise.all([
      db
        .selectFrom("flags")
        .select(["reason", "details", "created_at"])
        .where("target_kind", "=", p.kind)
        .where("target_id", "=", p.id)
        .where("resolved_at", "is", null)
        .orderBy("created_at")
        .execute(),
      authorHistory(db, p.authorKey),
    ]);
    const { authorKey: _, ...item } = p;
    items.push({
      ...item,
      authorHistory: history,
      flags: flags.map((r) => ({
        reason: r.reason,
        details: r.details,
        createdLabel: formatDateTime(r.created_at),
      })),
    });
  }
  return items;
}

async function authorHistory(db: Kysely<Database>, key: { kind: TargetKind; id: string | null }) {
  if (!key.id) return { total: 0, hidden: 0 };
  const row =
    key.kind === "comment"
      ? await db
          .selectFrom("comments")
          .select((eb) => [
            eb.fn.countAll<number>().as("total"),
            eb.fn.sum<number>(eb.case().when("moderation", "=", "hidden").then(1).else(0).end()).as("hidden"),
          ])
          .where("user_id", "=", key.id)
          .where("deleted_at", "is", null)
          .executeTakeFirstOrThrow()
      : await db
          .selectFrom("contributions")
          .select((eb) => [
            eb.fn.countAll<number>().as("total"),
            eb.fn.sum<number>(eb.case().when("moderation", "=", "hidden").then(1).else(0).end()).as("hidden"),
          ])
          .where("association_id", "=", key.id)
          .where("published_at", "is not", null)
          .where("deleted_at", "is", null)
          .executeTakeFirstOrThrow();
  return { total: Number(row.total), hidden: Number(row.hidden ?? 0) };
}

// — The log —

export async function moderationLog(db: Kysely<Database>, input: { page: number; pageSize?: number }) {
  const pageSize = input.pageSize ?? 50;
  const { n } = await db
    .selectFrom("moderation_log")
    .select((eb) => eb.fn.countAll<number>().as("n"))
    .executeTakeFirstOrThrow();
  const total = Number(n);
  const pageCount = Math.max(1, Math.ceil(total / pageSize));
  const page = Math.min(Math.max(1, input.page), pageCount);
  const rows = await db
    .selectFrom("moderation_log as l")
    .leftJoin("regions as g", "g.code", "l.region_code")
    .leftJoin("comments as c", (join) => join.onRef("c.id", "=", "l.target_id").on("l.target_kind", "=", "comment"))
    .leftJoin("contributions as t", (join) =>
      join.onRef("t.id", "=", "l.target_id").on("l.target_kind", "=", "contribution"),
    )
    .leftJoin("associations as a", (join) =>
      join.onRef("a.id", "=", "l.target_id").on("l.target_kind", "=", "association"),
    )
    .leftJoin("proposals as p", (join) =>
      join.on((eb) => eb.or([eb("p.id", "=", eb.ref("c.proposal_id")), eb("p.id", "=", eb.ref("t.proposal_id"))])),
    )
    .leftJoin("consultations as k", "k.id", "p.consultation_id")
    // Who wrote it and how it begins, so that three rows on one proposal can be told apart.
    .leftJoin("users as cu", "cu.id", "c.user_id")
    .leftJoin("associations as ta", "ta.id", "t.association_id")
    .select([
      "c.user_id as comment_user_id",
      "c.anonymous as comment_anonymous",
      "cu.display_name as comment_display_name",
      "c.body as comment_body",
      "t.title as contribution_title",
      "ta.name as contribution_association",
      "l.id",
      "l.actor_label",
      "l.action",
      "l.target_kind",
      "l.target_id",
      "l.reason",
      "l.note",
      "l.created_at",
      "g.name as region_name",
      "p.slug as proposal_slug",
      "p.title as proposal_title",
      "k.slug as consultation_slug",
      "a.name as association_name",
      "a.slug as association_slug",
    ])
    .orderBy("l.created_at", "desc")
    .orderBy("l.id", "desc")
    .limit(pageSize)
    .offset((page - 1) * pageSize)
    .execute();
  return {
    page,
    pageCount,
    total,
    entries: rows.map(
      ({
        comment_user_id,
        comment_anonymous,
        comment_display_name,
        comment_body,
        contribution_title,
        contribution_association,
        ...r
      }) => ({
        ...r,
        createdLabel: formatDateTime(r.created_at),
        author:
          r.target_kind === "comment" && comment_body !== null
            ? authorLabel({
                user_id: comment_user_id,
                anonymous: Number(comment_anonymous),
                display_name: comment_display_name,
              })
            : r.target_kind === "contribution"
              ? contribution_association
              : null,
        excerpt:
          r.target_kind === "comment" && comment_body !== null
            ? excerpt(comment_body, 80)
            : r.target_kind === "contribution" && contribution_title !== null
              ? excerpt(contribution_title, 80)
              : null,
      }),
    ),
  };
}
