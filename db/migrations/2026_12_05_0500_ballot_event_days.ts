import { sql, type Kysely } from "kysely";

// Frozen in time: imports nothing from the app, takes Kysely<any>.
//
// Ballots cast and withdrawn per day, kept as the events are written (the same transaction, the
// same statement on PostgreSQL's vote): the participation over time of a report reads a few
// hundred rows instead of grouping every event of a consultation (1.1 s at a million ballots on
// PostgreSQL, and growing with them). One row per (consultation, CTS, day, arrondissement, kind),
// so a vote locks the row of its own arrondissement, as it already locks its totals. Filled here
// from the events already logged.
//
// The same report counts the verified residents of the CTS's arrondissements: without an index on
// the users' commune it read every user (265 ms for 1 M users on PostgreSQL, growing with them);
// with it, the users of the CTS's communes only (86 ms for the 10,000 of two arrondissements).

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable("ballot_event_days")
    .addColumn("consultation_id", "text", (c) => c.notNull().references("consultations.id").onDelete("cascade"))
    .addColumn("cts_code", "text", (c) => c.notNull())
    .addColumn("day", "text", (c) => c.notNull())
    .addColumn("arrondissement_code", "text", (c) => c.notNull())
    .addColumn("kind", "text", (c) => c.notNull().check(sql`kind in ('cast', 'withdrawn')`))
    .addColumn("count", "integer", (c) => c.notNull())
    .addPrimaryKeyConstraint("ballot_event_days_pk", [
      "consultation_id",
      "cts_code",
      "day",
      "arrondissement_code",
      "kind",
    ])
    .execute();
  await sql`insert into ballot_event_days (consultation_id, cts_code, day, arrondissement_code, kind, count)
    select consultation_id, cts_code, substr(created_at, 1, 10), arrondissement_code, kind, count(*)
    from ballot_events where kind in ('cast', 'withdrawn')
    group by consultation_id, cts_code, substr(created_at, 1, 10), arrondissement_code, kind`.execute(db);
  await db.schema.createIndex("users_commune").on("users").column("commune_code").execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex("users_commune").execute();
  await db.schema.dropTable("ballot_event_days").execute();
}
