import { z } from "zod";
import { cleanText } from "../comments/text";
import { ANSWER_STATUSES, JUSTIFICATION_MAX, JUSTIFICATION_MIN } from "./labels";

// One zod schema per form of the answers feature, used by the action (parseWithZod) and the
// component (getZodConstraint). Texts are cleaned by the same rules as comments.

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const validDate = (value: string) => DATE.test(value) && !Number.isNaN(Date.parse(`${value}T00:00:00Z`));

function cleaned(label: string, min: number, max: number, multiline: boolean) {
  return z.string({ error: `${label} est obligatoire.` }).transform((value, ctx) => {
    const result = cleanText(value, { label, min, max, multiline });
    if (!result.ok) {
      ctx.addIssue({ code: "custom", message: result.message });
      return z.NEVER;
    }
    return result.text;
  });
}

function optionalCleaned(label: string, max: number) {
  return z
    .string()
    .optional()
    .transform((value, ctx) => {
      if (value === undefined || value.trim() === "") return null;
      const result = cleanText(value, { label, min: 1, max, multiline: false });
      if (!result.ok) {
        ctx.addIssue({ code: "custom", message: result.message });
        return z.NEVER;
      }
      return result.text;
    });
}

export const answerSchema = z
  .object({
    /** The version the editor started from (0 for a new answer): the optimistic check. */
    baseVersion: z.coerce.number({ error: "Formulaire incomplet : rechargez la page." }).int().min(0),
    status: z.enum(ANSWER_STATUSES, { error: "Choisissez la suite donnée à la proposition." }),
    justification: cleaned("La justification", JUSTIFICATION_MIN, JUSTIFICATION_MAX, true),
    planReference: optionalCleaned("La référence au PRS ou au projet territorial", 200),
    planUrl: z
      .string()
      .optional()
      .transform((value, ctx) => {
        const v = value?.trim() ?? "";
        if (!v) return null;
        let url: URL | null;
        try {
          url = new URL(v);
        } catch {
          url = null;
        }
        if (!url || url.protocol !== "https:" || !url.hostname || url.username || url.password || v.length > 500) {
          ctx.addIssue({
            code: "custom",
            message: "Le lien doit être une adresse https:// complète (500 caractères au plus).",
          });
          return z.NEVER;
        }
        return url.toString();
      }),
    nextStep: optionalCleaned("Le contact ou la prochaine étape", 500),
    answeredOn: z
      .string({ error: "La date de la réponse est obligatoire." })
      .refine(validDate, "Date de la réponse invalide (jj/mm/aaaa)."),
    dueOn: z
      .string()
      .optional()
      .transform((value, ctx) => {
        if (!value) return null;
        if (!validDate(value)) {
          ctx.addIssue({ code: "custom", message: "Échéance invalide (jj/mm/aaaa)." });
          return z.NEVER;
        }
        return value;
      }),
  })
  .refine((v) => !v.planUrl || v.planReference, {
    message: "Donnez aussi la référence de l’objectif que ce lien décrit.",
    path: ["planReference"],
  });

export type AnswerInput = z.output<typeof answerSchema>;

export const publishSchema = z.object({
  intent: z.literal("publish"),
  confirm: z.literal("on", { error: "Cochez la case pour confirmer la publication." }),
});

export const resumeSchema = z.object({
  intent: z.literal("resume"),
  publication: z.string().min(1).max(100),
});

export const noticeSchema = z.object({
  notify: z
    .literal("on")
    .optional()
    .transform((v) => v === "on"),
  /** Where to go back to: a path of this site only (always sent by the form). */
  back: z
    .string({ error: "Formulaire incomplet : rechargez la page." })
    .transform((v) => (/^\/[a-z0-9/_-]*$/i.test(v) && !v.startsWith("//") ? v : "/mon-compte")),
});
