import type { SubmissionResult } from "@conform-to/react";
import { z } from "zod";
import { communeCode, PASSWORD_MAX, PASSWORD_MIN } from "../identity/forms";
import { normalisePublicName, publicNameProblem } from "../identity/public-names";
import { parseOrganisationId } from "./identifiers";
import { COMMENT_MAX, COMMENT_MIN, CONTRIBUTION_MAX, FLAG_REASONS, STANCES } from "./labels";
import { cleanText, type TextRules } from "./text";

// One schema per form, shared by the actions (server) and the components (client checks).

/** A text field cleaned by `cleanText`: the stored value is the cleaned one. */
function cleaned(rules: TextRules, missing: string) {
  return z.string({ error: missing }).transform((value, ctx) => {
    const result = cleanText(value, rules);
    if (!result.ok) {
      ctx.issues.push({ code: "custom", message: result.message, input: value });
      return z.NEVER;
    }
    return result.text;
  });
}

/** A name shown to everyone: cleaned, NFKC-normalised, and refused if it could pass for someone else. */
function publicName(rules: TextRules, missing: string) {
  return cleaned(rules, missing).transform((value, ctx) => {
    const name = normalisePublicName(value);
    const problem = publicNameProblem(name, rules.label);
    if (problem) {
      ctx.issues.push({ code: "custom", message: problem, input: value });
      return z.NEVER;
    }
    return name;
  });
}

const commentBody = cleaned(
  { label: "Votre commentaire", min: COMMENT_MIN, max: COMMENT_MAX, multiline: true },
  "Écrivez votre commentaire.",
);
const stance = z.enum(STANCES, { error: "Indiquez votre position : pour, contre ou nuancé." });
const signature = z.enum(["nom", "anonyme"]).default("anonyme");
const id = z.string().min(1).max(64);

export const commentSchema = z.object({ intent: z.literal("comment"), stance, body: commentBody, signature });
export const replySchema = z.object({
  intent: z.literal("reply"),
  parentId: id,
  body: cleaned(
    { label: "Votre réponse", min: COMMENT_MIN, max: COMMENT_MAX, multiline: true },
    "Écrivez votre réponse.",
  ),
  signature,
});
export const editSchema = z.object({
  intent: z.literal("edit"),
  commentId: id,
  stance: stance.optional(),
  body: commentBody,
});
export const deleteSchema = z.object({ intent: z.literal("delete"), commentId: id });
export const usefulSchema = z.object({ intent: z.literal("useful"), commentId: id });

const targetKind = z.enum(["comment", "contribution"]);
export const flagSchema = z.object({
  intent: z.literal("report"),
  targetKind,
  targetId: id,
  reason: z.enum(FLAG_REASONS, { error: "Choisissez le motif du signalement." }),
  details: cleaned({ label: "La précision", min: 1, max: 500, multiline: true }, "").optional(),
});
export const reviewSchema = z.object({
  intent: z.literal("review"),
  targetKind,
  targetId: id,
  message: cleaned({ label: "Votre message", min: 1, max: 1000, multiline: true }, "").optional(),
});

/** The intents the proposal page hands to the comment actions. */
export const COMMENT_INTENTS = ["comment", "reply", "edit", "delete", "useful", "report", "review"] as const;
export type CommentIntent = (typeof COMMENT_INTENTS)[number];

/** What the action answers when a form is refused: which form, and why. */
export interface DiscussionActionData {
  form: string;
  result?: SubmissionResult<string[]>;
  message?: string;
}

// — Mon compte —

export const displayNameSchema = z.object({
  intent: z.literal("display_name"),
  displayName: publicName({ label: "Le nom public", min: 2, max: 40, multiline: false }, "").optional(),
});

// — Associations —

export const associationSignupSchema = z.object({
  email: z
    .string({ error: "Indiquez l’adresse électronique du compte." })
    .trim()
    .toLowerCase()
    .max(254, "Adresse électronique trop longue.")
    .pipe(z.email({ error: "Adresse électronique invalide (exemple : contact@association.fr)." })),
  password: z
    .string({ error: "Choisissez un mot de passe." })
    .min(PASSWORD_MIN, `Le mot de passe doit contenir au moins ${PASSWORD_MIN} caractères.`)
    .max(PASSWORD_MAX, `Le mot de passe doit contenir au plus ${PASSWORD_MAX} caractères.`),
  commune: communeCode,
});

const organisationId = z.string({ error: "Indiquez le numéro RNA ou SIREN." }).transform((value, ctx) => {
  const parsed = parseOrganisationId(value);
  if (!parsed.ok) {
    ctx.issues.push({ code: "custom", message: parsed.message, input: value });
    return z.NEVER;
  }
  return parsed.id;
});

export const associationApplicationSchema = z.object({
  name: publicName(
    { label: "Le nom de l’association", min: 2, max: 150, multiline: false },
    "Indiquez le nom de l’association.",
  ),
  identifier: organisationId,
  agrement: cleaned({ label: "Le numéro d’agrément", min: 1, max: 60, multiline: false }, "").optional(),
  territories: z
    .array(z.string().regex(/^(departement|cts):[0-9A-Za-z-]{1,60}$/, "Territoire inconnu."), {
      error: "Choisissez au moins un département ou territoire de CTS.",
    })
    .min(1, "Choisissez au moins un département ou territoire de CTS.")
    .max(120, "Trop de territoires choisis."),
  contactName: cleaned(
    { label: "Le nom du contact", min: 2, max: 100, multiline: false },
    "Indiquez le nom d’une personne à contacter.",
  ),
  contactEmail: z
    .string({ error: "Indiquez l’adresse électronique du contact." })
    .trim()
    .toLowerCase()
    .max(254, "Adresse électronique trop longue.")
    .pipe(z.email({ error: "Adresse électronique invalide (exemple : contact@association.fr)." })),
  contactPhone: z
    .string()
    .trim()
    .regex(/^\+?[0-9 .()-]{10,20}$/, "Numéro de téléphone invalide (exemple : 02 31 00 00 00).")
    .optional(),
});

export const contributionSchema = z.object({
  intent: z.enum(["draft", "publish"]),
  title: cleaned({ label: "Le titre", min: 5, max: 150, multiline: false }, "Donnez un titre à la contribution."),
  body: cleaned(
    { label: "Le texte", min: 20, max: CONTRIBUTION_MAX, multiline: true },
    "Écrivez le texte de la contribution.",
  ),
});

export const associationDecisionSchema = z.discriminatedUnion("intent", [
  z.object({ intent: z.literal("verify"), associationId: id }),
  z.object({
    intent: z.literal("refuse"),
    associationId: id,
    reason: cleaned(
      { label: "Le motif", min: 10, max: 1000, multiline: true },
      "Indiquez le motif du refus : il est envoyé à l’association.",
    ),
  }),
]);

export const moderationSchema = z.object({
  intent: z.enum(["hide", "restore", "dismiss", "uphold"]),
  targetKind,
  targetId: id,
  reason: z.enum(FLAG_REASONS).optional(),
  note: cleaned({ label: "La note", min: 1, max: 500, multiline: true }, "").optional(),
});
