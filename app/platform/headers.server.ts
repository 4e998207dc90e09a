import { randomBytes } from "node:crypto";
import type { Request as ExpressRequest, Response as ExpressResponse, NextFunction } from "express";

/**
 * The Content-Security-Policy of every page. Scripts run only from this origin or inline with
 * this response's nonce (Remix's hydration, scroll restoration and single-fetch stream scripts
 * carry it; see app/entry.server.tsx and app/root.tsx). Styles need no 'unsafe-inline': the pages
 * render no style attribute and the DSFR script changes styles through the CSSOM, which CSP does
 * not govern. Nothing is loaded from another origin, so `default-src 'self'` holds for fonts,
 * images and fetches.
 */
export function contentSecurityPolicy(nonce: string, development = false, formTargets: string[] = []): string {
  // `npm run dev` serves its live-reload runtime and socket from another local port.
  const dev = development ? " http://localhost:* ws://localhost:*" : "";
  return [
    "default-src 'self'",
    `script-src 'self' 'nonce-${nonce}'${dev}`,
    "style-src 'self'",
    "img-src 'self' data:",
    "font-src 'self'",
    `connect-src 'self'${dev}`,
    "object-src 'none'",
    "base-uri 'self'",
    // A form may lead to the OpenID provider (the FranceConnect button posts, then is redirected there).
    `form-action 'self'${formTargets.map((origin) => ` ${origin}`).join("")}`,
    "frame-ancestors 'none'",
  ].join("; ");
}

export interface HeaderOptions {
  /** The site's public address: HSTS only when it is https (a plain-http site cannot promise it). */
  publicUrl: string;
  /** NODE_ENV=development: also allow the dev server's own port. */
  development?: boolean;
  /** Other origins a form may be sent or redirected to (the FranceConnect provider). */
  formTargets?: string[];
}

/**
 * Express middleware: a fresh nonce per request (res.locals.cspNonce) and the security headers of
 * every response. The headers are settled just before they are written, so that:
 *  - a header a route set itself wins (the attachment route's `sandbox` CSP, its nosniff);
 *  - a response to a signed-in request (res.locals.auth.user, set by the session middleware that
 *    runs later) is `Cache-Control: no-store`, whatever the route said, unless it said no-store:
 *    a shared cache or the browser's history must never keep a page with someone's data. Static
 *    files are served before the session is read, so /build keeps its immutable caching.
 */
export function securityHeaders(options: HeaderOptions) {
  const hsts = options.publicUrl.startsWith("https://");
  const development = options.development ?? false;
  return (_req: ExpressRequest, res: ExpressResponse, next: NextFunction) => {
    const nonce = randomBytes(16).toString("base64");
    res.locals.cspNonce = nonce;
    const writeHead = res.writeHead;
    // Node calls writeHead (explicitly or through its implicit header) exactly once per response.
    res.writeHead = function (this: ExpressResponse, ...args: Parameters<typeof writeHead>) {
      settle(res, contentSecurityPolicy(nonce, development, options.formTargets), hsts);
      return writeHead.apply(this, args);
    } as typeof writeHead;
    next();
  };
}

function settle(res: ExpressResponse, csp: string, hsts: boolean): void {
  const defaults: Record<string, string> = {
    "Content-Security-Policy": csp,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "strict-origin-when-cross-origin",
    // For browsers that predate frame-ancestors.
    "X-Frame-Options": "DENY",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=(), payment=()",
  };
  if (hsts) defaults["Strict-Transport-Security"] = "max-age=31536000; includeSubDomains";
  for (const [name, value] of Object.entries(defaults)) {
    if (!res.hasHeader(name)) res.setHeader(name, value);
  }
  const auth = res.locals.auth as { user?: unknown } | undefined;
  if (auth?.user) {
    const current = res.getHeader("Cache-Control");
    if (!current || !/no-store/i.test(String(current))) res.setHeader("Cache-Control", "no-store");
  }
}

declare module "@remix-run/node" {
  interface AppLoadContext {
    /** This response's CSP nonce (empty outside the Express server, e.g. in tests calling loaders). */
    cspNonce: string;
  }
}
