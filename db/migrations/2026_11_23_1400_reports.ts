import { sql, type Kysely } from "kysely";

// Frozen in time: imports nothing from the app, takes Kysely<any>.
//
// CTS reports: invitations of CTS members by e-mail, the register of exports (so a printed copy
// can be checked against its SHA-256 later), whether residents see live results, and a cheap
// version number for tallies.

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable("cts_invitations")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("email", "text", (c) => c.notNull())
    .addColumn("cts_code", "text", (c) => c.notNull().references("cts_territories.code"))
    // SHA-256 of the token, hex: the token itself is only in the e-mail.
    .addColumn("token_hash", "text", (c) => c.notNull().unique())
    .addColumn("invited_by", "text", (c) => c.references("users.id").onDelete("set null"))
    .addColumn("expires_at", "text", (c) => c.notNull())
    .addColumn("accepted_at", "text")
    .addColumn("accepted_by", "text", (c) => c.references("users.id").onDelete("set null"))
    .addColumn("created_at", "text", (c) => c.notNull())
    .execute();
  await db.schema.createIndex("cts_invitations_email").on("cts_invitations").columns(["email", "cts_code"]).execute();

  await db.schema
    .createTable("report_exports")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("consultation_id", "text", (c) => c.notNull().references("consultations.id").onDelete("cascade"))
    // "region" for the region's dataset, else a CTS code.
    .addColumn("territory", "text", (c) => c.notNull())
    .addColumn("format", "text", (c) => c.notNull().check(sql`format in ('csv', 'json', 'xlsx', 'pdf')`))
    .addColumn("tally_version", "integer", (c) => c.notNull())
    .addColumn("generated_at", "text", (c) => c.notNull())
    .addColumn("sha256", "text", (c) => c.notNull())
    .addColumn("bytes", "integer", (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex("report_exports_by_report")
    .on("report_exports")
    .columns(["consultation_id", "territory", "generated_at"])
    .execute();
  await db.schema.createIndex("report_exports_sha256").on("report_exports").column("sha256").execute();

  await db.schema
    .alterTable("consultations")
    .addColumn("live_results", "integer", (c) =>
      c
        .notNull()
        .defaultTo(0)
        .check(sql`live_results in (0, 1)`),
    )
    .execute();

  // Bumped by every write to a row of kept totals: their sum is the consultation's tally version,
  // read in proportion to arrondissements rather than to ballots.
  await db.schema
    .alterTable("ballot_totals")
    .addColumn("revision", "integer", (c) => c.notNull().defaultTo(0))
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable("ballot_totals").dropColumn("revision").execute();
  await db.schema.alterTable("consultations").dropColumn("live_results").execute();
  await db.schema.dropTable("report_exports").execute();
  await db.schema.dropTable("cts_invitations").execute();
}
