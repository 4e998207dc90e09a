import type { Request as ExpressRequest } from "express";

declare module "@remix-run/node" {
  interface AppLoadContext {
    /** The client's IP address, for per-address rate limits (see TRUST_PROXY). */
    clientAddress: string;
  }
}

/**
 * The client's address: the socket's, unless TRUST_PROXY names the proxies whose
 * X-Forwarded-For Express may believe (req.ip follows `trust proxy`). Without TRUST_PROXY
 * behind a load balancer every client would share the balancer's address.
 */
export function clientAddress(req: ExpressRequest): string {
  const address = req.ip ?? req.socket.remoteAddress ?? "inconnue";
  // One client, one key, whether it came over IPv4 or IPv4-mapped IPv6.
  return address.startsWith("::ffff:") ? address.slice(7) : address;
}
