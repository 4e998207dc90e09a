import fs from "node:fs";
import path from "node:path";
import SQLite from "better-sqlite3";
import { Kysely, PostgresDialect, SqliteDialect } from "kysely";
import pg from "pg";
import type { Database } from "./schema";

export type Dialect = "sqlite" | "postgres";

export interface DatabaseHandle {
  db: Kysely<Database>;
  dialect: Dialect;
  /** Where the data lives, for messages (file path or host/database). */
  location: string;
  /** PostgreSQL schema holding the tables ("public" unless told otherwise); undefined on SQLite. */
  schema: string | undefined;
  /** The pg pool behind Kysely on PostgreSQL (rate-limit counters share it); undefined on SQLite. */
  pgPool?: pg.Pool;
  close(): Promise<void>;
}

export interface ConnectOptions {
  databaseUrl?: string | undefined;
  sqliteFile?: string;
  busyTimeoutMs?: number;
  /** PostgreSQL schema to use (tests give each run its own); created if missing. */
  pgSchema?: string;
  pgPoolSize?: number;
}

export class DatabaseOpenError extends Error {}

// This file and db/dialect.ts are the only query code that knows which database is behind Kysely
// (elsewhere only the comments migration, blob or bytea, and the SQLite backup in db/backup.ts).
export async function connect(options: ConnectOptions): Promise<DatabaseHandle> {
  if (options.databaseUrl) return connectPostgres(options.databaseUrl, options);
  return connectSqlite(options.sqliteFile ?? "./data/priorites-sante.sqlite", options.busyTimeoutMs ?? 5000);
}

function connectSqlite(file: string, busyTimeoutMs: number): DatabaseHandle {
  const location = path.resolve(file);
  let sqlite: SQLite.Database;
  try {
    if (file !== ":memory:") fs.mkdirSync(path.dirname(location), { recursive: true });
    sqlite = new SQLite(file, { timeout: busyTimeoutMs });
  } catch (error) {
    throw new DatabaseOpenError(`Impossible d'ouvrir la base SQLite ${location} : ${message(error)}`);
  }
  try {
    sqlite.pragma("journal_mode = WAL");
    // WAL defaults to NORMAL, which can lose the last acknowledged commits on power loss.
    sqlite.pragma("synchronous = FULL");
    sqlite.pragma("foreign_keys = ON");
    sqlite.pragma(`busy_timeout = ${Math.trunc(busyTimeoutMs)}`);
    // Reads the schema (fails on a file that is not a database) and takes the write lock once
    // (fails on a database another process holds locked), so both show at start, not mid-request.
    sqlite.prepare("select count(*) from sqlite_master").get();
    sqlite.exec("begin immediate; rollback;");
  } catch (error) {
    sqlite.close();
    const reason = message(error);
    const hint = /locked|busy/i.test(reason)
      ? "la base est verrouillée par un autre processus"
      : "le fichier est illisible ou corrompu";
    throw new DatabaseOpenError(`Base SQLite inutilisable : ${location} (${hint} : ${reason})`);
  }
  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: withStatementCache(sqlite) }) });
  return {
    db,
    dialect: "sqlite",
    location,
    schema: undefined,
    close: () => db.destroy(),
  };
}

async function connectPostgres(url: string, options: ConnectOptions): Promise<DatabaseHandle> {
  const schema = options.pgSchema;
  if (schema && !/^[a-z_][a-z0-9_]{0,62}$/.test(schema)) {
    throw new DatabaseOpenError(`Nom de schéma PostgreSQL invalide : ${schema}`);
  }
  const pool = new pg.Pool({
    connectionString: url,
    max: options.pgPoolSize ?? 10,
    ...(schema ? { options: `-c search_path=${schema}` } : {}),
  });
  const parsed = new URL(url);
  const location = `${parsed.hostname}:${parsed.port || 5432}${parsed.pathname}${schema ? ` (schéma ${schema})` : ""}`;
  try {
    const client = await pool.connect();
    try {
      if (schema) await client.query(`create schema if not exists ${schema}`);
    } finally {
      client.release();
    }
  } catch (error) {
    await pool.end();
    throw new DatabaseOpenError(`Impossible de joindre PostgreSQL ${location} : ${message(error)}`);
  }
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  return { db, dialect: "postgres", location, schema: schema ?? "public", pgPool: pool, close: () => db.destroy() };
}

/**
 * Kysely prepares every query anew; on the vote path that was 7 % of the server's CPU (profile in the
 * README, Benchmarks). The same SQL text always gets the same statement here, so each query shape is
 * prepared once. Safe because Kysely runs one query at a time on this single connection (a
 * streamed query holds the connection until it ends), so a statement is never busy twice. The
 * cache is bounded: texts with a variable number of `?` (`in (…)`) could otherwise grow it forever.
 */
export function withStatementCache(sqlite: SQLite.Database, limit = 1000) {
  const statements = new Map<string, SQLite.Statement>();
  return {
    close: () => sqlite.close(),
    prepare(text: string): SQLite.Statement {
      let statement = statements.get(text);
      if (!statement) {
        statement = sqlite.prepare(text);
        if (statements.size >= limit) statements.delete(statements.keys().next().value!);
        statements.set(text, statement);
      }
      return statement;
    },
  };
}

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
