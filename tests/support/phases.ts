import type { Kysely } from "kysely";
import type { Database } from "../../db/schema";

/**
 * Runs `read` as if the consultation were closed (its status only: ballots stay as they are), so
 * results are read from the kept counts rather than the live copy that moves in steps of ten
 * ballots per arrondissement while the vote is open; then opens it again.
 */
export async function readAsClosed<T>(db: Kysely<Database>, slug: string, read: () => Promise<T>): Promise<T> {
  await db.updateTable("consultations").set({ status: "closed" }).where("slug", "=", slug).execute();
  try {
    return await read();
  } finally {
    await db.updateTable("consultations").set({ status: "open" }).where("slug", "=", slug).execute();
  }
}
