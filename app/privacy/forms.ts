import { z } from "zod";
import { PASSWORD_MAX } from "../identity/forms";

// The account-deletion form's one schema (server and browser).

export const COMMENT_CHOICES = ["supprimer", "anonymiser"] as const;

export const deleteAccountSchema = z.object({
  password: z
    .string({ error: "Indiquez votre mot de passe pour confirmer." })
    .min(1, "Indiquez votre mot de passe pour confirmer.")
    .max(PASSWORD_MAX),
  comments: z.enum(COMMENT_CHOICES, { error: "Choisissez ce que deviennent vos commentaires." }),
});
