import { sql, type Kysely } from "kysely";

// Frozen in time: imports nothing from the app, takes Kysely<any>.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable("consultations")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("slug", "text", (c) => c.notNull().unique())
    .addColumn("region_code", "text", (c) => c.notNull())
    .addColumn("cts_code", "text")
    .addColumn("title", "text", (c) => c.notNull())
    .addColumn("description", "text", (c) => c.notNull())
    .addColumn("source_file", "text", (c) => c.notNull())
    .addColumn("method", "text", (c) =>
      c
        .notNull()
        .defaultTo("approval")
        .check(sql`method in ('approval', 'majority_judgment', 'ranked')`),
    )
    .addColumn("method_params", "text", (c) => c.notNull().defaultTo("{}"))
    .addColumn("status", "text", (c) =>
      c
        .notNull()
        .defaultTo("brouillon")
        .check(sql`status in ('brouillon', 'ouverte', 'close', 'resultats_publies')`),
    )
    .addColumn("opens_at", "text")
    .addColumn("closes_at", "text")
    .addColumn("position", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("created_at", "text", (c) => c.notNull())
    .addColumn("updated_at", "text", (c) => c.notNull())
    .execute();

  await db.schema
    .createTable("proposals")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("consultation_id", "text", (c) => c.notNull().references("consultations.id").onDelete("cascade"))
    .addColumn("slug", "text", (c) => c.notNull())
    .addColumn("title", "text", (c) => c.notNull())
    .addColumn("summary", "text")
    .addColumn("text", "text", (c) => c.notNull())
    .addColumn("theme", "text", (c) =>
      c.notNull().check(sql`theme in ('acces', 'continuite', 'attractivite', 'prevention', 'environnement')`),
    )
    .addColumn("level", "text", (c) => c.check(sql`level in ('impulsion_locale', 'travaux_nationaux')`))
    .addColumn("kind", "text", (c) => c.notNull().check(sql`kind in ('proposition', 'engagement', 'idee_cle')`))
    .addColumn("group_slug", "text")
    .addColumn("position", "integer", (c) => c.notNull())
    .addColumn("mentions", "integer")
    .addColumn("search_text", "text", (c) => c.notNull())
    .addColumn("updated_at", "text", (c) => c.notNull())
    .addUniqueConstraint("proposals_consultation_slug", ["consultation_id", "slug"])
    .execute();
  await db.schema
    .createIndex("proposals_consultation_position")
    .on("proposals")
    .columns(["consultation_id", "position"])
    .execute();

  await db.schema
    .createTable("proposal_sources")
    .addColumn("proposal_id", "text", (c) => c.notNull().references("proposals.id").onDelete("cascade"))
    .addColumn("position", "integer", (c) => c.notNull())
    .addColumn("file", "text", (c) => c.notNull())
    .addColumn("section", "text", (c) => c.notNull())
    .addColumn("mentions", "integer")
    .addColumn("departement_code", "text")
    .addColumn("workshops", "text", (c) => c.notNull().defaultTo(""))
    .addPrimaryKeyConstraint("proposal_sources_pk", ["proposal_id", "position"])
    .execute();

  await db.schema
    .createTable("proposal_departement_counts")
    .addColumn("proposal_id", "text", (c) => c.notNull().references("proposals.id").onDelete("cascade"))
    .addColumn("departement_code", "text", (c) => c.notNull())
    .addColumn("mentions", "integer", (c) => c.notNull())
    .addColumn("section", "text", (c) => c.notNull())
    .addPrimaryKeyConstraint("proposal_departement_counts_pk", ["proposal_id", "departement_code"])
    .execute();

  await db.schema
    .createTable("proposal_verbatims")
    .addColumn("proposal_id", "text", (c) => c.notNull().references("proposals.id").onDelete("cascade"))
    .addColumn("position", "integer", (c) => c.notNull())
    .addColumn("text", "text", (c) => c.notNull())
    .addPrimaryKeyConstraint("proposal_verbatims_pk", ["proposal_id", "position"])
    .execute();

  await db.schema
    .createTable("workshops")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("consultation_id", "text", (c) => c.notNull().references("consultations.id").onDelete("cascade"))
    .addColumn("slug", "text", (c) => c.notNull())
    .addColumn("place", "text", (c) => c.notNull())
    .addColumn("arrondissement_code", "text")
    .addColumn("departement_code", "text")
    .addColumn("date", "text")
    .addColumn("participants", "integer")
    .addColumn("participants_by_category", "text")
    .addColumn("position", "integer", (c) => c.notNull())
    .addUniqueConstraint("workshops_consultation_slug", ["consultation_id", "slug"])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of [
    "workshops",
    "proposal_verbatims",
    "proposal_departement_counts",
    "proposal_sources",
    "proposals",
    "consultations",
  ]) {
    await db.schema.dropTable(table).execute();
  }
}
