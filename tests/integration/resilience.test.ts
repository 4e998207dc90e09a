import { execFileSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import SQLite from "better-sqlite3";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createVoters } from "../../bench/fixtures";
import { loadCatalogue } from "../../app/catalogue/catalogue-load.server";
import { connect } from "../../db/connect";
import { migrateToLatest } from "../../db/migrate";
import { loadTerritories } from "../../db/territories/load";
import { freePort, postForm, startServer, type RunningServer } from "../support/server";

// Issue 19, point 6: the server survives its stores going away. Lost PostgreSQL connections do not
// end the process; a stalled PostgreSQL or Redis gets a French 503 (or the in-process counters),
// not a hang; SIGTERM shows on /readyz before the listener closes; a full disk or a read-only
// mount is named as such, in the log, on the page and at start.

const pgUrl = process.env.TEST_DATABASE_URL;
const redisUrl = process.env.TEST_REDIS_URL;
const CONSULTATION = "normandie-cnr-sante-2022";
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A TCP relay to `target` that can stop carrying bytes (both ways) while keeping connections open. */
async function stallableProxy(target: { host: string; port: number }) {
  const port = await freePort();
  let stalled = false;
  const held: (() => void)[] = [];
  const sockets = new Set<net.Socket>();
  const relay = (from: net.Socket, to: net.Socket) =>
    from.on("data", (chunk) => {
      if (!stalled) return void to.write(chunk);
      held.push(() => to.write(chunk));
    });
  const server = net.createServer((client) => {
    const upstream = net.connect(target.port, target.host);
    sockets.add(client).add(upstream);
    relay(client, upstream);
    relay(upstream, client);
    const close = () => {
      client.destroy();
      upstream.destroy();
    };
    client.on("close", close).on("error", close);
    upstream.on("close", close).on("error", close);
  });
  await new Promise<void>((resolve) => server.listen(port, "127.0.0.1", resolve));
  return {
    port,
    stall: () => (stalled = true),
    resume: () => {
      stalled = false;
      for (const write of held.splice(0)) write();
    },
    close: () => {
      for (const s of sockets) s.destroy();
      server.close();
    },
  };
}

function proxiedUrl(url: string, port: number, extra: Record<string, string> = {}): string {
  const parsed = new URL(url);
  parsed.hostname = "127.0.0.1";
  parsed.port = String(port);
  for (const [k, v] of Object.entries(extra)) parsed.searchParams.set(k, v);
  return parsed.toString();
}

const login = (server: RunningServer) =>
  postForm(server, "/connexion", { email: `inconnu-${randomBytes(3).toString("hex")}@exemple.fr`, password: "x" });

describe.skipIf(!pgUrl)("PostgreSQL going away (two servers)", () => {
  const schema = `tres_${process.pid}_${randomBytes(3).toString("hex")}`;
  const app = `ps_res_${randomBytes(4).toString("hex")}`;
  let a: RunningServer;
  let b: RunningServer;
  beforeAll(async () => {
    const url = new URL(pgUrl!);
    url.searchParams.set("application_name", app);
    const env = { DATABASE_URL: url.toString(), DATABASE_SCHEMA: schema };
    a = await startServer({ env });
    b = await startServer({ env });
  }, 180_000);
  afterAll(async () => {
    await a?.stop();
    await b?.stop();
    const client = new pg.Client({ connectionString: pgUrl });
    await client.connect();
    await client.query(`drop schema if exists ${schema} cascade`);
    await client.end();
  });

  it("pg_terminate_backend on every connection of both servers under load: both keep answering (503 at worst), then normally", async () => {
    let stop = false;
    const statuses: number[] = [];
    const errors: string[] = [];
    const load = async (server: RunningServer) => {
      while (!stop) {
        try {
          // Cheap and on the database every time (a login is mostly password hashing).
          const response = await fetch(`${server.url}/readyz`);
          statuses.push(response.status);
          await response.arrayBuffer();
        } catch (error) {
          errors.push(String(error));
        }
      }
    };
    const workers = [a, b, a, b].map(load);
    const terminated: number[] = [];
    const admin = new pg.Client({ connectionString: pgUrl });
    await admin.connect();
    try {
      for (let round = 0; round < 5; round++) {
        await sleep(300);
        const { rowCount } = await admin.query(
          "select pg_terminate_backend(pid) from pg_stat_activity where application_name = $1",
          [app],
        );
        terminated.push(rowCount ?? 0);
      }
    } finally {
      await admin.end();
    }
    await sleep(300);
    stop = true;
    await Promise.all(workers);
    // Connections were ended again and again (the servers reconnected in between), and both lived.
    expect(terminated.reduce((a, b) => a + b, 0)).toBeGreaterThanOrEqual(terminated.length);
    expect(a.child.exitCode).toBeNull();
    expect(b.child.exitCode).toBeNull();
    expect(errors).toEqual([]);
    expect(statuses.length).toBeGreaterThan(0);
    expect(statuses.every((s) => s === 200 || s === 503)).toBe(true);
    for (const server of [a, b]) {
      expect((await login(server)).status).toBe(400);
      expect((await fetch(`${server.url}/readyz`)).status).toBe(200);
    }
  }, 60_000);
});

