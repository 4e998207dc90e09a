import { AsyncLocalStorage } from "node:async_hooks";
import { randomUUID } from "node:crypto";
import { isIP } from "node:net";
import type { Request as ExpressRequest, Response as ExpressResponse, NextFunction } from "express";
import type { Kysely } from "kysely";
import { RateLimiterMemory, RateLimiterRes } from "rate-limiter-flexible";
import type { AuditKind, Database } from "../../db/schema";
import { log, loggedPath } from "../platform/log.server";

export { AUDIT_KINDS } from "./labels";

/** Security events are kept this many months, then purged (see donnees-personnelles.tsx). */
export const AUDIT_RETENTION_MONTHS = 6;

export interface AuditEvent {
  kind: AuditKind;
  /** Defaults to the signed-in user of the request being answered, if any. */
  userId?: string | null;
  /** Defaults to the request's client address, truncated by `truncateIp`. */
  ip?: string | null;
  /** Defaults to the request's path (never its query). */
  path?: string | null;
  /** Short, and never a secret, a password, a token, an e-mail or a ballot's content. */
  detail?: string | null;
  now?: Date;
}

interface RequestScope {
  ip: string | null;
  path: string;
  res: ExpressResponse;
}

// The request being answered, so that domain code (moderation, exports) can record an event
// without every function taking the request as an argument.
const scope = new AsyncLocalStorage<RequestScope>();

/**
 * Truncates a client address to its network: IPv4 to /24 (`203.0.113.0`), IPv6 to /48
 * (`2001:db8:1::`). Security events need to show where a wave of failures comes from; they do not
 * need to single out one connection, and a truncated address is less personal data to keep.
 */
export function truncateIp(address: string | undefined | null): string | null {
  if (!address) return null;
  const mapped = address.startsWith("::ffff:") ? address.slice(7) : address;
  const kind = isIP(mapped);
  if (kind === 4) return mapped.split(".").slice(0, 3).concat("0").join(".");
  if (kind === 6) {
    const [head = "", tail = ""] = mapped.split("::");
    const left = head ? head.split(":") : [];
    const right = tail ? tail.split(":") : [];
    const groups = mapped.includes("::")
      ? [...left, ...Array(8 - left.length - right.length).fill("0"), ...right]
      : left;
    return `${groups
      .slice(0, 3)
      .map((g) => g.replace(/^0+(?=.)/, ""))
      .join(":")}::`;
  }
  return null;
}

// Anyone can cause failed logins, 403s and 429s: past 30 of one kind per minute from one network,
// further ones are counted in the request log only, so a flood cannot fill the table.
const FLOODABLE = new Set<AuditKind>(["login_failed", "forbidden", "rate_limited"]);
const floodGuard = new RateLimiterMemory({ keyPrefix: "audit", points: 30, duration: 60 });

/**
 * Records a security event. Never throws: an audit failure is logged and the request goes on,
 * since refusing service because the journal is unavailable would be worse than a missing line.
 * Call it outside any transaction (it writes through `db` on its own).
 */
export async function recordAudit(db: Kysely<Database>, event: AuditEvent): Promise<void> {
  const current = scope.getStore();
  const ip = event.ip !== undefined ? truncateIp(event.ip) : (current?.ip ?? null);
  try {
    if (FLOODABLE.has(event.kind)) {
      try {
        await floodGuard.consume(`${event.kind}:${ip ?? "-"}`);
      } catch (error) {
        if (error instanceof RateLimiterRes) {
          log().warn({ kind: event.kind, ip }, "journal de sécurité : événement non enregistré (trop nombreux)");
          return;
        }
        throw error;
      }
    }
    const auth = current?.res.locals.auth as { user?: { id: string } | null } | undefined;
    await db
      .insertInto("audit_events")
      .values({
        id: randomUUID(),
        kind: event.kind,
        user_id: event.userId !== undefined ? event.userId : (auth?.user?.id ?? null),
        ip,
        path: event.path !== undefined ? event.path : (current?.path ?? null),
        detail: event.detail ? event.detail.slice(0, 500) : null,
        created_at: (event.now ?? new Date()).toISOString(),
      })
      .execute();
  } catch (error) {
    log().error(
      {
        kind: event.kind,
        err: {
          type: error instanceof Error ? error.name : "inconnu",
          message: error instanceof Error ? error.message : String(error),
        },
      },
      "journal de sécurité : échec d'écriture",
    );
  }
}

