import path from "node:path";
import { createRequestHandler } from "@remix-run/express";
import * as build from "@remix-run/dev/server-build";
import express from "express";
import { DatabaseOpenError } from "../../db/connect";
import { sessionMiddleware } from "../auth/session.server";
import { clientAddress } from "./client-address.server";
import { closeDatabase, openDatabase } from "./db.server";
import { env, EnvError } from "./env.server";
import { sameOriginOnly } from "./origin.server";

// The production server, bundled with the Remix build (remix.config.js `server`), so the app and
// this file share one environment and one database handle.

async function main() {
  const started = Date.now();
  const config = env();
  await openDatabase();

  const app = express();
  app.disable("x-powered-by");
  // Believe X-Forwarded-For only from the proxies TRUST_PROXY names (README, "Déploiement").
  if (config.TRUST_PROXY !== false) app.set("trust proxy", config.TRUST_PROXY);
  app.use("/build", express.static(path.resolve("public/build"), { immutable: true, maxAge: "1y" }));
  app.use(express.static(path.resolve("public"), { maxAge: "1h" }));
  app.use(sameOriginOnly(config.PUBLIC_URL));
  app.use(sessionMiddleware);
  app.all(
    "*",
    createRequestHandler({
      build,
      mode: build.mode,
      getLoadContext: (req, res) => ({ auth: res.locals.auth, clientAddress: clientAddress(req) }),
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

  const shutdown = (signal: string) => {
    console.log(`${signal} reçu : arrêt après les requêtes en cours.`);
    server.close(() => {
      void closeDatabase().finally(() => process.exit(0));
    });
  };
  process.once("SIGTERM", () => shutdown("SIGTERM"));
  process.once("SIGINT", () => shutdown("SIGINT"));
}

main().catch((error: unknown) => {
  if (error instanceof EnvError || error instanceof DatabaseOpenError) {
    console.error(error.message);
  } else {
    console.error("Échec du démarrage :", error);
  }
  process.exit(1);
});
