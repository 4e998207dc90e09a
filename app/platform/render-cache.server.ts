import type { IncomingMessage, ServerResponse } from "node:http";

// A consultation page is rendered once and its bytes served from memory until its inputs change.
//
// Anonymous visitors all see the same page for a given URL: kept per URL, served before Express
// and Remix (a hit costs one query, the content version, and one write).
// A signed-in resident sees their own page (their place, their ballot, their e-mail in the
// header): kept per (resident, URL), looked up after the session is read, and served only if
// the resident's account is as it was (the session lookup returns it anew at every request) and
// the page's own check still gives the same stamp (the consultation page: the resident's ballot).
//
// Every entry also holds
//   - the content version it was rendered under (db/content-version.ts): loading the catalogue,
//     a phase change or a territory load changes the version, and the next request renders anew;
//   - a time limit set by the page: the next opening or closing date, where the page changes
//     by itself (the vote opens or closes).
// Only document GETs without the vote-confirmation cookie are kept, and only pages that opt in
// from their loader (`context.renderCache?.allow(…)`); a response that sets a cookie is not kept.

const SESSION_COOKIE = /(?:^|[;\s])(?:__Host-)?ps_session=/;
const FLASH_COOKIE = /(?:^|[;\s])ps_vote_flash=/;
// Headers of the stored response that belong to one exchange, not to the page.
const EXCHANGE_HEADERS = new Set([
  "set-cookie",
  "date",
  "connection",
  "keep-alive",
  "content-length",
  "transfer-encoding",
]);

interface Entry {
  version: string;
  until: number;
  headers: Record<string, string | string[]>;
  /**
   * The page's bytes cut where the CSP nonce it was rendered with stood (one piece when it had
   * none): each answer puts a fresh nonce between the pieces.
   */
  pieces: Buffer[];
  /** That nonce. */
  nonce?: string;
  /** Signed-in pages: the account as it was, and the page's check with the stamp it gave. */
  account?: string;
  check?: PageCheck;
}

type WithNonce = { locals?: { cspNonce?: string } };

const nonceAttribute = (nonce: string) => Buffer.from(`nonce="${nonce}"`, "utf8");

// Cut once, when the page is kept, so that an answer copies bytes instead of decoding the page,
// replacing in the text and encoding it again (most of a cache hit's own time before).
function cutAtNonce(body: Buffer, nonce: string | undefined): Buffer[] {
  if (!nonce) return [body];
  const attribute = nonceAttribute(nonce);
  const pieces: Buffer[] = [];
  let from = 0;
  for (let at = body.indexOf(attribute); at !== -1; at = body.indexOf(attribute, from)) {
    pieces.push(body.subarray(from, at));
    from = at + attribute.length;
  }
  pieces.push(body.subarray(from));
  return pieces;
}

// The page's scripts carry the nonce of the response that rendered them; a kept page is sent
// with the nonce of its new response (the CSP header is then written by the security headers).
function withNonce(entry: Entry, res: ServerResponse): { body: Buffer; skip: string | null } {
  const fresh = (res as ServerResponse & WithNonce).locals?.cspNonce;
  const nonce = fresh ?? entry.nonce;
  const skip = fresh ? "content-security-policy" : null;
  if (entry.pieces.length === 1 || !nonce) return { body: entry.pieces[0]!, skip };
  const attribute = nonceAttribute(nonce);
  const parts: Buffer[] = [entry.pieces[0]!];
  for (const piece of entry.pieces.slice(1)) parts.push(attribute, piece);
  return { body: Buffer.concat(parts), skip };
}

/** What a signed-in page is checked with before its kept bytes are served again. */
export interface PageCheck {
  /** What `read` gave before the page's data was read. */
  stamp: string;
  /** Reads the stamp again (one cheap query): a different answer means "render anew". */
  read: () => Promise<string>;
}

/** What a loader sees in its context on a request whose response may be kept. */
export interface RenderCacheSlot {
  signedIn: boolean;
  /**
   * Let this response be kept until `until` (null: no time limit), for the current version. A
   * signed-in page must give its check; without one it is not kept.
   */
  allow(until: Date | null, check?: PageCheck): void;
}

function isDocumentGet(req: IncomingMessage): boolean {
  const cookie = req.headers.cookie;
  return (
    req.method === "GET" && !(cookie && FLASH_COOKIE.test(cookie)) && !(req.url ?? "").split("?")[0]!.endsWith(".data")
  );
}

function isAnonymous(req: IncomingMessage): boolean {
  const cookie = req.headers.cookie;
  return !cookie || !SESSION_COOKIE.test(cookie);
}

/** The account fields a page may show; any change makes the resident's kept pages stale. */
export type Account = { id: string } & Record<string, unknown>;

