import { sql, type Kysely } from "kysely";

// Frozen in time: imports nothing from the app, takes Kysely<any>.
//
// Assurance levels (docs/domain.md « Niveaux de garantie »): every way a person proved who they
// are or where they live is kept as a verification row; the account keeps the highest level its
// verifications still support (a proof of residence holds for its commune only), and every ballot
// records the level of its voter when it was cast or last changed, so rankings can be given per
// level. A consultation states the minimum level to vote.
//
// The security journal's kinds lose their CHECK constraint: SQLite cannot alter one, so every new
// kind (here: "verification") cost a copy of the table; the AuditKind type is the list now.

const KINDS_BEFORE = sql`('login_failed', 'forbidden', 'rate_limited', 'export', 'data_export', 'role_change', 'moderation', 'account_deleted', 'password_changed', 'password_reset', 'login', 'commune_change')`;

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable("users")
    .addColumn("assurance_level", "text", (c) => c.notNull().defaultTo("email"))
    .execute();
  await db.schema.alterTable("ballots").addColumn("assurance_level", "text").execute();
  // Ballots cast so far were cast by e-mail-verified residents (paper ballots have no voter: null).
  await db.updateTable("ballots").set({ assurance_level: "email" }).where("channel", "=", "online").execute();
  await db.schema
    .alterTable("consultations")
    .addColumn("min_assurance_level", "text", (c) => c.notNull().defaultTo("email"))
    .execute();
  await db.schema
    .createTable("user_verifications")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("user_id", "text", (c) => c.notNull().references("users.id").onDelete("cascade"))
    .addColumn("level", "text", (c) => c.notNull())
    // franceconnect, postal_code, census, counter
    .addColumn("method", "text", (c) => c.notNull())
    // The commune a residence or counter verification vouches for; null for an identity.
    .addColumn("commune_code", "text")
    // The agent who confirmed at a counter.
    .addColumn("verified_by", "text", (c) => c.references("users.id").onDelete("set null"))
    .addColumn("created_at", "text", (c) => c.notNull())
    .execute();
  await db.schema.createIndex("user_verifications_by_user").on("user_verifications").columns(["user_id"]).execute();
  await rebuildAuditEvents(db, null);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`delete from audit_events where kind not in ${KINDS_BEFORE}`.execute(db);
  await rebuildAuditEvents(db, KINDS_BEFORE);
  await db.schema.dropTable("user_verifications").execute();
  await db.schema.alterTable("consultations").dropColumn("min_assurance_level").execute();
  await db.schema.alterTable("ballots").dropColumn("assurance_level").execute();
  await db.schema.alterTable("users").dropColumn("assurance_level").execute();
}

/** Copies the journal into a table with (or without) a CHECK on its kinds, on both dialects alike. */
async function rebuildAuditEvents(db: Kysely<any>, kinds: ReturnType<typeof sql> | null): Promise<void> {
  await db.schema
    .createTable("audit_events_new")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("kind", "text", (c) => (kinds ? c.notNull().check(sql`kind in ${kinds}`) : c.notNull()))
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
