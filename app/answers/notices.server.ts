import type { Kysely } from "kysely";
import type { Database } from "../../db/schema";
import { sendEmail, type Email } from "../platform/email.server";
import { env } from "../platform/env.server";
import { log } from "../platform/log.server";
import { publishedAnswers } from "./answers.server";
import { ANSWER_STATUS_LABELS } from "./labels";

// Telling the residents who asked: after a CTS publishes, one e-mail per person per publication,
// listing the proposals they chose with the CTS's answer to each. Sent in batches; every notice is
// recorded (answer_notices_sent, primary key publication × person) in the same transaction as the
// outbox row it writes, so a run stopped anywhere resumes where it was and nobody gets two. With
// an SMTP server the record is committed before the message leaves: a crash between the two loses
// that notice rather than sending it twice.

export interface NoticeRunOptions {
  batchSize?: number;
  /** Stop after this many batches (the rest is left for a later run). */
  maxBatches?: number;
  /** The sender (tests pass one that fails to interrupt a run). */
  send?: (db: Kysely<Database>, email: Email) => Promise<void>;
  now?: () => Date;
}

const running = new Set<string>();

/** Whether this process is sending the notices of a publication right now. */
export function isRunning(publicationId: string): boolean {
  return running.has(publicationId);
}

function recipients(db: Kysely<Database>, publication: { id: string; consultation_id: string; cts_code: string }) {
  return db
    .selectFrom("answer_notice_choices as c")
    .innerJoin("answer_notice_optins as o", "o.user_id", "c.user_id")
    .innerJoin("users as u", "u.id", "c.user_id")
    .where("c.consultation_id", "=", publication.consultation_id)
    .where("c.cts_code", "=", publication.cts_code)
    .where("u.email_verified_at", "is not", null);
}

/** The e-mail one person receives: their chosen proposals, each with the CTS's answer. */
export function noticeEmail(input: {
  to: string;
  ctsName: string;
  consultationTitle: string;
  pageUrl: string;
  chosen: { title: string; answer: { status: keyof typeof ANSWER_STATUS_LABELS; justification: string } | null }[];
}): Email {
  const lines = input.chosen.map((c) =>
    c.answer
      ? `• ${c.title}\n  Réponse du CTS : ${ANSWER_STATUS_LABELS[c.answer.status]}\n  ${c.answer.justification.replace(/\s+/g, " ").slice(0, 600)}`
      : `• ${c.title}\n  Pas encore de réponse du CTS.`,
  );
  return {
    to: input.to,
    subject: `Le CTS ${input.ctsName} a répondu à vos priorités`,
    text: [
      "Bonjour,",
      "",
      `Vous avez voté dans la consultation « ${input.consultationTitle} » et demandé à être prévenu·e des réponses du conseil territorial de santé ${input.ctsName}. Il vient de publier ses réponses. Voici ce qu’il a fait des propositions que vous aviez choisies :`,
      "",
      ...(lines.length ? lines : ["(Votre bulletin ne retenait aucune proposition.)"]),
      "",
      `Toutes les réponses du CTS : ${input.pageUrl}`,
      "",
      "Vous recevez ce message parce que vous l’avez demandé. Pour ne plus en recevoir : « Mon compte », rubrique « Réponses des CTS ».",
    ].join("\n"),
  };
}

/**
 * Sends the notices of one publication that are not sent yet, batch by batch, with progress in
 * the publication row. Safe to call again at any time: it only sends what is left.
 */
