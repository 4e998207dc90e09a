import { PostgresAdapter, sql, type Kysely } from "kysely";

// Frozen in time: imports nothing from the app, takes Kysely<any>.
//
// Proofs of residence (docs/domain.md « Niveaux de garantie »):
// - postal_letters: a letter with a code, asked from « Mon compte », exported by administrators
//   to a mail house; the code exists in clear only in the exported file (its salted hash here);
// - census_entries: a census an ARS loads, kept as hashes of the matching key only (canonical
//   e-mail and commune), never the file;
// - the role counter_agent (guichet), scoped to a département.

const ROLES_BEFORE = ["resident", "association", "cts_member", "moderator", "admin"];
const ROLES_AFTER = [...ROLES_BEFORE, "counter_agent"];

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable("postal_letters")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("user_id", "text", (c) => c.notNull().references("users.id").onDelete("cascade"))
    // The account's commune when the letter was asked; a commune change voids the letter.
    .addColumn("commune_code", "text", (c) => c.notNull())
    .addColumn("recipient", "text", (c) => c.notNull())
    .addColumn("address_line1", "text", (c) => c.notNull())
    .addColumn("address_line2", "text")
    .addColumn("postal_code", "text", (c) => c.notNull())
    .addColumn("status", "text", (c) => c.notNull().check(sql`status in ('requested', 'sent', 'used', 'void')`))
    // Set when the letter is exported: sha256(salt + code), hex; the code itself is only on paper.
    .addColumn("code_salt", "text")
    .addColumn("code_hash", "text")
    .addColumn("attempts", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("requested_at", "text", (c) => c.notNull())
    .addColumn("sent_at", "text")
    .addColumn("expires_at", "text")
    .addColumn("used_at", "text")
    .execute();
  // One letter on its way per account: a new request voids the previous one first.
  await db.schema
    .createIndex("postal_letters_one_pending")
    .on("postal_letters")
    .column("user_id")
    .unique()
    .where(sql.ref("status"), "in", ["requested", "sent"])
    .execute();
  await db.schema
    .createIndex("postal_letters_status")
    .on("postal_letters")
    .columns(["status", "requested_at"])
    .execute();

  await db.schema
    .createTable("census_entries")
    .addColumn("region_code", "text", (c) => c.notNull())
    // sha256 of "census:v1:" + canonical e-mail + "|" + commune code, hex.
    .addColumn("key_hash", "text", (c) => c.notNull())
    .addColumn("loaded_at", "text", (c) => c.notNull())
    .addPrimaryKeyConstraint("census_entries_pk", ["region_code", "key_hash"])
    .execute();
  await db.schema.createIndex("census_entries_key").on("census_entries").column("key_hash").execute();

  await setRoles(db, ROLES_BEFORE, ROLES_AFTER);
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.deleteFrom("user_roles").where("role", "=", "counter_agent").execute();
  await setRoles(db, ROLES_AFTER, ROLES_BEFORE);
  await db.schema.dropTable("census_entries").execute();
  await db.schema.dropTable("postal_letters").execute();
}

/** Changes the CHECK on user_roles.role: PostgreSQL alters it, SQLite makes the table again. */
async function setRoles(db: Kysely<any>, before: string[], after: string[]): Promise<void> {
  const list = (roles: string[]) => sql.join(roles.map((r) => sql.lit(r)));
  if (db.getExecutor().adapter instanceof PostgresAdapter) {
    await sql`alter table user_roles drop constraint user_roles_role_check`.execute(db);
    await sql`alter table user_roles add constraint user_roles_role_check check (role in (${list(after)}))`.execute(db);
    return;
  }
  // As in 2026_12_04_1700_english_codes: the table under its own definition with the new list,
  // foreign keys off meanwhile so that no ON DELETE fires, checked before the end.
  const definitionRow = await sql<{
    sql: string;
  }>`select sql from sqlite_master where type = 'table' and name = 'user_roles'`.execute(db);
  const indexes = await sql<{
    sql: string;
  }>`select sql from sqlite_master where type = 'index' and tbl_name = 'user_roles' and sql is not null`.execute(db);
  const quoted = (roles: string[]) => roles.map((r) => `'${r}'`).join(", ");
  const definition = definitionRow.rows[0]!.sql.replace(
    /^create table "?user_roles"?/i,
    `create table "user_roles_new"`,
  ).replace(quoted(before), quoted(after));
  if (!definition.includes(quoted(after))) throw new Error("user_roles : liste des rôles introuvable");
  await sql`pragma foreign_keys = off`.execute(db);
  try {
    await db.transaction().execute(async (trx) => {
      await sql.raw(definition).execute(trx);
      await sql`insert into user_roles_new (user_id, role, scope, created_at) select user_id, role, scope, created_at from user_roles`.execute(
        trx,
      );
      await sql`drop table user_roles`.execute(trx);
      await sql`alter table user_roles_new rename to user_roles`.execute(trx);
      for (const index of indexes.rows) await sql.raw(index.sql).execute(trx);
      const broken = await sql`pragma foreign_key_check`.execute(trx);
      if (broken.rows.length) throw new Error(`clés étrangères rompues : ${JSON.stringify(broken.rows.slice(0, 5))}`);
    });
  } finally {
    await sql`pragma foreign_keys = on`.execute(db);
  }
}
