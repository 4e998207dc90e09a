import { sql, type Kysely } from "kysely";

// Frozen in time: imports nothing from the app, takes Kysely<any>.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable("regions")
    .addColumn("code", "text", (c) => c.primaryKey())
    .addColumn("name", "text", (c) => c.notNull())
    .execute();

  await db.schema
    .createTable("departements")
    .addColumn("code", "text", (c) => c.primaryKey())
    .addColumn("name", "text", (c) => c.notNull())
    .addColumn("region_code", "text", (c) => c.notNull().references("regions.code"))
    .execute();

  await db.schema
    .createTable("arrondissements")
    .addColumn("code", "text", (c) => c.primaryKey())
    .addColumn("name", "text", (c) => c.notNull())
    .addColumn("departement_code", "text", (c) => c.notNull().references("departements.code"))
    .addColumn("region_code", "text", (c) => c.notNull().references("regions.code"))
    .addColumn("population", "integer", (c) => c.notNull())
    .execute();

  await db.schema
    .createTable("communes")
    .addColumn("code", "text", (c) => c.primaryKey())
    .addColumn("name", "text", (c) => c.notNull())
    .addColumn("kind", "text", (c) => c.notNull().check(sql`kind in ('commune', 'arrondissement_municipal')`))
    .addColumn("parent_code", "text", (c) => c.references("communes.code"))
    .addColumn("arrondissement_code", "text", (c) => c.notNull().references("arrondissements.code"))
    .addColumn("departement_code", "text", (c) => c.notNull().references("departements.code"))
    .addColumn("region_code", "text", (c) => c.notNull().references("regions.code"))
    .addColumn("population", "integer", (c) => c.notNull())
    .addColumn("postal_codes", "text", (c) => c.notNull())
    .addColumn("search_name", "text", (c) => c.notNull())
    .execute();
  await db.schema.createIndex("communes_search_name").on("communes").column("search_name").execute();
  await db.schema.createIndex("communes_arrondissement").on("communes").column("arrondissement_code").execute();

  await db.schema
    .createTable("cts_territories")
    .addColumn("code", "text", (c) => c.primaryKey())
    .addColumn("name", "text", (c) => c.notNull())
    .addColumn("region_code", "text", (c) => c.notNull().references("regions.code"))
    .execute();

  await db.schema
    .createTable("cts_rules")
    .addColumn("level", "text", (c) => c.notNull().check(sql`level in ('departement', 'arrondissement', 'commune')`))
    .addColumn("code", "text", (c) => c.notNull())
    .addColumn("cts_code", "text", (c) => c.notNull().references("cts_territories.code"))
    .addColumn("source", "text", (c) => c.notNull().check(sql`source in ('default', 'import', 'admin')`))
    .addColumn("updated_at", "text", (c) => c.notNull())
    .addPrimaryKeyConstraint("cts_rules_pk", ["level", "code"])
    .execute();

  await db.schema
    .createTable("users")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("email", "text", (c) => c.notNull().unique())
    .addColumn("password_hash", "text", (c) => c.notNull())
    .addColumn("email_verified_at", "text")
    .addColumn("commune_code", "text", (c) => c.notNull().references("communes.code"))
    .addColumn("display_name", "text")
    .addColumn("created_at", "text", (c) => c.notNull())
    .addColumn("updated_at", "text", (c) => c.notNull())
    .execute();

  await db.schema
    .createTable("user_roles")
    .addColumn("user_id", "text", (c) => c.notNull().references("users.id").onDelete("cascade"))
    .addColumn("role", "text", (c) =>
      c.notNull().check(sql`role in ('resident', 'association', 'cts_member', 'moderator', 'admin')`),
    )
    .addColumn("scope", "text", (c) => c.notNull().defaultTo(""))
    .addColumn("created_at", "text", (c) => c.notNull())
    .addPrimaryKeyConstraint("user_roles_pk", ["user_id", "role", "scope"])
    .execute();

  await db.schema
    .createTable("sessions")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("user_id", "text", (c) => c.notNull().references("users.id").onDelete("cascade"))
    .addColumn("expires_at", "text", (c) => c.notNull())
    .addColumn("created_at", "text", (c) => c.notNull())
    .execute();
  await db.schema.createIndex("sessions_user").on("sessions").column("user_id").execute();

  await db.schema
    .createTable("email_tokens")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("user_id", "text", (c) => c.notNull().references("users.id").onDelete("cascade"))
    .addColumn("kind", "text", (c) => c.notNull().check(sql`kind in ('verify_email', 'reset_password')`))
    .addColumn("token_hash", "text", (c) => c.notNull().unique())
    .addColumn("expires_at", "text", (c) => c.notNull())
    .addColumn("used_at", "text")
    .addColumn("created_at", "text", (c) => c.notNull())
    .execute();

  await db.schema
    .createTable("outbox")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("to_address", "text", (c) => c.notNull())
    .addColumn("subject", "text", (c) => c.notNull())
    .addColumn("body_text", "text", (c) => c.notNull())
    .addColumn("created_at", "text", (c) => c.notNull())
    .execute();

  await db.schema
    .createTable("app_state")
    .addColumn("key", "text", (c) => c.primaryKey())
    .addColumn("value", "text", (c) => c.notNull())
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of [
    "app_state",
    "outbox",
    "email_tokens",
    "sessions",
    "user_roles",
    "users",
    "cts_rules",
    "cts_territories",
    "communes",
    "arrondissements",
    "departements",
    "regions",
  ]) {
    await db.schema.dropTable(table).execute();
  }
}
