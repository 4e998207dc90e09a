import { connect, type DatabaseHandle } from "../../db/connect";
import { migrateToLatest } from "../../db/migrate";
import { loadTerritories } from "../../db/territories/load";
import { loadCatalogue } from "../catalogue/catalogue-load.server";
import { setDatabase } from "../platform/db.server";
import { env } from "../platform/env.server";

/** Opens the configured database, runs migrations and loads the territories on first start. */
export async function openDatabase(log: (line: string) => void = console.log): Promise<DatabaseHandle> {
  const e = env();
  const handle = await connect({
    databaseUrl: e.DATABASE_URL,
    ...(e.DATABASE_SCHEMA ? { pgSchema: e.DATABASE_SCHEMA } : {}),
    sqliteFile: e.SQLITE_FILE,
    busyTimeoutMs: e.SQLITE_BUSY_TIMEOUT_MS,
  });
  setDatabase(handle);
  log(`Base de données : ${handle.dialect} (${handle.location})`);
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
  return handle;
}
