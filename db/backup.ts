import fs from "node:fs";
import path from "node:path";
import SQLite from "better-sqlite3";

// Online backup and restore of the SQLite file. PostgreSQL has its own tools (pg_dump,
// pg_basebackup with WAL archiving): see the README, "Sauvegarde et restauration".

export class BackupError extends Error {}

export interface FileCheck {
  /** "ok", or what PRAGMA integrity_check found (its first lines). */
  integrity: string;
  counts: { users: number; ballots: number; consultations: number; comments: number };
  /** Migrations recorded in the file. */
  migrations: string[];
}

/**
 * Opens a database file read-only and checks it: PRAGMA integrity_check, the tables this app
 * needs, and a few counts to show a person. Throws BackupError when the file is not a usable copy.
 */
export function checkSqliteFile(file: string): FileCheck {
  if (!fs.existsSync(file)) throw new BackupError(`Fichier introuvable : ${file}`);
  let db: SQLite.Database;
  try {
    db = new SQLite(file, { readonly: true, fileMustExist: true });
  } catch (error) {
    throw new BackupError(`Impossible d'ouvrir ${file} : ${message(error)}`);
  }
  try {
    const rows = db.pragma("integrity_check(20)") as { integrity_check: string }[];
    const integrity = rows.map((r) => r.integrity_check).join("\n");
    if (integrity !== "ok")
      return { integrity, counts: { users: 0, ballots: 0, consultations: 0, comments: 0 }, migrations: [] };
    const tables = new Set(
      (db.prepare("select name from sqlite_master where type = 'table'").all() as { name: string }[]).map(
        (t) => t.name,
      ),
    );
    for (const table of ["kysely_migration", "users", "ballots", "consultations", "comments"]) {
      if (!tables.has(table))
        throw new BackupError(`${file} n'est pas une base Priorités Santé (table ${table} absente).`);
    }
    const count = (table: string) => (db.prepare(`select count(*) as n from ${table}`).get() as { n: number }).n;
    return {
      integrity,
      counts: {
        users: count("users"),
        ballots: count("ballots"),
        consultations: count("consultations"),
        comments: count("comments"),
      },
      migrations: (db.prepare("select name from kysely_migration order by name").all() as { name: string }[]).map(
        (m) => m.name,
      ),
    };
  } catch (error) {
    if (error instanceof BackupError) throw error;
    // A damaged file often fails before integrity_check can even say so.
    return {
      integrity: message(error),
      counts: { users: 0, ballots: 0, consultations: 0, comments: 0 },
      migrations: [],
    };
  } finally {
    db.close();
  }
}

/**
 * Copies the live database `source` into `target` with SQLite's online backup API, while the
 * server keeps running: the copy is one consistent snapshot (all pages in one step, under one read
 * transaction, which in WAL mode does not stop writers). It is written under a temporary name and
 * renamed when complete and checked, so `target` is never a half-written file. The copy is left in
 * rollback-journal mode: one self-contained file.
 */
export async function backupSqlite(
  source: string,
  target: string,
  options: { force?: boolean } = {},
): Promise<FileCheck> {
  if (!fs.existsSync(source)) throw new BackupError(`Base introuvable : ${source}`);
  if (path.resolve(source) === path.resolve(target))
    throw new BackupError("La sauvegarde doit être un autre fichier que la base.");
  if (fs.existsSync(target) && !options.force) {
    throw new BackupError(`${target} existe déjà : choisissez un autre nom, ou ajoutez --force pour le remplacer.`);
  }
  fs.mkdirSync(path.dirname(path.resolve(target)), { recursive: true });
  const temporary = `${target}.en-cours-${process.pid}`;
  removeDatabaseFiles(temporary);
  const db = new SQLite(source, { fileMustExist: true, timeout: 5000 });
  try {
    // The first step only measures; then every remaining page in one step.
    await db.backup(temporary, { progress: () => 0x7fffffff });
  } catch (error) {
    removeDatabaseFiles(temporary);
    throw new BackupError(`La sauvegarde a échoué : ${message(error)}`);
  } finally {
    db.close();
  }
  const copy = new SQLite(temporary);
  try {
    copy.pragma("journal_mode = DELETE");
  } finally {
    copy.close();
  }
  const check = checkSqliteFile(temporary);
  if (check.integrity !== "ok") {
    removeDatabaseFiles(temporary);
    throw new BackupError(`La copie ne passe pas le contrôle d'intégrité : ${check.integrity}`);
  }
  fsyncFile(temporary);
  fs.renameSync(temporary, target);
  fsyncDirectory(path.dirname(path.resolve(target)));
  return check;
}

