import { sql, type Kysely } from "kysely";

// Frozen in time: imports nothing from the app, takes Kysely<any>.
//
// FranceConnect (docs/domain.md « FranceConnect »): an account holds at most one FranceConnect
// identity (its `sub`, the pseudonymous identifier FranceConnect gives this site) and an identity
// belongs to one account at most, so one person cannot verify two accounts.
//
// A sign-in in progress is a row, not a cookie's content: the browser holds only a random key
// (its SHA-256 is stored), and the row is deleted when the provider's answer comes back, so a
// response is accepted once. The same table holds, for a few minutes, an identity FranceConnect
// vouched for while the person confirms linking it to an account or creating one.

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable("users").addColumn("franceconnect_sub", "text").execute();
  await db.schema.createIndex("users_franceconnect_sub").on("users").column("franceconnect_sub").unique().execute();
  await db.schema
    .createTable("franceconnect_logins")
    .addColumn("key_hash", "text", (c) => c.primaryKey())
    // authorize: waiting for the provider's answer; confirm: an identity waiting for the person.
    .addColumn("step", "text", (c) => c.notNull().check(sql`step in ('authorize', 'confirm')`))
    .addColumn("state", "text")
    .addColumn("nonce", "text")
    .addColumn("code_verifier", "text")
    // The signed-in account that asked to verify its identity; null when signing in.
    .addColumn("user_id", "text", (c) => c.references("users.id").onDelete("cascade"))
    .addColumn("return_to", "text")
    .addColumn("sub", "text")
    .addColumn("email", "text")
    .addColumn("expires_at", "text", (c) => c.notNull())
    .addColumn("created_at", "text", (c) => c.notNull())
    .execute();
  await db.schema.createIndex("franceconnect_logins_expiry").on("franceconnect_logins").column("expires_at").execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable("franceconnect_logins").execute();
  await db.schema.dropIndex("users_franceconnect_sub").execute();
  await db.schema.alterTable("users").dropColumn("franceconnect_sub").execute();
}
