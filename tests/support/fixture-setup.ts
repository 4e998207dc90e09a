import { randomBytes } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import type { TestProject } from "vitest/node";
import { connect, type DatabaseHandle } from "../../db/connect";
import { migrateToLatest } from "../../db/migrate";
import { loadTerritories } from "../../db/territories/load";
import { loadCatalogue } from "../../app/catalogue/catalogue-load.server";

/**
 * Vitest global setup: the shared fixture of the integration tests, built once per run. A database
 * migrated, with the territories and the catalogue loaded — what nearly every integration file
 * starts from — as a SQLite file that each test copies, and (with TEST_DATABASE_URL) a PostgreSQL
 * database that each test clones with CREATE DATABASE … TEMPLATE. Loading them took each file
 * about 3 s per database before.
 */

declare module "vitest" {
  export interface ProvidedContext {
    fixtureSqliteFile: string;
    fixturePostgresDatabase: string | null;
  }
}

export function databaseUrl(base: string, database: string): string {
  const url = new URL(base);
  url.pathname = `/${database}`;
  return url.toString();
}

async function load(handle: DatabaseHandle): Promise<void> {
  await migrateToLatest(handle.db, handle.schema);
  await loadTerritories(handle.db);
  await loadCatalogue(handle.db);
}

export default async function setup(project: TestProject) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "ps-fixture-"));
  const sqliteFile = path.join(dir, "loaded.sqlite");
  const sqlite = await connect({ sqliteFile });
  await load(sqlite);
  // Closing the last connection checkpoints the WAL into the file: the copy is the whole database.
  await sqlite.close();
  project.provide("fixtureSqliteFile", sqliteFile);

  const base = process.env.TEST_DATABASE_URL;
  let template: string | null = null;
  if (base) {
    template = `ps_fixture_${process.pid}_${randomBytes(3).toString("hex")}`;
    const admin = new pg.Client({ connectionString: base });
    await admin.connect();
    await admin.query(`create database ${template}`);
    await admin.end();
    const handle = await connect({ databaseUrl: databaseUrl(base, template) });
    await load(handle);
    await handle.close();
  }
  project.provide("fixturePostgresDatabase", template);

  return async () => {
    fs.rmSync(dir, { recursive: true, force: true });
    if (base && template) {
      const admin = new pg.Client({ connectionString: base });
      await admin.connect();
      await admin.query(`drop database if exists ${template} with (force)`);
      await admin.end();
    }
  };
}
