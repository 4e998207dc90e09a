import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import path from "node:path";

// Starts the built server (`node build/index.js`; tests/run-all.mjs builds before vitest runs)
// as its own process, for tests that speak HTTP to it.

export const root = path.resolve(import.meta.dirname, "../..");
export const serverBuild = path.join(root, "build/index.js");
export const serverIsBuilt = fs.existsSync(serverBuild);

export interface RunningServer {
  url: string;
  output: () => string;
  stop(): Promise<void>;
}

export async function startServer(port: number, env: Record<string, string>, timeoutMs = 120_000): Promise<RunningServer> {
  if (!serverIsBuilt) throw new Error(`${serverBuild} is missing: run \`npm run build\` first (npm test does).`);
  const child: ChildProcess = spawn(process.execPath, [serverBuild], {
    cwd: root,
    env: {
      ...process.env,
      NODE_ENV: "production",
      HOST: "127.0.0.1",
      PORT: String(port),
      PUBLIC_URL: `http://localhost:${port}`,
      DEV_OUTBOX: "true",
      ...env,
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout!.on("data", (d) => (output += d));
  child.stderr!.on("data", (d) => (output += d));
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const url = `http://localhost:${port}`;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`The server stopped at start:\n${output}`);
    if (/prêt en/.test(output)) break;
    if (Date.now() > deadline) {
      child.kill("SIGKILL");
      throw new Error(`The server did not start in ${timeoutMs} ms:\n${output}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    url,
    output: () => output,
    async stop() {
      if (child.exitCode === null) child.kill("SIGTERM");
      await Promise.race([exited, new Promise((r) => setTimeout(r, 5000))]);
      if (child.exitCode === null) child.kill("SIGKILL");
    },
  };
}

/** A form POST from the site itself (the Origin check passes), redirects not followed. */
export function postForm(server: RunningServer, path: string, form: Record<string, string>, headers: Record<string, string> = {}) {
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