export class RenderCache {
  private readonly anonymous = new Map<string, Entry>();
  private readonly signedIn = new Map<string, Entry>();

  constructor(
    private readonly readVersion: () => Promise<string>,
    private readonly limit = 500,
    private readonly signedInLimit = 1000,
  ) {}

  /** Anonymous requests, before Express: answers from memory when it can (false: go on). */
  async serve(req: IncomingMessage, res: ServerResponse): Promise<boolean> {
    if (!isDocumentGet(req) || !isAnonymous(req)) return false;
    return this.answer(this.anonymous, req.url ?? "", res, this.readVersion, null);
  }

  /** Signed-in requests, once the session is read: answers from memory when it can. */
  async serveSignedIn(
    req: IncomingMessage,
    res: ServerResponse,
    account: Account | null,
    readVersion = this.readVersion,
  ): Promise<boolean> {
    if (!account || !isDocumentGet(req)) return false;
    return this.answer(this.signedIn, `${account.id}|${req.url ?? ""}`, res, readVersion, JSON.stringify(account));
  }

  private async answer(
    entries: Map<string, Entry>,
    key: string,
    res: ServerResponse,
    readVersion: () => Promise<string>,
    account: string | null,
  ): Promise<boolean> {
    const entry = entries.get(key);
    if (!entry) return false;
    const fresh =
      Date.now() < entry.until &&
      (account === null || (entry.account === account && !!entry.check)) &&
      (await readVersion()) === entry.version &&
      (!entry.check || (await entry.check.read()) === entry.check.stamp);
    if (!fresh) {
      if (entries.get(key) === entry) entries.delete(key);
      return false;
    }
    // The session middleware may have set a refreshed session cookie: it goes with the answer.
    const { body, skip } = withNonce(entry, res);
    for (const [name, value] of Object.entries(entry.headers)) if (name !== skip) res.setHeader(name, value);
    res.setHeader("Content-Length", body.length);
    res.setHeader("X-Render-Cache", "hit");
    res.statusCode = 200;
    res.end(body);
    return true;
  }

  /**
   * For a request whose response may be kept, reads the version now (before any data is read: a
   * change during the render leaves the entry under the older version), records the response's
   * bytes as they are written, and keeps them if the page allowed it and the answer is a plain
   * 200 without cookies. Returns the slot to hand to loaders, or undefined.
   */
  async record(
    req: IncomingMessage,
    res: ServerResponse,
    account: Account | null,
    readVersion = this.readVersion,
  ): Promise<RenderCacheSlot | undefined> {
    if (!isDocumentGet(req)) return undefined;
    if (!account && !isAnonymous(req)) return undefined; // a cookie for a session that has ended
    const limit = account ? this.signedInLimit : this.limit;
    if (limit === 0) return undefined;
    const key = account ? `${account.id}|${req.url ?? ""}` : (req.url ?? "");
    const entries = account ? this.signedIn : this.anonymous;
    const accountJson = account ? JSON.stringify(account) : undefined;
    const version = await readVersion();
    let until: number | null = null;
    let check: PageCheck | undefined;
    const slot: RenderCacheSlot = {
      signedIn: !!account,
      allow: (date, pageCheck) => {
        if (account && !pageCheck) return;
        until = date ? date.getTime() : Number.POSITIVE_INFINITY;
        check = pageCheck;
      },
    };
    const chunks: Buffer[] = [];
    const write = res.write.bind(res) as (...args: unknown[]) => boolean;
    const end = res.end.bind(res) as (...args: unknown[]) => ServerResponse;
    const keep = (chunk: unknown, encoding: unknown) => {
      if (until === null || chunk === undefined || chunk === null || typeof chunk === "function") return;
      chunks.push(
        typeof chunk === "string"
          ? Buffer.from(chunk, typeof encoding === "string" ? (encoding as BufferEncoding) : "utf8")
          : Buffer.from(chunk as Uint8Array),
      );
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
          if (value !== undefined && !EXCHANGE_HEADERS.has(name))
            headers[name] = typeof value === "number" ? String(value) : value;
        }
        const nonce = (res as ServerResponse & WithNonce).locals?.cspNonce;
        const entry: Entry = {
          version,
          until,
          headers,
          pieces: cutAtNonce(Buffer.concat(chunks), nonce),
          ...(nonce ? { nonce } : {}),
          ...(accountJson ? { account: accountJson, check } : {}),
        };
        entries.delete(key);
        if (entries.size >= limit) entries.delete(entries.keys().next().value!);
        entries.set(key, entry);
      }
      return end(chunk, ...rest);
    }) as typeof res.end;
    return slot;
  }
}
