import fs from "node:fs";
import { importPaperBallots } from "../ballots/paper-import.server";
import { CliError, runCli } from "./run";

// npm run ballots:import -- <consultation> fichier.csv
await runCli(async (handle, [slug, file]) => {
  if (!slug || !file) throw new CliError("Usage : npm run ballots:import -- <consultation> fichier.csv");
  if (!fs.existsSync(file)) throw new CliError(`Fichier introuvable : ${file}`);
  const result = await importPaperBallots(handle.db, slug, fs.readFileSync(file, "utf8"));
  if (!result.ok) {
    console.error(`${result.errors.length} ligne(s) en erreur, aucun bulletin n'a été importé :`);
    for (const e of result.errors) console.error(`  ligne ${e.line} : ${e.message}`);
    return 1;
  }
  console.log(`${result.imported} bulletin(s) papier importé(s) dans ${slug}.`);
  if (result.blank)
    console.log(`${result.blank} bulletin(s) blanc(s) non compté(s) : un bulletin vide n'est pas un vote.`);
});
