import { PostgresAdapter, sql, type Kysely } from "kysely";

// Frozen in time: imports nothing from the app, takes Kysely<any>.
//
// An account may have no commune: an administrator made by `admin:create` lives nowhere in
// particular, and a null commune places the account in no region, so it votes and comments nowhere
// (unless a commune is given later). users.commune_code loses its NOT NULL; the foreign key stays.

export async function up(db: Kysely<any>): Promise<void> {
  if (db.getExecutor().adapter instanceof PostgresAdapter) {
    await sql`alter table users alter column commune_code drop not null`.execute(db);
    return;
  }
  await rebuildUsers(db, (definition) => {
    const next = definition.replace(/("?commune_code"?\s+text)\s+not null/i, "$1");
    if (next === definition) throw new Error("users.commune_code : définition inattendue");
    return next;
  });
}

export async function down(db: Kysely<any>): Promise<void> {
  // Accounts without a commune cannot go back under NOT NULL.
  const none = await sql<{ n: number }>`select count(*) as n from users where commune_code is null`.execute(db);
  if (Number(none.rows[0]!.n) > 0) throw new Error("des comptes n’ont pas de commune : retour impossible");
  if (db.getExecutor().adapter instanceof PostgresAdapter) {
    await sql`alter table users alter column commune_code set not null`.execute(db);
    return;
  }
  await rebuildUsers(db, (definition) =>
    definition.replace(/("?commune_code"?\s+text)(?!\s+not null)/i, "$1 not null"),
  );
}

// SQLite cannot change a column's constraints: the table is made again under its edited definition
// and the rows copied across (sqlite.org/lang_altertable.html). Foreign keys are off meanwhile, or
// dropping the old table would delete every session, role, ballot link and comment author through
// ON DELETE CASCADE; they are checked before the end. Kysely runs SQLite migrations outside a
// transaction, so the pragma takes effect and the steps make their own.
async function rebuildUsers(db: Kysely<any>, edit: (definition: string) => string): Promise<void> {
  const table = await sql<{
    sql: string;
  }>`select sql from sqlite_master where type = 'table' and name = 'users'`.execute(db);
  const indexes = await sql<{
    sql: string;
  }>`select sql from sqlite_master where type = 'index' and tbl_name = 'users' and sql is not null`.execute(db);
  const definition = edit(table.rows[0]!.sql).replace(/^create table "?users"?/i, 'create table "users_new"');
  const columns = await sql<{ name: string }>`pragma table_info(users)`.execute(db);
  const names = sql.join(columns.rows.map((c) => sql.ref(c.name)));
  await sql`pragma foreign_keys = off`.execute(db);
  try {
    await db.transaction().execute(async (trx) => {
      await sql.raw(definition).execute(trx);
      await sql`insert into users_new (${names}) select ${names} from users`.execute(trx);
      await sql`drop table users`.execute(trx);
      await sql`alter table users_new rename to users`.execute(trx);
      for (const index of indexes.rows) await sql.raw(index.sql).execute(trx);
      const broken = await sql`pragma foreign_key_check`.execute(trx);
      if (broken.rows.length) throw new Error(`clés étrangères rompues : ${JSON.stringify(broken.rows.slice(0, 5))}`);
    });
  } finally {
    await sql`pragma foreign_keys = on`.execute(db);
  }
}
