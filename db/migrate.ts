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
  let result = await migrator(db, schema).migrateToLatest();
  // Kysely's PostgreSQL introspection reads every schema's catalog before any migration runs: a
  // schema dropped meanwhile by someone else (another app or test run in the same database) fails
  // it with "schema … does not exist", though nothing of ours was touched. Nothing ran: try again.
  for (let attempt = 0; attempt < 5 && result.error && isOtherSchemaGone(result, schema); attempt++) {
    await new Promise((resolve) => setTimeout(resolve, 50));
    result = await migrator(db, schema).migrateToLatest();
  }
  if (result.error) {
    const failed = result.results?.find((r) => r.status === "Error")?.migrationName;
    throw new Error(
      `${failed ? `La migration ${failed} a échoué` : "Les migrations ont échoué"} : ${String(result.error)}`,
    );
  }
  return result;
}

function isOtherSchemaGone(result: MigrationResultSet, schema: string | undefined): boolean {
  const gone = /schema "([^"]+)" does not exist/.exec(String(result.error))?.[1];
  return !!gone && gone !== schema && !result.results?.some((r) => r.status === "Error");
}

/** True when every known migration has run (for readiness checks). */
export async function migrationsAreCurrent(db: Kysely<any>, schema?: string): Promise<boolean> {
  const list = await migrator(db, schema).getMigrations();
  return list.every((m) => m.executedAt !== undefined);
}
