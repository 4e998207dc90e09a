import { PostgresAdapter, sql, type Kysely } from "kysely";

// Frozen in time: imports nothing from the app, takes Kysely<any>.
//
// The abuse-flag table was named "reports", which is also the name of the CTS reports: it becomes
// "flags" (signalements). Rows, constraints and foreign keys move with the table on both
// databases; the index is renamed by being made again (SQLite cannot rename an index).

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex("reports_open").execute();
  await db.schema.alterTable("reports").renameTo("flags").execute();
  await db.schema.createIndex("flags_open").on("flags").columns(["target_kind", "target_id", "resolved_at"]).execute();
  // PostgreSQL keeps constraint names apart from the table; SQLite has them only in the table's text.
  if (db.getExecutor().adapter instanceof PostgresAdapter) {
    await sql`alter table flags rename constraint reports_pkey to flags_pkey`.execute(db);
    await sql`alter table flags rename constraint reports_one_per_reporter to flags_one_per_reporter`.execute(db);
    await sql`alter table flags rename constraint reports_reporter_id_fkey to flags_reporter_id_fkey`.execute(db);
  }
}

export async function down(db: Kysely<any>): Promise<void> {
  if (db.getExecutor().adapter instanceof PostgresAdapter) {
    await sql`alter table flags rename constraint flags_pkey to reports_pkey`.execute(db);
    await sql`alter table flags rename constraint flags_one_per_reporter to reports_one_per_reporter`.execute(db);
    await sql`alter table flags rename constraint flags_reporter_id_fkey to reports_reporter_id_fkey`.execute(db);
  }
  await db.schema.dropIndex("flags_open").execute();
  await db.schema.alterTable("flags").renameTo("reports").execute();
  await db.schema
    .createIndex("reports_open")
    .on("reports")
    .columns(["target_kind", "target_id", "resolved_at"])
    .execute();
}
