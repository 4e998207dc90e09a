import fs from "node:fs";
import { parse } from "csv-parse";
import { loadCensus, type CensusRow } from "../identity/census.server";
import { CliError, runCli } from "./run";

// npm run census:load -- fichier.csv --region 28
// Loads a census an ARS provides (README « Recensement »): columns nom, prenom, date_naissance,
// email, commune (INSEE code), ";" or "," separated, a header line. Only the hash of the e-mail and
// commune of each line is kept; the region's previous census is replaced.
await runCli(async (handle, args) => {
  const usage = "Usage : npm run census:load -- fichier.csv --region CODE_REGION";
  const file = args.find((a, i) => !a.startsWith("--") && args[i - 1] !== "--region");
  const region = args[args.indexOf("--region") + 1];
  if (!file || args.indexOf("--region") < 0 || !region) throw new CliError(usage);
  if (!fs.existsSync(file)) throw new CliError(`Fichier introuvable : ${file}`);
  const firstLine = fs.readFileSync(file, "utf8").split(/\r?\n/, 1)[0] ?? "";
  const delimiter = firstLine.split(";").length > firstLine.split(",").length ? ";" : ",";
  const header = (h: string) =>
    h
      .replace(/^\uFEFF/, "")
      .trim()
      .toLowerCase()
      .normalize("NFD")
      .replace(/[\u0300-\u036f]/g, "")
      .replace(/[\s-]+/g, "_");
  const columns = firstLine.split(delimiter).map(header);
  for (const needed of ["email", "commune"])
    if (!columns.includes(needed))
      throw new CliError(`Colonne « ${needed} » absente de l’en-tête (${columns.join(", ")}).`);
  const parser = fs
    .createReadStream(file)
    .pipe(parse({ delimiter, columns: (h: string[]) => h.map(header), bom: true, skip_empty_lines: true, trim: true }));
  async function* rows(): AsyncGenerator<CensusRow> {
    for await (const record of parser as AsyncIterable<Record<string, string>>)
      yield { email: record.email, commune: record.commune };
  }
  let summary;
  try {
    summary = await loadCensus(handle.db, {
      regionCode: region,
      rows: rows(),
      onProgress: (n) => console.log(`… ${n.toLocaleString("fr-FR")} lignes lues`),
    });
  } catch (error) {
    if (error instanceof Error && error.message.startsWith("Région inconnue")) throw new CliError(error.message);
    throw error;
  }
  console.log(
    [
      `Recensement de la région ${region} chargé :`,
      `  ${summary.rows} ligne(s) lue(s), ${summary.kept} gardée(s) (empreinte de l’adresse et de la commune seulement)`,
      `  ${summary.withoutEmail} sans adresse électronique, ${summary.invalidEmail} adresse(s) invalide(s), ${summary.outsideRegion} commune(s) hors région ou inconnue(s), ${summary.duplicates} doublon(s)`,
      `  ${summary.accountsVerified} compte(s) confirmé(s) au niveau « Résidence »`,
    ].join("\n"),
  );
});
