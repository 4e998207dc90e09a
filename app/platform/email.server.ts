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

export function listOutbox(db: Kysely<Database>, limit = 50) {
  return db.selectFrom("outbox").selectAll().orderBy("created_at", "desc").orderBy("id").limit(limit).execute();
}
