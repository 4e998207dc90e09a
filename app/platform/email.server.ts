import { randomUUID } from "node:crypto";
import type { Kysely } from "kysely";
import nodemailer, { type Transporter } from "nodemailer";
import type { Database } from "../../db/schema";
import { env } from "./env.server";

export interface Email {
  to: string;
  subject: string;
  text: string;
}

let transport: Transporter | undefined;

/** Sends through SMTP when SMTP_URL is set; otherwise keeps the message in the outbox table. */
export async function sendEmail(db: Kysely<Database>, email: Email): Promise<void> {
  const { SMTP_URL, MAIL_FROM } = env();
  if (SMTP_URL) {
    transport ??= nodemailer.createTransport(SMTP_URL);
    await transport.sendMail({ from: MAIL_FROM, to: email.to, subject: email.subject, text: email.text });
    return;
  }
  await db
    .insertInto("outbox")
    .values({
      id: randomUUID(),
      to_address: email.to,
      subject: email.subject,
      body_text: email.text,
      created_at: new Date().toISOString(),
    })
    .execute();
}

/**
 * Whether this server may start with this e-mail configuration, and what it says at start. With
 * SMTP_URL e-mail leaves the machine. Without it, e-mails (live sign-in and password-reset links)
 * are kept in the outbox table: fine on a developer's machine, but in production it must be asked
 * for explicitly (EMAIL_OUTBOX=1), and the start says so loudly.
 */
export function outboxAtStart(config: {
  NODE_ENV: string;
  SMTP_URL?: string | undefined;
  EMAIL_OUTBOX: boolean;
  PUBLIC_URL: string;
}): { ok: true; notice: string | null } | { ok: false; message: string } {
  if (config.SMTP_URL) return { ok: true, notice: null };
  if (config.NODE_ENV !== "production") {
    return {
      ok: true,
      notice: `E-mails gardés dans la boîte d’envoi (pas de SMTP_URL) : ${config.PUBLIC_URL}/dev/outbox, lisible depuis cette machine et par les administrateurs.`,
    };
  }
  if (!config.EMAIL_OUTBOX) {
    return {
      ok: false,
      message:
        "Configuration refusée : en production sans SMTP_URL, les e-mails (liens de confirmation et de nouveau mot de passe) " +
        "resteraient dans la base. Configurez SMTP_URL (smtp://utilisateur:motdepasse@hôte:587), ou, si c’est voulu, " +
        "mettez EMAIL_OUTBOX=1 : seuls les administrateurs liront alors /dev/outbox.",
    };
  }
  return {
    ok: true,
    notice:
      "ATTENTION : production sans SMTP_URL (EMAIL_OUTBOX=1) : aucun e-mail ne part ; ils sont gardés dans la base et " +
      "seuls les administrateurs les lisent sur /dev/outbox.",
  };
}

export function listOutbox(db: Kysely<Database>, limit = 50) {
  return db.selectFrom("outbox").selectAll().orderBy("created_at", "desc").orderBy("id").limit(limit).execute();
}
