import { sql, type Kysely } from "kysely";

// Frozen in time: imports nothing from the app, takes Kysely<any>.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable("ballots")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("consultation_id", "text", (c) => c.notNull().references("consultations.id").onDelete("cascade"))
    // Null for paper ballots, and for every ballot once its consultation closes (anonymity).
    .addColumn("user_id", "text", (c) => c.references("users.id").onDelete("set null"))
    .addColumn("arrondissement_code", "text", (c) => c.notNull())
    .addColumn("cts_code", "text", (c) => c.notNull())
    .addColumn("channel", "text", (c) => c.notNull().check(sql`channel in ('online', 'paper')`))
    .addColumn("content", "text", (c) => c.notNull())
    .addColumn("created_at", "text", (c) => c.notNull())
    .addColumn("updated_at", "text", (c) => c.notNull())
    // One ballot per resident per consultation, enforced by the database (NULLs never collide).
    .addUniqueConstraint("ballots_one_per_user", ["consultation_id", "user_id"])
    .execute();

  // Kept counts: updated in the same transaction as the ballot, so a ranking reads
  // proposals × arrondissements rows instead of every ballot.
  await db.schema
    .createTable("ballot_counts")
    .addColumn("consultation_id", "text", (c) => c.notNull().references("consultations.id").onDelete("cascade"))
    .addColumn("proposal_id", "text", (c) => c.notNull().references("proposals.id").onDelete("cascade"))
    .addColumn("arrondissement_code", "text", (c) => c.notNull())
    .addColumn("cts_code", "text", (c) => c.notNull())
    // approval: 0; majority judgment: grade index (0 = best); ranked: place 1 … K.
    .addColumn("cell", "integer", (c) => c.notNull())
    .addColumn("count", "integer", (c) => c.notNull())
    .addPrimaryKeyConstraint("ballot_counts_pk", [
      "consultation_id",
      "proposal_id",
      "arrondissement_code",
      "cts_code",
      "cell",
    ])
    .execute();

  await db.schema
    .createTable("ballot_totals")
    .addColumn("consultation_id", "text", (c) => c.notNull().references("consultations.id").onDelete("cascade"))
    .addColumn("arrondissement_code", "text", (c) => c.notNull())
    .addColumn("cts_code", "text", (c) => c.notNull())
    .addColumn("channel", "text", (c) => c.notNull().check(sql`channel in ('online', 'paper')`))
    .addColumn("ballots", "integer", (c) => c.notNull())
    .addPrimaryKeyConstraint("ballot_totals_pk", ["consultation_id", "arrondissement_code", "cts_code", "channel"])
    .execute();

  // Append-only: lets an auditor recount participation. No ballot content, no user.
  await db.schema
    .createTable("ballot_events")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("consultation_id", "text", (c) => c.notNull().references("consultations.id").onDelete("cascade"))
    .addColumn("kind", "text", (c) => c.notNull().check(sql`kind in ('cast', 'changed', 'withdrawn')`))
    .addColumn("arrondissement_code", "text", (c) => c.notNull())
    .addColumn("cts_code", "text", (c) => c.notNull())
    .addColumn("channel", "text", (c) => c.notNull().check(sql`channel in ('online', 'paper')`))
    .addColumn("created_at", "text", (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex("ballot_events_consultation")
    .on("ballot_events")
    .columns(["consultation_id", "created_at"])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of ["ballot_events", "ballot_totals", "ballot_counts", "ballots"]) {
    await db.schema.dropTable(table).execute();
  }
}
