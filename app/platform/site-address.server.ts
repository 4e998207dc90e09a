import type { Kysely } from "kysely";
import type { Database } from "../../db/schema";
import { env, adoptPublicUrl } from "./env.server";

// Links in e-mails sent by a command (admin:create, moderator) must point where the server is,
// but a command runs in another shell, often without the server's PORT or PUBLIC_URL. The server
// writes its address in the database at start; a command without PUBLIC_URL of its own reads it.

const KEY = "public_url";

/** Called by the server at start: its PUBLIC_URL (or http://localhost:$PORT), for commands to read. */
export async function recordSiteAddress(db: Kysely<Database>): Promise<void> {
  const value = env().PUBLIC_URL;
  await db
    .insertInto("app_state")
    .values({ key: KEY, value })
    .onConflict((oc) => oc.column("key").doUpdateSet({ value }))
    .execute();
}

/**
 * For a command: the site's address is its own PUBLIC_URL when set, else the one the server last
 * recorded, else http://localhost:$PORT. Returns the address its links will use.
 */
export async function adoptSiteAddress(
  db: Kysely<Database>,
  source: Record<string, string | undefined> = process.env,
): Promise<string> {
  if (!source.PUBLIC_URL) {
    const row = await db.selectFrom("app_state").select("value").where("key", "=", KEY).executeTakeFirst();
    if (row) adoptPublicUrl(row.value);
  }
  return env().PUBLIC_URL;
}
