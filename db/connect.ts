import { createHash } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import SQLite from "better-sqlite3";
import { Kysely, PostgresDialect, SqliteDialect, type LogEvent } from "kysely";
import pg from "pg";
import { PREPARED_MARK } from "./dialect";
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
  /** Why the database cannot take writes right now ("disque plein", "lecture seule"), or null. */
  writeProblem(): Promise<WriteProblem | null>;
  close(): Promise<void>;
}

export type WriteProblem = "disque plein" | "lecture seule";

export interface ConnectOptions {
  databaseUrl?: string | undefined;
  sqliteFile?: string;
  busyTimeoutMs?: number;
  /** PostgreSQL schema to use (tests give each run its own); created if missing. */
  pgSchema?: string;
  pgPoolSize?: number;
  /**
   * PostgreSQL: the server cancels a statement after this long (statement_timeout; its transaction
   * rolls back), and the client gives up on an answer a second later (a stalled network), dropping
   * that connection so the statement cannot complete afterwards. Default 5 s.
   */
  statementTimeoutMs?: number;
  /** PostgreSQL: how long to wait for a connection (new or from the pool). Default 3 s. */
  connectTimeoutMs?: number;
  /**
   * Told of every failed query or connection (lost connections included: without a listener they
   * would crash the process) and of every query that worked, so the app can tell a store episode.
   */
  events?: { error(error: unknown): void; ok(statement: string): void };
}

/** Below this many free bytes the disk is reported full (SQLite's next checkpoint may need more). */
const MIN_FREE_BYTES = 1024 * 1024;

export class DatabaseOpenError extends Error {}

// This file and db/dialect.ts are the only query code that knows which database is behind Kysely
// (elsewhere only the comments migration, blob or bytea, and the SQLite backup in db/backup.ts).
export async function connect(options: ConnectOptions): Promise<DatabaseHandle> {
  if (options.databaseUrl) return connectPostgres(options.databaseUrl, options);
  return connectSqlite(options.sqliteFile ?? "./data/priorites-sante.sqlite", options.busyTimeoutMs ?? 5000, options);
}

function kyselyLog(events: ConnectOptions["events"]) {
  if (!events) return undefined;
  return (event: LogEvent) => (event.level === "error" ? events.error(event.error) : events.ok(event.query.sql));
}

function connectSqlite(file: string, busyTimeoutMs: number, options: ConnectOptions): DatabaseHandle {
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
    throw new DatabaseOpenError(`Base SQLite inutilisable : ${location} (${sqliteOpenHint(location, error)})`);
  }
  const log = kyselyLog(options.events);
  const db = new Kysely<Database>({
    dialect: new SqliteDialect({ database: withStatementCache(sqlite) }),
    ...(log ? { log } : {}),
  });
  return {
    db,
    dialect: "sqlite",
    location,
    schema: undefined,
    writeProblem: async () => (file === ":memory:" ? null : fileWriteProblem(location)),
    close: () => db.destroy(),
  };
}

/**
 * Why SQLite could not open a file, in words that send the operator the right way: a full disk or
 * a read-only mount leave the file intact, and "illisible ou corrompu" would send them to a backup.
 */
export function sqliteOpenHint(location: string, error: unknown): string {
  const reason = message(error);
  const code = String((error as { code?: unknown }).code ?? "");
  if (/locked|busy/i.test(reason) || code.startsWith("SQLITE_BUSY") || code.startsWith("SQLITE_LOCKED")) {
    return `la base est verrouillée par un autre processus : ${reason}`;
  }
  const problem = code === "SQLITE_FULL" ? "disque plein" : fileWriteProblem(location);
  if (problem === "disque plein") {
    return `disque plein : le fichier est intact, libérez de la place puis redémarrez (${reason})`;
  }
  if (problem === "lecture seule" || code.startsWith("SQLITE_READONLY")) {
    return `lecture seule : le fichier ou son dossier ne peut pas être écrit (montage en lecture seule ou droits), le fichier n’est pas en cause (${reason})`;
  }
  if (code === "SQLITE_NOTADB" || code.startsWith("SQLITE_CORRUPT")) {
    return `le fichier est illisible ou corrompu : ${reason}`;
  }
  return `impossible d’utiliser le fichier : ${reason}`;
}

