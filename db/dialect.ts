import { PostgresAdapter, sql, type Kysely, type Transaction } from "kysely";

// With db/connect.ts, the only query code that knows which database is behind Kysely.

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

type Work<T> = (trx: Transaction<any>) => Promise<T>;
interface Pending {
  work: Work<unknown>;
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
}
const groups = new WeakMap<Kysely<any>, Pending[]>();

/**
 * Runs `work` atomically and resolves once it is durably committed. PostgreSQL: a transaction of
 * its own. SQLite: every write that arrives in the same turn of the event loop shares one
 * transaction, each in a savepoint of its own (group commit). With `synchronous=FULL` each
 * COMMIT waits for the disk, and better-sqlite3 blocks the event loop meanwhile: the vote
 * benchmark's profile showed half of the SQLite time in COMMIT. Grouping keeps the durability (no
 * one is answered before the commit that holds their write) and each write's all-or-nothing (a
 * failing one is rolled back to its savepoint, the others stay), and pays one disk wait per group.
 * A failed COMMIT fails every write of the group. Inside a transaction already, `work` simply runs
 * in it.
 */
export function writeTransaction<DB, T>(db: Kysely<DB>, work: (trx: Transaction<DB>) => Promise<T>): Promise<T> {
  if (db.isTransaction) return work(db as Transaction<DB>);
  if (isPostgres(db)) return db.transaction().execute(work);
  return new Promise<T>((resolve, reject) => {
    let queue = groups.get(db);
    if (!queue) {
      queue = [];
      groups.set(db, queue);
    }
    queue.push({ work: work as Work<unknown>, resolve: resolve as (value: unknown) => void, reject });
    // The first write of a turn schedules the group after the I/O callbacks of this turn, so the
    // requests parsed in the same turn join it.
    if (queue.length === 1) setImmediate(() => void runGroup(db, queue));
  });
}

async function runGroup(db: Kysely<any>, queue: Pending[]): Promise<void> {
  const batch = queue.splice(0);
  const outcomes: (() => void)[] = [];
  try {
    const trx = await db.startTransaction().execute();
    try {
      for (const [i, item] of batch.entries()) {
        const name = `w${i}`;
        const savepoint = await trx.savepoint(name).execute();
        try {
          const value = await item.work(savepoint);
          await savepoint.releaseSavepoint(name).execute();
          outcomes.push(() => item.resolve(value));
        } catch (error) {
          await savepoint.rollbackToSavepoint(name).execute();
          await savepoint.releaseSavepoint(name).execute();
          outcomes.push(() => item.reject(error));
        }
      }
      await trx.commit().execute();
    } catch (error) {
      await trx
        .rollback()
        .execute()
        .catch(() => undefined);
      throw error;
    }
  } catch (error) {
    for (const item of batch) item.reject(error);
    return;
  }
  for (const settle of outcomes) settle();
}

export const PREPARED_MARK = "/* prepared */";

/**
 * Marks a statement of the hot paths (the session, the vote's read and write) to be prepared once
 * per PostgreSQL connection: its parsing and planning cost more than its execution (measured on
 * the vote's write: 0.58–0.69 ms a statement unnamed, 0.13–0.16 ms prepared). Only for statements
 * whose text does not vary with the data (no `in (…)` lists of varying length): each distinct
 * text stays prepared in every connection for the connection's life. SQLite ignores the comment
 * (its statements are all kept prepared, `withStatementCache` in connect.ts). Not for PgBouncer in transaction
 * mode, which does not carry named statements between server connections.
 */
export const PREPARED = sql.raw(PREPARED_MARK);
