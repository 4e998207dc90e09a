import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import SQLite from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { root } from "../support/server";
import { copyLoadedSqlite } from "../support/databases";

// The operators' commands, run as a person would (their own processes, on a SQLite file loaded
// like the server's), with their output read through a pipe.

const tsx = path.join(root, "node_modules/.bin/tsx");

export function cli(
  script: string,
  args: string[],
  sqliteFile: string,
  env: Record<string, string | undefined> = {},
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(tsx, [path.join(root, `app/cli/${script}.ts`), ...args], {
      cwd: root,
      env: {
        ...process.env,
        SQLITE_FILE: sqliteFile,
        DATABASE_URL: undefined,
        PUBLIC_URL: undefined,
        PORT: undefined,
        SMTP_URL: undefined,
        LOG_LEVEL: "silent",
        ...env,
      } as NodeJS.ProcessEnv,
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => (stdout += d));
    child.stderr.on("data", (d) => (stderr += d));
    child.on("exit", (code) => resolve({ code, stdout, stderr }));
  });
}

let dir: string;
let file: string;
beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "ps-cli-"));
  file = path.join(dir, "db.sqlite");
  copyLoadedSqlite(file);
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

function query<T>(sql: string, ...params: unknown[]): T[] {
  const db = new SQLite(file, { readonly: true, fileMustExist: true });
  try {
    return db.prepare(sql).all(...params) as T[];
  } finally {
    db.close();
  }
}

function resetLink(email: string): string {
  const [row] = query<{ body_text: string }>(
    "select body_text from outbox where to_address = ? order by created_at desc limit 1",
    email,
  );
  return /(\S+)\/reinitialisation\?token=/.exec(row!.body_text)![1]!;
}

describe("admin:create", () => {
  it("creates an administrator without a commune: no resident role, not placed anywhere", async () => {
    const run = await cli("admin-create", ["chef@exemple.fr"], file, { PORT: "3456" });
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    expect(run.stdout).toContain("chef@exemple.fr est administrateur.");
    const [user] = query<{ id: string; commune_code: string | null; email_verified_at: string | null }>(
      "select id, commune_code, email_verified_at from users where email = ?",
      "chef@exemple.fr",
    );
    expect(user!.commune_code).toBeNull();
    expect(user!.email_verified_at).not.toBeNull();
    const roles = query<{ role: string }>("select role from user_roles where user_id = ?", user!.id);
    expect(roles.map((r) => r.role)).toEqual(["admin"]);
    // No PUBLIC_URL and no server ever started on this database: the command's own port.
    expect(resetLink("chef@exemple.fr")).toBe("http://localhost:3456");
  }, 60_000);

  it("with --commune, the new administrator is also a resident there", async () => {
    const run = await cli("admin-create", ["habitante@exemple.fr", "--commune", "14118"], file);
    expect(run.code).toBe(0);
    const [user] = query<{ id: string; commune_code: string }>(
      "select id, commune_code from users where email = ?",
      "habitante@exemple.fr",
    );
    expect(user!.commune_code).toBe("14118");
    const roles = query<{ role: string }>("select role from user_roles where user_id = ? order by role", user!.id);
    expect(roles.map((r) => r.role)).toEqual(["admin", "resident"]);
    const unknown = await cli("admin-create", ["autre@exemple.fr", "--commune", "99999"], file);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain("Commune inconnue");
  }, 60_000);

  it("e-mails a link to the server's address: the one it recorded at start, unless PUBLIC_URL says otherwise", async () => {
    const db = new SQLite(file, { fileMustExist: true });
    db.prepare(
      "insert into app_state (key, value) values ('public_url', ?) on conflict (key) do update set value = excluded.value",
    ).run("https://sante.exemple.fr");
    db.close();
    const recorded = await cli("admin-create", ["deux@exemple.fr"], file);
    expect(recorded.code).toBe(0);
    expect(recorded.stdout).toContain("un lien vers https://sante.exemple.fr");
    expect(resetLink("deux@exemple.fr")).toBe("https://sante.exemple.fr");
    const own = await cli("admin-create", ["trois@exemple.fr"], file, { PUBLIC_URL: "https://autre.exemple.fr/" });
    expect(own.code).toBe(0);
    expect(resetLink("trois@exemple.fr")).toBe("https://autre.exemple.fr");
  }, 60_000);
});

describe("moderator:grant and agent:grant", () => {
  it("gives and takes back a region's moderator role, printing each step; refusals exit 1 in French", async () => {
    const db = new SQLite(file, { fileMustExist: true });
    const now = new Date().toISOString();
    db.prepare(
      "insert into users (id, email, email_canonical, password_hash, email_verified_at, commune_code, created_at, updated_at) values ('cli-mod', 'moderatrice@exemple.fr', 'moderatrice@exemple.fr', 'x', ?, '14118', ?, ?)",
    ).run(now, now, now);
    db.close();
    const moderatorRoles = () =>
      query<{ scope: string }>("select scope from user_roles where user_id = 'cli-mod' and role = 'moderator'");

    const granted = await cli("moderator-grant", ["Moderatrice@exemple.fr", "--region", "28"], file);
    expect(granted.stderr).toBe("");
    expect(granted.code).toBe(0);
    expect(granted.stdout).toContain("Attribution du rôle modérateur·rice (28) pour Moderatrice@exemple.fr…");
    expect(granted.stdout).toContain("moderatrice@exemple.fr est modérateur·rice pour la région Normandie.");
    expect(moderatorRoles()).toEqual([{ scope: "28" }]);
    const [event] = query<{ user_id: string | null; detail: string }>(
      "select user_id, detail from audit_events where kind = 'role_change' and detail like '%cli-mod%'",
    );
    expect(event).toEqual({
      user_id: null,
      detail: "rôle moderator (28) donné au compte cli-mod par la ligne de commande (moderator:grant)",
    });
    const [mail] = query<{ subject: string }>(
      "select subject from outbox where to_address = 'moderatrice@exemple.fr' order by created_at",
    );
    expect(mail!.subject).toBe("Vous êtes modérateur·rice pour la région Normandie — Priorités Santé");

    const again = await cli("moderator-grant", ["moderatrice@exemple.fr", "--region", "28"], file);
    expect(again.code).toBe(1);
    expect(again.stderr).toContain("moderatrice@exemple.fr est déjà modérateur·rice pour la région Normandie.");
    const unknown = await cli("moderator-grant", ["inconnue@exemple.fr", "--region", "99"], file);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain("Région inconnue : « 99 »");
    const usage = await cli("moderator-grant", ["moderatrice@exemple.fr"], file);
    expect(usage.code).toBe(1);
    expect(usage.stderr).toContain("Usage : npm run moderator:grant -- adresse@exemple.fr --region CODE_REGION");

    const removed = await cli("moderator-grant", ["moderatrice@exemple.fr", "--region", "28", "--remove"], file);
    expect(removed.code).toBe(0);
    expect(removed.stdout).toContain("moderatrice@exemple.fr n’est plus modérateur·rice pour la région Normandie.");
    expect(moderatorRoles()).toEqual([]);

    const agent = await cli("agent-grant", ["moderatrice@exemple.fr", "14"], file);
    expect(agent.code).toBe(0);
    expect(agent.stdout).toContain("est agent de guichet pour le département Calvados (14).");
  }, 90_000);
});
