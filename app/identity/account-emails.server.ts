import type { Kysely } from "kysely";
import type { Database } from "../../db/schema";
import { sendEmail } from "../platform/email.server";
import { env } from "../platform/env.server";
import { createEmailToken } from "./email-tokens.server";

/** E-mails a fresh verification link (valid 24 h, single use). */
export async function sendVerificationEmail(db: Kysely<Database>, user: { id: string; email: string }) {
  const token = await createEmailToken(db, user.id, "verify_email");
  const link = `${env().PUBLIC_URL}/verification?token=${token}`;
  await sendEmail(db, {
    to: user.email,
    subject: "Confirmez votre adresse électronique — Priorités Santé",
    text:
      `Bonjour,\n\nPour confirmer votre adresse sur Priorités Santé (les habitants peuvent ensuite voter, les associations publier), ouvrez ce lien :\n\n${link}\n\n` +
      `Il est valable 24 heures et ne sert qu’une fois. Si vous n’avez pas créé de compte, ignorez ce message.\n\n` +
      `— Priorités Santé`,
  });
}

export async function sendPasswordResetEmail(db: Kysely<Database>, user: { id: string; email: string }) {
  const token = await createEmailToken(db, user.id, "reset_password");
  const link = `${env().PUBLIC_URL}/reinitialisation?token=${token}`;
  await sendEmail(db, {
    to: user.email,
    subject: "Réinitialisation de votre mot de passe — Priorités Santé",
    text:
      `Bonjour,\n\nPour choisir un nouveau mot de passe, ouvrez ce lien :\n\n${link}\n\n` +
      `Il est valable 1 heure et ne sert qu’une fois. Si vous n’avez rien demandé, ignorez ce message : ` +
      `votre mot de passe actuel reste valable.\n\n— Priorités Santé`,
  });
}

/**
 * Sent instead of a second account when someone signs up with an address that has one: the form
 * answers alike either way, and only the mailbox's owner learns the account exists.
 */
export async function sendAccountExistsEmail(db: Kysely<Database>, email: string) {
  const site = env().PUBLIC_URL;
  await sendEmail(db, {
    to: email,
    subject: "Vous avez déjà un compte — Priorités Santé",
    text:
      `Bonjour,\n\nQuelqu’un (vous, sans doute) a voulu créer un compte sur Priorités Santé avec cette adresse, ` +
      `mais elle en a déjà un. Aucun nouveau compte n’a été créé.\n\n` +
      `Pour vous connecter : ${site}/connexion\n` +
      `Mot de passe oublié ? Choisissez-en un nouveau : ${site}/mot-de-passe-oublie\n\n` +
      `Si vous n’êtes pas à l’origine de cette demande, ignorez ce message : votre compte n’a pas changé.\n\n— Priorités Santé`,
  });
}
