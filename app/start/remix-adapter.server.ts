import {
  createReadableStreamFromReadable,
  createRequestHandler,
  writeReadableStreamToWritable,
  type AppLoadContext,
  type ServerBuild,
} from "@remix-run/node";
import type { Request as ExpressRequest, Response as ExpressResponse, NextFunction } from "express";
import { sendErrorPage } from "../platform/error-page.server";
import { bodyWentTooLarge, refuseTooLarge, requestBody } from "../platform/request-body.server";
import {
  reportStoreError,
  requestStoreFailure,
  STORE_RETRY_AFTER_SECONDS,
  unavailableText,
  withStoreScope,
} from "../platform/store-health.server";

/**
 * Express → Remix, as @remix-run/express does, with two differences: the body Remix reads is the
 * counted one (request-body.server.ts), and an answer that failed because a store was unreachable,
 * too slow, full or read-only becomes a French 503 with Retry-After instead of "Erreur inattendue".
 */
export function remixHandler(options: {
  build: ServerBuild;
  mode: string;
  getLoadContext: (req: ExpressRequest, res: ExpressResponse) => AppLoadContext;
  bodyCap: (path: string) => number;
  publicUrl: string;
}) {
  const publicOrigin = new URL(new URL(options.publicUrl).origin);
  const handle = createRequestHandler(options.build, options.mode);
  return async (req: ExpressRequest, res: ExpressResponse, next: NextFunction) => {
    try {
      const response = await handle(remixRequest(req, res, publicOrigin), options.getLoadContext(req, res));
      if (bodyWentTooLarge(res)) return refuseTooLarge(req, res, options.bodyCap(req.path));
      const failure = response.status >= 500 ? requestStoreFailure() : null;
      if (failure) {
        await response.body?.cancel();
        res.set("Retry-After", String(STORE_RETRY_AFTER_SECONDS));
        return sendErrorPage(res, 503, "Service momentanément indisponible", unavailableText(failure));
      }
      await sendResponse(res, response);
    } catch (error) {
      next(error);
    }
  };
}

/** Express's last error handler: a store failure gets the French 503, anything else a French 500. */
export function errorPages() {
  return (error: unknown, _req: ExpressRequest, res: ExpressResponse, next: NextFunction) => {
    if (res.headersSent) return next(error);
    const failure = reportStoreError("base de données", error) ?? requestStoreFailure();
    if (failure) {
      res.set("Retry-After", String(STORE_RETRY_AFTER_SECONDS));
      return sendErrorPage(res, 503, "Service momentanément indisponible", unavailableText(failure));
    }
    console.error(error);
    sendErrorPage(res, 500, "Erreur inattendue", [
      "Une erreur est survenue de notre côté. Réessayez dans quelques instants ; si elle persiste, signalez-la.",
    ]);
  };
}

/** Every request runs in its own store scope, so a failure met anywhere on its way is known at the answer. */
export function storeScope() {
  return (_req: ExpressRequest, _res: ExpressResponse, next: NextFunction) => withStoreScope(next);
}

function remixRequest(req: ExpressRequest, res: ExpressResponse, publicOrigin: URL): Request {
  // The site's address is PUBLIC_URL, whatever Host a proxy sent: the Origin check
  // (origin.server.ts) compared the Origin with it, and Remix's own check compares the Origin with
  // the Host header, so Remix is given the public one (a proxy that rewrites Host would get 500s).
  const url = new URL(req.originalUrl, publicOrigin);
  const headers = new Headers();
  for (const [key, value] of Object.entries(req.headers)) {
    if (key === "host" || key === "x-forwarded-host") continue;
    if (Array.isArray(value)) for (const v of value) headers.append(key, v);
    else if (value !== undefined) headers.set(key, value);
  }
  headers.set("host", publicOrigin.host);
  let controller: AbortController | null = new AbortController();
  // Loaders and actions are aborted once the answer can no longer be written.
  res.on("finish", () => (controller = null));
  res.on("close", () => controller?.abort());
  const init: RequestInit & { duplex?: "half" } = { method: req.method, headers, signal: controller.signal };
  if (req.method !== "GET" && req.method !== "HEAD") {
    init.body = createReadableStreamFromReadable(requestBody(req, res));
    init.duplex = "half";
  }
  return new Request(url.href, init);
}

async function sendResponse(res: ExpressResponse, response: Response): Promise<void> {
  res.statusMessage = response.statusText;
  res.status(response.status);
  for (const [key, value] of response.headers.entries()) res.append(key, value);
  if (response.headers.get("Content-Type")?.match(/text\/event-stream/i)) res.flushHeaders();
  if (response.body) await writeReadableStreamToWritable(response.body, res);
  else res.end();
}
