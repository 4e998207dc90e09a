import { PostgresAdapter, sql, type Kysely } from "kysely";

// Frozen in time: imports nothing from the app, takes Kysely<any>.
//
// Residents' comments (one level of replies), "useful" marks, association accounts and their
// contributions (with an optional PDF kept in the database), reports and the moderation log.

const REASONS = sql`('spam', 'insult', 'personal_data', 'off_topic')`;
const MODERATION = sql`('visible', 'pending_review', 'hidden')`;

export async function up(db: Kysely<any>): Promise<void> {
  // The one dialect difference of this migration: a column of bytes.
  const bytes = db.getExecutor().adapter instanceof PostgresAdapter ? sql`bytea` : sql`blob`;

  await db.schema
    .createTable("associations")
    .addColumn("id", "text", (c) => c.primaryKey())
    // The organisation's own account (role "association"), never a resident's.
    .addColumn("user_id", "text", (c) => c.notNull().unique().references("users.id").onDelete("cascade"))
    .addColumn("slug", "text", (c) => c.notNull().unique())
    .addColumn("name", "text", (c) => c.notNull())
    .addColumn("identifier_kind", "text", (c) => c.notNull().check(sql`identifier_kind in ('rna', 'siren')`))
    .addColumn("identifier", "text", (c) => c.notNull())
    .addColumn("agrement", "text")
    .addColumn("contact_name", "text", (c) => c.notNull())
    .addColumn("contact_email", "text", (c) => c.notNull())
    .addColumn("contact_phone", "text")
    .addColumn("status", "text", (c) => c.notNull().check(sql`status in ('pending', 'verified', 'refused')`))
    .addColumn("refusal_reason", "text")
    .addColumn("decided_by", "text", (c) => c.references("users.id").onDelete("set null"))
    .addColumn("decided_at", "text")
    .addColumn("created_at", "text", (c) => c.notNull())
    .addColumn("updated_at", "text", (c) => c.notNull())
    .execute();
  // One live application per RNA / SIREN; a refused one does not block the real organisation.
  await db.schema
    .createIndex("associations_identifier_live")
    .on("associations")
    .columns(["identifier_kind", "identifier"])
    .unique()
    .where(sql.ref("status"), "<>", "refused")
    .execute();

  await db.schema
    .createTable("association_territories")
    .addColumn("association_id", "text", (c) => c.notNull().references("associations.id").onDelete("cascade"))
    .addColumn("kind", "text", (c) => c.notNull().check(sql`kind in ('departement', 'cts')`))
    .addColumn("code", "text", (c) => c.notNull())
    .addPrimaryKeyConstraint("association_territories_pk", ["association_id", "kind", "code"])
    .execute();

  await db.schema
    .createTable("comments")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("consultation_id", "text", (c) => c.notNull().references("consultations.id").onDelete("cascade"))
    .addColumn("proposal_id", "text", (c) => c.notNull().references("proposals.id").onDelete("cascade"))
    // One level of replies: a reply's parent has no parent (checked by the app, in the same transaction).
    .addColumn("parent_id", "text", (c) => c.references("comments.id").onDelete("cascade"))
    // Null once the author's account is deleted ("participant supprimé").
    .addColumn("user_id", "text", (c) => c.references("users.id").onDelete("set null"))
    .addColumn("anonymous", "integer", (c) => c.notNull().check(sql`anonymous in (0, 1)`))
    .addColumn("stance", "text", (c) => c.check(sql`stance in ('pour', 'contre', 'nuance')`))
    .addColumn("body", "text", (c) => c.notNull())
    // Where the author lived when writing: moving later does not rewrite history.
    .addColumn("arrondissement_code", "text", (c) => c.notNull())
    .addColumn("cts_code", "text", (c) => c.notNull())
    .addColumn("moderation", "text", (c) =>
      c
        .notNull()
        .defaultTo("visible")
        .check(sql`moderation in ${MODERATION}`),
    )
    .addColumn("hidden_reason", "text", (c) => c.check(sql`hidden_reason in ${REASONS}`))
    .addColumn("review_requested_at", "text")
    .addColumn("review_message", "text")
    .addColumn("reviewed_at", "text")
    .addColumn("created_at", "text", (c) => c.notNull())
    .addColumn("updated_at", "text", (c) => c.notNull())
    .addColumn("edited_at", "text")
    // A deleted comment stays as a tombstone (empty body) so that its replies keep their thread.
    .addColumn("deleted_at", "text")
    .addCheckConstraint("comments_top_level_stance", sql`parent_id is not null or stance is not null`)
    .execute();
  await db.schema
    .createIndex("comments_proposal")
    .on("comments")
    .columns(["proposal_id", "parent_id", "created_at"])
    .execute();
  await db.schema.createIndex("comments_parent").on("comments").column("parent_id").execute();
  await db.schema
    .createIndex("comments_consultation_cts")
    .on("comments")
    .columns(["consultation_id", "cts_code"])
    .execute();
  await db.schema.createIndex("comments_user").on("comments").columns(["user_id", "created_at"]).execute();

  await db.schema
    .createTable("comment_useful")
    .addColumn("comment_id", "text", (c) => c.notNull().references("comments.id").onDelete("cascade"))
    .addColumn("user_id", "text", (c) => c.notNull().references("users.id").onDelete("cascade"))
    .addColumn("created_at", "text", (c) => c.notNull())
    // Once per person: the database decides, not a read-then-write.
    .addPrimaryKeyConstraint("comment_useful_pk", ["comment_id", "user_id"])
    .execute();

  await db.schema
    .createTable("contributions")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("consultation_id", "text", (c) => c.notNull().references("consultations.id").onDelete("cascade"))
    .addColumn("proposal_id", "text", (c) => c.notNull().references("proposals.id").onDelete("cascade"))
    .addColumn("association_id", "text", (c) => c.notNull().references("associations.id").onDelete("cascade"))
    .addColumn("title", "text", (c) => c.notNull())
    .addColumn("body", "text", (c) => c.notNull())
    // Null while a draft (an association not yet verified can draft, not publish).
    .addColumn("published_at", "text")
    .addColumn("moderation", "text", (c) =>
      c
        .notNull()
        .defaultTo("visible")
        .check(sql`moderation in ${MODERATION}`),
    )
    .addColumn("hidden_reason", "text", (c) => c.check(sql`hidden_reason in ${REASONS}`))
    .addColumn("review_requested_at", "text")
    .addColumn("review_message", "text")
    .addColumn("reviewed_at", "text")
    .addColumn("created_at", "text", (c) => c.notNull())
    .addColumn("updated_at", "text", (c) => c.notNull())
    .addColumn("deleted_at", "text")
    .execute();
  await db.schema
    .createIndex("contributions_proposal")
    .on("contributions")
    .columns(["proposal_id", "published_at"])
    .execute();
  await db.schema.createIndex("contributions_association").on("contributions").column("association_id").execute();

  await db.schema
    .createTable("contribution_files")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("contribution_id", "text", (c) =>
      c.notNull().unique().references("contributions.id").onDelete("cascade"),
    )
    .addColumn("filename", "text", (c) => c.notNull())
    .addColumn("size", "integer", (c) => c.notNull())
    .addColumn("sha256", "text", (c) => c.notNull())
    .addColumn("content", bytes, (c) => c.notNull())
    .addColumn("created_at", "text", (c) => c.notNull())
    .execute();

  await db.schema
    .createTable("reports")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("target_kind", "text", (c) => c.notNull().check(sql`target_kind in ('comment', 'contribution')`))
    .addColumn("target_id", "text", (c) => c.notNull())
    .addColumn("reporter_id", "text", (c) => c.notNull().references("users.id").onDelete("cascade"))
    .addColumn("reason", "text", (c) => c.notNull().check(sql`reason in ${REASONS}`))
    .addColumn("details", "text")
    .addColumn("created_at", "text", (c) => c.notNull())
    .addColumn("resolved_at", "text")
    .addColumn("resolution", "text", (c) => c.check(sql`resolution in ('dismissed', 'upheld')`))
    // Distinct reports: one per person per item.
    .addUniqueConstraint("reports_one_per_reporter", ["target_kind", "target_id", "reporter_id"])
    .execute();
  await db.schema
    .createIndex("reports_open")
    .on("reports")
    .columns(["target_kind", "target_id", "resolved_at"])
    .execute();

  // Append-only: who did what, when and why. The actor's label is copied so that the log still
  // says who acted after their account is gone.
  await db.schema
    .createTable("moderation_log")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("actor_id", "text", (c) => c.references("users.id").onDelete("set null"))
    .addColumn("actor_label", "text", (c) => c.notNull())
    .addColumn("action", "text", (c) =>
      c
        .notNull()
        .check(
          sql`action in ('auto_hide', 'hide', 'restore', 'dismiss', 'review_requested', 'review_upheld', 'association_verified', 'association_refused')`,
        ),
    )
    .addColumn("target_kind", "text", (c) =>
      c.notNull().check(sql`target_kind in ('comment', 'contribution', 'association')`),
    )
    .addColumn("target_id", "text", (c) => c.notNull())
    .addColumn("region_code", "text")
    .addColumn("reason", "text")
    .addColumn("note", "text")
    .addColumn("created_at", "text", (c) => c.notNull())
    .execute();
  await db.schema.createIndex("moderation_log_created").on("moderation_log").column("created_at").execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of [
    "moderation_log",
    "reports",
    "contribution_files",
    "contributions",
    "comment_useful",
    "comments",
    "association_territories",
    "associations",
  ]) {
    await db.schema.dropTable(table).execute();
  }
}
