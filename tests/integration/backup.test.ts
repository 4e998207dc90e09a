import { spawn } from "node:child_process";
import { randomUUID } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import SQLite from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { changeBallot } from "../../app/ballots/ballots.server";
import { connect } from "../../db/connect";
import { Migrator } from "kysely";
import { migrations } from "../../db/migrations/index";
import { makePerson } from "../support/people";
import { root } from "../support/server";
import { copyLoadedSqlite } from "../support/databases";

// npm run db:backup and db:restore, run as a person would (the CLIs, in their own processes),
// on a SQLite file with accounts and ballots, while another process keeps writing.

const tsx = path.join(root, "node_modules/.bin/tsx");

function cli(
  script: "backup" | "restore",
  args: string[],
  sqliteFile: string,
): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(tsx, [path.join(root, `app/cli/${script}.ts`), ...args], {
      cwd: root,
      env: {
        ...process.env,
        SQLITE_FILE: sqliteFile,
        DATABASE_URL: undefined,
        LOG_LEVEL: "silent",
      } as NodeJS.ProcessEnv,
    });
    let output = "";
    child.stdout.on("data", (d) => (output += d));
    child.stderr.on("data", (d) => (output += d));
    child.on("exit", (code) => resolve({ code, output }));
  });
}

function counts(file: string) {
  const db = new SQLite(file, { readonly: true });
  try {
    const n = (sql: string) => (db.prepare(sql).get() as { n: number }).n;
    return {
      users: n("select count(*) as n from users"),
      ballots: n("select count(*) as n from ballots"),
      // Written in the same transaction as their user: a consistent copy never has one without the other.
      usersWithoutRole: n(
        "select count(*) as n from users u where not exists (select 1 from user_roles r where r.user_id = u.id)",
      ),
    };
  } finally {
    db.close();
  }
}

