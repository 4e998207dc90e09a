import { randomBytes } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { connect, type DatabaseHandle } from "../../db/connect";
import { migrateToLatest } from "../../db/migrate";

/**
 * The databases every integration test runs against: SQLite always, PostgreSQL too when
 * TEST_DATABASE_URL is set. Each opened database is new and empty (a temporary SQLite file, or a
 * PostgreSQL schema of its own that is dropped at close), migrated to the latest schema.
 */
export interface TestDatabase {
  name: "sqlite" | "postgres";
  open(): Promise<DatabaseHandle>;
}

export const testDatabases: TestDatabase[] = [
  { name: "sqlite", open: openSqlite },
  ...(process.env.TEST_DATABASE_URL ? [{ name: "postgres" as const, open: openPostgres }] : []),
];

async function openSqlite(): Promise<DatabaseHandle> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "ps-test-"));
  const handle = await connect({ sqliteFile: path.join(dir, "test.sqlite") });
  await migrateToLatest(handle.db, handle.schema);
  return {
    ...handle,
    close: async () => {
      await handle.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

async function openPostgres(): Promise<DatabaseHandle> {
  const url = process.env.TEST_DATABASE_URL!;
  const schema = `t_${process.pid}_${randomBytes(4).toString("hex")}`;
  const handle = await connect({ databaseUrl: url, pgSchema: schema, pgPoolSize: 4 });
  await migrateToLatest(handle.db, handle.schema);
  return {
    ...handle,
    close: async () => {
      await handle.close();
      const client = new pg.Client({ connectionString: url });
      await client.connect();
      await client.query(`drop schema if exists ${schema} cascade`);
      await client.end();
    },
  };
}
