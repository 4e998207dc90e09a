import { Worker, parentPort } from "node:worker_threads";
import { connect } from "../../db/connect";
import { computeIntervals, type IntervalJob, type IntervalRunner } from "../ballots/intervals.server";
import type { RankInterval } from "../tally";
import { env } from "../platform/env.server";

// Rank-interval bootstraps run in a worker thread: the server's event loop keeps answering while
// one takes seconds. The worker is the server bundle itself (build/index.js started with
// workerData.kind = "intervals", see main.ts), with a database connection of its own; it reads
// the ballots and posts back only the intervals. It stops when idle, giving its memory back.

// Short: a bootstrap at a national scale holds its ballots in the worker's heap until it exits.
const IDLE_MS = 2_000;

type Reply = { id: number; intervals: Record<string, RankInterval> } | { id: number; error: string };

/** The runner the server installs: one worker at most, started on demand, stopped when idle. */
export function workerIntervalRunner(entry: URL): IntervalRunner {
  let worker: Worker | null = null;
  let idle: NodeJS.Timeout | undefined;
  let nextId = 0;
  const pending = new Map<number, { resolve: (v: Record<string, RankInterval>) => void; reject: (e: Error) => void }>();

  const start = () => {
    const w = new Worker(entry, { workerData: { kind: "intervals" } });
    w.on("message", (reply: Reply) => {
      const waiting = pending.get(reply.id);
      pending.delete(reply.id);
      if ("error" in reply) waiting?.reject(new Error(reply.error));
      else waiting?.resolve(reply.intervals);
      if (pending.size === 0) idle = setTimeout(() => void w.terminate(), IDLE_MS);
    });
    const fail = (error: Error) => {
      for (const waiting of pending.values()) waiting.reject(error);
      pending.clear();
      if (worker === w) worker = null;
    };
    w.on("error", fail);
    w.on("exit", () => fail(new Error("Le calcul des intervalles s'est arrêté.")));
    w.unref();
    return w;
  };

  return (_db, job) =>
    new Promise((resolve, reject) => {
      clearTimeout(idle);
      worker ??= start();
      const id = nextId++;
      pending.set(id, { resolve, reject });
      worker.postMessage({ id, job });
    });
}

/** The worker's side: answers jobs one after the other. */
export async function runIntervalWorker(): Promise<void> {
  const e = env();
  const handle = await connect({
    databaseUrl: e.DATABASE_URL,
    sqliteFile: e.SQLITE_FILE,
    busyTimeoutMs: e.SQLITE_BUSY_TIMEOUT_MS,
    pgPoolSize: 1,
    // Rank intervals at 1 M ballots take seconds: no request waits on them, so no statement timeout.
    statementTimeoutMs: 0,
    connectTimeoutMs: e.DATABASE_CONNECT_TIMEOUT_MS,
    ...(e.DATABASE_SCHEMA ? { pgSchema: e.DATABASE_SCHEMA } : {}),
  });
  // One job at a time: two at once (a report asks for raw and weighted) would hold the
  // territory's ballots twice.
  let queue: Promise<void> = Promise.resolve();
  parentPort!.on("message", ({ id, job }: { id: number; job: IntervalJob }) => {
    queue = queue.then(() =>
      computeIntervals(handle.db, job).then(
        (intervals) => parentPort!.postMessage({ id, intervals } satisfies Reply),
        (error: unknown) =>
          parentPort!.postMessage({
            id,
            error: error instanceof Error ? error.message : String(error),
          } satisfies Reply),
      ),
    );
  });
}
