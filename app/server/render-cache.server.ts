import type { IncomingMessage, ServerResponse } from "node:http";

// Anonymous visitors all see the same consultation page for a given URL: it is rendered once and
// its bytes served from memory until its inputs change. An entry is kept with
//   - the content version it was rendered under (db/content-version.ts): loading the catalogue,
//     a phase change or a territory load changes the version, and the next request renders anew;
//   - a time limit set by the page: the next opening or closing date, where the page changes
//     by itself (the vote opens or closes).
// Only plain GETs without the session or vote-confirmation cookie are served from here; the page
// opts in from its loader (`context.renderCache?.allow(until)`), so nothing else is ever cached.
// Served before Express and Remix: a hit costs one query (the version) and one write.

const PRIVATE_COOKIES = /(?:^|[;\s])(?:__Host-)?ps_session=|ps_vote_flash=/;
// Headers of the stored response that belong to one exchange, not to the page.
const EXCHANGE_HEADERS = new Set(["set-cookie", "date", "connection", "keep-alive", "content-length", "transfer-encoding"]);

interface Entry {
  version: string;
  until: number;
  headers: Record<string, string | string[]>;
  body: Buffer;
}

/** What a loader sees in its context on a cacheable request. */
export interface RenderCacheSlot {
  /** Let this response be kept until `until` (null: no time limit), for the current version. */
  allow(until: Date | null): void;
}

export function isAnonymousRequest(req: IncomingMessage): boolean {
  const cookie = req.headers.cookie;
  return !cookie || !PRIVATE_COOKIES.test(cookie);
}

/** A document GET (not a single-fetch `.data` request) from someone without a session. */
function isCacheable(req: IncomingMessage): boolean {
  const url = req.url ?? "";
  return req.method === "GET" && isAnonymousRequest(req) && !url.split("?")[0]!.endsWith(".data");
}

export class RenderCache {
  private readonly entries = new Map<string, Entry>();

  constructor(
    private readonly readVersion: () => Promise<string>,
    private readonly limit = 500,
  ) {}

  /** Answers from memory when it can; false means "not answered, go on to the app". */
  async serve(req: IncomingMessage, res: ServerResponse): Promise<boolean> {
    const key = req.url ?? "";
    const entry = this.entries.get(key);
    if (!entry || !isCacheable(req)) return false;
    if (Date.now() >= entry.until || (await this.readVersion()) !== entry.version) {
      this.entries.delete(key);
      return false;
    }
    res.writeHead(200, { ...entry.headers, "Content-Length": entry.body.length, "X-Render-Cache": "hit" });
    res.end(entry.body);
    return true;
  }

  /**
   * For a cacheable request, reads the version now (before any data is read: a change during the
   * render leaves the entry under the older version), records the response's bytes as they are
   * written, and keeps them if the page allowed it and the answer is a plain 200 without cookies.
   * Returns the slot to hand to loaders, or undefined for a request that is not cacheable.
   */
  async record(req: IncomingMessage, res: ServerResponse, readVersion = this.readVersion): Promise<RenderCacheSlot | undefined> {
    if (!isCacheable(req)) return undefined;
    const key = req.url ?? "";
    const version = await readVersion();
    let until: number | null = null;
    const slot: RenderCacheSlot = {
      allow: (date) => {
        until = date ? date.getTime() : Number.POSITIVE_INFINITY;
      },
    };
    const chunks: Buffer[] = [];
    const write = res.write.bind(res) as (...args: unknown[]) => boolean;
    const end = res.end.bind(res) as (...args: unknown[]) => ServerResponse;
    const keep = (chunk: unknown, encoding: unknown) => {
      if (until === null || chunk === undefined || chunk === null || typeof chunk === "function") return;
      chunks.push(typeof chunk === "string" ? Buffer.from(chunk, typeof encoding === "string" ? (encoding as BufferEncoding) : "utf8") : Buffer.from(chunk as Uint8Array));
    };
    res.write = ((chunk: unknown, ...rest: unknown[]) => {
      keep(chunk, rest[0]);
      return write(chunk, ...rest);
    }) as typeof res.write;
    res.end = ((chunk?: unknown, ...rest: unknown[]) => {
      keep(chunk, rest[0]);
      if (until !== null && until > Date.now() && res.statusCode === 200 && !res.hasHeader("set-cookie")) {
        const headers: Record<string, string | string[]> = {};
        for (const [name, value] of Object.entries(res.getHeaders())) {
          if (value !== undefined && !EXCHANGE_HEADERS.has(name)) headers[name] = typeof value === "number" ? String(value) : value;
        }
        this.store(key, { version, until, headers, body: Buffer.concat(chunks) });
      }
      return end(chunk, ...rest);
    }) as typeof res.end;
    return slot;
  }

  private store(key: string, entry: Entry) {
    if (this.limit === 0) return;
    this.entries.delete(key);
    if (this.entries.size >= this.limit) this.entries.delete(this.entries.keys().next().value!);
    this.entries.set(key, entry);
  }
}
