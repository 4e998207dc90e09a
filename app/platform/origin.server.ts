import type { Request as ExpressRequest, Response as ExpressResponse, NextFunction } from "express";
import { sendErrorPage } from "./error-page.server";

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

/**
 * The origin a state-changing request comes from: its Origin header, or its Referer's origin for
 * the rare client that sends no Origin; null when neither is there.
 */
export function requestOrigin(headers: { origin?: string | undefined; referer?: string | undefined }): string | null {
  if (headers.origin) return headers.origin;
  if (headers.referer) {
    try {
      return new URL(headers.referer).origin;
    } catch {
      return null;
    }
  }
  return null;
}

/**
 * Refuses (403) any POST, PUT, PATCH or DELETE whose origin is not PUBLIC_URL's, before anything
 * runs. Never compared with the request's Host: a rebinding name pointing at this server sends a
 * matching Origin and Host, and a proxy may rewrite Host anyway.
 */
export function sameOriginOnly(publicUrl: string) {
  const allowed = new URL(publicUrl).origin;
  return (req: ExpressRequest, res: ExpressResponse, next: NextFunction) => {
    if (SAFE_METHODS.has(req.method)) return next();
    const origin = requestOrigin({ origin: req.headers.origin, referer: req.headers.referer });
    if (origin === allowed) return next();
    sendErrorPage(res, 403, "Requête refusée", [
      "Ce formulaire n’a pas été envoyé depuis le site Priorités Santé : par sécurité, rien n’a été enregistré.",
    ]);
  };
}
