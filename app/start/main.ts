import path from "node:path";
import { isMainThread, workerData } from "node:worker_threads";
import * as build from "@remix-run/dev/server-build";
import express from "express";
import { DatabaseOpenError } from "../../db/connect";
import { readContentVersion } from "../../db/content-version";
import { auditRequests, scheduleAuditPurge } from "../audit/audit.server";
import { sessionMiddleware, type AuthContext } from "../identity/session.server";
import { setIntervalRunner } from "../ballots/intervals.server";
import { clientAddress, fromLoopback } from "../platform/client-address.server";
import { outboxAtStart } from "../platform/email.server";
import { closeDatabase, database, db } from "../platform/db.server";
import { openDatabase } from "./open-database.server";
import { resumeUnfinishedNotices } from "../answers/notices.server";
import { env, EnvError } from "../platform/env.server";
import { securityHeaders } from "../platform/headers.server";
import { healthRoutes } from "../platform/health.server";
import { runIntervalWorker, workerIntervalRunner } from "./intervals-worker.server";
import { log, requestLog } from "../platform/log.server";
import { sameOriginOnly } from "../platform/origin.server";
import { recordSiteAddress } from "../platform/site-address.server";
import { RenderCache, type Account } from "../platform/render-cache.server";
import { contentVersionOnce } from "../platform/request-content.server";
import { closeGracefully } from "../platform/shutdown.server";
import { bodyLimit, bodyLimitFor, formContentOnly, type BodyLimits } from "../platform/request-body.server";
import { MAX_REQUEST_BYTES as ASSOCIATION_UPLOAD_BYTES } from "../comments/labels";
import { errorPages, remixHandler, storeScope } from "./remix-adapter.server";

/**
 * What each route may receive, checked before anything reads a body (README, Sécurité). Forms get
 * a few kilobytes; the long texts (comments, contributions, moderation) 64 KB; the two uploads
 * their own caps, which their routes check again on the file itself.
 */
const BODY_LIMITS: BodyLimits = {
  defaultBytes: 16 * 1024,
  routes: [
    {
      path: /^\/(connexion|inscription|mot-de-passe-oublie|reinitialisation|verification|deconnexion)\/?$/,
      bytes: 8 * 1024,
    },
    { path: /^\/espace-association\/contribuer\//, bytes: ASSOCIATION_UPLOAD_BYTES },
    // The paper-ballot CSV: 5 MB of file (checked by its route) and the multipart around it.
    { path: /^\/admin\/consultations\/[^/]+\/bulletins-papier\/?$/, bytes: 5 * 1024 * 1024 + 64 * 1024 },
    {
      path: /^\/(consultations\/[^/]+\/propositions\/|associations\/inscription|espace-association|moderation|admin|cts\/)/,
      bytes: 64 * 1024,
    },
  ],
};

// The production server, bundled with the Remix build (remix.config.js `server`), so the app and
// this file share one environment and one database handle.

async function main() {
  const started = Date.now();
  const config = env();
  const outbox = outboxAtStart(config);
  if (!outbox.ok) {
    console.error(outbox.message);
    process.exit(1);
  }
  if (outbox.notice) console.warn(outbox.notice);
  await openDatabase();
  await recordSiteAddress(db());
  setIntervalRunner(workerIntervalRunner(new URL(import.meta.url)));
  // E-mails to residents about their CTS's answers that a stop left half sent (never twice).
  await resumeUnfinishedNotices(db());
  // Operations: audit retention, request log, health, security headers.
  const stopAuditPurge = scheduleAuditPurge(db, (removed) =>
    console.log(`Journal de sécurité : ${removed} événements de plus de 6 mois supprimés.`),
  );
  let stopping = false;

  const app = express();
  app.disable("x-powered-by");
  app.use(storeScope());
  // Believe X-Forwarded-For only from the proxies TRUST_PROXY names (README, "Deployment on several servers").
  if (config.TRUST_PROXY !== false) app.set("trust proxy", config.TRUST_PROXY);
  app.use(requestLog(log(config)));
  app.use(
    securityHeaders({
      publicUrl: config.PUBLIC_URL,
      development: config.NODE_ENV === "development",
      formTargets: config.FRANCECONNECT_ISSUER ? [new URL(config.FRANCECONNECT_ISSUER).origin] : [],
    }),
  );
  app.use(healthRoutes({ database, stopping: () => stopping }));
  app.use(auditRequests(db));
  const renderCache = new RenderCache(
    () => readContentVersion(db()),
    config.CONTENT_CACHE ? config.RENDER_CACHE_PAGES : 0,
    config.CONTENT_CACHE ? config.RENDER_CACHE_SIGNED_IN : 0,
  );
  // Anonymous pages already rendered are answered here: after the log and the security headers
  // (a fresh CSP nonce is written into the kept bytes), before the session and Remix.
  app.use((req, res, next) => {
    renderCache.serve(req, res).then((served) => (served ? undefined : next()), next);
  });
  app.use("/build", express.static(path.resolve("public/build"), { immutable: true, maxAge: "1y" }));
  // Every file of public/ has an extension: a page's path is not looked up on disk (one stat a request).
  const publicFiles = express.static(path.resolve("public"), { maxAge: "1h" });
  app.use((req, res, next) => (/\.[^/]+$/.test(req.path) ? publicFiles(req, res, next) : next()));
  app.use(sameOriginOnly(config.PUBLIC_URL));
  app.use(bodyLimit(BODY_LIMITS));
  app.use(formContentOnly());
  app.use(sessionMiddleware);
  app.use((req, res, next) => {
    // One read of the content version per request, shared by the render cache and the loaders;
    // none when the session's query brought it.
    const auth = res.locals.auth as AuthContext;
    const version = contentVersionOnce(db(), auth.session?.contentVersion);
    res.locals.contentVersion = version;
    const account = auth.user as Account | null;
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
    remixHandler({
      build,
      mode: build.mode,
      bodyCap: (path) => bodyLimitFor(BODY_LIMITS, path),
      publicUrl: config.PUBLIC_URL,
      getLoadContext: (req, res) => ({
        auth: res.locals.auth,
        cspNonce: res.locals.cspNonce,
        clientAddress: clientAddress(req),
        fromLoopback: fromLoopback(req),
        contentVersion: res.locals.contentVersion,
        renderCache: res.locals.renderCache,
      }),
    }),
  );
  app.use(errorPages());

  const server = app.listen(config.PORT, config.HOST, () => {
    const seconds = ((Date.now() - started) / 1000).toFixed(1);
    console.log(`Priorités Santé prêt en ${seconds} s : http://${config.HOST}:${config.PORT} (${config.PUBLIC_URL})`);
  });
  server.on("error", (error) => {
    console.error(`Le serveur n'a pas pu écouter sur ${config.HOST}:${config.PORT} : ${error.message}`);
    process.exit(1);
  });

  // /readyz answers 503 for SHUTDOWN_READY_DELAY_MS while requests are still served (the balancer
  // sees it and stops sending), then the listener closes, requests in progress finish (at most
  // SHUTDOWN_TIMEOUT_MS), and the database closes: exit 0 when everything finished, 1 when cut.
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(
      `${signal} reçu : /readyz répond 503 pendant ${config.SHUTDOWN_READY_DELAY_MS / 1000} s, ` +
        `puis arrêt après les requêtes en cours (au plus ${config.SHUTDOWN_TIMEOUT_MS / 1000} s).`,
    );
    stopAuditPurge();
    await new Promise((resolve) => setTimeout(resolve, config.SHUTDOWN_READY_DELAY_MS));
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
