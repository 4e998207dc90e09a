import { sql, type Kysely } from "kysely";

// Frozen in time: imports nothing from the app, takes Kysely<any>.
//
// Security events (failed logins, refusals, rate limits, exports, role changes, moderation),
// kept six months and read by administrators at /admin/journal.

const KINDS = sql`('login_failed', 'forbidden', 'rate_limited', 'export', 'data_export', 'role_change', 'moderation', 'account_deleted', 'password_changed')`;

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable("audit_events")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("kind", "text", (c) => c.notNull().check(sql`kind in ${KINDS}`))
    // Who acted, when signed in; the event outlives the account without pointing at it.
    .addColumn("user_id", "text", (c) => c.references("users.id").onDelete("set null"))
    // The client's address truncated to its network (IPv4 /24, IPv6 /48): enough to see a wave
    // coming from one place, not enough to name a household.
    .addColumn("ip", "text")
    .addColumn("path", "text")
    .addColumn("detail", "text")
    .addColumn("created_at", "text", (c) => c.notNull())
    .execute();
  await db.schema.createIndex("audit_events_created").on("audit_events").column("created_at").execute();
  await db.schema.createIndex("audit_events_kind").on("audit_events").columns(["kind", "created_at"]).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable("audit_events").execute();
}
