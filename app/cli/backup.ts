import { env, EnvError } from "../platform/env.server";
import { backupSqlite, BackupError } from "../../db/backup";

// npm run db:backup -- <fichier> [--force]
// A consistent copy of the SQLite database while the server runs, checked before it is kept.
// Does not open the database the server's way (no migration, no loading): it only reads it.
function main(): Promise<number> | number {
  const args = process.argv.slice(2);
  const force = args.includes("--force");
  const target = args.find((a) => !a.startsWith("--"));
  const config = env();
  if (config.DATABASE_URL) {
    console.error(
      "DATABASE_URL désigne une base PostgreSQL : cette commande ne sauvegarde que le fichier SQLite.\n" +
        "Avec PostgreSQL, utilisez ses outils : pg_dump pour une copie logique, pg_basebackup avec l'archivage des WAL\n" +
        "(archive_mode, archive_command) pour une restauration à un instant donné. Voir le README, « Sauvegarde et restauration ».",
    );
    return 2;
  }
  if (!target) {
    console.error("Usage : npm run db:backup -- <fichier de sauvegarde> [--force]");
    return 2;
  }
  const started = Date.now();
  return backupSqlite(config.SQLITE_FILE, target, { force }).then((check) => {
    const c = check.counts;
    console.log(
      `Sauvegarde de ${config.SQLITE_FILE} écrite dans ${target} en ${((Date.now() - started) / 1000).toFixed(1)} s.\n` +
        `Contrôle d'intégrité : ${check.integrity}.\n` +
        `Contenu : ${c.users} comptes, ${c.ballots} bulletins, ${c.consultations} consultations, ${c.comments} commentaires ; ` +
        `${check.migrations.length} migrations.`,
    );
    return 0;
  });
}

try {
  process.exitCode = await main();
} catch (error) {
  console.error(error instanceof BackupError || error instanceof EnvError ? error.message : error);
  process.exitCode = 1;
}
