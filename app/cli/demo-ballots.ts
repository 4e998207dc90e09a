import { generateDemoBallots } from "../ballots/demo-ballots.server";
import { CliError, runCli } from "./run";

// npm run demo:ballots -- <consultation> <n> : n plausible ballots, for demos and benchmarks.
await runCli(async (handle, [slug, count]) => {
  const n = Number(count);
  if (!slug || !Number.isInteger(n) || n < 1 || n > 5_000_000) {
    throw new CliError("Usage : npm run demo:ballots -- <consultation> <nombre de bulletins, 1 à 5 000 000>");
  }
  const started = Date.now();
  let last = 0;
  const result = await generateDemoBallots(handle.db, { consultationSlug: slug, count: n }, (done) => {
    if (done - last >= Math.max(10_000, n / 20) || done === n) {
      last = done;
      console.log(`  ${done.toLocaleString("fr-FR")} / ${n.toLocaleString("fr-FR")} bulletins`);
    }
  });
  const seconds = (Date.now() - started) / 1000;
  console.log(
    `${result.inserted.toLocaleString("fr-FR")} bulletins de démonstration répartis sur ${result.arrondissements} arrondissements ` +
      `en ${seconds.toFixed(1)} s (${Math.round(result.inserted / seconds).toLocaleString("fr-FR")} bulletins/s).`,
  );
});