describe.skipIf(!pgUrl)("PostgreSQL stalled (network carries nothing)", () => {
  const schema = `tstall_${process.pid}_${randomBytes(3).toString("hex")}`;
  let proxy: Awaited<ReturnType<typeof stallableProxy>>;
  let server: RunningServer;
  beforeAll(async () => {
    const target = new URL(pgUrl!);
    proxy = await stallableProxy({ host: target.hostname, port: Number(target.port || 5432) });
    server = await startServer({
      env: {
        DATABASE_URL: proxiedUrl(pgUrl!, proxy.port),
        DATABASE_SCHEMA: schema,
        DATABASE_STATEMENT_TIMEOUT_MS: "800",
        DATABASE_CONNECT_TIMEOUT_MS: "800",
        LOG_LEVEL: "error",
      },
    });
  }, 180_000);
  afterAll(async () => {
    await server?.stop();
    proxy?.close();
    const client = new pg.Client({ connectionString: pgUrl });
    await client.connect();
    await client.query(`drop schema if exists ${schema} cascade`);
    await client.end();
  });

  it("a request gets a French 503 with Retry-After instead of hanging; nothing runs late; normal once the network is back", async () => {
    expect((await login(server)).status).toBe(400);
    proxy.stall();
    const stalled = await login(server);
    expect(stalled.status).toBe(503);
    expect(Number(stalled.headers.get("Retry-After"))).toBeGreaterThan(0);
    expect(await stalled.text()).toContain("Service momentanément indisponible");
    proxy.resume();
    // The connection that timed out was dropped: the next requests get fresh ones.
    let status = 0;
    for (let i = 0; i < 20 && status !== 400; i++) {
      status = (await login(server)).status;
      if (status !== 400) await sleep(200);
    }
    expect(status).toBe(400);
    expect(server.output()).toContain("base de données : délai dépassé");
  }, 60_000);
});

describe.skipIf(!redisUrl)("Redis stalled (connection open, no reply)", () => {
  let proxy: Awaited<ReturnType<typeof stallableProxy>>;
  let server: RunningServer;
  let dir: string;
  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "ps-redis-stall-"));
    const target = new URL(redisUrl!);
    proxy = await stallableProxy({ host: target.hostname, port: Number(target.port || 6379) });
    server = await startServer({
      sqliteFile: path.join(dir, "redis.sqlite"),
      env: {
        RATE_LIMIT_STORE: "redis",
        REDIS_URL: proxiedUrl(redisUrl!, proxy.port),
        RATE_LIMIT_PREFIX: `res${randomBytes(3).toString("hex")}`,
        REDIS_TIMEOUT_MS: "300",
        LOG_LEVEL: "error",
      },
    });
  }, 180_000);
  afterAll(async () => {
    await server?.stop();
    proxy?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it("requests are answered by the in-process counters, and the episode is logged once with its cause", async () => {
    expect((await login(server)).status).toBe(400);
    proxy.stall();
    for (let i = 0; i < 3; i++) expect((await login(server)).status).toBe(400);
    const lines = server.output().split("\n");
    expect(lines.filter((l) => l.includes("Redis : délai dépassé"))).toHaveLength(1);
    proxy.resume();
  }, 60_000);
});

