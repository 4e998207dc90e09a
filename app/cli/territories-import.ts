import fs from "node:fs";
import { importCtsRules } from "../../db/territories/cts-import";
import { CliError, runCli } from "./run";

// npm run territories:import -- fichier.csv
await runCli(async (handle, [file]) => {
  if (!file) throw new CliError("Usage : npm run territories:import -- fichier.csv (colonnes niveau,code,cts,nom_cts)");
  if (!fs.existsSync(file)) throw new CliError(`Fichier introuvable : ${file}`);
  const result = await importCtsRules(handle.db, fs.readFileSync(file, "utf8"));
  if (!result.ok) {
    console.error(`${result.errors.length} ligne(s) en erreur, rien n'a été importé :`);
    for (const e of result.errors) console.error(`  ligne ${e.line} : ${e.message}`);
    return 1;
  }
  console.log(
    `Import terminé : ${result.rules} règle(s) commune → CTS enregistrée(s)` +
      (result.createdTerritories.length ? `, territoire(s) créé(s) : ${result.createdTerritories.join(", ")}` : "") +
      ".",
  );
});
