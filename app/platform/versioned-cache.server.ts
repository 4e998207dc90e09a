import { env } from "./env.server";

let enabled: boolean | undefined;
function cachingEnabled(): boolean {
  // Tests and CLI commands run without the server's environment check: caching stays on there.
  try {
    enabled ??= env().CONTENT_CACHE;
  } catch {
    enabled = true;
  }
  return enabled;
}

/**
 * Values computed from the reference data, kept while the content version they were read under
 * is current (db/content-version.ts). Callers read the version first, then the data: a change
 * between the two leaves newer data under an older version, which the next request discards.
 * Bounded: the oldest entries go first. A failed load is not kept.
 *
 *   const places = new VersionedCache<Place | null>(5000);
 *   await places.get(version, "14118", () => locateCommune(db, "14118"));
 */
export class VersionedCache<V> {
  private readonly entries = new Map<string, { version: string; value: Promise<V> }>();

  constructor(private readonly limit = 1000) {}

  get(version: string, key: string, load: () => Promise<V>): Promise<V> {
    if (!cachingEnabled()) return load();
    const found = this.entries.get(key);
    if (found && found.version === version) return found.value;
    const value = load();
    if (found) this.entries.delete(key);
    else if (this.entries.size >= this.limit) this.entries.delete(this.entries.keys().next().value!);
    this.entries.set(key, { version, value });
    value.catch(() => {
      if (this.entries.get(key)?.value === value) this.entries.delete(key);
    });
    return value;
  }

  clear(): void {
    this.entries.clear();
  }
}
