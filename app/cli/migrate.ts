import { runCli } from "./run";

// Opening the database migrates it (and loads the territories the first time); say where it stands.
await runCli(async (handle) => {
  console.log(`Base à jour (${handle.dialect}, ${handle.location}).`);
});
