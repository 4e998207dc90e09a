import { z } from "zod";

// One schema per form, shared by the route's action (server) and its component (client checks).

export const PASSWORD_MIN = 10;
export const PASSWORD_MAX = 128;

const email = z
  .string({ error: "Indiquez votre adresse électronique." })
  .trim()
  .toLowerCase()
  .max(254, "Adresse électronique trop longue.")
  .pipe(z.email({ error: "Adresse électronique invalide (exemple : nom@domaine.fr)." }));

const newPassword = z
  .string({ error: "Choisissez un mot de passe." })
  .min(PASSWORD_MIN, `Le mot de passe doit contenir au moins ${PASSWORD_MIN} caractères.`)
  .max(PASSWORD_MAX, `Le mot de passe doit contenir au plus ${PASSWORD_MAX} caractères.`);

export const communeCode = z
  .string({ error: "Choisissez votre commune dans la liste." })
  .trim()
  .regex(/^(\d{5}|2[AB]\d{3})$/, "Choisissez votre commune dans la liste.");

export const signupSchema = z.object({
  email,
  password: newPassword,
  commune: communeCode,
});

export const loginSchema = z.object({
  email,
  password: z.string({ error: "Indiquez votre mot de passe." }).min(1).max(PASSWORD_MAX),
  redirectTo: z.string().optional(),
});

export const forgotPasswordSchema = z.object({ email });

export const resetPasswordSchema = z
  .object({
    token: z.string().min(1).max(200),
    password: newPassword,
    confirm: z.string({ error: "Confirmez le mot de passe." }),
  })
  .refine((v) => v.password === v.confirm, {
    path: ["confirm"],
    error: "Les deux mots de passe ne sont pas identiques.",
  });

export const changePasswordSchema = z
  .object({
    current: z.string({ error: "Indiquez votre mot de passe actuel." }).min(1).max(PASSWORD_MAX),
    password: newPassword,
    confirm: z.string({ error: "Confirmez le nouveau mot de passe." }),
  })
  .refine((v) => v.password === v.confirm, {
    path: ["confirm"],
    error: "Les deux mots de passe ne sont pas identiques.",
  });

export const verifyEmailSchema = z.object({ token: z.string().min(1).max(200) });

export const changeCommuneSchema = z.object({ commune: communeCode });

/** Keeps a post-login redirect on this site: a path, never `//host` or a URL. */
export function safeRedirect(to: string | null | undefined, fallback = "/"): string {
  if (!to || !to.startsWith("/") || to.startsWith("//") || to.startsWith("/\\")) return fallback;
  // A control character (line break, tab) cannot go in a Location header: refused, not a 500.
  if ([...to].some((c) => c.charCodeAt(0) < 0x20 || c.charCodeAt(0) === 0x7f)) return fallback;
  return to;
}

export const ctsInvitationSchema = z.object({
  email,
  cts: z
    .string({ error: "Choisissez le territoire de CTS." })
    .trim()
    .min(1, "Choisissez le territoire de CTS.")
    .max(40),
});

/** The invitation link's page: accept as the signed-in person, or make the account it invites. */
export const acceptInvitationSchema = z.discriminatedUnion("intent", [
  z.object({ intent: z.literal("accept"), token: z.string().min(1).max(200) }),
  z.object({
    intent: z.literal("create"),
    token: z.string().min(1).max(200),
    password: newPassword,
    commune: communeCode,
  }),
]);
