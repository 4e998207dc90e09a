import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import autocannon from "autocannon";

export interface LoadResult {
  requests: number;
  throughput: number;
  p50: number;
  p99: number;
  /** Answers other than 2xx and 3xx (a vote without JavaScript is answered by a 303/302 redirect). */
  refused: number;
  non2xx: number;
  errors: number;
}

/**
 * Starts the production build on a port of its own and waits until it answers. `args` runs another
 * entry (bench/cluster.ts); `ready` is a line the process prints once every part of it listens.
 */
export async function startServer(
  root: string,
  env: Record<string, string>,
  options: { args?: string[]; ready?: RegExp } = {},
): Promise<ChildProcess> {
  const child = spawn(process.execPath, options.args ?? ["build/index.js"], {
    cwd: root,
    env: {
      ...process.env,
      NODE_ENV: "production",
      EMAIL_OUTBOX: "true",
      HOST: "127.0.0.1",
      SHUTDOWN_READY_DELAY_MS: "0",
      ...env,
    },
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
      if (response.ok && (!options.ready || options.ready.test(output))) return child;
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
  /** For this long, or until `amount` requests have been answered. */
  seconds?: number;
  amount?: number;
  /** Seconds before a request counts as a timeout (autocannon's default: 10). */
  timeout?: number;
  headers?: Record<string, string>;
  /** `connection` is an object of the connection's own, kept from one of its requests to the next. */
  nextRequest?: (connection: Record<string, number>) => { body?: string; headers?: Record<string, string> };
}): Promise<LoadResult> {
  const instance = autocannon({
    url: options.url,
    method: options.method ?? "GET",
    connections: options.connections,
    ...(options.amount ? { amount: options.amount } : { duration: options.seconds }),
    ...(options.timeout ? { timeout: options.timeout } : {}),
    headers: options.headers,
    requests: options.nextRequest
      ? [
          {
            setupRequest: (request: Record<string, unknown>, context: Record<string, number>) => {
              const next = options.nextRequest!(context);
              return {
                ...request,
                ...(next.body !== undefined ? { body: next.body } : {}),
                headers: { ...(request.headers as object), ...next.headers },
              };
            },
          },
        ]
      : undefined,
  } as autocannon.Options);
  const result = await instance;
  const codes = (result as unknown as { statusCodeStats?: Record<string, { count: number }> }).statusCodeStats ?? {};
  const refused = Object.entries(codes).reduce((n, [code, { count }]) => (Number(code) >= 400 ? n + count : n), 0);
  return {
    requests: result.requests.total,
    throughput: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    refused,
    non2xx: result.non2xx,
    errors: result.errors + result.timeouts,
  };
}

/** The server's resident memory (VmRSS in /proc/<pid>/status), in MiB. */
export function rssMiB(pid: number): number {
  const status = fs.readFileSync(`/proc/${pid}/status`, "utf8");
  const kb = Number(/VmRSS:\s+(\d+)\s+kB/.exec(status)?.[1] ?? Number.NaN);
  return kb / 1024;
}

/** `count` requests one after the other (one connection): latencies in ms, sorted. */
export async function sequential(
  url: string,
  count: number,
  headers: Record<string, string> = {},
): Promise<{ first: number; times: number[]; status: number; bytes: number }> {
  const times: number[] = [];
  let status = 0;
  let bytes = 0;
  let first = 0;
  for (let i = 0; i <= count; i++) {
    const started = process.hrtime.bigint();
    const response = await fetch(url, { headers });
    const body = await response.arrayBuffer();
    const ms = Number(process.hrtime.bigint() - started) / 1e6;
    status = response.status;
    bytes = body.byteLength;
    if (i === 0) first = ms;
    else times.push(ms);
  }
  return { first, times: times.sort((a, b) => a - b), status, bytes };
}

/** Ms until the page at `url` shows rank intervals of its own tally version (polled). */
export async function untilIntervals(url: string, headers: Record<string, string> = {}): Promise<number> {
  const started = process.hrtime.bigint();
  for (;;) {
    const text = await (await fetch(url, { headers })).text();
    if (text.includes("Intervalles de rang calculés sur cette version du décompte")) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  return Number(process.hrtime.bigint() - started) / 1e6;
}

/**
 * A bare Node http server in a process of its own (like the app's), answering every request with
 * the bytes of `file`: the ceiling for a page of those bytes on this machine.
 */
export async function startBareServer(port: number, file: string, contentType: string): Promise<ChildProcess> {
  const script = `
    const body = require("node:fs").readFileSync(${JSON.stringify(file)});
    require("node:http").createServer((req, res) => {
      res.writeHead(200, { "Content-Type": ${JSON.stringify(contentType)}, "Content-Length": body.length });
      res.end(body);
    }).listen(${port}, "127.0.0.1");`;
  const child = spawn(process.execPath, ["-e", script], { stdio: "ignore" });
  for (let i = 0; i < 100; i++) {
    try {
      if ((await fetch(`http://127.0.0.1:${port}/`)).ok) return child;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  child.kill("SIGKILL");
  throw new Error("Le serveur Node nu ne répond pas.");
}
