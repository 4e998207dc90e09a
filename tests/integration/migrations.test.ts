import { Migrator, type Kysely } from "kysely";
import { describe, expect, it } from "vitest";
import type { DatabaseHandle } from "../../db/connect";
import { migrateToLatest, migrationsAreCurrent } from "../../db/migrate";
import { migrations } from "../../db/migrations/index";
import { testDatabases } from "../support/databases";

describe.each(testDatabases)("migrations on $name", ({ open }) => {
  it("migrate a second database beside a first one (PostgreSQL: another schema), and say they are current", async () => {
    // Before migrations named their schema, the second PostgreSQL schema took the first one's
    // migration table for its own and failed with "kysely_migration_lock does not exist".
    const first = await open();
    const second = await open();
    try {
      for (const h of [first, second]) {
        expect(await migrationsAreCurrent(h.db, h.schema)).toBe(true);
        const again = await migrateToLatest(h.db, h.schema);
        expect(again.results).toEqual([]);
        const count = await h.db
          .selectFrom("regions")
          .select((eb) => eb.fn.countAll<number>().as("n"))
          .executeTakeFirstOrThrow();
        expect(Number(count.n)).toBe(0);
      }
    } finally {
      await first.close();
      await second.close();
    }
  });
});

/** A database of an earlier schema, typed loosely: its tables are not those of db/schema.ts. */
type OldSchema = Record<string, Record<string, unknown>>;

/** Migrates `h` up to and including `name` (the state a database of that time was in). */
async function migrateUpTo(h: DatabaseHandle, name: string) {
  const result = await new Migrator({
    db: h.db,
    provider: { getMigrations: async () => migrations },
    ...(h.schema ? { migrationTableSchema: h.schema } : {}),
  }).migrateTo(name);
  if (result.error) throw result.error;
}

/** The one commune a user of the old schema needs (users.commune_code references communes). */
async function placeLisieux(db: Kysely<OldSchema>) {
  await db.insertInto("regions").values({ code: "28", name: "Normandie" }).execute();
  await db.insertInto("departements").values({ code: "14", name: "Calvados", region_code: "28" }).execute();
  await db
    .insertInto("arrondissements")
    .values({ code: "143", name: "Lisieux", departement_code: "14", region_code: "28", population: 1 })
    .execute();
  await db
    .insertInto("communes")
    .values({
      code: "14366",
      name: "Lisieux",
      kind: "commune",
      parent_code: null,
      arrondissement_code: "143",
      departement_code: "14",
      region_code: "28",
      population: 1,
      postal_codes: "14100",
      search_name: "lisieux",
    })
    .execute();
}

describe.each(testDatabases)("data kept across the renaming migrations on $name", ({ openEmpty }) => {
  it("2026_12_04_1000_flags: the abuse flags of the table once named reports are all in flags", async () => {
    const h = await openEmpty();
    try {
      await migrateUpTo(h, "2026_11_23_1400_reports");
      const old = h.db as unknown as Kysely<OldSchema>;
      const now = new Date().toISOString();
      await placeLisieux(old);
      await old
        .insertInto("users")
        .values({
          id: "u1",
          email: "a@exemple.fr",
          password_hash: "x",
          email_verified_at: now,
          commune_code: "14366",
          display_name: null,
          created_at: now,
          updated_at: now,
        })
        .execute();
      const flag = (id: string, reason: "spam" | "insult") => ({
        id,
        target_kind: "comment" as const,
        target_id: `c-${id}`,
        reporter_id: "u1",
        reason,
        details: `détail ${id}`,
        created_at: now,
        resolved_at: null,
        resolution: null,
      });
      await old
        .insertInto("reports")
        .values([flag("f1", "spam"), flag("f2", "insult")])
        .execute();
      await migrateToLatest(h.db, h.schema);
      const rows = await h.db.selectFrom("flags").selectAll().orderBy("id").execute();
      expect(rows).toEqual([flag("f1", "spam"), flag("f2", "insult")]);
      // The constraints moved with the table: still one flag per person per item.
      await expect(h.db.insertInto("flags").values(flag("f1", "spam")).execute()).rejects.toThrow();
      await expect(
        h.db
          .insertInto("flags")
          .values({ ...flag("f3", "spam"), target_id: "c-f1" })
          .execute(),
      ).rejects.toThrow();
    } finally {
      await h.close();
    }
  });
});