describe("SIGTERM drains visibly", () => {
  let dir: string;
  beforeAll(() => void (dir = fs.mkdtempSync(path.join(os.tmpdir(), "ps-drain-"))));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it("/readyz answers 503 for SHUTDOWN_READY_DELAY_MS while pages are still served, then the listener closes", async () => {
    const server = await startServer({
      sqliteFile: path.join(dir, "drain.sqlite"),
      env: { SHUTDOWN_READY_DELAY_MS: "3000" },
    });
    expect((await fetch(`${server.url}/readyz`)).status).toBe(200);
    server.child.kill("SIGTERM");
    await sleep(300);
    const ready = await fetch(`${server.url}/readyz`);
    expect(ready.status).toBe(503);
    expect(await ready.text()).toBe("indisponible : arrêt en cours");
    expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
    expect(await server.exited).toBe(0);
  }, 30_000);
});

// Root can mount a small tmpfs: a real full disk and a real read-only mount.
const canMount = process.getuid?.() === 0 && process.platform === "linux";

describe.skipIf(!canMount)("full disk and read-only mount (SQLite on a tmpfs)", () => {
  let mountPoint: string;
  beforeAll(() => {
    mountPoint = fs.mkdtempSync(path.join(os.tmpdir(), "ps-disk-"));
    execFileSync("mount", ["-t", "tmpfs", "-o", "size=96m", "tmpfs", mountPoint]);
  });
  afterAll(() => {
    execFileSync("umount", ["-l", mountPoint]);
    fs.rmSync(mountPoint, { recursive: true, force: true });
  });

  it("a full disk: a vote gets a French 503 « disque plein », /readyz says so, the log names the cause", async () => {
    const file = path.join(mountPoint, "full.sqlite");
    const handle = await connect({ sqliteFile: file });
    await migrateToLatest(handle.db);
    await loadTerritories(handle.db);
    await loadCatalogue(handle.db);
    const [session] = await createVoters(handle.db, "28", 1);
    const proposal = await handle.db
      .selectFrom("proposals")
      .innerJoin("consultations", "consultations.id", "proposals.consultation_id")
      .select("proposals.slug")
      .where("consultations.slug", "=", CONSULTATION)
      .executeTakeFirstOrThrow();
    await handle.close();
    const server = await startServer({ sqliteFile: file, env: { LOG_LEVEL: "error" } });
    try {
      // The write-ahead log emptied, so the vote must grow a file; then fill what is left.
      const other = new SQLite(file);
      other.pragma("wal_checkpoint(TRUNCATE)");
      other.close();
      const filler = fs.openSync(path.join(mountPoint, "filler"), "w");
      try {
        for (;;) fs.writeSync(filler, Buffer.alloc(64 * 1024));
      } catch {
        // ENOSPC: full
      } finally {
        fs.closeSync(filler);
      }
      const refused = await fetch(`${server.url}/consultations/${CONSULTATION}/vote`, {
        method: "POST",
        headers: {
          Origin: server.url,
          Cookie: `ps_session=${session}`,
          "Content-Type": "application/x-www-form-urlencoded",
        },
        body: `intent=approve&proposal=${proposal.slug}`,
        redirect: "manual",
      });
      expect(refused.status).toBe(503);
      expect(refused.headers.get("Retry-After")).toBeTruthy();
      expect(await refused.text()).toContain("disque plein");
      const ready = await fetch(`${server.url}/readyz`);
      expect(ready.status).toBe(503);
      expect(await ready.text()).toContain("disque plein");
      expect(server.output()).toContain("base de données : disque plein");
    } finally {
      await server.stop();
      fs.rmSync(path.join(mountPoint, "filler"), { force: true });
    }
  }, 120_000);

  it("starting on a read-only mount says « lecture seule », not « illisible ou corrompu »", async () => {
    const file = path.join(mountPoint, "ro.sqlite");
    const first = await startServer({ sqliteFile: file });
    await first.stop();
    execFileSync("mount", ["-o", "remount,ro", mountPoint]);
    try {
      const failed = await startServer({ sqliteFile: file }).then(
        (server) => server.stop().then(() => "started"),
        (error: unknown) => String(error),
      );
      expect(failed).toContain("lecture seule");
      expect(failed).not.toContain("illisible ou corrompu");
    } finally {
      execFileSync("mount", ["-o", "remount,rw", mountPoint]);
    }
  }, 60_000);
});
