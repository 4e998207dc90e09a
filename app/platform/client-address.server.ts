import net from "node:net";
import type { Request as ExpressRequest } from "express";

declare module "@remix-run/node" {
  interface AppLoadContext {
    /** The client's network for per-address rate limits: its IPv4 address, or its IPv6 /64 (see TRUST_PROXY). */
    clientAddress: string;
    /** The request came straight from this machine (see fromLoopback). */
    fromLoopback: boolean;
  }
}

/**
 * Whether the request comes from the machine itself: the socket's peer is a loopback address and
 * no proxy header says it relays someone else. The socket, not `req.ip`: TRUST_PROXY must not be
 * able to turn a visitor into "this machine". A proxy on the same host that adds no
 * X-Forwarded-For/Forwarded would still look local: this only serves development.
 */
export function fromLoopback(req: ExpressRequest): boolean {
  const peer = (req.socket.remoteAddress ?? "").replace(/^::ffff:/i, "");
  const loopback = peer === "::1" || /^127\.\d+\.\d+\.\d+$/.test(peer);
  return loopback && req.headers["x-forwarded-for"] === undefined && req.headers.forwarded === undefined;
}

/**
 * The client's network, the key of per-address limits: the socket's address, unless TRUST_PROXY
 * names the proxies whose X-Forwarded-For Express may believe (req.ip follows `trust proxy`).
 * Without TRUST_PROXY behind a load balancer every client would share the balancer's address.
 */
export function clientAddress(req: ExpressRequest): string {
  return networkKey(req.ip ?? req.socket.remoteAddress ?? "inconnue");
}

/**
 * One key per client network: an IPv4 address as is (also when IPv4-mapped IPv6), an IPv6
 * address as its /64 ("2001:db8:1:2::/64"). An IPv6 subscriber gets a whole /64 (often more):
 * keyed on the full address, one person could draw a fresh allowance for each of 2^64 addresses.
 */
export function networkKey(address: string): string {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (mapped) return mapped[1]!;
  const bare = address.split("%")[0]!;
  if (!net.isIPv6(bare)) return address;
  const [head = "", tail] = bare.toLowerCase().split("::");
  const left = head ? head.split(":") : [];
  const right = tail ? tail.split(":") : [];
  // An embedded IPv4 tail counts as two groups; it only sits in the last 64 bits, which are dropped.
  const rightGroups = right.reduce((n, g) => n + (g.includes(".") ? 2 : 1), 0);
  const groups =
    tail === undefined ? left : [...left, ...Array<string>(8 - left.length - rightGroups).fill("0"), ...right];
  return `${groups
    .slice(0, 4)
    .map((g) => g.replace(/^0+(?=.)/, ""))
    .join(":")}::/64`;
}
