import { randomUUID } from "node:crypto";
import { sql, type Kysely } from "kysely";
import type { Database } from "../../db/schema";
import { AnswerError } from "./answers.server";

/**
 * Publishes, in one action, every answer of a CTS whose newest version is not public yet, once
 * the consultation's results are published. The publication row is the journal: who, when, how
 * many answers; each published version points to it. Returns the publication's id and number.
 */
export async function publishAnswers(
  db: Kysely<Database>,
  input: { consultationId: string; ctsCode: string; userId: string; now?: Date },
): Promise<{ id: string; number: number; answers: number }> {
  const now = (input.now ?? new Date()).toISOString();
  return db.transaction().execute(async (trx) => {
    const consultation = await trx
      .selectFrom("consultations")
      .select(["status"])
      .where("id", "=", input.consultationId)
      .executeTakeFirst();
    if (!consultation) throw new AnswerError(404, "Cette consultation n’existe pas.");
    if (consultation.status !== "results_published") {
      throw new AnswerError(
        409,
        "Les réponses ne peuvent être publiées qu’après la publication des résultats de la consultation. Vos brouillons sont gardés.",
      );
    }
    const pending = await trx
      .selectFrom("cts_answers")
      .select(["id", "version"])
      .where("consultation_id", "=", input.consultationId)
      .where("cts_code", "=", input.ctsCode)
      .where((eb) => eb.or([eb("published_version", "is", null), eb("published_version", "<", eb.ref("version"))]))
      .execute();
    if (!pending.length) throw new AnswerError(409, "Aucune réponse nouvelle ou modifiée à publier.");
    const last = await trx
      .selectFrom("cts_answer_publications")
      .select((eb) => eb.fn.max("number").as("n"))
      .where("consultation_id", "=", input.consultationId)
      .where("cts_code", "=", input.ctsCode)
      .executeTakeFirst();
    const number = Number(last?.n ?? 0) + 1;
    const id = randomUUID();
    await trx
      .insertInto("cts_answer_publications")
      .values({
        id,
        consultation_id: input.consultationId,
        cts_code: input.ctsCode,
        number,
        published_by: input.userId,
        published_at: now,
        answers: pending.length,
        notices_done_at: null,
      })
      .execute();
    for (const answer of pending) {
      await trx
        .updateTable("cts_answer_versions")
        .set({ publication_id: id, published_at: now })
        .where("answer_id", "=", answer.id)
        .where("version", "=", answer.version)
        .execute();
      await trx
        .updateTable("cts_answers")
        .set({ published_version: sql`version` })
        .where("id", "=", answer.id)
        .execute();
    }
    return { id, number, answers: pending.length };
  });
}

/** The CTS's publications, newest first: the journal shown to its members. */
export function listPublications(db: Kysely<Database>, consultationId: string, ctsCode: string) {
  return db
    .selectFrom("cts_answer_publications as p")
    .leftJoin("users as u", "u.id", "p.published_by")
    .select([
      "p.id",
      "p.number",
      "p.published_at",
      "p.answers",
      "p.notices_total",
      "p.notices_sent",
      "p.notices_done_at",
      "u.email as published_by",
    ])
    .where("p.consultation_id", "=", consultationId)
    .where("p.cts_code", "=", ctsCode)
    .orderBy("p.number", "desc")
    .execute();
}
