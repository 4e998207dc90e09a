import { AsyncLocalStorage } from "node:async_hooks";
import { log } from "./log.server";

// What went wrong with a store (the database, Redis), in words an operator acts on: "disque plein"
// and "lecture seule" are not "base corrompue", and a lost connection is not a bug in the code.

export type Store = "base de données" | "Redis";
export type FailureKind = "injoignable" | "délai dépassé" | "disque plein" | "lecture seule";

export interface StoreFailure {
  store: Store;
  kind: FailureKind;
  cause: string;
}

/** Seconds a client is told to wait after a 503 for a store that does not answer. */
export const STORE_RETRY_AFTER_SECONDS = 5;

const CONNECTION_CODES = new Set(["ECONNREFUSED", "ECONNRESET", "EPIPE", "ETIMEDOUT", "EHOSTUNREACH", "ENOTFOUND"]);

/** The kind of a driver error when it is the store's condition, not the query's; null otherwise. */
export function failureKind(error: unknown): FailureKind | null {
  if (!(error instanceof Error)) return null;
  const code = String((error as { code?: unknown }).code ?? "");
  const text = error.message;
  if (code === "SQLITE_FULL" || code === "53100" || /ENOSPC|disk is full|database or disk is full/i.test(text)) {
    return "disque plein";
  }
  if (code.startsWith("SQLITE_READONLY") || code === "25006" || /EROFS|read-only|readonly/i.test(text)) {
    return "lecture seule";
  }
  // 57014: statement_timeout; 55P03: lock_timeout.
  if (
    code === "57014" ||
    code === "55P03" ||
    code.startsWith("SQLITE_BUSY") ||
    /Query read timeout|timeout exceeded when trying to connect|Connection terminated due to connection timeout|Command timed out/i.test(
      text,
    )
  ) {
    return "délai dépassé";
  }
  // 57P01–57P03: the server shut down or refuses connections; 08xxx: connection exceptions.
  if (
    CONNECTION_CODES.has(code) ||
    /^57P0[1-3]$/.test(code) ||
    code.startsWith("08") ||
    /Connection terminated|Client has encountered a connection error|Connection is closed|enableOfflineQueue|max retries per request/i.test(
      text,
    )
  ) {
    return "injoignable";
  }
  return null;
}

const scope = new AsyncLocalStorage<{ failure: StoreFailure | null }>();

/** Runs one request's work with a place to note a store failure met on the way. */
export function withStoreScope<T>(work: () => T): T {
  return scope.run({ failure: null }, work);
}

/** The store failure the current request met, if any (read by the adapter that answers 503). */
export function requestStoreFailure(): StoreFailure | null {
  return scope.getStore()?.failure ?? null;
}

const episodes = new Map<Store, FailureKind>();

/**
 * Notes a failed store operation: kept for the current request's answer (503 instead of 500), and
 * logged once per episode (the first failure after the store last worked, with its cause).
 */
export function reportStoreError(store: Store, error: unknown): StoreFailure | null {
  const kind = failureKind(error);
  if (!kind) return null;
  const failure = { store, kind, cause: error instanceof Error ? error.message : String(error) };
  // Only the database fails a request: without Redis, the in-process counters answer.
  const current = store === "base de données" ? scope.getStore() : undefined;
  if (current && !current.failure) current.failure = failure;
  if (episodes.get(store) !== kind) {
    episodes.set(store, kind);
    log().error({ store, kind, cause: failure.cause }, `${store} : ${kind} (${failure.cause})`);
  }
  return failure;
}

/**
 * Notes that the store answered: ends the episode, so the next failure is logged again. A read
 * does not end a "disque plein" or "lecture seule" episode: only a write shows writes work again.
 */
export function reportStoreOk(store: Store, wrote = true): void {
  const kind = episodes.get(store);
  if (!kind) return;
  if (!wrote && (kind === "disque plein" || kind === "lecture seule")) return;
  episodes.delete(store);
  log().warn({ store, after: kind }, `${store} : de nouveau disponible`);
}

const MESSAGES: Record<FailureKind, string> = {
  injoignable: "Le service ne parvient pas à joindre sa base de données.",
  "délai dépassé": "Le service est momentanément surchargé : sa base de données n’a pas répondu à temps.",
  "disque plein": "Le disque du service est plein (disque plein) : aucune donnée ne peut être enregistrée.",
  "lecture seule": "La base de données du service est en lecture seule : aucune donnée ne peut être enregistrée.",
};

/** The French words of the 503 page for a failure. */
export function unavailableText(failure: StoreFailure): string[] {
  return [
    MESSAGES[failure.kind],
    "Rien n’a été enregistré pour cette demande : votre vote ou votre formulaire n’a pas été pris en compte. " +
      `Réessayez dans quelques instants.`,
  ];
}