/**
 * Puts a checked backup in place of the database `target`: refuses a backup that fails its
 * integrity check, and a database some process still has open (Linux: read from /proc). The
 * current file is first checkpointed and kept beside it (`…avant-restauration-<date>`); stale
 * -wal and -shm files are removed (replayed onto the restored file they would corrupt it); the
 * backup is copied under a temporary name and renamed, so `target` is always whole.
 * Migrations are the caller's next step.
 */
export function restoreSqlite(
  backup: string,
  target: string,
  now = new Date(),
): { check: FileCheck; previous: string | null } {
  const check = checkSqliteFile(backup);
  if (check.integrity !== "ok") {
    throw new BackupError(
      `Sauvegarde refusée : le contrôle d'intégrité a échoué (${check.integrity.split("\n")[0]}). La base n'a pas été touchée.`,
    );
  }
  const holders = processesHolding(target);
  if (holders.length) {
    throw new BackupError(
      `La base ${path.resolve(target)} est ouverte par le processus ${holders.join(", ")} : arrêtez le serveur avant de restaurer. La base n'a pas été touchée.`,
    );
  }
  const directory = path.dirname(path.resolve(target));
  fs.mkdirSync(directory, { recursive: true });
  const temporary = `${target}.restauration-${process.pid}`;
  fs.copyFileSync(backup, temporary);
  fsyncFile(temporary);

  let previous: string | null = null;
  if (fs.existsSync(target)) {
    // Merge the current WAL into the file before keeping it aside, so the kept copy is complete.
    try {
      const current = new SQLite(target, { fileMustExist: true, timeout: 1000 });
      current.pragma("wal_checkpoint(TRUNCATE)");
      current.close();
    } catch {
      // An unreadable current file is kept aside as it is.
    }
    previous = `${target}.avant-restauration-${now.toISOString().replace(/[:.]/g, "-")}`;
    fs.renameSync(target, previous);
  }
  for (const suffix of ["-wal", "-shm", "-journal"]) fs.rmSync(`${target}${suffix}`, { force: true });
  fs.renameSync(temporary, target);
  fsyncDirectory(directory);
  return { check, previous };
}

/** Process ids (other than this one) with `file` or its -wal open, read from /proc on Linux; [] elsewhere. */
export function processesHolding(file: string): number[] {
  if (!fs.existsSync("/proc/self/fd")) return [];
  const wanted = new Set([path.resolve(file), `${path.resolve(file)}-wal`]);
  const holders: number[] = [];
  for (const entry of fs.readdirSync("/proc")) {
    if (!/^\d+$/.test(entry) || Number(entry) === process.pid) continue;
    let fds: string[];
    try {
      fds = fs.readdirSync(`/proc/${entry}/fd`);
    } catch {
      continue; // gone, or not ours to read
    }
    for (const fd of fds) {
      try {
        if (wanted.has(fs.readlinkSync(`/proc/${entry}/fd/${fd}`))) {
          holders.push(Number(entry));
          break;
        }
      } catch {
        // closed meanwhile
      }
    }
  }
  return holders;
}

function removeDatabaseFiles(file: string) {
  for (const suffix of ["", "-wal", "-shm", "-journal"]) fs.rmSync(`${file}${suffix}`, { force: true });
}

function fsyncFile(file: string) {
  const fd = fs.openSync(file, "r+");
  try {
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
}

function fsyncDirectory(directory: string) {
  try {
    const fd = fs.openSync(directory, "r");
    try {
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
  } catch {
    // Not every platform can fsync a directory; the rename is still atomic.
  }
}

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
