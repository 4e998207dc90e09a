import { verifyCounts } from "../ballots/results.server";
import { CliError, runCli } from "./run";

// npm run tally:verify -- <consultation> : recounts from the ballots and compares with the kept counts.
await runCli(async (handle, [slug]) => {
  if (!slug) throw new CliError("Usage : npm run tally:verify -- <consultation>");
  const consultation = await handle.db
    .selectFrom("consultations")
    .select("id")
    .where("slug", "=", slug)
    .executeTakeFirst();
  if (!consultation) throw new CliError(`Consultation inconnue : ${slug}`);
  const started = Date.now();
  const differences = await verifyCounts(handle.db, consultation.id);
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  if (differences.length === 0) {
    console.log(`Comptes exacts : le recomptage depuis les bulletins donne les mêmes nombres (${seconds} s).`);
    return 0;
  }
  console.error(`${differences.length} écart(s) entre les comptes tenus et le recomptage :`);
  for (const d of differences.slice(0, 50)) console.error(`  ${d.what} : tenu ${d.kept}, recompté ${d.recounted}`);
  if (differences.length > 50) console.error(`  … et ${differences.length - 50} autre(s)`);
  return 1;
});
