import { z } from "zod";

// One schema per form, shared by the route's action (server) and its component (client checks).

export const PASSWORD_MIN = 10;
export const PASSWORD_MAX = 128;

/** An e-mail address field; `missing` speaks to whoever fills it (their own, or someone else's). */
const emailField = (missing: string) =>
  z
    .string({ error: missing })
    .trim()
    .toLowerCase()
    .max(254, "Adresse électronique trop longue.")
    .pipe(z.email({ error: "Adresse électronique invalide (exemple : nom@domaine.fr)." }));

const email = emailField("Indiquez votre adresse électronique.");

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

// Any origin will do: only whether the target stays on it matters, and the answer is a path.
const HERE = "http://priorites-sante.invalid";

/**
 * Keeps a post-login redirect on this site: the target is parsed as a browser would (tabs and
 * line breaks dropped, backslashes read as slashes) and kept only when it stays on our origin;
 * the path, query and fragment browsers would read are returned, never the text as given.
 */
export function safeRedirect(to: string | null | undefined, fallback = "/"): string {
  // A relative path only: anything else (a scheme, `//host`, `\\host`) would leave the site or lead nowhere useful.
  if (!to || !to.startsWith("/") || to.length > 2000) return fallback;
  let url: URL;
  try {
    url = new URL(to, HERE);
  } catch {
    return fallback;
  }
  if (url.origin !== HERE) return fallback;
  const target = url.pathname + url.search + url.hash;
  // The serialised path must itself be read back as ours (`/%2F…` decoded by a proxy, say).
  return target.startsWith("//") || target.startsWith("/\\") ? fallback : target;
}

export const ctsInvitationSchema = z.object({
  email: emailField("Indiquez l’adresse électronique de la personne à inviter."),
  cts: z
    .string({ error: "Choisissez le territoire de CTS." })
    .trim()
    .min(1, "Choisissez le territoire de CTS.")
    .max(40),
});

/**
 * The administrators' page of moderators: give the role for a region (the form), or take it back
 * (one button per moderator and region, its fields hidden).
 */
export const moderatorRoleSchema = z.object({
  intent: z.enum(["grant", "remove"], { error: "Demande incomplète : choisissez une action." }),
  email: emailField("Indiquez l’adresse électronique de la personne."),
  region: z
    .string({ error: "Choisissez la région." })
    .trim()
    .min(1, "Choisissez la région.")
    .max(10, "Région inconnue."),
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
