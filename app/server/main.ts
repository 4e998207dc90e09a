import http from "node:http";
import path from "node:path";
import { isMainThread, workerData } from "node:worker_threads";
import { readContentVersion } from "../../db/content-version";
import { createRequestHandler } from "@remix-run/express";
import * as build from "@remix-run/dev/server-build";
import express from "express";
import { DatabaseOpenError } from "../../db/connect";
import { sessionMiddleware, type AuthContext } from "../auth/session.server";
import { closeDatabase, db, openDatabase } from "./db.server";
import { env, EnvError } from "./env.server";
import { sameOriginOnly } from "./origin.server";
import { setIntervalRunner } from "../ballots/intervals.server";
import { runIntervalWorker, workerIntervalRunner } from "./intervals-worker.server";
import { RenderCache, type Account } from "./render-cache.server";
import { contentVersionOnce } from "./request-content.server";

// The production server, bundled with the Remix build (remix.config.js `server`), so the app and
// this file share one environment and one database handle.

async function main() {
  const started = Date.now();
  const config = env();
  await openDatabase();
  setIntervalRunner(workerIntervalRunner(new URL(import.meta.url)));

  const app = express();
  app.disable("x-powered-by");
  app.use("/build", express.static(path.resolve("public/build"), { immutable: true, maxAge: "1y" }));
  app.use(express.static(path.resolve("public"), { maxAge: "1h" }));
  app.use(sameOriginOnly(config.PUBLIC_URL));
  app.use(sessionMiddleware);
  const renderCache = new RenderCache(() => readContentVersion(db()), config.CONTENT_CACHE ? 500 : 0, config.CONTENT_CACHE ? 1000 : 0);
  app.use((req, res, next) => {
    // One read of the content version per request, shared by the render cache and the loaders.
    const version = contentVersionOnce(db());
    res.locals.contentVersion = version;
    const account = (res.locals.auth as AuthContext).user as Account | null;
    renderCache
      .serveSignedIn(req, res, account, version)
      .then(async (served) => {
        if (served) return;
        res.locals.renderCache = await renderCache.record(req, res, account, version);
        next();
      })
      .catch(next);
  });
  app.all(
    "*",
    createRequestHandler({
      build,
      mode: build.mode,
      getLoadContext: (_req, res) => ({
        auth: res.locals.auth,
        contentVersion: res.locals.contentVersion,
        renderCache: res.locals.renderCache,
      }),
    }),
  );

  // Anonymous pages already rendered are answered here, before Express and Remix (signed-in
  // ones after the session middleware above).
  const server = http.createServer((req, res) => {
    renderCache.serve(req, res).then(
      (served) => {
        if (!served) app(req, res);
      },
      () => app(req, res),
    );
  });
  server.listen(config.PORT, config.HOST, () => {
    const seconds = ((Date.now() - started) / 1000).toFixed(1);
    console.log(`Priorités Santé prêt en ${seconds} s : http://${config.HOST}:${config.PORT} (${config.PUBLIC_URL})`);
  });
  server.on("error", (error) => {
    console.error(`Le serveur n'a pas pu écouter sur ${config.HOST}:${config.PORT} : ${error.message}`);
    process.exit(1);
  });

  const shutdown = (signal: string) => {
    console.log(`${signal} reçu : arrêt après les requêtes en cours.`);
    server.close(() => {
      void closeDatabase().finally(() => process.exit(0));
    });
  };
  process.once("SIGTERM", () => shutdown("SIGTERM"));
  process.once("SIGINT", () => shutdown("SIGINT"));
}

// This bundle is also the rank-interval worker (intervals-worker.server.ts).
const run = !isMainThread && (workerData as { kind?: string } | null)?.kind === "intervals" ? runIntervalWorker : main;
run().catch((error: unknown) => {
  if (error instanceof EnvError || error instanceof DatabaseOpenError) {
    console.error(error.message);
  } else {
    console.error("Échec du démarrage :", error);
  }
  process.exit(1);
});