/**
 * Express middleware: makes the request known to `recordAudit` and records, once answered, every
 * 403 and every 429 whoever produced it (the Origin check, a route's permission check, a rate
 * limit): one place, so a new route cannot forget to.
 */
export function auditRequests(db: () => Kysely<Database>) {
  return (req: ExpressRequest, res: ExpressResponse, next: NextFunction) => {
    const current: RequestScope = {
      ip: truncateIp(req.ip ?? req.socket.remoteAddress),
      path: loggedPath(req.originalUrl),
      res,
    };
    res.on("finish", () => {
      const kind = res.statusCode === 403 ? "forbidden" : res.statusCode === 429 ? "rate_limited" : null;
      if (!kind) return;
      // An event handler must not throw: db() does once the database is closed (shutdown).
      try {
        const handle = db();
        void scope.run(current, () =>
          recordAudit(handle, { kind, detail: `${req.method} refusé (${res.statusCode})` }),
        );
      } catch (error) {
        log().error(
          { err: { type: error instanceof Error ? error.name : "inconnu" } },
          "journal de sécurité : base indisponible",
        );
      }
    });
    scope.run(current, next);
  };
}

/** Deletes the events older than the retention period; returns how many were removed. */
export async function purgeAuditEvents(db: Kysely<Database>, now = new Date()): Promise<number> {
  const cutoff = new Date(now);
  cutoff.setUTCMonth(cutoff.getUTCMonth() - AUDIT_RETENTION_MONTHS);
  const result = await db.deleteFrom("audit_events").where("created_at", "<", cutoff.toISOString()).executeTakeFirst();
  return Number(result.numDeletedRows);
}

/**
 * Purges now, then once a day. The timer does not keep the process alive; call the returned
 * function at shutdown to stop it.
 */
export function scheduleAuditPurge(
  db: () => Kysely<Database>,
  report: (removed: number) => void = () => {},
): () => void {
  const run = () =>
    Promise.resolve()
      .then(() => purgeAuditEvents(db()))
      .then((removed) => {
        if (removed > 0) report(removed);
      })
      .catch((error: unknown) =>
        log().error(
          { err: { type: error instanceof Error ? error.name : "inconnu" } },
          "purge du journal de sécurité en échec",
        ),
      );
  void run();
  const timer = setInterval(run, 24 * 60 * 60 * 1000);
  timer.unref();
  return () => clearInterval(timer);
}

export interface AuditPage {
  page: number;
  pageCount: number;
  total: number;
  entries: {
    id: string;
    kind: AuditKind;
    user_id: string | null;
    ip: string | null;
    path: string | null;
    detail: string | null;
    created_at: string;
  }[];
}

/** One page of the journal, newest first, optionally of one kind. */
export async function auditJournal(
  db: Kysely<Database>,
  input: { page: number; kind?: AuditKind | undefined; pageSize?: number },
): Promise<AuditPage> {
  const pageSize = input.pageSize ?? 50;
  let base = db.selectFrom("audit_events");
  if (input.kind) base = base.where("kind", "=", input.kind);
  const { n } = await base.select((eb) => eb.fn.countAll<number>().as("n")).executeTakeFirstOrThrow();
  const total = Number(n);
  const pageCount = Math.max(1, Math.ceil(total / pageSize));
  const page = Math.min(Math.max(1, input.page), pageCount);
  const entries = await base
    .select(["id", "kind", "user_id", "ip", "path", "detail", "created_at"])
    .orderBy("created_at", "desc")
    .orderBy("id", "desc")
    .limit(pageSize)
    .offset((page - 1) * pageSize)
    .execute();
  return { page, pageCount, total, entries };
}
