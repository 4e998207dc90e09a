import { spawn, type ChildProcess } from "node:child_process";
import net from "node:net";
import path from "node:path";

// Starts the production build (build/index.js; tests/run-all.mjs builds it before vitest) as its
// own process, the way `npm start` does, for the tests that need a real server over HTTP:
// shutdown, crash, backup under load, abuse cases, two servers on one database.

export const root = path.resolve(import.meta.dirname, "../..");
export const serverEntry = path.join(root, "build/index.js");

export interface RunningServer {
  child: ChildProcess;
  port: number;
  url: string;
  /** Everything the process wrote so far (stdout and stderr). */
  output(): string;
  /** Resolves with the exit code (or the signal's name) once the process is gone. */
  exited: Promise<number | string | null>;
  /** SIGTERM, then SIGKILL if it is still there after 5 s. */
  stop(): Promise<void>;
}

/** A port nobody listens on right now (the machine is shared: fixed ports collide). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.once("error", reject);
    probe.listen(0, "127.0.0.1", () => {
      const { port } = probe.address() as net.AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}

/**
 * `loadData` lets the server load territories and the catalogue at start (a new database);
 * without it the test has prepared the file itself.
 */
export async function startServer(options: {
  port?: number;
  sqliteFile?: string;
  env?: Record<string, string>;
  loadData?: boolean;
  timeoutMs?: number;
}): Promise<RunningServer> {
  const port = options.port ?? (await freePort());
  const url = `http://127.0.0.1:${port}`;
  const env: Record<string, string | undefined> = {
    ...process.env,
    NODE_ENV: "production",
    LOG_LEVEL: "silent",
    HOST: "127.0.0.1",
    PORT: String(port),
    PUBLIC_URL: url,
    EMAIL_OUTBOX: "true",
    // Tests stop servers all the time: no wait for a load balancer to notice.
    SHUTDOWN_READY_DELAY_MS: "0",
    ...(options.sqliteFile ? { SQLITE_FILE: options.sqliteFile } : {}),
    ...(options.loadData ? {} : { SKIP_TERRITORY_LOAD: "true", SKIP_CATALOGUE_LOAD: "true" }),
    ...options.env,
  };
  // A PostgreSQL URL from the environment would win over the SQLite file the test meant.
  if (!options.env?.DATABASE_URL) delete env.DATABASE_URL;
  const child = spawn(process.execPath, [serverEntry], {
    cwd: root,
    env: env as NodeJS.ProcessEnv,
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout!.on("data", (d) => (output += d));
  child.stderr!.on("data", (d) => (output += d));
  const exited = new Promise<number | string | null>((resolve) =>
    child.on("exit", (code, signal) => resolve(code ?? signal)),
  );
  const timeoutMs = options.timeoutMs ?? 120_000;
  const deadline = Date.now() + timeoutMs;
  let gone = false;
  void exited.then(() => (gone = true));
  for (;;) {
    if (gone) throw new Error(`the server exited at start:\n${output}`);
    try {
      const response = await fetch(`${url}/healthz`);
      if (response.ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      child.kill("SIGKILL");
      throw new Error(`the server did not start in ${timeoutMs} ms:\n${output}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    child,
    port,
    url,
    output: () => output,
    exited,
    async stop() {
      if (gone) return;
      child.kill("SIGTERM");
      await Promise.race([exited, new Promise((r) => setTimeout(r, 5000))]);
      if (!gone) child.kill("SIGKILL");
      await exited;
    },
  };
}
/** A form POST from the site itself (the Origin check passes), redirects not followed. */
export function postForm(
  server: RunningServer,
  path: string,
  form: Record<string, string>,
  headers: Record<string, string> = {},
) {
  return fetch(server.url + path, {
    method: "POST",
    body: new URLSearchParams(form),
    headers: { Origin: server.url, "Content-Type": "application/x-www-form-urlencoded", ...headers },
    redirect: "manual",
  });
}

/** The session cookie of a response ("ps_session=…"), for the next requests. */
export function sessionCookie(response: Response): string {
  const cookie = response.headers.getSetCookie().find((c) => /^(__Host-)?ps_session=[^;]+/.test(c));
  if (!cookie) throw new Error("no session cookie");
  return cookie.split(";")[0]!;
}
