import { describe, expect, it } from "vitest";
import { migrateToLatest, migrationsAreCurrent } from "../../db/migrate";
import { testDatabases } from "../support/databases";

describe.each(testDatabases)("migrations on $name", ({ open }) => {
  it("migrate a second database beside a first one (PostgreSQL: another schema), and say they are current", async () => {
    // Before migrations named their schema, the second PostgreSQL schema took the first one's
    // migration table for its own and failed with "kysely_migration_lock does not exist".
    const first = await open();
    const second = await open();
    try {
      for (const h of [first, second]) {
        expect(await migrationsAreCurrent(h.db, h.schema)).toBe(true);
        const again = await migrateToLatest(h.db, h.schema);
        expect(again.results).toEqual([]);
        const count = await h.db
          .selectFrom("regions")
          .select((eb) => eb.fn.countAll<number>().as("n"))
          .executeTakeFirstOrThrow();
        expect(Number(count.n)).toBe(0);
      }
    } finally {
      await first.close();
      await second.close();
    }
  });
});
