import { randomUUID } from "node:crypto";
import type { Kysely } from "kysely";
import { PREPARED } from "./dialect";
import type { Database } from "./schema";

// One token for "the reference data pages show": consultations (phase, dates, texts), proposals,
// workshops, territories and CTS rules. Every function that writes them changes it in the same
// transaction; servers compare it with the token their caches were filled under. It lives in the
// database, not in memory, so a change made by a CLI command or by another server (PostgreSQL)
// is seen by the next request, not later.

export const CONTENT_VERSION_KEY = "content_version";

/** The version before any change was recorded. */
export const FIRST_CONTENT_VERSION = "0";

/** The tables whose rows are reference content: a write to any of them must bump the version. */
export const REFERENCE_TABLES = [
  "regions",
  "departements",
  "arrondissements",
  "communes",
  "cts_territories",
  "cts_rules",
  "consultations",
  "proposals",
  "proposal_sources",
  "proposal_departement_counts",
  "proposal_verbatims",
  "workshops",
] as const satisfies readonly (keyof Database)[];

/** Gives the content a new version; call inside the transaction that changes it. */
export async function bumpContentVersion(db: Kysely<Database>): Promise<void> {
  const value = randomUUID();
  await db
    .insertInto("app_state")
    .values({ key: CONTENT_VERSION_KEY, value })
    .onConflict((oc) => oc.column("key").doUpdateSet({ value }))
    .execute();
}

/** The current content version. */
export async function readContentVersion(db: Kysely<Database>): Promise<string> {
  const row = await db
    .selectFrom("app_state")
    .select("value")
    .where("key", "=", CONTENT_VERSION_KEY)
    // Read at every anonymous request the render cache answers.
    .modifyEnd(PREPARED)
    .executeTakeFirst();
  return row?.value ?? FIRST_CONTENT_VERSION;
}
