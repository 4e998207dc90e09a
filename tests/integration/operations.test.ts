import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import SQLite from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startServer } from "../support/server";

// Operations of the production server: /healthz, /readyz, the request log, and a graceful stop
// on SIGTERM that lets a request in progress finish.

/** Sends a request's head and the first half of its body on a raw socket, so it stays in progress. */
function halfSentLogin(port: number) {
  const body = "email=personne%40exemple.fr&password=une+phrase+de+passe+inconnue";
  const socket = net.connect(port, "127.0.0.1");
  let answer = "";
  socket.on("data", (d) => (answer += d));
  const closed = new Promise<void>((resolve) => socket.on("close", () => resolve()));
  socket.write(
    `POST /connexion HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nOrigin: http://127.0.0.1:${port}\r\n` +
      `Content-Type: application/x-www-form-urlencoded\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n` +
      body.slice(0, 20),
  );
  return {
    finish: () => socket.write(body.slice(20)),
    answer: () => answer,
    closed,
  };
}

function refused(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect(port, "127.0.0.1");
    socket.on("connect", () => {
      socket.destroy();
      resolve(false);
    });
    socket.on("error", () => resolve(true));
  });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe("operations of the built server", () => {
  let dir: string;
  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "ps-ops-"));
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it("healthz, readyz (503 when a migration is missing), and one JSON log line per request without query or secrets", async () => {
    const file = path.join(dir, "health.sqlite");
    const server = await startServer({ sqliteFile: file, env: { LOG_LEVEL: "info" } });
    try {
      const health = await fetch(`${server.url}/healthz`);
      expect(health.status).toBe(200);
      expect(await health.text()).toBe("ok");
      const ready = await fetch(`${server.url}/readyz`);
      expect(ready.status).toBe(200);
      expect(await ready.text()).toBe("prêt");

      await fetch(`${server.url}/verification?token=secret-du-lien-123`);
      await fetch(`${server.url}/connexion`, {
        method: "POST",
        headers: {
          Origin: server.url,
          Cookie: "auth_session=cookie-secret-456",
          "Content-Type": "application/x-www-form-urlencoded",
        },
        body: "email=quelquun%40exemple.fr&password=motdepasse-secret-789",
      });
      await sleep(200);
      const lines = server
        .output()
        .split("\n")
        .filter((l) => l.startsWith("{"))
        .map((l) => JSON.parse(l) as Record<string, unknown>);
      const verification = lines.find((l) => l.path === "/verification");
      expect(verification).toMatchObject({ method: "GET", path: "/verification", msg: "requête" });
      expect(typeof verification!.ms).toBe("number");
      expect(typeof verification!.status).toBe("number");
      expect(verification!.level).toBe(Number(verification!.status) >= 400 ? "warn" : "info");
      expect(Date.parse(String(verification!.time))).not.toBeNaN();
      expect(lines.find((l) => l.path === "/connexion" && l.method === "POST")).toMatchObject({
        status: 400,
        level: "warn",
      });
      for (const secret of ["secret-du-lien-123", "cookie-secret-456", "motdepasse-secret-789", "quelquun"]) {
        expect(server.output()).not.toContain(secret);
      }
      // The failed login is in the security journal, without the address typed.
      const db = new SQLite(file, { readonly: true });
      const events = db
        .prepare("select kind, user_id, ip, path, detail from audit_events where kind = 'login_failed'")
        .all();
      db.close();
      expect(events).toEqual([
        { kind: "login_failed", user_id: null, ip: "127.0.0.0", path: "/connexion", detail: "adresse inconnue" },
      ]);

      // A migration the database has not run: not ready, with the reason.
      const writer = new SQLite(file);
      writer.prepare("delete from kysely_migration where name = ?").run("2026_11_23_1300_audit");
      writer.close();
      const stale = await fetch(`${server.url}/readyz`);
      expect(stale.status).toBe(503);
      expect(await stale.text()).toBe("indisponible : migrations en attente");
      expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
    } finally {
      server.child.kill("SIGKILL");
      await server.exited;
    }
  });

  it("SIGTERM: stops listening, finishes the request in progress, closes the database, exits 0", async () => {
    const server = await startServer({ sqliteFile: path.join(dir, "term.sqlite") });
    const request = halfSentLogin(server.port);
    await sleep(300);
    server.child.kill("SIGTERM");
    await sleep(500);
    // Still running (a request is in progress), but no longer taking connections.
    expect(server.child.exitCode).toBeNull();
    expect(await refused(server.port)).toBe(true);
    request.finish();
    await request.closed;
    expect(request.answer()).toMatch(/^HTTP\/1\.1 400 /);
    expect(request.answer()).toContain("Adresse électronique ou mot de passe incorrect.");
    expect(await server.exited).toBe(0);
    expect(server.output()).toContain("puis arrêt après les requêtes en cours");
    expect(server.output()).toContain("Serveur arrêté.");
  });

  it("SIGTERM with a request that never finishes: cut after SHUTDOWN_TIMEOUT_MS, exit 1", async () => {
    const server = await startServer({
      sqliteFile: path.join(dir, "forced.sqlite"),
      env: { SHUTDOWN_TIMEOUT_MS: "700" },
    });
    const request = halfSentLogin(server.port);
    await sleep(200);
    const sent = Date.now();
    server.child.kill("SIGTERM");
    expect(await server.exited).toBe(1);
    expect(Date.now() - sent).toBeGreaterThanOrEqual(600);
    await request.closed;
    expect(server.output()).toContain("connexions fermées de force");
  });
});
