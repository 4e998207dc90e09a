import { z } from "zod";
import { GRADES, type Method } from "../tally/types";

// The vote forms: one zod schema per `intent` button, shared by the action (parseWithZod) and the
// components that render the forms. Proposals travel by slug; the action maps them to ids within
// the consultation, so a slug of another consultation is refused there (400).
//
// Every schema is strict: a field the form does not have (a ballot id, a user id, a second grade…)
// is a tampered form, refused with a 400, never ignored.

const proposal = z
  .string({ error: "Indiquez la proposition." })
  .trim()
  .min(1, "Indiquez la proposition.")
  .max(200, "Proposition inconnue.")
  .regex(/^[a-z0-9-]+$/, "Proposition inconnue.");

/** Set by the page once React runs: answer with data for useFetcher instead of redirecting. */
const reply = z.literal("data").optional();

function form<T extends z.ZodRawShape>(shape: T) {
  return z.strictObject(shape, {
    error: (issue) =>
      issue.code === "unrecognized_keys" ? `Champ inattendu dans le formulaire : ${issue.keys.join(", ")}.` : undefined,
  });
}

export const voteSchemas = {
  approve: form({ intent: z.literal("approve"), proposal, reply }),
  unapprove: form({ intent: z.literal("unapprove"), proposal, reply }),
  grade: form({
    intent: z.literal("grade"),
    proposal,
    grade: z.enum(GRADES, {
      error: (issue) => (issue.input === undefined ? "Choisissez une mention." : "Mention inconnue."),
    }),
    reply,
  }),
  ungrade: form({ intent: z.literal("ungrade"), proposal, reply }),
  "rank-add": form({ intent: z.literal("rank-add"), proposal, reply }),
  "rank-remove": form({ intent: z.literal("rank-remove"), proposal, reply }),
  /** `to` is the place wanted (1 = first): sending it twice moves once. */
  "rank-move": form({
    intent: z.literal("rank-move"),
    proposal,
    to: z.coerce
      .number({ error: "Position invalide." })
      .int("Position invalide.")
      .min(1, "Position invalide.")
      .max(1000, "Position invalide."),
    reply,
  }),
  /** The whole order at once (drag and drop). Duplicates are left to the ballot rules (400). */
  "rank-order": form({
    intent: z.literal("rank-order"),
    order: z
      .array(proposal, { error: "Classement illisible." })
      .min(1, "Classement vide : utilisez « Retirer mon vote ».")
      .max(100, "Classement trop long."),
    reply,
  }),
  withdraw: form({ intent: z.literal("withdraw"), reply }),
};

export type VoteIntent = keyof typeof voteSchemas;

export const voteSchema = z.discriminatedUnion(
  "intent",
  [
    voteSchemas.approve,
    voteSchemas.unapprove,
    voteSchemas.grade,
    voteSchemas.ungrade,
    voteSchemas["rank-add"],
    voteSchemas["rank-remove"],
    voteSchemas["rank-move"],
    voteSchemas["rank-order"],
    voteSchemas.withdraw,
  ],
  { error: "Action de vote inconnue." },
);

export type VoteInput = z.infer<typeof voteSchema>;

/** The method each intent belongs to; withdrawing works with every method. */
export const INTENT_METHOD: Record<VoteIntent, Method | null> = {
  approve: "approval",
  unapprove: "approval",
  grade: "majority_judgment",
  ungrade: "majority_judgment",
  "rank-add": "ranked",
  "rank-remove": "ranked",
  "rank-move": "ranked",
  "rank-order": "ranked",
  withdraw: null,
};

/** The proposal slugs a vote names. */
export function votedSlugs(vote: VoteInput): string[] {
  if (vote.intent === "rank-order") return vote.order;
  if (vote.intent === "withdraw") return [];
  return [vote.proposal];
}

/** A vote's confirmation carried to the next page when the vote was sent without JavaScript. */
export interface VoteFlash {
  message: string;
  /** The proposal the vote was about, so the page can show the message beside its controls. */
  proposal: string | null;
}

/** The vote action's answer to useFetcher (and, when refused, to the page shown without JavaScript). */
export type VoteResult =
  | { ok: true; message: string; proposal: string | null }
  | { ok: false; status: number; message: string; proposal: string | null; back: string };
