import { spawn, type ChildProcess } from "node:child_process";
import autocannon from "autocannon";

export interface LoadResult {
  requests: number;
  throughput: number;
  p50: number;
  p99: number;
  non2xx: number;
  errors: number;
}

/** Starts the production build on a port of its own and waits until it answers. */
export async function startServer(root: string, env: Record<string, string>): Promise<ChildProcess> {
  const child = spawn(process.execPath, ["build/index.js"], {
    cwd: root,
    env: { ...process.env, NODE_ENV: "production", HOST: "127.0.0.1", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout!.on("data", (d) => (output += d));
  child.stderr!.on("data", (d) => (output += d));
  const url = `http://127.0.0.1:${env.PORT}/`;
  for (let i = 0; i < 600; i++) {
    if (child.exitCode !== null) throw new Error(`Le serveur s'est arrêté :\n${output}`);
    try {
      const response = await fetch(url);
      if (response.ok) return child;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  child.kill("SIGKILL");
  throw new Error(`Le serveur ne répond pas sur ${url} :\n${output}`);
}

export async function stopServer(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  const exited = new Promise((r) => child.once("exit", r));
  child.kill("SIGTERM");
  await Promise.race([exited, new Promise((r) => setTimeout(r, 5000))]);
  if (child.exitCode === null) child.kill("SIGKILL");
}

/**
 * Drives `url` with autocannon from this process (the server is another process on loopback):
 * `connections` at once for `seconds`. `nextRequest` shapes each request (cookie, body).
 */
export async function load(options: {
  url: string;
  method?: "GET" | "POST";
  connections: number;
  seconds: number;
  headers?: Record<string, string>;
  nextRequest?: () => { body?: string; headers?: Record<string, string> };
}): Promise<LoadResult> {
  const instance = autocannon({
    url: options.url,
    method: options.method ?? "GET",
    connections: options.connections,
    duration: options.seconds,
    headers: options.headers,
    requests: options.nextRequest
      ? [
          {
            setupRequest: (request: Record<string, unknown>) => {
              const next = options.nextRequest!();
              return { ...request, ...(next.body !== undefined ? { body: next.body } : {}), headers: { ...(request.headers as object), ...next.headers } };
            },
          },
        ]
      : undefined,
  } as autocannon.Options);
  const result = await instance;
  return {
    requests: result.requests.total,
    throughput: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    non2xx: result.non2xx,
    errors: result.errors + result.timeouts,
  };
}
