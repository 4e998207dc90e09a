import { sql, type Kysely } from "kysely";

// Frozen in time: imports nothing from the app, takes Kysely<any>.
//
// CTS answers to the proposals (issue 18): one answer per consultation × CTS × proposal with every
// version kept, the CTS's publications, the residents' wish to be told, what is kept of a ballot
// for the people who asked (the choices only, since closing removes the ballot's user link), and
// the ledger of notices sent (one per person per publication).

const STATUSES = sql`('retenue', 'retenue_en_partie', 'a_l_etude', 'non_retenue', 'hors_competence')`;

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable("cts_answers")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("consultation_id", "text", (c) => c.notNull().references("consultations.id").onDelete("cascade"))
    .addColumn("proposal_id", "text", (c) => c.notNull().references("proposals.id").onDelete("cascade"))
    .addColumn("cts_code", "text", (c) => c.notNull().references("cts_territories.code"))
    // The newest version (draft or published): the optimistic check of concurrent edits reads it.
    .addColumn("version", "integer", (c) => c.notNull())
    // The newest version residents see; null until the CTS publishes.
    .addColumn("published_version", "integer")
    .addColumn("created_at", "text", (c) => c.notNull())
    .addColumn("updated_at", "text", (c) => c.notNull())
    .addUniqueConstraint("cts_answers_one_per_territory", ["consultation_id", "cts_code", "proposal_id"])
    .execute();
  await db.schema.createIndex("cts_answers_by_proposal").on("cts_answers").columns(["proposal_id"]).execute();

  await db.schema
    .createTable("cts_answer_publications")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("consultation_id", "text", (c) => c.notNull().references("consultations.id").onDelete("cascade"))
    .addColumn("cts_code", "text", (c) => c.notNull().references("cts_territories.code"))
    .addColumn("number", "integer", (c) => c.notNull())
    .addColumn("published_by", "text", (c) => c.references("users.id").onDelete("set null"))
    .addColumn("published_at", "text", (c) => c.notNull())
    .addColumn("answers", "integer", (c) => c.notNull())
    // The e-mail run of this publication: recipients found, notices sent, finished.
    .addColumn("notices_total", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("notices_sent", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("notices_done_at", "text")
    .addUniqueConstraint("cts_answer_publications_number", ["consultation_id", "cts_code", "number"])
    .execute();

  await db.schema
    .createTable("cts_answer_versions")
    .addColumn("answer_id", "text", (c) => c.notNull().references("cts_answers.id").onDelete("cascade"))
    .addColumn("version", "integer", (c) => c.notNull())
    .addColumn("status", "text", (c) => c.notNull().check(sql`status in ${STATUSES}`))
    .addColumn("justification", "text", (c) => c.notNull())
    .addColumn("plan_reference", "text")
    .addColumn("plan_url", "text")
    .addColumn("next_step", "text")
    .addColumn("answered_on", "text", (c) => c.notNull())
    .addColumn("due_on", "text")
    .addColumn("author_id", "text", (c) => c.references("users.id").onDelete("set null"))
    .addColumn("created_at", "text", (c) => c.notNull())
    .addColumn("publication_id", "text", (c) => c.references("cts_answer_publications.id").onDelete("cascade"))
    .addColumn("published_at", "text")
    .addPrimaryKeyConstraint("cts_answer_versions_pk", ["answer_id", "version"])
    .execute();

  await db.schema
    .createTable("answer_notice_optins")
    .addColumn("user_id", "text", (c) => c.primaryKey().references("users.id").onDelete("cascade"))
    .addColumn("created_at", "text", (c) => c.notNull())
    .execute();

  // Kept at casting time, only for people who asked to be told: the territory and the proposals
  // they chose. Closing removes the ballot's user link; this is what is left to tell them.
  await db.schema
    .createTable("answer_notice_choices")
    .addColumn("consultation_id", "text", (c) => c.notNull().references("consultations.id").onDelete("cascade"))
    .addColumn("user_id", "text", (c) => c.notNull().references("users.id").onDelete("cascade"))
    .addColumn("cts_code", "text", (c) => c.notNull())
    // JSON array of proposal ids.
    .addColumn("proposal_ids", "text", (c) => c.notNull())
    .addColumn("updated_at", "text", (c) => c.notNull())
    .addPrimaryKeyConstraint("answer_notice_choices_pk", ["consultation_id", "user_id"])
    .execute();
  await db.schema
    .createIndex("answer_notice_choices_by_cts")
    .on("answer_notice_choices")
    .columns(["consultation_id", "cts_code", "user_id"])
    .execute();

  // One row per notice sent: the primary key is what makes "never twice" hold across resumed runs.
  await db.schema
    .createTable("answer_notices_sent")
    .addColumn("publication_id", "text", (c) =>
      c.notNull().references("cts_answer_publications.id").onDelete("cascade"),
    )
    .addColumn("user_id", "text", (c) => c.notNull().references("users.id").onDelete("cascade"))
    .addColumn("sent_at", "text", (c) => c.notNull())
    .addPrimaryKeyConstraint("answer_notices_sent_pk", ["publication_id", "user_id"])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable("answer_notices_sent").execute();
  await db.schema.dropTable("answer_notice_choices").execute();
  await db.schema.dropTable("answer_notice_optins").execute();
  await db.schema.dropTable("cts_answer_versions").execute();
  await db.schema.dropTable("cts_answer_publications").execute();
  await db.schema.dropTable("cts_answers").execute();
}
