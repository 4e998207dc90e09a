import { connect, type DatabaseHandle } from "../../db/connect";
import { migrateToLatest } from "../../db/migrate";
import { loadTerritories } from "../../db/territories/load";
import { loadCatalogue } from "../catalogue/catalogue-load.server";
import { setDatabase } from "../platform/db.server";
import { env } from "../platform/env.server";
import { reportStoreError, reportStoreOk } from "../platform/store-health.server";

/**
 * Opens the configured database, runs migrations and loads the territories on first start. On
 * PostgreSQL the start-up work runs on a connection of its own without statement timeout (a
 * migration may take minutes); requests get the pool with DATABASE_STATEMENT_TIMEOUT_MS.
 */
export async function openDatabase(log: (line: string) => void = console.log): Promise<DatabaseHandle> {
  const e = env();
  const options = {
    databaseUrl: e.DATABASE_URL,
    ...(e.DATABASE_SCHEMA ? { pgSchema: e.DATABASE_SCHEMA } : {}),
    sqliteFile: e.SQLITE_FILE,
    busyTimeoutMs: e.SQLITE_BUSY_TIMEOUT_MS,
    connectTimeoutMs: e.DATABASE_CONNECT_TIMEOUT_MS,
    events: {
      error: (error: unknown) => void reportStoreError("base de données", error),
      ok: (statement: string) => reportStoreOk("base de données", !/^\s*select\b/i.test(statement)),
    },
  };
  const setup = await connect({ ...options, statementTimeoutMs: 0, pgPoolSize: 1 });
  try {
    log(`Base de données : ${setup.dialect} (${setup.location})`);
    await prepare(setup, log);
  } catch (error) {
    await setup.close();
    throw error;
  }
  if (setup.dialect === "sqlite") {
    setDatabase(setup);
    return setup;
  }
  await setup.close();
  const handle = await connect({
    ...options,
    statementTimeoutMs: e.DATABASE_STATEMENT_TIMEOUT_MS,
    pgPoolSize: e.DATABASE_POOL_SIZE,
  });
  setDatabase(handle);
  return handle;
}

async function prepare(handle: DatabaseHandle, log: (line: string) => void): Promise<void> {
  const e = env();
  const migrations = await migrateToLatest(handle.db, handle.schema);
  for (const m of migrations.results ?? []) log(`Migration appliquée : ${m.migrationName}`);
  if (!e.SKIP_TERRITORY_LOAD) {
    const started = Date.now();
    const result = await loadTerritories(handle.db, (line) => log(`  territoires — ${line}`));
    if (result.loaded) {
      const c = result.counts;
      log(
        `Territoires chargés (${result.version}) en ${((Date.now() - started) / 1000).toFixed(1)} s : ` +
          `${c.regions} régions, ${c.departements} départements, ${c.arrondissements} arrondissements, ` +
          `${c.communes} communes, ${c.arrondissementsMunicipaux} arrondissements municipaux, ${c.ctsTerritories} territoires de CTS`,
      );
    }
  }
  if (!e.SKIP_CATALOGUE_LOAD) {
    const result = await loadCatalogue(handle.db, undefined, (line) => log(`  catalogue — ${line}`));
    const changed = result.consultations.filter((c) => c.changed);
    if (changed.length) {
      log(`Catalogue chargé : ${changed.map((c) => `${c.slug} (${c.proposals} propositions)`).join(", ")}`);
    }
  }
}
