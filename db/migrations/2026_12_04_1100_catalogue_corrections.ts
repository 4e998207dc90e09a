import { sql, type Kysely } from "kysely";

// Frozen in time: imports nothing from the app, takes Kysely<any>.
// Issue 16: a short title keeps the source's full wording beside it; an entry may have a second
// theme (filters find it under both); a merged entry's sources say the theme they are printed under.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable("proposals").addColumn("source_wording", "text").execute();
  await db.schema
    .alterTable("proposals")
    .addColumn("secondary_theme", "text", (c) =>
      c.check(sql`secondary_theme in ('acces', 'continuite', 'attractivite', 'prevention', 'environnement')`),
    )
    .execute();
  await db.schema.alterTable("proposal_sources").addColumn("theme", "text").execute();
  await db.schema
    .createIndex("proposals_consultation_secondary_theme")
    .on("proposals")
    .columns(["consultation_id", "secondary_theme"])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex("proposals_consultation_secondary_theme").execute();
  await db.schema.alterTable("proposal_sources").dropColumn("theme").execute();
  await db.schema.alterTable("proposals").dropColumn("secondary_theme").execute();
  await db.schema.alterTable("proposals").dropColumn("source_wording").execute();
}
