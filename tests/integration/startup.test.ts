import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import SQLite from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

// Starts the built server (tests/run-all.mjs builds it first) against a broken SQLite file.
const root = path.resolve(import.meta.dirname, "../..");
const server = path.join(root, "build/index.js");

/** Starts the server with these variables added (undefined: removed). */
function start(env: Record<string, string | undefined>): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    const merged: Record<string, string | undefined> = {
      ...process.env,
      PORT: "3199",
      SKIP_TERRITORY_LOAD: "true",
      ...env,
    };
    for (const key of Object.keys(merged)) if (merged[key] === undefined) delete merged[key];
    const child = spawn(process.execPath, [server], {
      cwd: root,
      env: merged as NodeJS.ProcessEnv,
    });
    let output = "";
    child.stdout.on("data", (d) => (output += d));
    child.stderr.on("data", (d) => (output += d));
    const timer = setTimeout(() => child.kill("SIGKILL"), 20_000);
    child.on("exit", (code) => {
      clearTimeout(timer);
      resolve({ code, output });
    });
  });
}

describe.skipIf(!fs.existsSync(server))("server start on a bad database", () => {
  let dir: string;
  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "ps-start-"));
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it("a corrupt SQLite file: clear error naming the file, exit non-zero", async () => {
    const file = path.join(dir, "corrupt.sqlite");
    fs.writeFileSync(file, "ceci n'est pas une base SQLite ".repeat(200));
    const { code, output } = await start({ SQLITE_FILE: file });
    expect(code).not.toBe(0);
    expect(output).toContain(file);
    expect(output).toMatch(/illisible ou corrompu/);
    expect(output).not.toMatch(/at .*\.js:\d+/); // a message, not a stack trace
  });

  it("a SQLite file locked by another process: clear error naming the file, exit non-zero", async () => {
    const file = path.join(dir, "locked.sqlite");
    const holder = new SQLite(file);
    holder.exec("create table t (x); begin exclusive; insert into t values (1);");
    try {
      const { code, output } = await start({ SQLITE_FILE: file, SQLITE_BUSY_TIMEOUT_MS: "200" });
      expect(code).not.toBe(0);
      expect(output).toContain(file);
      expect(output).toMatch(/verrouillée/);
    } finally {
      holder.exec("rollback");
      holder.close();
    }
  });

  // Finding 1 of issue 14: in production without SMTP, reset links stayed in a readable outbox.
  it("production without SMTP_URL nor EMAIL_OUTBOX: refuses to start, naming both", async () => {
    const { code, output } = await start({
      NODE_ENV: "production",
      SMTP_URL: undefined,
      EMAIL_OUTBOX: undefined,
      SQLITE_FILE: path.join(dir, "outbox.sqlite"),
    });
    expect(code).not.toBe(0);
    expect(output).toMatch(/en production sans SMTP_URL/);
    expect(output).toMatch(/EMAIL_OUTBOX=1/);
    expect(fs.existsSync(path.join(dir, "outbox.sqlite"))).toBe(false); // refused before opening anything
  });

  it("a bad environment value: names the variable, exit non-zero", async () => {
    const { code, output } = await start({ PORT: "quatre-vingts", SQLITE_FILE: path.join(dir, "ok.sqlite") });
    expect(code).not.toBe(0);
    expect(output).toMatch(/PORT/);
  });
});
