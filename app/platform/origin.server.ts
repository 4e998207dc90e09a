import type { Request as ExpressRequest, Response as ExpressResponse, NextFunction } from "express";

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

/** Refuses (403) any POST, PUT, PATCH or DELETE whose origin is not this site, before anything runs. */
export function sameOriginOnly(publicUrl: string) {
  const allowed = new URL(publicUrl).origin;
  return (req: ExpressRequest, res: ExpressResponse, next: NextFunction) => {
    if (SAFE_METHODS.has(req.method)) return next();
    const origin = requestOrigin({ origin: req.headers.origin, referer: req.headers.referer });
    const self = `${req.protocol}://${req.headers.host}`;
    if (origin && (origin === allowed || origin === self)) return next();
    res
      .status(403)
      .type("html")
      .send(
        `<!doctype html><html lang="fr"><head><meta charset="utf-8"><title>Requête refusée — Priorités Santé</title></head>` +
          `<body><main><h1>Requête refusée</h1><p>Ce formulaire n’a pas été envoyé depuis le site Priorités Santé : ` +
          `par sécurité, rien n’a été enregistré.</p><p><a href="/">Revenir à l’accueil</a></p></main></body></html>`,
      );
  };
}
