import { z } from "zod";
import { POSTAL_CODE_LENGTH } from "./postal-code-rules";

// The forms of the proofs of residence: asking for a letter and entering its code (« Mon compte »),
// finding and confirming a person at a counter (/guichet). One schema per form.

const line = (label: string, max: number) =>
  z
    .string({ error: `Indiquez ${label}.` })
    .trim()
    .min(2, `Indiquez ${label}.`)
    .max(max, `${label[0]!.toUpperCase()}${label.slice(1)} : ${max} caractères au plus.`);

export const letterRequestSchema = z.object({
  recipient: line("le nom et le prénom du destinataire", 80),
  line1: line("le numéro et la voie", 100),
  line2: z.string().trim().max(100, "Complément d’adresse : 100 caractères au plus.").optional(),
  postalCode: z
    .string({ error: "Indiquez le code postal." })
    .trim()
    .regex(/^\d{5}$/, "Le code postal s’écrit avec 5 chiffres (exemple : 76000)."),
});

export const postalCodeEntrySchema = z.object({
  code: z
    .string({ error: "Saisissez le code reçu par courrier." })
    .trim()
    .transform((v) => v.replace(/[\s-]/g, "").toUpperCase())
    .pipe(
      z
        .string()
        .regex(
          new RegExp(`^[A-Z0-9]{${POSTAL_CODE_LENGTH}}$`),
          `Le code compte ${POSTAL_CODE_LENGTH} lettres et chiffres (exemple : ABCD 2345).`,
        ),
    ),
});

export const counterSearchSchema = z.object({
  email: z
    .string({ error: "Indiquez l’adresse électronique de la personne." })
    .trim()
    .max(254, "Adresse électronique trop longue.")
    .pipe(z.email({ error: "Adresse électronique invalide (exemple : nom@domaine.fr)." })),
});

export const counterConfirmSchema = z.object({
  userId: z.string().min(1).max(100),
  checked: z.literal("on", {
    error: "Cochez la case après avoir vérifié une pièce d’identité et un justificatif de domicile.",
  }),
});
