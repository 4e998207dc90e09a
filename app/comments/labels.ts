import type { ModerationAction, FlagReason, Stance } from "../../db/schema";

// French words for the comment, contribution and moderation values, shared by pages, e-mails and exports.

export const STANCES = ["for", "against", "nuanced"] as const satisfies readonly Stance[];
export const STANCE_LABELS: Record<Stance, string> = { for: "Pour", against: "Contre", nuanced: "Nuancé" };
export const STANCE_BADGES: Record<Stance, string> = {
  for: "fr-badge--success",
  against: "fr-badge--error",
  nuanced: "fr-badge--info",
};

export const FLAG_REASONS = ["spam", "insult", "personal_data", "off_topic"] as const satisfies readonly FlagReason[];
/** How a reason reads in "masqué par la modération : …". */
export const REASON_LABELS: Record<FlagReason, string> = {
  spam: "spam",
  insult: "propos injurieux",
  personal_data: "données personnelles",
  off_topic: "hors sujet",
};
/** How a reason reads in the report form. */
export const REASON_CHOICES: Record<FlagReason, string> = {
  spam: "Spam ou publicité",
  insult: "Insulte ou propos injurieux",
  personal_data: "Données personnelles ou de santé (sur soi ou sur autrui)",
  off_topic: "Hors sujet",
};

export const ANONYMOUS_LABEL = "un·e habitant·e";
export const DELETED_AUTHOR_LABEL = "participant supprimé";

export const ACTION_LABELS: Record<ModerationAction, string> = {
  auto_hide: "Masquage automatique (3 signalements)",
  hide: "Masquage",
  restore: "Rétablissement",
  dismiss: "Signalements classés sans suite",
  review_requested: "Réexamen demandé par l’auteur",
  review_upheld: "Masquage maintenu après réexamen",
  association_verified: "Association vérifiée",
  association_refused: "Association refusée",
};

/**
 * Where an author's review request stands, for their own hidden item: none asked, asked and
 * waiting, or answered (the moderator kept it hidden; a restored item is visible again anyway).
 */
export type ReviewState = "none" | "pending" | "upheld";

export function reviewState(row: { review_requested_at: string | null; reviewed_at: string | null }): ReviewState {
  if (row.review_requested_at === null) return "none";
  return row.reviewed_at === null ? "pending" : "upheld";
}

/** What the author reads under their hidden item. */
export const REVIEW_NOTICES: Record<Exclude<ReviewState, "none">, string> = {
  pending: "Réexamen demandé : la modération vous répondra par e-mail.",
  upheld: "Réexamen fait : la modération a maintenu le masquage (le message envoyé par e-mail en donne le motif).",
};

/** How long after posting its author may still edit a comment. */
export const EDIT_WINDOW_MINUTES = 15;
/** Distinct open flags that hide an item until a moderator looks at it. */
export const FLAGS_TO_HIDE = 3;

export const COMMENT_MIN = 10;
export const COMMENT_MAX = 2000;
export const CONTRIBUTION_MAX = 10_000;
export const PDF_MAX_BYTES = 5 * 1024 * 1024;
/** A contribution request larger than this is refused before it is read (5 MB of file, texts, margin). */
export const MAX_REQUEST_BYTES = 12 * 1024 * 1024;
