import { Router } from "express";
import { sql } from "kysely";
import type { DatabaseHandle } from "../../db/connect";
import { migrationsAreCurrent } from "../../db/migrate";
import { log } from "./log.server";

const READY_TIMEOUT_MS = 2000;

/**
 * /healthz and /readyz, answered by Express before the Origin check, the session and Remix: a
 * load balancer polls them every few seconds, so they must cost nothing and touch no session.
 * - /healthz: 200 "ok" while the process runs (liveness; no database, so a slow database does not
 *   get healthy processes restarted);
 * - /readyz: 200 "prêt" when a trivial query answers within 2 s, every migration in
 *   db/migrations/index.ts has run and the database can take writes (not read-only, disk not
 *   full); 503 with the reason in French otherwise, and from the moment a SIGTERM is received
 *   (for SHUTDOWN_READY_DELAY_MS before the listener closes), so the balancer stops sending traffic.
 */
export function healthRoutes(options: { database: () => DatabaseHandle | undefined; stopping: () => boolean }): Router {
  const router = Router();
  router.get("/healthz", (_req, res) => {
    res.set("Cache-Control", "no-store").type("text/plain").send("ok");
  });
  router.get("/readyz", async (_req, res) => {
    const reason = await notReadyReason(options);
    res.set("Cache-Control", "no-store").type("text/plain; charset=utf-8");
    if (reason) res.status(503).send(`indisponible : ${reason}`);
    else res.send("prêt");
  });
  return router;
}

async function notReadyReason(options: {
  database: () => DatabaseHandle | undefined;
  stopping: () => boolean;
}): Promise<string | null> {
  if (options.stopping()) return "arrêt en cours";
  const handle = options.database();
  if (!handle) return "base de données non ouverte";
  try {
    const current = await withTimeout(
      (async () => {
        await sql`select 1`.execute(handle.db);
        return migrationsAreCurrent(handle.db, handle.schema);
      })(),
      READY_TIMEOUT_MS,
    );
    if (!current) return "migrations en attente";
    // Probed, not taken from the last failure: a server taken out of the balancer gets no writes
    // that could show it recovered.
    const problem = await withTimeout(handle.writeProblem(), READY_TIMEOUT_MS);
    if (problem === "disque plein") return "disque plein, la base de données ne peut plus écrire";
    if (problem === "lecture seule") return "base de données en lecture seule";
    return null;
  } catch (error) {
    // The detail (host, driver message) goes to the log, not to whoever asked.
    log().error(
      {
        err: {
          type: error instanceof Error ? error.name : "inconnu",
          message: error instanceof Error ? error.message : String(error),
        },
      },
      "readyz : base injoignable",
    );
    return "base de données injoignable";
  }
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`pas de réponse en ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
