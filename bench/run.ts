// npm run bench — the benchmarks, each figure beside a baseline measured in the same run on this
// machine. Writes bench/results.json and bench/results.md. Options (environment):
//   BENCH_SIZES=10000,100000,1000000  ballots for the tally benchmark
//   BENCH_SECONDS=10                   duration of each HTTP load
//   BENCH_CONNECTIONS=50               concurrent connections
import { execSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { connect, type DatabaseHandle } from "../db/connect";
import { migrateToLatest } from "../db/migrate";
import { loadTerritories } from "../db/territories/load";
import { loadCatalogue } from "../app/catalogue/catalogue-load.server";
import { generateDemoBallots } from "../app/ballots/demo-ballots.server";
import { territoryTally, verifyCounts } from "../app/ballots/results.server";
import { createVoters } from "./fixtures";
import { load, startServer, stopServer, type LoadResult } from "./http";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const sizes = (process.env.BENCH_SIZES ?? "10000,100000,1000000").split(",").map(Number);
const seconds = Number(process.env.BENCH_SECONDS ?? 10);
const connections = Number(process.env.BENCH_CONNECTIONS ?? 50);
const CONSULTATION = "normandie-cnr-sante-2022";
const CTS = { kind: "cts" as const, code: "76-rouen-elbeuf" };
const work = fs.mkdtempSync(path.join(os.tmpdir(), "ps-bench-"));
const log = (line: string) => console.log(`[bench] ${line}`);

async function freshDatabase(name: string): Promise<DatabaseHandle> {
  const handle = await connect({ sqliteFile: path.join(work, `${name}.sqlite`) });
  await migrateToLatest(handle.db);
  await loadTerritories(handle.db);
  await loadCatalogue(handle.db);
  return handle;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

async function timeIt(fn: () => Promise<unknown>, runs: number): Promise<{ median: number; p99: number }> {
  await fn(); // warm-up
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = process.hrtime.bigint();
    await fn();
    times.push(Number(process.hrtime.bigint() - start) / 1e6);
  }
  const sorted = [...times].sort((a, b) => a - b);
  return { median: median(times), p99: sorted[Math.min(sorted.length - 1, Math.ceil(sorted.length * 0.99) - 1)]! };
}

/** Tally of one CTS from the kept counts as the consultation grows: cost should follow proposals × arrondissements. */
async function tallyBenchmark() {
  log(`tally d'un CTS depuis les comptes tenus, à ${sizes.map((n) => n.toLocaleString("fr-FR")).join(" / ")} bulletins`);
  const handle = await freshDatabase("tally");
  const consultation = await handle.db
    .selectFrom("consultations")
    .select(["id", "method", "method_params"])
    .where("slug", "=", CONSULTATION)
    .executeTakeFirstOrThrow();
  const rows: { ballots: number; rawMs: number; weightedMs: number; p99Ms: number; ctsBallots: number }[] = [];
  let have = 0;
  for (const size of sizes) {
    const started = Date.now();
    await generateDemoBallots(handle.db, { consultationSlug: CONSULTATION, count: size - have, seed: size }, (done) => {
      if (done % 100_000 === 0) log(`  … ${(have + done).toLocaleString("fr-FR")} bulletins`);
    });
    have = size;
    log(`  ${size.toLocaleString("fr-FR")} bulletins générés en ${((Date.now() - started) / 1000).toFixed(1)} s`);
    const raw = await timeIt(() => territoryTally(handle.db, consultation, CTS, "raw"), 30);
    const weighted = await timeIt(() => territoryTally(handle.db, consultation, CTS, "population"), 30);
    const { result } = await territoryTally(handle.db, consultation, CTS, "raw");
    rows.push({ ballots: size, rawMs: raw.median, weightedMs: weighted.median, p99Ms: raw.p99, ctsBallots: result.ballots });
    log(`  ${size.toLocaleString("fr-FR")} : ${raw.median.toFixed(2)} ms (pondéré ${weighted.median.toFixed(2)} ms), CTS Rouen-Elbeuf ${result.ballots.toLocaleString("fr-FR")} bulletins`);
  }
  const verifyStarted = Date.now();
  const differences = await verifyCounts(handle.db, consultation.id);
  const verifyMs = Date.now() - verifyStarted;
  await handle.close();
  const first = rows[0]!;
  const last = rows[rows.length - 1]!;
  return { rows, ratioLastToFirst: last.rawMs / first.rawMs, recount: { ms: verifyMs, differences: differences.length } };
}

/** Casting a ballot over HTTP, the browser's path, against the cheapest action that writes a row. */
async function castingBenchmark() {
  log(`vote par HTTP, ${connections} connexions, ${seconds} s, contre une action Remix minimale`);
  const handle = await freshDatabase("casting");
  const sessions = await createVoters(handle.db, "28", 5000);
  const slugs = (
    await handle.db
      .selectFrom("proposals")
      .innerJoin("consultations", "consultations.id", "proposals.consultation_id")
      .select("proposals.slug")
      .where("consultations.slug", "=", CONSULTATION)
      .orderBy("proposals.position")
      .limit(5)
      .execute()
  ).map((r) => r.slug);
  const consultationId = (await handle.db.selectFrom("consultations").select("id").where("slug", "=", CONSULTATION).executeTakeFirstOrThrow()).id;
  await handle.close();

  const port = "3190";
  const base = `http://localhost:${port}`;
  const server = await startServer(root, { PORT: port, PUBLIC_URL: base, SQLITE_FILE: path.join(work, "casting.sqlite"), BENCH_BASELINE: "true" });
  const common = { Origin: base, "Content-Type": "application/x-www-form-urlencoded" };
  let baseline: LoadResult;
  let vote: LoadResult;
  try {
    // Single-fetch data requests, as a browser with JavaScript sends them.
    await load({ url: `${base}/bench/insert.data`, method: "POST", connections, seconds: 2, headers: common, nextRequest: () => ({ body: "x=1" }) });
    baseline = await load({ url: `${base}/bench/insert.data`, method: "POST", connections, seconds, headers: common, nextRequest: () => ({ body: "x=1" }) });
    log(`  action minimale : ${Math.round(baseline.throughput)} req/s, p99 ${baseline.p99} ms`);
    let counter = 0;
    vote = await load({
      url: `${base}/consultations/${CONSULTATION}/vote.data`,
      method: "POST",
      connections,
      seconds,
      headers: common,
      nextRequest: () => {
        // Each resident in turn selects their 1st, then 2nd … 5th priority; later rounds repeat
        // a selection (the idempotent path, still fully checked).
        const n = counter++;
        const session = sessions[n % sessions.length]!;
        const slug = slugs[Math.floor(n / sessions.length) % slugs.length]!;
        return { body: `intent=approve&proposal=${slug}&reply=data`, headers: { Cookie: `ps_session=${session}` } };
      },
    });
    log(`  vote : ${Math.round(vote.throughput)} req/s, p99 ${vote.p99} ms, ${vote.non2xx} réponses non 2xx, ${vote.errors} erreurs`);
  } finally {
    await stopServer(server);
  }
  const after = await connect({ sqliteFile: path.join(work, "casting.sqlite") });
  const differences = await verifyCounts(after.db, consultationId);
  const ballots = Number(
    (await after.db.selectFrom("ballots").select((eb) => eb.fn.countAll<number>().as("n")).where("consultation_id", "=", consultationId).executeTakeFirstOrThrow()).n,
  );
  await after.close();
  return { baseline, vote, ratio: vote.throughput / baseline.throughput, ballots, recountDifferences: differences.length };
}

async function main() {
  const started = Date.now();
  if (!fs.existsSync(path.join(root, "build/index.js"))) {
    log("construction de l'application (npm run build)");
    execSync("npm run -s build", { cwd: root, stdio: "inherit" });
  }
  const machine = { cpus: os.cpus().length, model: os.cpus()[0]?.model ?? "?", memoryGiB: Math.round(os.totalmem() / 2 ** 30), node: process.version };
  const tallyResult = await tallyBenchmark();
  const casting = await castingBenchmark();
  const results = { generatedAt: new Date().toISOString(), machine, tally: tallyResult, casting, seconds: (Date.now() - started) / 1000 };
  fs.writeFileSync(path.join(root, "bench/results.json"), `${JSON.stringify(results, null, 2)}\n`);
  const md = [
    `# Benchmarks — ${results.generatedAt.slice(0, 16).replace("T", " ")} UTC`,
    "",
    `Machine : ${machine.cpus} cœurs (${machine.model}), ${machine.memoryGiB} Gio, Node ${machine.node}. Client et serveur partagent la machine.`,
    "",
    "## Tally d'un CTS (Rouen-Elbeuf) depuis les comptes tenus",
    "",
    "| bulletins (région) | bulletins (CTS) | brut, médiane | pondéré, médiane | brut, p99 |",
    "|---:|---:|---:|---:|---:|",
    ...tallyResult.rows.map((r) => `| ${r.ballots.toLocaleString("fr-FR")} | ${r.ctsBallots.toLocaleString("fr-FR")} | ${r.rawMs.toFixed(2)} ms | ${r.weightedMs.toFixed(2)} ms | ${r.p99Ms.toFixed(2)} ms |`),
    "",
    `Rapport de temps ${sizes[sizes.length - 1]!.toLocaleString("fr-FR")} / ${sizes[0]!.toLocaleString("fr-FR")} : **${tallyResult.ratioLastToFirst.toFixed(2)}**. Recomptage complet depuis les bulletins : ${(tallyResult.recount.ms / 1000).toFixed(1)} s, ${tallyResult.recount.differences} écart.`,
    "",
    `## Vote par HTTP (${connections} connexions, ${seconds} s)`,
    "",
    "| chemin | req/s | p50 | p99 | non 2xx | erreurs |",
    "|---|---:|---:|---:|---:|---:|",
    `| action Remix minimale (insère une ligne) | ${Math.round(casting.baseline.throughput)} | ${casting.baseline.p50} ms | ${casting.baseline.p99} ms | ${casting.baseline.non2xx} | ${casting.baseline.errors} |`,
    `| vote (session, origine, validation, transaction, comptes) | ${Math.round(casting.vote.throughput)} | ${casting.vote.p50} ms | ${casting.vote.p99} ms | ${casting.vote.non2xx} | ${casting.vote.errors} |`,
    "",
    `Rapport vote / action minimale : **${(casting.ratio * 100).toFixed(0)} %**. Bulletins après la charge : ${casting.ballots}, écarts au recomptage : ${casting.recountDifferences}.`,
    "",
  ].join("\n");
  fs.writeFileSync(path.join(root, "bench/results.md"), md);
  console.log(`\n${md}`);
  log(`terminé en ${results.seconds.toFixed(0)} s ; résultats dans bench/results.json et bench/results.md`);
  fs.rmSync(work, { recursive: true, force: true });
}

main().catch((error) => {
  console.error(error);
  fs.rmSync(work, { recursive: true, force: true });
  process.exit(1);
});
