import { PostgresAdapter, sql, type Kysely } from "kysely";

// Frozen in time: imports nothing from the app, takes Kysely<any>.
//
// Stored codes in one language, English (what pages show stays French, from the labels): a
// consultation's phase was stored in French while every other code was English.
// brouillon → draft, ouverte → open, close → closed, resultats_publies → results_published.
// The values, the CHECK constraint and the default change together.

const MAP: [string, string][] = [
  ["brouillon", "draft"],
  ["ouverte", "open"],
  ["close", "closed"],
  ["resultats_publies", "results_published"],
];

export async function up(db: Kysely<any>): Promise<void> {
  await rewrite(db, MAP);
}

export async function down(db: Kysely<any>): Promise<void> {
  await rewrite(
    db,
    MAP.map(([a, b]) => [b, a]),
  );
}

async function rewrite(db: Kysely<any>, map: [string, string][]): Promise<void> {
  const to = map.map(([, b]) => b);
  const [, firstTo] = map[0]!;
  const mapped = sql.join(
    map.map(([from, into]) => sql`when ${sql.lit(from)} then ${sql.lit(into)}`),
    sql` `,
  );
  if (db.getExecutor().adapter instanceof PostgresAdapter) {
    await sql`alter table consultations drop constraint consultations_status_check`.execute(db);
    await sql`update consultations set status = case status ${mapped} else status end`.execute(db);
    await sql`alter table consultations alter column status set default ${sql.lit(firstTo)}`.execute(db);
    await sql`alter table consultations add constraint consultations_status_check check (status in (${sql.join(to.map((v) => sql.lit(v)))}))`.execute(
      db,
    );
    return;
  }
  // SQLite cannot change a CHECK constraint: the table is made again under its own definition with
  // the new codes, the rows copied across (the steps of sqlite.org/lang_altertable.html). Foreign
  // keys are off meanwhile, or dropping the old table would delete every proposal, ballot and
  // comment through ON DELETE CASCADE; they are checked before the end. Kysely runs SQLite
  // migrations outside a transaction, so the pragma takes effect and the steps make their own.
  const table = await sql<{
    sql: string;
  }>`select sql from sqlite_master where type = 'table' and name = 'consultations'`.execute(db);
  const indexes = await sql<{
    sql: string;
  }>`select sql from sqlite_master where type = 'index' and tbl_name = 'consultations' and sql is not null`.execute(db);
  let definition = table.rows[0]!.sql.replace(/^create table "?consultations"?/i, 'create table "consultations_new"');
  for (const [from, into] of map) definition = definition.replaceAll(`'${from}'`, `'${into}'`);
  const columns = await sql<{ name: string }>`pragma table_info(consultations)`.execute(db);
  const names = columns.rows.map((c) => c.name);
  await sql`pragma foreign_keys = off`.execute(db);
  try {
    await db.transaction().execute(async (trx) => {
      await sql.raw(definition).execute(trx);
      await sql`insert into consultations_new (${sql.join(names.map((n) => sql.ref(n)))}) select ${sql.join(
        names.map((n) => (n === "status" ? sql`case status ${mapped} else status end` : sql.ref(n))),
      )} from consultations`.execute(trx);
      await sql`drop table consultations`.execute(trx);
      await sql`alter table consultations_new rename to consultations`.execute(trx);
      for (const index of indexes.rows) await sql.raw(index.sql).execute(trx);
      const broken = await sql`pragma foreign_key_check`.execute(trx);
      if (broken.rows.length) throw new Error(`clés étrangères rompues : ${JSON.stringify(broken.rows.slice(0, 5))}`);
    });
  } finally {
    await sql`pragma foreign_keys = on`.execute(db);
  }
}