export async function runNotices(
  db: Kysely<Database>,
  publicationId: string,
  options: NoticeRunOptions = {},
): Promise<{ sent: number; done: boolean }> {
  const batchSize = options.batchSize ?? 50;
  const send = options.send ?? sendEmail;
  const now = options.now ?? (() => new Date());
  const publication = await db
    .selectFrom("cts_answer_publications as p")
    .innerJoin("consultations as c", "c.id", "p.consultation_id")
    .innerJoin("cts_territories as t", "t.code", "p.cts_code")
    .select(["p.id", "p.consultation_id", "p.cts_code", "p.notices_done_at", "c.slug", "c.title", "t.name as cts_name"])
    .where("p.id", "=", publicationId)
    .executeTakeFirst();
  if (!publication || publication.notices_done_at) return { sent: 0, done: true };
  if (running.has(publicationId)) return { sent: 0, done: false };
  running.add(publicationId);
  try {
    const total = await recipients(db, publication)
      .select((eb) => eb.fn.countAll<number>().as("n"))
      .executeTakeFirstOrThrow();
    await db
      .updateTable("cts_answer_publications")
      .set({ notices_total: Number(total.n) })
      .where("id", "=", publicationId)
      .execute();
    const [answers, titles] = await Promise.all([
      publishedAnswers(db, { consultationId: publication.consultation_id, ctsCode: publication.cts_code }),
      db
        .selectFrom("proposals")
        .select(["id", "title"])
        .where("consultation_id", "=", publication.consultation_id)
        .orderBy("position")
        .execute(),
    ]);
    const titleOf = new Map(titles.map((t) => [t.id, t.title]));
    const pageUrl = `${env().PUBLIC_URL}/consultations/${publication.slug}/reponses/${encodeURIComponent(publication.cts_code)}`;
    const smtp = !!env().SMTP_URL && !options.send;
    let sent = 0;
    for (let batch = 0; options.maxBatches === undefined || batch < options.maxBatches; batch++) {
      const people = await recipients(db, publication)
        .leftJoin("answer_notices_sent as s", (j) =>
          j.onRef("s.user_id", "=", "c.user_id").on("s.publication_id", "=", publicationId),
        )
        .where("s.user_id", "is", null)
        .select(["c.user_id", "c.proposal_ids", "u.email"])
        .orderBy("c.user_id")
        .limit(batchSize)
        .execute();
      if (!people.length) {
        await db
          .updateTable("cts_answer_publications")
          .set({ notices_done_at: now().toISOString() })
          .where("id", "=", publicationId)
          .execute();
        return { sent, done: true };
      }
      for (const person of people) {
        const ids = (JSON.parse(person.proposal_ids) as string[]).filter((id) => titleOf.has(id));
        const email = noticeEmail({
          to: person.email,
          ctsName: publication.cts_name,
          consultationTitle: publication.title,
          pageUrl,
          chosen: ids.map((id) => {
            const answer = answers.get(id)?.[0]?.current;
            return { title: titleOf.get(id)!, answer: answer ?? null };
          }),
        });
        const claimed = await db.transaction().execute(async (trx) => {
          // Another server running the same publication may have taken this person meanwhile.
          const row = await trx
            .insertInto("answer_notices_sent")
            .values({ publication_id: publicationId, user_id: person.user_id, sent_at: now().toISOString() })
            .onConflict((oc) => oc.columns(["publication_id", "user_id"]).doNothing())
            .returning("user_id")
            .executeTakeFirst();
          if (!row) return false;
          await progress(trx, publicationId, 1);
          // The outbox row commits with the record: exactly one notice per person.
          if (!smtp) await send(trx, email);
          return true;
        });
        if (!claimed) continue;
        if (smtp) {
          try {
            await send(db, email);
          } catch (error) {
            // Refused by the server: not sent, so the next run tries again.
            await db.transaction().execute(async (trx) => {
              await trx
                .deleteFrom("answer_notices_sent")
                .where("publication_id", "=", publicationId)
                .where("user_id", "=", person.user_id)
                .execute();
              await progress(trx, publicationId, -1);
            });
            throw error;
          }
        }
        sent++;
      }
    }
    return { sent, done: false };
  } finally {
    running.delete(publicationId);
  }
}

function progress(db: Kysely<Database>, publicationId: string, delta: 1 | -1) {
  return db
    .updateTable("cts_answer_publications")
    .set((eb) => ({ notices_sent: eb("notices_sent", "+", delta) }))
    .where("id", "=", publicationId)
    .execute();
}

/** Starts (or resumes) a publication's notices in the background; failures are logged. */
export function startNotices(db: Kysely<Database>, publicationId: string): void {
  void runNotices(db, publicationId).catch((error) =>
    log().error({ err: error, publicationId }, "answer notices: run stopped, resumable"),
  );
}

/** At start: resumes every run a stop left unfinished. */
export async function resumeUnfinishedNotices(db: Kysely<Database>): Promise<number> {
  const rows = await db
    .selectFrom("cts_answer_publications")
    .select("id")
    .where("notices_done_at", "is", null)
    .execute();
  for (const row of rows) startNotices(db, row.id);
  return rows.length;
}