describe.each(testDatabases)("stored codes in English on $name", ({ openEmpty }) => {
  it("2026_12_04_1010_english_status: each consultation's phase is mapped, nothing that points to it is lost", async () => {
    const h = await openEmpty();
    try {
      await migrateUpTo(h, "2026_12_04_1000_flags");
      const old = h.db as unknown as Kysely<OldSchema>;
      const now = new Date().toISOString();
      await placeLisieux(old);
      const phases = { brouillon: "draft", ouverte: "open", close: "closed", resultats_publies: "results_published" };
      for (const [i, status] of Object.keys(phases).entries()) {
        await old
          .insertInto("consultations")
          .values({
            id: `k-${status}`,
            slug: `consultation-${status}`,
            region_code: "28",
            title: status,
            description: "",
            source_file: "x.json",
            status,
            position: i,
            created_at: now,
            updated_at: now,
          })
          .execute();
        await old
          .insertInto("proposals")
          .values({
            id: `p-${status}`,
            consultation_id: `k-${status}`,
            slug: `proposition-${status}`,
            title: "Une proposition",
            summary: null,
            text: "Texte",
            theme: "acces",
            level: null,
            kind: "proposition",
            group_slug: null,
            position: 0,
            mentions: null,
            search_text: "texte",
            updated_at: now,
          })
          .execute();
      }
      await migrateToLatest(h.db, h.schema);
      const rows = await h.db.selectFrom("consultations").select(["id", "status"]).orderBy("position").execute();
      expect(rows).toEqual(Object.entries(phases).map(([from, to]) => ({ id: `k-${from}`, status: to })));
      // Rows pointing to the consultations are all still there (no cascade while SQLite rebuilt the table).
      const proposals = await h.db.selectFrom("proposals").select("id").execute();
      expect(proposals).toHaveLength(4);
      // The constraint speaks the new codes only; a new consultation starts as a draft.
      await expect(
        old.updateTable("consultations").set({ status: "ouverte" }).where("id", "=", "k-brouillon").execute(),
      ).rejects.toThrow();
      await old
        .insertInto("consultations")
        .values({
          id: "k-new",
          slug: "nouvelle",
          region_code: "28",
          title: "Nouvelle",
          description: "",
          source_file: "y.json",
          position: 9,
          created_at: now,
          updated_at: now,
        })
        .execute();
      expect(
        (await h.db.selectFrom("consultations").select("status").where("id", "=", "k-new").executeTakeFirstOrThrow())
          .status,
      ).toBe("draft");
    } finally {
      await h.close();
    }
  });

  it("2026_12_04_1700_english_codes: theme, level, kind and stance are mapped in every column, nothing is lost", async () => {
    const h = await openEmpty();
    try {
      await migrateUpTo(h, "2026_12_04_1300_identity_security");
      const old = h.db as unknown as Kysely<OldSchema>;
      const now = new Date().toISOString();
      await placeLisieux(old);
      await old
        .insertInto("users")
        .values({
          id: "u1",
          email: "a@exemple.fr",
          password_hash: "x",
          email_verified_at: now,
          commune_code: "14366",
          display_name: null,
          created_at: now,
          updated_at: now,
        })
        .execute();
      await old
        .insertInto("consultations")
        .values({
          id: "k1",
          slug: "consultation",
          region_code: "28",
          title: "Consultation",
          description: "",
          source_file: "x.json",
          position: 0,
          created_at: now,
          updated_at: now,
        })
        .execute();
      // [old theme, old secondary theme, old level, old kind] → the new codes, one proposal each.
      const proposals: [string[], (string | null)[]][] = [
        [
          ["acces", "continuite", "impulsion_locale", "proposition"],
          ["access", "continuity", "local_impetus", "proposal"],
        ],
        [
          ["continuite", "attractivite", "travaux_nationaux", "engagement"],
          ["continuity", "attractiveness", "national_work", "commitment"],
        ],
        [
          ["attractivite", "acces", null!, "idee_cle"],
          ["attractiveness", "access", null, "key_idea"],
        ],
        [
          ["prevention", null!, null!, "proposition"],
          ["prevention", null, null, "proposal"],
        ],
        [
          ["environnement", "prevention", null!, "proposition"],
          ["environment", "prevention", null, "proposal"],
        ],
      ];
      for (const [i, [[theme, secondary, level, kind]]] of proposals.entries()) {
        await old
          .insertInto("proposals")
          .values({
            id: `p${i}`,
            consultation_id: "k1",
            slug: `proposition-${i}`,
            title: "Une proposition",
            summary: null,
            text: "Texte",
            theme,
            secondary_theme: secondary,
            level,
            kind,
            group_slug: null,
            position: i,
            mentions: null,
            search_text: "texte",
            updated_at: now,
          })
          .execute();
        await old
          .insertInto("proposal_sources")
          .values({ proposal_id: `p${i}`, position: 0, file: "x.txt", section: "S", theme: i === 0 ? null : theme })
          .execute();
        await old
          .insertInto("proposal_departement_counts")
          .values({ proposal_id: `p${i}`, departement_code: "14", mentions: 1, section: "S" })
          .execute();
      }
      const stances = { pour: "for", contre: "against", nuance: "nuanced" };
      const comment = (id: string, stance: string | null, parent: string | null) => ({
        id,
        consultation_id: "k1",
        proposal_id: "p0",
        parent_id: parent,
        user_id: "u1",
        anonymous: 1,
        stance,
        body: `Texte ${id}`,
        arrondissement_code: "143",
        cts_code: "14",
        created_at: now,
        updated_at: now,
      });
      for (const stance of Object.keys(stances))
        await old
          .insertInto("comments")
          .values(comment(stance, stance, null))
          .execute();
      await old
        .insertInto("comments")
        .values(comment("reply", null, "pour"))
        .execute();
      await old.insertInto("comment_useful").values({ comment_id: "pour", user_id: "u1", created_at: now }).execute();

      await migrateToLatest(h.db, h.schema);

      const rows = await h.db
        .selectFrom("proposals")
        .select(["theme", "secondary_theme", "level", "kind"])
        .orderBy("position")
        .execute();
      expect(rows.map((r) => [r.theme, r.secondary_theme, r.level, r.kind])).toEqual(proposals.map(([, to]) => to));
      const sources = await h.db.selectFrom("proposal_sources").select("theme").orderBy("proposal_id").execute();
      expect(sources.map((s) => s.theme)).toEqual([null, ...proposals.slice(1).map(([, [theme]]) => theme)]);
      const comments = await h.db.selectFrom("comments").select(["id", "stance", "parent_id"]).orderBy("id").execute();
      expect(comments).toEqual([
        { id: "contre", stance: "against", parent_id: null },
        { id: "nuance", stance: "nuanced", parent_id: null },
        { id: "pour", stance: "for", parent_id: null },
        { id: "reply", stance: null, parent_id: "pour" },
      ]);
      // Rows pointing to the rebuilt tables are all still there (no cascade while SQLite rebuilt them).
      expect(await h.db.selectFrom("proposal_departement_counts").select("proposal_id").execute()).toHaveLength(5);
      expect(await h.db.selectFrom("comment_useful").select("comment_id").execute()).toHaveLength(1);
      // The constraints speak the new codes only, and still hold.
      await expect(
        old.updateTable("proposals").set({ theme: "acces" }).where("id", "=", "p0").execute(),
      ).rejects.toThrow();
      await expect(
        old.updateTable("proposals").set({ secondary_theme: "acces" }).where("id", "=", "p0").execute(),
      ).rejects.toThrow();
      await expect(old.updateTable("proposals").set({ level: "impulsion_locale" }).execute()).rejects.toThrow();
      await expect(old.updateTable("proposals").set({ kind: "proposition" }).execute()).rejects.toThrow();
      await expect(
        old.updateTable("comments").set({ stance: "pour" }).where("id", "=", "pour").execute(),
      ).rejects.toThrow();
      await expect(
        old.updateTable("comments").set({ stance: null }).where("id", "=", "pour").execute(),
      ).rejects.toThrow();
      await h.db
        .updateTable("proposals")
        .set({ theme: "environment", kind: "key_idea" })
        .where("id", "=", "p0")
        .execute();
      await h.db.updateTable("comments").set({ stance: "nuanced" }).where("id", "=", "pour").execute();
    } finally {
      await h.close();
    }
  });
});
