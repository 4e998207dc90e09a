import { env, EnvError } from "../platform/env.server";
import { BackupError, restoreSqlite } from "../../db/backup";
import { connect } from "../../db/connect";
import { migrateToLatest } from "../../db/migrate";

// npm run db:restore -- <fichier>
// Stop the server first. Checks the backup, keeps the current file aside, puts the backup in place
// and migrates it to this version of the app.
async function main(): Promise<number> {
  const [backup] = process.argv.slice(2).filter((a) => !a.startsWith("--"));
  const config = env();
  if (config.DATABASE_URL) {
    console.error(
      "DATABASE_URL désigne une base PostgreSQL : cette commande ne restaure que le fichier SQLite.\n" +
        "Avec PostgreSQL : pg_restore (ou psql) pour une copie faite par pg_dump, ou la restauration d'une sauvegarde de base\n" +
        "(pg_basebackup) suivie du rejeu des WAL archivés jusqu'à l'instant voulu. Voir le README, « Sauvegarde et restauration ».",
    );
    return 2;
  }
  if (!backup) {
    console.error("Usage : npm run db:restore -- <fichier de sauvegarde>   (arrêtez le serveur avant)");
    return 2;
  }
  const { check, previous } = restoreSqlite(backup, config.SQLITE_FILE);
  if (previous) console.log(`L'ancienne base est conservée sous ${previous}.`);
  const handle = await connect({ sqliteFile: config.SQLITE_FILE, busyTimeoutMs: config.SQLITE_BUSY_TIMEOUT_MS });
  try {
    const migrated = await migrateToLatest(handle.db, handle.schema);
    for (const m of migrated.results ?? []) console.log(`Migration appliquée : ${m.migrationName}`);
  } finally {
    await handle.close();
  }
  const c = check.counts;
  console.log(
    `Base ${config.SQLITE_FILE} restaurée depuis ${backup} (intégrité : ${check.integrity}) : ` +
      `${c.users} comptes, ${c.ballots} bulletins, ${c.consultations} consultations, ${c.comments} commentaires. ` +
      "Vous pouvez redémarrer le serveur.",
  );
  return 0;
}

try {
  process.exitCode = await main();
} catch (error) {
  console.error(error instanceof BackupError || error instanceof EnvError ? error.message : error);
  process.exitCode = 1;
}
