import { PostgresAdapter, sql, type Kysely } from "kysely";

// Frozen in time: imports nothing from the app, takes Kysely<any>.
//
// Stored codes in one language, English, after the consultation phase (2026_12_04_1010): a
// proposal's theme, level and kind and a comment's stance were still stored in French. What pages
// show stays French, from the labels. Values and CHECK constraints change together, in every
// column that stores them.

const THEME: [string, string][] = [
  ["acces", "access"],
  ["continuite", "continuity"],
  ["attractivite", "attractiveness"],
  ["prevention", "prevention"],
  ["environnement", "environment"],
];
const LEVEL: [string, string][] = [
  ["impulsion_locale", "local_impetus"],
  ["travaux_nationaux", "national_work"],
];
const KIND: [string, string][] = [
  ["proposition", "proposal"],
  ["engagement", "commitment"],
  ["idee_cle", "key_idea"],
];
const STANCE: [string, string][] = [
  ["pour", "for"],
  ["contre", "against"],
  ["nuance", "nuanced"],
];

type Column = { name: string; map: [string, string][]; checked: boolean };
const TABLES: { table: string; columns: Column[] }[] = [
  {
    table: "proposals",
    columns: [
      { name: "theme", map: THEME, checked: true },
      { name: "secondary_theme", map: THEME, checked: true },
      { name: "level", map: LEVEL, checked: true },
      { name: "kind", map: KIND, checked: true },
    ],
  },
  // The theme a merged entry's source prints it under: no constraint, same codes.
  { table: "proposal_sources", columns: [{ name: "theme", map: THEME, checked: false }] },
  { table: "comments", columns: [{ name: "stance", map: STANCE, checked: true }] },
];

const reverse = (map: [string, string][]): [string, string][] => map.map(([a, b]) => [b, a]);

export async function up(db: Kysely<any>): Promise<void> {
  for (const { table, columns } of TABLES) await rewrite(db, table, columns);
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const { table, columns } of TABLES)
    await rewrite(
      db,
      table,
      columns.map((c) => ({ ...c, map: reverse(c.map) })),
    );
}

function mapped(column: string, map: [string, string][]) {
  const cases = sql.join(
    map.map(([from, into]) => sql`when ${sql.lit(from)} then ${sql.lit(into)}`),
    sql` `,
  );
  return sql`case ${sql.ref(column)} ${cases} else ${sql.ref(column)} end`;
}

async function rewrite(db: Kysely<any>, table: string, columns: Column[]): Promise<void> {
  const checked = columns.filter((c) => c.checked);
  if (db.getExecutor().adapter instanceof PostgresAdapter || checked.length === 0) {
    const postgres = db.getExecutor().adapter instanceof PostgresAdapter;
    // PostgreSQL names a column's CHECK constraint <table>_<column>_check.
    if (postgres)
      for (const c of checked)
        await sql`alter table ${sql.table(table)} drop constraint ${sql.id(`${table}_${c.name}_check`)}`.execute(db);
    await db
      .updateTable(table)
      .set(Object.fromEntries(columns.map((c) => [c.name, mapped(c.name, c.map)])))
      .execute();
    if (postgres)
      for (const c of checked)
        await sql`alter table ${sql.table(table)} add constraint ${sql.id(`${table}_${c.name}_check`)} check (${sql.ref(
          c.name,
        )} in (${sql.join(c.map.map(([, into]) => sql.lit(into)))}))`.execute(db);
    return;
  }
  // SQLite cannot change a CHECK constraint: the table is made again under its own definition with
  // the new codes, the rows copied across (as in 2026_12_04_1010_english_status, same reasons:
  // foreign keys off meanwhile so no ON DELETE CASCADE fires, checked before the end).
  const definitionRow = await sql<{
    sql: string;
  }>`select sql from sqlite_master where type = 'table' and name = ${table}`.execute(db);
  const indexes = await sql<{
    sql: string;
  }>`select sql from sqlite_master where type = 'index' and tbl_name = ${table} and sql is not null`.execute(db);
  let definition = definitionRow.rows[0]!.sql.replace(
    new RegExp(`^create table "?${table}"?`, "i"),
    `create table "${table}_new"`,
  );
  // Only the CHECK lists quote these words in the definition.
  for (const c of checked)
    for (const [from, into] of c.map) definition = definition.replaceAll(`'${from}'`, `'${into}'`);
  const info = await sql<{ name: string }>`pragma table_info(${sql.raw(`"${table}"`)})`.execute(db);
  const names = info.rows.map((c) => c.name);
  const byName = new Map(columns.map((c) => [c.name, c]));
  await sql`pragma foreign_keys = off`.execute(db);
  try {
    await db.transaction().execute(async (trx) => {
      await sql.raw(definition).execute(trx);
      await sql`insert into ${sql.table(`${table}_new`)} (${sql.join(names.map((n) => sql.ref(n)))}) select ${sql.join(
        names.map((n) => {
          const c = byName.get(n);
          return c ? mapped(n, c.map) : sql.ref(n);
        }),
      )} from ${sql.table(table)}`.execute(trx);
      await sql`drop table ${sql.table(table)}`.execute(trx);
      await sql`alter table ${sql.table(`${table}_new`)} rename to ${sql.table(table)}`.execute(trx);
      for (const index of indexes.rows) await sql.raw(index.sql).execute(trx);
      const broken = await sql`pragma foreign_key_check`.execute(trx);
      if (broken.rows.length) throw new Error(`clés étrangères rompues : ${JSON.stringify(broken.rows.slice(0, 5))}`);
    });
  } finally {
    await sql`pragma foreign_keys = on`.execute(db);
  }
}