/** "lecture seule" when the file or its folder cannot be written, "disque plein" when no room is left. */
function fileWriteProblem(location: string): WriteProblem | null {
  const dir = path.dirname(location);
  try {
    fs.accessSync(dir, fs.constants.W_OK);
    if (fs.existsSync(location)) fs.accessSync(location, fs.constants.W_OK);
  } catch {
    return "lecture seule";
  }
  try {
    // access() does not see a read-only mount for root; statfs's flags are not exposed, so ask
    // the kernel through a write that changes nothing visible.
    const probe = path.join(dir, `.ps-write-probe-${process.pid}`);
    fs.writeFileSync(probe, "");
    fs.rmSync(probe);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "EROFS" || code === "EACCES" || code === "EPERM") return "lecture seule";
    if (code === "ENOSPC" || code === "EDQUOT") return "disque plein";
  }
  try {
    const stats = fs.statfsSync(dir);
    if (stats.bavail * stats.bsize < MIN_FREE_BYTES) return "disque plein";
  } catch {
    // No statfs on this platform: the write probe above is all there is.
  }
  return null;
}

async function connectPostgres(url: string, options: ConnectOptions): Promise<DatabaseHandle> {
  const schema = options.pgSchema;
  if (schema && !/^[a-z_][a-z0-9_]{0,62}$/.test(schema)) {
    throw new DatabaseOpenError(`Nom de schéma PostgreSQL invalide : ${schema}`);
  }
  // 0: no limit (migrations and data loads at start, which may take minutes on a large base).
  const statementTimeoutMs = Math.trunc(options.statementTimeoutMs ?? 5000);
  const settings = [
    ...(schema ? [`-c search_path=${schema}`] : []),
    ...(statementTimeoutMs > 0
      ? [
          `-c statement_timeout=${statementTimeoutMs}`,
          // A transaction whose client vanished mid-way releases its locks instead of holding them.
          `-c idle_in_transaction_session_timeout=${statementTimeoutMs * 2}`,
        ]
      : []),
  ];
  const events = options.events;
  const pool = new pg.Pool({
    connectionString: url,
    max: options.pgPoolSize ?? 10,
    ...(settings.length ? { options: settings.join(" ") } : {}),
    Client: TimedClient,
    connectionTimeoutMillis: options.connectTimeoutMs ?? 3000,
    // The server's timeout answers first; this one covers a network that stopped carrying answers.
    ...(statementTimeoutMs > 0 ? { query_timeout: statementTimeoutMs + 1000 } : {}),
    keepAlive: true,
  });
  // A connection that dies (backend terminated, server restarted, proxy cut), idle in the pool or
  // checked out, emits 'error': unhandled, that would end the process. The pool drops the client
  // and opens a new one at the next request.
  const lost = (error: unknown) => events?.error(error);
  pool.on("error", lost);
  pool.on("connect", (client) => client.on("error", lost));
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
  // Kysely's log sees failed queries, not failed connection attempts: those are told here.
  const observed = {
    connect: () =>
      pool.connect().catch((error: unknown) => {
        events?.error(error);
        throw error;
      }),
    end: () => pool.end(),
  };
  const log = kyselyLog(events);
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool: observed }), ...(log ? { log } : {}) });
  return {
    db,
    dialect: "postgres",
    location,
    schema: schema ?? "public",
    pgPool: pool,
    writeProblem: async () => {
      const { rows } = await pool.query<{ read_only: string }>("show transaction_read_only");
      return rows[0]?.read_only === "on" ? "lecture seule" : null;
    },
    close: () => db.destroy(),
  };
}

/**
 * A pg client that drops its connection when an answer does not come in time (query_timeout).
 * pg only rejects the promise: the statement stays sent, the connection returns to the pool, and a
 * vote could be committed once the network carries it again, after its voter was told it failed.
 * Closed, the connection takes its open transaction with it (PostgreSQL rolls it back).
 */
class TimedClient extends pg.Client {
  override query(...args: unknown[]): never {
    const [text, values] = args;
    // A statement marked PREPARED is parsed and planned once per connection, as a named statement.
    if (typeof text === "string" && text.includes(PREPARED_MARK) && args.length <= 2)
      args = [{ name: `ps_${createHash("sha1").update(text).digest("hex").slice(0, 20)}`, text, values }];
    const result = (super.query as (...a: unknown[]) => unknown)(...args);
    if (result instanceof Promise) {
      return result.catch((error: unknown) => {
        if (error instanceof Error && error.message === "Query read timeout") {
          (this as unknown as { connection: { stream: { destroy(): void } } }).connection.stream.destroy();
        }
        throw error;
      }) as never;
    }
    return result as never;
  }
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
