import { Migrator, type Kysely, type MigrationResultSet } from "kysely";
import { migrations } from "./migrations/index";

// Kysely looks for its own tables across every schema it can see: on PostgreSQL, name the one
// that is ours, or another schema's migration table (another test run's, say) would be taken for it.
function migrator(db: Kysely<any>, schema: string | undefined) {
  return new Migrator({
    db,
    provider: { getMigrations: async () => migrations },
    ...(schema ? { migrationTableSchema: schema } : {}),
  });
}

export async function migrateToLatest(db: Kysely<any>, schema?: string): Promise<MigrationResultSet> {
  const result = await migrator(db, schema).migrateToLatest();
  if (result.error) {
    const failed = result.results?.find((r) => r.status === "Error")?.migrationName;
    throw new Error(
      `${failed ? `La migration ${failed} a échoué` : "Les migrations ont échoué"} : ${String(result.error)}`,
    );
  }
  return result;
}

/** True when every known migration has run (for readiness checks). */
export async function migrationsAreCurrent(db: Kysely<any>, schema?: string): Promise<boolean> {
  const list = await migrator(db, schema).getMigrations();
  return list.every((m) => m.executedAt !== undefined);
}
