import type { Kysely } from "kysely";

// Frozen in time: imports nothing from the app, takes Kysely<any>.
//
// Live figures in steps (docs/disclosure-control.md): while a consultation is open, results are
// read from a copy of the kept counts that a place (an arrondissement within a CTS territory)
// renews only once 10 more ballots have been cast in it, so no reader can isolate one ballot by
// comparing figures before and after it.

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable("live_counts")
    .addColumn("consultation_id", "text", (c) => c.notNull().references("consultations.id").onDelete("cascade"))
    .addColumn("proposal_id", "text", (c) => c.notNull().references("proposals.id").onDelete("cascade"))
    .addColumn("arrondissement_code", "text", (c) => c.notNull())
    .addColumn("cts_code", "text", (c) => c.notNull())
    .addColumn("cell", "integer", (c) => c.notNull())
    .addColumn("count", "integer", (c) => c.notNull())
    .addPrimaryKeyConstraint("live_counts_pk", [
      "consultation_id",
      "proposal_id",
      "arrondissement_code",
      "cts_code",
      "cell",
    ])
    .execute();
  await db.schema
    .createTable("live_totals")
    .addColumn("consultation_id", "text", (c) => c.notNull().references("consultations.id").onDelete("cascade"))
    .addColumn("arrondissement_code", "text", (c) => c.notNull())
    .addColumn("cts_code", "text", (c) => c.notNull())
    .addColumn("channel", "text", (c) => c.notNull())
    .addColumn("ballots", "integer", (c) => c.notNull())
    .addPrimaryKeyConstraint("live_totals_pk", ["consultation_id", "arrondissement_code", "cts_code", "channel"])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable("live_totals").execute();
  await db.schema.dropTable("live_counts").execute();
}
