import type { Kysely } from "kysely";
import { readContentVersion } from "../../db/content-version";
import type { Database } from "../../db/schema";
import type { RenderCacheSlot } from "./render-cache.server";

declare module "@remix-run/node" {
  interface AppLoadContext {
    /** Present on anonymous document GETs: a page may let its response be kept (render-cache.server.ts). */
    renderCache?: RenderCacheSlot | undefined;
    /** The content version (db/content-version.ts), read at most once per request. */
    contentVersion: () => Promise<string>;
  }
}

/**
 * A per-request reader of the content version: the first call queries, later ones reuse it.
 * `known`: the version already read in this request (with the session), then no query at all.
 */
export function contentVersionOnce(db: Kysely<Database>, known?: string): () => Promise<string> {
  let version: Promise<string> | undefined = known === undefined ? undefined : Promise.resolve(known);
  return () => (version ??= readContentVersion(db));
}
