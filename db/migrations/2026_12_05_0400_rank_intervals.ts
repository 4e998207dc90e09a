import type { Kysely } from "kysely";

// Frozen in time: imports nothing from the app, takes Kysely<any>.
//
// Rank intervals shared by every app server (app/ballots/intervals.server.ts): one row per
// (consultation, territory, weighting, resamples) holds the last intervals computed with the tally
// version they belong to, and the claim of the server computing newer ones (claimed_by, renewed in
// claimed_at while it works), so N servers compute once and read each other's result.

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable("rank_intervals")
    .addColumn("consultation_id", "text", (c) => c.notNull().references("consultations.id").onDelete("cascade"))
    .addColumn("territory", "text", (c) => c.notNull())
    .addColumn("weighting", "text", (c) => c.notNull())
    .addColumn("resamples", "integer", (c) => c.notNull())
    .addColumn("version", "integer")
    .addColumn("intervals", "text")
    .addColumn("computed_at", "text")
    .addColumn("claimed_by", "text")
    .addColumn("claimed_at", "text")
    .addPrimaryKeyConstraint("rank_intervals_pk", ["consultation_id", "territory", "weighting", "resamples"])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable("rank_intervals").execute();
}
