import path from "node:path";
import { createRequestHandler } from "@remix-run/express";
import * as build from "@remix-run/dev/server-build";
import express from "express";
import { DatabaseOpenError } from "../../db/connect";
import { auditRequests, scheduleAuditPurge } from "../audit/audit.server";
import { sessionMiddleware } from "../auth/session.server";
import { clientAddress } from "./client-address.server";
import { closeDatabase, database, db, openDatabase } from "./db.server";
import { env, EnvError } from "./env.server";
import { securityHeaders } from "./headers.server";
import { healthRoutes } from "./health.server";
import { log, requestLog } from "./log.server";
import { sameOriginOnly } from "./origin.server";
import { closeGracefully } from "./shutdown.server";

// The production server, bundled with the Remix build (remix.config.js `server`), so the app and
// this file share one environment and one database handle.

async function main() {
  const started = Date.now();
  const config = env();
  await openDatabase();
  // Operations: audit retention, request log, health, security headers.
  const stopAuditPurge = scheduleAuditPurge(db, (removed) => console.log(`Journal de sécurité : ${removed} événements de plus de 6 mois supprimés.`));
  let stopping = false;

  const app = express();
  app.disable("x-powered-by");
  // Believe X-Forwarded-For only from the proxies TRUST_PROXY names (README, "Déploiement").
  if (config.TRUST_PROXY !== false) app.set("trust proxy", config.TRUST_PROXY);
  app.use(requestLog(log(config)));
  app.use(securityHeaders({ publicUrl: config.PUBLIC_URL, development: config.NODE_ENV === "development" }));
  app.use(healthRoutes({ database: () => (stopping ? undefined : database()), stopping: () => stopping }));
  app.use(auditRequests(db));
  app.use("/build", express.static(path.resolve("public/build"), { immutable: true, maxAge: "1y" }));
  app.use(express.static(path.resolve("public"), { maxAge: "1h" }));
  app.use(sameOriginOnly(config.PUBLIC_URL));
  app.use(sessionMiddleware);
  app.all(
    "*",
    createRequestHandler({
      build,
      mode: build.mode,
      getLoadContext: (req, res) => ({ auth: res.locals.auth, cspNonce: res.locals.cspNonce, clientAddress: clientAddress(req) }),
    }),
  );

  const server = app.listen(config.PORT, config.HOST, () => {
    const seconds = ((Date.now() - started) / 1000).toFixed(1);
    console.log(`Priorités Santé prêt en ${seconds} s : http://${config.HOST}:${config.PORT} (${config.PUBLIC_URL})`);
  });
  server.on("error", (error) => {
    console.error(`Le serveur n'a pas pu écouter sur ${config.HOST}:${config.PORT} : ${error.message}`);
    process.exit(1);
  });

  // Stop taking connections, let requests in progress finish (at most SHUTDOWN_TIMEOUT_MS), then
  // close the database: exit 0 when everything finished, 1 when requests had to be cut.
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`${signal} reçu : arrêt après les requêtes en cours (au plus ${config.SHUTDOWN_TIMEOUT_MS / 1000} s).`);
    stopAuditPurge();
    const finished = await closeGracefully(server, config.SHUTDOWN_TIMEOUT_MS);
    if (!finished) console.error("Des requêtes duraient encore : connexions fermées de force.");
    try {
      await closeDatabase();
    } catch (error) {
      console.error("Fermeture de la base de données en échec :", error);
      process.exit(1);
    }
    console.log("Serveur arrêté.");
    process.exit(finished ? 0 : 1);
  };
  process.once("SIGTERM", () => void shutdown("SIGTERM"));
  process.once("SIGINT", () => void shutdown("SIGINT"));
}

main().catch((error: unknown) => {
  if (error instanceof EnvError || error instanceof DatabaseOpenError) {
    console.error(error.message);
  } else {
    console.error("Échec du démarrage :", error);
  }
  process.exit(1);
});
