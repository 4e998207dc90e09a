import fs from "node:fs";
import { fileLines } from "../../db/csv";
import { importPaperBallots, KEPT_ERRORS } from "../ballots/paper-import.server";
import { CliError, runCli } from "./run";

// npm run ballots:import -- <consultation> fichier.csv
// Progress on stderr every PROGRESS_EVERY lines (only files that long), the outcome on stdout.
await runCli(async (handle, [slug, file]) => {
  if (!slug || !file) throw new CliError("Usage : npm run ballots:import -- <consultation> fichier.csv");
  if (!fs.existsSync(file)) throw new CliError(`Fichier introuvable : ${file}`);
  const started = performance.now();
  const seconds = () => (performance.now() - started) / 1000;
  const fr = (n: number) => n.toLocaleString("fr-FR");
  const result = await importPaperBallots(
    handle.db,
    slug,
    () => fileLines(file),
    ({ phase, lines, seconds: inPhase }) => {
      const rate = lines / Math.max(0.001, inPhase);
      console.error(
        `${phase === "checked" ? "vérifiées" : "écrites"} : ${fr(lines)} lignes (${fr(Math.round(rate))} lignes/s, ${seconds().toFixed(1)} s)`,
      );
    },
  );
  if (!result.ok) {
    const total = result.errors.length + (result.more ?? 0);
    console.error(`${total} ligne(s) en erreur, aucun bulletin n'a été importé :`);
    for (const e of result.errors) console.error(`  ligne ${e.line} : ${e.message}`);
    if (result.more)
      console.error(`  … et ${result.more} autre(s), non listée(s) : seules les ${fr(KEPT_ERRORS)} premières le sont.`);
    return 1;
  }
  console.log(`${result.imported} bulletin(s) papier importé(s) dans ${slug}.`);
  if (result.blank)
    console.log(`${result.blank} bulletin(s) blanc(s) non compté(s) : un bulletin vide n'est pas un vote.`);
  // maxRSS: the process's peak resident memory, in KiB.
  const peak = process.resourceUsage().maxRSS / 1024;
  console.log(
    `${fr(result.imported + result.blank)} ligne(s) en ${seconds().toFixed(1)} s ` +
      `(${fr(Math.round((result.imported + result.blank) / Math.max(0.001, seconds())))} lignes/s), mémoire au plus ${peak.toFixed(0)} Mio.`,
  );
});