describe("db:backup and db:restore (SQLite)", () => {
  let dir: string;
  let live: string;

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "ps-backup-"));
    live = path.join(dir, "live.sqlite");
    copyLoadedSqlite(live);
    const handle = await connect({ sqliteFile: live });
    const proposal = await handle.db
      .selectFrom("proposals")
      .innerJoin("consultations", "consultations.id", "proposals.consultation_id")
      .where("consultations.slug", "=", "normandie-cnr-sante-2022")
      .select("proposals.id")
      .executeTakeFirstOrThrow();
    for (let i = 0; i < 5; i++) {
      const voter = await makePerson(handle.db);
      await changeBallot(handle.db, { consultationSlug: "normandie-cnr-sante-2022", voter }, () => ({
        selections: [proposal.id],
      }));
    }
    await handle.close();
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it("backs up while another process writes: a consistent, checked copy; refuses to overwrite without --force", async () => {
    const before = counts(live);
    expect(before).toMatchObject({ users: 5, ballots: 5, usersWithoutRole: 0 });
    // Another connection (as the server would) writes a user and its role per transaction, all along.
    const writer = new SQLite(live, { timeout: 5000 });
    writer.pragma("journal_mode = WAL");
    const addUser = writer.transaction(() => {
      const id = randomUUID();
      const now = new Date().toISOString();
      writer
        .prepare(
          "insert into users (id, email, password_hash, commune_code, created_at, updated_at) values (?, ?, 'x', '14366', ?, ?)",
        )
        .run(id, `${id}@exemple.fr`, now, now);
      writer
        .prepare("insert into user_roles (user_id, role, scope, created_at) values (?, 'resident', '', ?)")
        .run(id, now);
    });
    let written = 0;
    let writing = true;
    const loop = (async () => {
      while (writing) {
        addUser();
        written++;
        await new Promise((r) => setTimeout(r, 2));
      }
    })();
    const target = path.join(dir, "sauvegarde.sqlite");
    const result = await cli("backup", [target], live);
    writing = false;
    await loop;
    writer.close();

    expect(result.output).toContain("Contrôle d'intégrité : ok");
    expect(result.code).toBe(0);
    expect(written).toBeGreaterThan(10);
    const copy = counts(target);
    expect(copy.usersWithoutRole).toBe(0);
    expect(copy.users).toBeGreaterThanOrEqual(before.users);
    expect(copy.users).toBeLessThanOrEqual(before.users + written);
    expect(copy.ballots).toBe(5);
    expect(result.output).toContain(`${copy.users} comptes, 5 bulletins`);
    // One self-contained file, and no leftover temporary file.
    expect(fs.readdirSync(dir).filter((f) => f.startsWith("sauvegarde"))).toEqual(["sauvegarde.sqlite"]);

    const again = await cli("backup", [target], live);
    expect(again.code).not.toBe(0);
    expect(again.output).toContain("existe déjà");
    expect(counts(target).users).toBe(copy.users);
    const forced = await cli("backup", [target, "--force"], live);
    expect(forced.code).toBe(0);
    expect(counts(target).users).toBe(counts(live).users);
  });

  it("restores a backup: same counts, stale WAL removed, old file kept aside, migrations run", async () => {
    const backup = path.join(dir, "a-restaurer.sqlite");
    expect((await cli("backup", [backup], live)).code).toBe(0);
    const saved = counts(backup);
    // A backup from before the latest migration (undone by its own `down`): the restore must
    // bring it up to date.
    const latest = Object.keys(migrations).at(-1)!;
    const old = await connect({ sqliteFile: backup });
    const undone = await new Migrator({
      db: old.db,
      provider: { getMigrations: async () => migrations },
    }).migrateDown();
    expect(undone.results?.map((r) => [r.migrationName, r.status])).toEqual([[latest, "Success"]]);
    await old.close();

    // The live database moves on after the backup, and a server killed mid-way leaves its WAL
    // behind (copied before the clean close, which would have merged it, then put back).
    const writer = new SQLite(live);
    writer.pragma("journal_mode = WAL");
    writer.pragma("wal_autocheckpoint = 0");
    writer.prepare("delete from ballots").run();
    const wal = fs.readFileSync(`${live}-wal`);
    expect(wal.length).toBeGreaterThan(0);
    writer.close();
    fs.writeFileSync(`${live}-wal`, wal);
    expect(counts(live).ballots).toBe(0);

    const result = await cli("restore", [backup], live);
    expect(result.output).toContain(`Migration appliquée : ${latest}`);
    expect(result.code).toBe(0);
    expect(counts(live)).toEqual(saved);
    // Replayed onto the restored file, that WAL would have deleted its ballots (or corrupted it).
    expect(fs.existsSync(`${live}-wal`) ? fs.statSync(`${live}-wal`).size : 0).toBe(0);
    const restored = new SQLite(live, { readonly: true });
    expect(restored.pragma("integrity_check", { simple: true })).toBe("ok");
    expect(
      restored
        .prepare("select name from kysely_migration order by name")
        .all()
        .map((r) => (r as { name: string }).name),
    ).toEqual(Object.keys(migrations).sort());
    restored.close();
    const kept = fs.readdirSync(dir).filter((f) => f.startsWith("live.sqlite.avant-restauration-"));
    expect(kept).toHaveLength(1);
    expect(counts(path.join(dir, kept[0]!)).ballots).toBe(0);
  });

  it("refuses a corrupt backup, and a database still open by another process; the database is untouched", async () => {
    const good = path.join(dir, "bonne.sqlite");
    expect((await cli("backup", [good], live)).code).toBe(0);
    const corrupt = path.join(dir, "abimee.sqlite");
    const bytes = fs.readFileSync(good);
    // Damage pages in the middle of the file (the header stays valid, so it still opens).
    for (let i = Math.floor(bytes.length / 3); i < Math.floor(bytes.length / 3) + 40_000; i++)
      bytes[i] = (i * 7) & 0xff;
    fs.writeFileSync(corrupt, bytes);
    const before = counts(live);
    const filesBefore = fs.readdirSync(dir).sort();

    const refused = await cli("restore", [corrupt], live);
    expect(refused.code).not.toBe(0);
    expect(refused.output).toMatch(/Sauvegarde refusée : le contrôle d'intégrité a échoué/);
    expect(counts(live)).toEqual(before);
    expect(fs.readdirSync(dir).sort()).toEqual(filesBefore);

    const notADatabase = path.join(dir, "texte.sqlite");
    fs.writeFileSync(notADatabase, "ceci n'est pas une base ".repeat(500));
    expect((await cli("restore", [notADatabase], live)).code).not.toBe(0);

    // This test process holds the database open, as a running server would.
    const holder = new SQLite(live);
    try {
      const busy = await cli("restore", [good], live);
      expect(busy.code).not.toBe(0);
      expect(busy.output).toContain("arrêtez le serveur avant de restaurer");
    } finally {
      holder.close();
    }
    expect(counts(live)).toEqual(before);
  });
});
