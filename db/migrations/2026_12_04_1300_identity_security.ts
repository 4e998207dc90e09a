import { sql, type Kysely } from "kysely";

// Frozen in time: imports nothing from the app, takes Kysely<any>.
//
// 1. Sessions are kept by the SHA-256 of their token (the cookie alone holds the token), so a
//    leaked database or backup hands out no live session. Rows written before hold the token
//    itself: they are deleted, which signs everyone out once.
// 2. The security journal gains three kinds: successful logins, password resets by e-mail link
//    and commune changes.

const KINDS_BEFORE = sql`('login_failed', 'forbidden', 'rate_limited', 'export', 'data_export', 'role_change', 'moderation', 'account_deleted', 'password_changed')`;
const KINDS_AFTER = sql`('login_failed', 'forbidden', 'rate_limited', 'export', 'data_export', 'role_change', 'moderation', 'account_deleted', 'password_changed', 'password_reset', 'login', 'commune_change')`;

export async function up(db: Kysely<any>): Promise<void> {
  await db.deleteFrom("sessions").execute();
  await rebuildAuditEvents(db, KINDS_AFTER);
}

export async function down(db: Kysely<any>): Promise<void> {
  // Hashes cannot be turned back into tokens: everyone signs in again.
  await db.deleteFrom("sessions").execute();
  await db.deleteFrom("audit_events").where("kind", "in", ["password_reset", "login", "commune_change"]).execute();
  await rebuildAuditEvents(db, KINDS_BEFORE);
}

/**
 * SQLite cannot alter a CHECK constraint: the table is copied into a new one with the new list,
 * on both dialects alike (the journal is small: six months of events).
 */
async function rebuildAuditEvents(db: Kysely<any>, kinds: ReturnType<typeof sql>): Promise<void> {
  await db.schema
    .createTable("audit_events_new")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("kind", "text", (c) => c.notNull().check(sql`kind in ${kinds}`))
    .addColumn("user_id", "text", (c) => c.references("users.id").onDelete("set null"))
    .addColumn("ip", "text")
    .addColumn("path", "text")
    .addColumn("detail", "text")
    .addColumn("created_at", "text", (c) => c.notNull())
    .execute();
  await sql`insert into audit_events_new (id, kind, user_id, ip, path, detail, created_at)
    select id, kind, user_id, ip, path, detail, created_at from audit_events`.execute(db);
  await db.schema.dropTable("audit_events").execute();
  await db.schema.alterTable("audit_events_new").renameTo("audit_events").execute();
  await db.schema.createIndex("audit_events_created").on("audit_events").column("created_at").execute();
  await db.schema.createIndex("audit_events_kind").on("audit_events").columns(["kind", "created_at"]).execute();
}
