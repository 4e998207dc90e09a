import { Transform, type Readable } from "node:stream";
import type { Request as ExpressRequest, Response as ExpressResponse, NextFunction } from "express";
import { sendErrorPage } from "./error-page.server";

const BODY_METHODS = new Set(["POST", "PUT", "PATCH", "DELETE"]);
/** How long a refused request's remaining bytes are read and dropped before its connection is cut. */
const LINGER_MS = 1000;

export interface BodyLimits {
  /** Bytes allowed when no route below matches. */
  defaultBytes: number;
  /** First match wins: a path pattern and the bytes it allows. */
  routes: { path: RegExp; bytes: number }[];
}

export class BodyTooLargeError extends Error {}

/** The request body as the app may read it: counted when it came without Content-Length. */
export function requestBody(req: ExpressRequest, res: ExpressResponse): Readable {
  return (res.locals.body as Readable | undefined) ?? req;
}

/** Whether a chunked body went past its route's cap while the app read it. */
export function bodyWentTooLarge(res: ExpressResponse): boolean {
  return res.locals.bodyTooLarge === true;
}

export function bodyLimitFor(limits: BodyLimits, path: string): number {
  return limits.routes.find((route) => route.path.test(path))?.bytes ?? limits.defaultBytes;
}

/**
 * Caps every request body before anything parses it. An announced Content-Length over the route's
 * cap gets a 413 at once, the body unread (Node's parser never hands over more than the announced
 * length); a chunked body is counted as it streams, and the app reads it through `res.locals.body`,
 * which fails as soon as the cap is passed (the Remix adapter then answers 413).
 */
export function bodyLimit(limits: BodyLimits) {
  return (req: ExpressRequest, res: ExpressResponse, next: NextFunction) => {
    if (!BODY_METHODS.has(req.method)) return next();
    const cap = bodyLimitFor(limits, req.path);
    const declared = req.headers["content-length"];
    if (declared !== undefined) {
      if (Number(declared) > cap) return refuseTooLarge(req, res, cap);
      return next();
    }
    if (req.headers["transfer-encoding"] === undefined) return next();
    let size = 0;
    const counted = new Transform({
      transform(chunk: Buffer, _encoding, callback) {
        size += chunk.byteLength;
        if (size <= cap) return callback(null, chunk);
        res.locals.bodyTooLarge = true;
        req.unpipe(counted);
        callback(new BodyTooLargeError(`corps de requête au-delà de ${cap} octets`));
      },
    });
    req.pipe(counted);
    res.locals.body = counted;
    next();
  };
}

/** The French 413, sent without reading the rest of the body; the connection is closed after it. */
export function refuseTooLarge(req: ExpressRequest, res: ExpressResponse, cap: number): void {
  res.set("Connection", "close");
  // Cutting the socket at once could lose the answer: what the client is still sending makes the
  // close a reset, which discards the answer on its side before it is read. Node would cut it as
  // soon as the answer is flushed (destroySoon), so here it only closes its sending side; the rest
  // of the body is read and dropped for a moment (Node dumps an unread request), then cut.
  const socket = req.socket;
  socket.destroySoon = () => void socket.end();
  res.on("finish", () => setTimeout(() => socket.destroy(), LINGER_MS).unref());
  sendErrorPage(res, 413, "Envoi trop volumineux", [
    `Ce formulaire ne peut pas dépasser ${sizeLabel(cap)} : rien n’a été enregistré.`,
    "Raccourcissez votre texte ou votre pièce jointe, puis réessayez.",
  ]);
}

function sizeLabel(bytes: number): string {
  return bytes >= 1024 * 1024 ? `${Math.floor(bytes / (1024 * 1024))} Mo` : `${Math.floor(bytes / 1024)} Ko`;
}

const FORM_TYPES = /^(application\/x-www-form-urlencoded|multipart\/form-data\s*;\s*boundary=.+)/i;

/**
 * Form routes take what an HTML form sends, nothing else: any other content type (JSON, XML,
 * text/plain, multipart without a boundary) gets a French 415 before an action tries to read it.
 * A request without a body passes (the action then finds its fields missing: 400).
 */
export function formContentOnly() {
  return (req: ExpressRequest, res: ExpressResponse, next: NextFunction) => {
    if (!BODY_METHODS.has(req.method)) return next();
    const type = req.headers["content-type"];
    const hasBody = req.headers["transfer-encoding"] !== undefined || Number(req.headers["content-length"] ?? 0) > 0;
    if ((!type && !hasBody) || (type && FORM_TYPES.test(type))) return next();
    res.set("Connection", "close");
    sendErrorPage(res, 415, "Format d’envoi non accepté", [
      "Cette adresse n’accepte que les formulaires des pages du site : rien n’a été enregistré. Revenez à la page du formulaire et envoyez-le de nouveau.",
    ]);
  };
}
