import { CatalogueError, loadCatalogue } from "../catalogue/catalogue-load.server";
import { CliError, runCli } from "./run";

// npm run catalogue:load — (re)loads db/catalogue/*.json; the server also does it at start.
process.env.SKIP_CATALOGUE_LOAD = "true"; // load here, with this command's own report
await runCli(async (handle) => {
  try {
    const result = await loadCatalogue(handle.db, undefined, (line) => console.log(`  ${line}`));
    for (const c of result.consultations) {
      console.log(`${c.changed ? "mis à jour" : "inchangé  "} ${c.slug} : ${c.proposals} propositions`);
    }
    console.log(
      `Catalogue : ${result.consultations.filter((c) => c.changed).length} fichier(s) chargé(s) sur ${result.consultations.length}.`,
    );
  } catch (error) {
    if (error instanceof CatalogueError)
      throw new CliError(`Catalogue invalide, rien n'a été chargé : ${error.message}`);
    throw error;
  }
});
