import { randomUUID } from "node:crypto";
import type { Kysely } from "kysely";
import type { Database } from "../../db/schema";

/**
 * The benchmarks' baseline write: one row in app_state, the cheapest write a Remix action can make,
 * to compare the vote path with (npm run bench). Returns the key written.
 */
export async function writeBenchRow(db: Kysely<Database>): Promise<string> {
  const key = `bench:${randomUUID()}`;
  await db.insertInto("app_state").values({ key, value: "1" }).execute();
  return key;
}
