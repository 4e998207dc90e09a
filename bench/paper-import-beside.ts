// What a running paper import does to the other writers of the database (ADR 011, "What it does to
// voting, measured"). Not part of `npm run bench`: run by hand on a database the server would use
// (SQLITE_FILE, or DATABASE_URL and DATABASE_SCHEMA, migrated and loaded) and a valid file, e.g. one
// written by bench/paper-import.ts:
//   npx tsx bench/paper-import-beside.ts normandie-cnr-sante-2022 fichier.csv
// Starts `ballots:import` and, until it ends, every 0.5 s from this other process: on SQLite a read,
// then a write transaction (busy timeout 5 s, as the server's); on PostgreSQL a vote-shaped
// transaction (the consultation `for key share`, then the count and total rows of arrondissement 143,
// which the import also writes) and once, after 15 s, a close-shaped `for update` of the consultation
// (statement timeout 5 s, as the server's). Prints each kind's attempts, failures and waits.
import { spawn } from "node:child_process";
import SQLite from "better-sqlite3";
import pg from "pg";

const [slug, csv] = process.argv.slice(2);
if (!slug || !csv) throw new Error("usage : npx tsx bench/paper-import-beside.ts <consultation> fichier.csv");
const url = process.env.DATABASE_URL;
const t0 = performance.now();
const at = () => (performance.now() - t0) / 1000;
const child = spawn(process.execPath, ["--import", "tsx", "app/cli/ballots-import.ts", slug, csv], {
  env: { ...process.env, SKIP_TERRITORY_LOAD: "true", SKIP_CATALOGUE_LOAD: "true", LOG_LEVEL: "silent" },
  stdio: ["ignore", "inherit", "inherit"],
});
let done = false;
const ended = new Promise((resolve) =>
  child.on("close", () => {
    done = true;
    resolve(null);
  }),
);
const results: { at: number; kind: string; ms: number; error?: string }[] = [];
async function attempt(kind: string, work: () => unknown) {
  const started = performance.now();
  try {
    await work();
    results.push({ at: at(), kind, ms: performance.now() - started });
  } catch (error) {
    results.push({ at: at(), kind, ms: performance.now() - started, error: (error as Error).message });
  }
}
const pause = () => new Promise((resolve) => setTimeout(resolve, 500));

if (!url) {
  const db = new SQLite(process.env.SQLITE_FILE ?? "./data/priorites-sante.sqlite", { timeout: 5000 });
  const { id } = db.prepare("select id from consultations where slug = ?").get(slug) as { id: string };
  while (!done) {
    await attempt("lecture", () =>
      db.prepare("select sum(ballots) from ballot_totals where consultation_id = ?").get(id),
    );
    await attempt("écriture", () => {
      db.exec("begin immediate");
      db.prepare("update ballot_totals set revision = revision where consultation_id = ?").run(id);
      db.exec("rollback");
    });
    await pause();
  }
  db.close();
} else {
  const schema = process.env.DATABASE_SCHEMA ?? "public";
  const client = new pg.Client({
    connectionString: url,
    options: `-c search_path=${schema} -c statement_timeout=5000`,
  });
  await client.connect();
  const { id } = (await client.query("select id from consultations where slug = $1", [slug])).rows[0];
  const transaction = async (statements: string[]) => {
    await client.query("begin");
    try {
      for (const statement of statements) await client.query(statement, [id]);
    } finally {
      await client.query("rollback");
    }
  };
  let closeTried = false;
  while (!done) {
    await attempt("vote", () =>
      transaction([
        "select status from consultations where id = $1 for key share",
        "update ballot_counts set count = count where consultation_id = $1 and arrondissement_code = '143'",
        "update ballot_totals set revision = revision where consultation_id = $1 and arrondissement_code = '143'",
      ]),
    );
    if (!closeTried && at() > 15) {
      closeTried = true;
      await attempt("clôture", () => transaction(["select status from consultations where id = $1 for update"]));
    }
    await pause();
  }
  await client.end();
}
await ended;
for (const kind of new Set(results.map((r) => r.kind))) {
  const all = results.filter((r) => r.kind === kind);
  const ok = all.filter((r) => !r.error).map((r) => r.ms);
  ok.sort((a, b) => a - b);
  console.log(
    `${kind} : ${all.length} essais, ${all.length - ok.length} échec(s), attente p50 ${ok[Math.floor(ok.length / 2)]?.toFixed(0) ?? "—"} ms, max ${ok.at(-1)?.toFixed(0) ?? "—"} ms`,
  );
  for (const r of all.filter((r) => r.error || r.ms > 100))
    console.log(`  à ${r.at.toFixed(1)} s : ${r.ms.toFixed(0)} ms${r.error ? ` — ${r.error}` : ""}`);
}
