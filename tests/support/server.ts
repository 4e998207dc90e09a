import { spawn, type ChildProcess } from "node:child_process";
import net from "node:net";
import path from "node:path";

// Starts the production build (build/index.js; tests/run-all.mjs builds it before vitest) as its
// own process, the way `npm start` does, for the tests that need a real server: shutdown, crash,
// backup under load.

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

export async function startServer(options: { port?: number; sqliteFile: string; env?: Record<string, string> }): Promise<RunningServer> {
  const port = options.port ?? (await freePort());
  const url = `http://127.0.0.1:${port}`;
  const env: Record<string, string | undefined> = {
      ...process.env,
      NODE_ENV: "production",
      LOG_LEVEL: "silent",
      HOST: "127.0.0.1",
      PORT: String(port),
      PUBLIC_URL: url,
      SQLITE_FILE: options.sqliteFile,
      SKIP_TERRITORY_LOAD: "true",
      SKIP_CATALOGUE_LOAD: "true",
      ...options.env,
  };
  // These tests are about the SQLite file; a PostgreSQL URL from the environment would win over it.
  if (!options.env?.DATABASE_URL) delete env.DATABASE_URL;
  const child = spawn(process.execPath, [serverEntry], { cwd: root, env: env as NodeJS.ProcessEnv, stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  child.stdout!.on("data", (d) => (output += d));
  child.stderr!.on("data", (d) => (output += d));
  const exited = new Promise<number | string | null>((resolve) => child.on("exit", (code, signal) => resolve(code ?? signal)));
  const deadline = Date.now() + 60_000;
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
      throw new Error(`the server did not start in 60 s:\n${output}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return { child, port, url, output: () => output, exited };
}
