import { PostgresAdapter, type Kysely } from "kysely";

// With db/connect.ts, the only place that knows which database is behind Kysely.

export function isPostgres(db: Kysely<any>): boolean {
  return db.getExecutor().adapter instanceof PostgresAdapter;
}

/**
 * Takes a row lock that lasts until the transaction ends, so that read-check-write sequences on
 * behalf of one user run one after the other. PostgreSQL: SELECT … FOR UPDATE. SQLite needs
 * nothing: its transactions already run one at a time on the connection.
 */
export async function lockRow(
  trx: Kysely<any>,
  table: "users" | "comments" | "contributions" | "associations",
  id: string,
): Promise<void> {
  if (!isPostgres(trx)) return;
  await trx.selectFrom(table).select("id").where("id", "=", id).forUpdate().execute();
}
