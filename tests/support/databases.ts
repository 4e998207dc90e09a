import { randomBytes } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { inject } from "vitest";
import { connect, type DatabaseHandle } from "../../db/connect";
import { migrateToLatest } from "../../db/migrate";
import { databaseUrl } from "./fixture-setup";

/**
 * The databases every integration test runs against: SQLite always, PostgreSQL too when
 * TEST_DATABASE_URL is set. `open()` gives a new, empty database (a temporary SQLite file, or a
 * PostgreSQL schema of its own that is dropped at close), migrated to the latest schema.
 * `openLoaded()` gives a new database with the territories and the catalogue already loaded, a
 * copy of the run's shared fixture (tests/support/fixture-setup.ts): what the test writes stays
 * in its copy.
 */
export interface TestDatabase {
  name: "sqlite" | "postgres";
  open(): Promise<DatabaseHandle>;
  openLoaded(): Promise<DatabaseHandle>;
  /** Not migrated at all: for tests of the migrations themselves. */
  openEmpty(): Promise<DatabaseHandle>;
}

export const testDatabases: TestDatabase[] = [
  { name: "sqlite", open: () => openSqlite(true), openLoaded: openLoadedSqlite, openEmpty: () => openSqlite(false) },
  ...(process.env.TEST_DATABASE_URL
    ? [
        {
          name: "postgres" as const,
          open: () => openPostgres(true),
          openLoaded: openLoadedPostgres,
          openEmpty: () => openPostgres(false),
        },
      ]
    : []),
];

/** A copy of the shared fixture's SQLite file at `file` (for tests that hand a file to a server). */
export function copyLoadedSqlite(file: string): void {
  fs.copyFileSync(inject("fixtureSqliteFile"), file);
}

async function openSqlite(migrate: boolean): Promise<DatabaseHandle> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "ps-test-"));
  const handle = await connect({ sqliteFile: path.join(dir, "test.sqlite") });
  if (migrate) await migrateToLatest(handle.db, handle.schema);
  return removingDir(handle, dir);
}

async function openLoadedSqlite(): Promise<DatabaseHandle> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "ps-test-"));
  const file = path.join(dir, "test.sqlite");
  copyLoadedSqlite(file);
  return removingDir(await connect({ sqliteFile: file }), dir);
}

function removingDir(handle: DatabaseHandle, dir: string): DatabaseHandle {
  return {
    ...handle,
    close: async () => {
      await handle.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

async function adminQuery(query: string): Promise<void> {
  const client = new pg.Client({ connectionString: process.env.TEST_DATABASE_URL! });
  await client.connect();
  try {
    await client.query(query);
  } finally {
    await client.end();
  }
}

async function openPostgres(migrate: boolean): Promise<DatabaseHandle> {
  const url = process.env.TEST_DATABASE_URL!;
  const schema = `t_${process.pid}_${randomBytes(4).toString("hex")}`;
  const handle = await connect({ databaseUrl: url, pgSchema: schema, pgPoolSize: 4 });
  if (migrate) await migrateToLatest(handle.db, handle.schema);
  return {
    ...handle,
    close: async () => {
      await handle.close();
      await adminQuery(`drop schema if exists ${schema} cascade`);
    },
  };
}

async function openLoadedPostgres(): Promise<DatabaseHandle> {
  const template = inject("fixturePostgresDatabase");
  if (!template) throw new Error("the PostgreSQL fixture was not built (TEST_DATABASE_URL set after the run began?)");
  const database = `t_${process.pid}_${randomBytes(4).toString("hex")}`;
  // Two files cloning the template at the same moment: PostgreSQL refuses the second while the
  // first copies ("being accessed by other users"); it is free again a moment later.
  for (let attempt = 0; ; attempt++) {
    try {
      await adminQuery(`create database ${database} template ${template}`);
      break;
    } catch (error) {
      if (attempt >= 50 || !/being accessed by other users/.test(String(error))) throw error;
      await new Promise((resolve) => setTimeout(resolve, 100 + Math.random() * 200));
    }
  }
  const handle = await connect({
    databaseUrl: databaseUrl(process.env.TEST_DATABASE_URL!, database),
    pgPoolSize: 4,
  });
  return {
    ...handle,
    close: async () => {
      await handle.close();
      // Not WITH (FORCE): the pool's connections are still saying goodbye when close() returns,
      // and a forced drop would kill them mid-way (an uncaught error in the test). Wait instead.
      for (let attempt = 0; ; attempt++) {
        try {
          await adminQuery(`drop database if exists ${database}`);
          return;
        } catch (error) {
          if (attempt >= 50 || !/being accessed by other users/.test(String(error))) throw error;
          await new Promise((resolve) => setTimeout(resolve, 100));
        }
      }
    },
  };
}
