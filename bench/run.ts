// npm run bench — every figure beside a baseline measured in the same run on this machine, on
// SQLite and (when BENCH_DATABASE_URL is set) on PostgreSQL side by side. Writes
// bench/results.json and bench/results.md. Options (environment):
//   BENCH_SIZES=10000,100000,1000000  ballots for the tally and report benchmarks
//   BENCH_SECONDS=10                   duration of each HTTP load
//   BENCH_CONNECTIONS=50               concurrent connections
//   BENCH_DATABASE_URL=postgres://…    also run everything on PostgreSQL (a schema per dataset, dropped after)
//   BENCH_SERVERS=1,2,4                app servers behind one port (bench/cluster.ts), PostgreSQL only
//   BENCH_PORT=3190                    the app server's port; the next two: a bare Node server, the cluster
//   BENCH_IMPORT_BALLOTS=1000000       lines of the paper-import file (bench/paper-import.ts)
//   BENCH_ONLY=rapport                 only the tally and CTS report by size (e.g. BENCH_SIZES=10000000):
//                                      writes bench/results-rapport.{json,md}
//   BENCH_DATABASES=postgres           with BENCH_ONLY=rapport: which databases (sqlite,postgres by default)
import { execSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import pg from "pg";
import { sql } from "kysely";
import { connect, type ConnectOptions, type DatabaseHandle } from "../db/connect";
import { migrateToLatest } from "../db/migrate";
import { loadTerritories } from "../db/territories/load";
import { loadCatalogue } from "../app/catalogue/catalogue-load.server";
import { generateDemoBallots } from "../app/ballots/demo-ballots.server";
import { readMethodParams } from "../app/ballots/ballots.server";
import { territoryBallots, territoryParticipation, territoryTally, verifyCounts } from "../app/ballots/results.server";
import { bootstrapIntervals, seedFromString } from "../app/tally";
import { createMember, createVoters } from "./fixtures";
import { paperImportBench, paperImportTargets } from "./paper-import";
import {
  load,
  rssMiB,
  sequential,
  startBareServer,
  startServer,
  stopServer,
  untilIntervals,
  type LoadResult,
} from "./http";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const sizes = (process.env.BENCH_SIZES ?? "10000,100000,1000000").split(",").map(Number);
const seconds = Number(process.env.BENCH_SECONDS ?? 10);
const connections = Number(process.env.BENCH_CONNECTIONS ?? 50);
const pgUrl = process.env.BENCH_DATABASE_URL;
const serverCounts = (process.env.BENCH_SERVERS ?? "1,2,4").split(",").map(Number);
const CONSULTATION = "normandie-cnr-sante-2022";
const CTS = { kind: "cts" as const, code: "76-rouen-elbeuf" };
const REGION = { kind: "region" as const, code: "28" };
const PORT = Number(process.env.BENCH_PORT ?? 3190);
const BARE_PORT = PORT + 1;
const CLUSTER_PORT = PORT + 2;
const REPORT_CONNECTIONS = Math.min(10, connections);
const work = fs.mkdtempSync(path.join(os.tmpdir(), "ps-bench-"));
const started = Date.now();
const log = (line: string) =>
  console.log(`[bench ${((Date.now() - started) / 1000).toFixed(0).padStart(4)} s] ${line}`);
const fr = (n: number) => n.toLocaleString("fr-FR");

// ─── HOOK (lead) : page de rapport CTS ────────────────────────────────────────────────────────
// "CTS report page at 10k/100k/1M" and "RSS after the 1M-ballot report" request this path with
// a CTS member's session (Rouen-Elbeuf): the whole report page (participation, both rankings with
// intervals, breakdown, per-proposal detail). The first request of each size is reported apart: it
// starts the first rank intervals' computation and is answered without them ("en cours de
// calcul"); the time until a page shows them is reported beside it, and the 30 timed requests
// come after, with the intervals. The PDF export is timed after them.
const CTS_REPORT_PATH = `/cts/${CTS.code}/rapports/${CONSULTATION}`;
const CTS_REPORT_LABEL = "page de rapport du CTS Rouen-Elbeuf";
// ──────────────────────────────────────────────────────────────────────────────────────────────

type Dialect = "sqlite" | "postgres";
const pgSchemas: string[] = [];

/** Where a dataset lives: connect options for this process, environment for the server. */
function target(dialect: Dialect, name: string): { options: ConnectOptions; env: Record<string, string> } {
  if (dialect === "sqlite") {
    const file = path.join(work, `${name}.sqlite`);
    return { options: { sqliteFile: file }, env: { SQLITE_FILE: file } };
  }
  const schema = `bench_${name}_${process.pid}`;
  if (!pgSchemas.includes(schema)) pgSchemas.push(schema);
  // No statement timeout for the bench's own work (batches of 20,000 ballots on a busy machine,
  // ANALYZE at 10 M); the server keeps its own.
  return {
    options: { databaseUrl: pgUrl!, pgSchema: schema, statementTimeoutMs: 0 },
    env: { DATABASE_URL: pgUrl!, DATABASE_SCHEMA: schema },
  };
}

async function freshDatabase(dialect: Dialect, name: string): Promise<DatabaseHandle> {
  const handle = await connect(target(dialect, name).options);
  await migrateToLatest(handle.db, handle.schema);
  await loadTerritories(handle.db);
  await loadCatalogue(handle.db);
  return handle;
}

async function server(dialect: Dialect, name: string, extra: Record<string, string> = {}) {
  const base = `http://localhost:${PORT}`;
  const child = await startServer(root, {
    PORT: String(PORT),
    PUBLIC_URL: base,
    BENCH_BASELINE: "true",
    SKIP_TERRITORY_LOAD: "true",
    ...target(dialect, name).env,
    ...extra,
  });
  return { child, base };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}
const p99Of = (sorted: number[]) => sorted[Math.min(sorted.length - 1, Math.ceil(sorted.length * 0.99) - 1)]!;

/** "12.3 s"; "non attendus" for the intervals not waited for (beyond 2 M ballots). */
const seconds1 = (ms: number) => (Number.isNaN(ms) ? "non attendus" : `${(ms / 1000).toFixed(1)} s`);
const mib = (bytes: number) => `${(bytes / 2 ** 20).toFixed(1)} Mio`;
const KEPT_TABLES = ["ballots", "ballot_events", "ballot_counts", "ballot_totals", "ballot_event_days"] as const;

/** Bytes on disk of the ballot tables, indexes included (PostgreSQL: pg_total_relation_size; SQLite: dbstat). */
async function tableSizes(handle: DatabaseHandle): Promise<Record<string, number>> {
  const sizes: Record<string, number> = {};
  for (const table of KEPT_TABLES) {
    const { rows } =
      handle.dialect === "postgres"
        ? await sql<{
            bytes: string;
          }>`select pg_total_relation_size(${`${handle.schema ?? "public"}.${table}`}::regclass) as bytes`.execute(
            handle.db,
          )
        : // dbstat may be missing from an SQLite build: the size is then unknown, not an error.
          await sql<{ bytes: number }>`select coalesce(sum(pgsize), 0) as bytes from dbstat
              where name in (select name from sqlite_master where tbl_name = ${table})`
            .execute(handle.db)
            .catch(() => ({ rows: [{ bytes: Number.NaN }] }));
    sizes[table] = Number(rows[0]?.bytes ?? Number.NaN);
  }
  return sizes;
}

async function timeIt(fn: () => Promise<unknown>, runs: number): Promise<{ median: number; p99: number }> {
  await fn(); // warm-up
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t = process.hrtime.bigint();
    await fn();
    times.push(Number(process.hrtime.bigint() - t) / 1e6);
  }
  return { median: median(times), p99: p99Of([...times].sort((a, b) => a - b)) };
}

/**
 * One dataset grown to each size: the tally of one CTS from the kept counts (in this process),
 * the CTS report over HTTP (production server, a CTS member's session), the bootstrap at 100k,
 * the server's memory at rest and after the report, and a full recount at the end.
 */
async function tallyAndReport(dialect: Dialect) {
  log(`${dialect} — tally et rapport CTS à ${sizes.map(fr).join(" / ")} bulletins`);
  const handle = await freshDatabase(dialect, "tally");
  const consultation = await handle.db
    .selectFrom("consultations")
    .select(["id", "method", "method_params"])
    .where("slug", "=", CONSULTATION)
    .executeTakeFirstOrThrow();
  const member = await createMember(handle.db, "cts_member", CTS.code, "76540");
  const rows: {
    ballots: number;
    ctsBallots: number;
    rawMs: number;
    weightedMs: number;
    p99Ms: number;
    report: { firstMs: number; intervalsMs: number; p50Ms: number; p99Ms: number; status: number; bytes: number };
    rssAtRestMiB: number;
    rssAfterReportMiB: number;
    pdf: { firstMs: number; p50Ms: number; bytes: number };
    generateSeconds: number;
    tables: Record<string, number>;
    /** The machine's load average (1 min) when the report was first requested. */
    loadAverage: number;
  }[] = [];
  let bootstrap: { ballots: number; proposals: number; resamples: number; readMs: number; ms: number } | null = null;
  let have = 0;
  for (const size of sizes) {
    const t = Date.now();
    // Batches of 20,000 (one transaction each, kept counts included), progress every 100,000.
    const batch = { consultationSlug: CONSULTATION, count: size - have, seed: size, batchSize: 20_000 };
    await generateDemoBallots(handle.db, batch, (done) => {
      if (done % 100_000 === 0) {
        const perSecond = done / ((Date.now() - t) / 1000);
        const left = (size - have - done) / perSecond;
        log(`  … ${fr(have + done)} bulletins (${fr(Math.round(perSecond))}/s, reste ~${Math.ceil(left / 60)} min)`);
      }
    });
    const generateSeconds = (Date.now() - t) / 1000;
    have = size;
    // Freshly written tables: the planner's statistics, as autovacuum would have them later.
    if (dialect === "postgres") await sql`analyze`.execute(handle.db);
    const tables = await tableSizes(handle);
    log(
      `  ${fr(size)} bulletins générés en ${generateSeconds.toFixed(1)} s ; tables : ${Object.entries(tables)
        .map(([name, bytes]) => `${name} ${mib(bytes)}`)
        .join(", ")}`,
    );
    const raw = await timeIt(() => territoryTally(handle.db, consultation, CTS, "raw"), 30);
    const weighted = await timeIt(() => territoryTally(handle.db, consultation, CTS, "population"), 30);
    const { result } = await territoryTally(handle.db, consultation, CTS, "raw");
    log(
      `  tally direct : ${raw.median.toFixed(2)} ms (pondéré ${weighted.median.toFixed(2)} ms), CTS ${fr(result.ballots)} bulletins`,
    );

    // Once, at the first size from 100,000 to 1,000,000 (beyond, the region's ballots in this
    // process's memory would measure the bench, not the worker).
    if (!bootstrap && size >= 100_000 && size <= 1_000_000) {
      // What the interval worker does for the whole region: read the ballots, then resample.
      const populations = Object.fromEntries(
        (await territoryParticipation(handle.db, consultation.id, REGION)).map((p) => [
          p.arrondissement,
          Math.max(1, p.population),
        ]),
      );
      const rules = readMethodParams(consultation.method, consultation.method_params);
      const t0 = Date.now();
      const [ballots, proposals] = await Promise.all([
        territoryBallots(handle.db, consultation.id, REGION),
        handle.db
          .selectFrom("proposals")
          .select("id")
          .where("consultation_id", "=", consultation.id)
          .orderBy("position")
          .execute(),
      ]);
      const t1 = Date.now();
      bootstrapIntervals(
        ballots,
        {
          method: rules.method,
          proposals: proposals.map((p) => p.id),
          params: { k: rules.k, quorum: rules.quorum },
          weighting: "raw",
          populations,
        },
        { resamples: 200, seed: seedFromString("bench") },
      );
      bootstrap = {
        ballots: ballots.length,
        proposals: proposals.length,
        resamples: 200,
        readMs: t1 - t0,
        ms: Date.now() - t1,
      };
      log(
        `  intervalles de rang (200 tirages, ${proposals.length} propositions, ${fr(ballots.length)} bulletins) : ${bootstrap.ms} ms de calcul, après ${bootstrap.readMs} ms de lecture`,
      );
    }

    const { child, base } = await server(dialect, "tally");
    try {
      await new Promise((r) => setTimeout(r, 1000));
      const rssAtRestMiB = rssMiB(child.pid!);
      const loadAverage = os.loadavg()[0]!;
      const headers = { Cookie: `ps_session=${member}` };
      const first = await sequential(`${base}${CTS_REPORT_PATH}`, 0, headers);
      // Beyond 2 M ballots the first intervals take minutes (linear in the CTS's ballots): the timed
      // requests then run while the worker computes them, served without intervals, as every
      // request is until then.
      const intervalsMs =
        size > 2_000_000 ? Number.NaN : first.first + (await untilIntervals(`${base}${CTS_REPORT_PATH}`, headers));
      const report = await sequential(`${base}${CTS_REPORT_PATH}`, 30, headers);
      // Memory once the report has been served and the interval worker, idle, has exited (2 s).
      await new Promise((r) => setTimeout(r, 3000));
      const rssAfterReportMiB = rssMiB(child.pid!);
      const r = {
        firstMs: first.first,
        intervalsMs,
        p50Ms: median(report.times),
        p99Ms: p99Of(report.times),
        status: report.status,
        bytes: report.bytes,
      };
      log(
        `  rapport CTS (HTTP, charge ${loadAverage.toFixed(1)}) : 1re requête ${r.firstMs.toFixed(0)} ms (intervalles affichés après ${seconds1(r.intervalsMs)}), puis p50 ${r.p50Ms.toFixed(1)} ms, p99 ${r.p99Ms.toFixed(1)} ms (statut ${r.status}) ; RSS ${rssAtRestMiB.toFixed(0)} → ${rssAfterReportMiB.toFixed(0)} Mio`,
      );
      const pdfRuns = await sequential(`${base}${CTS_REPORT_PATH}/export/pdf`, 5, { Cookie: `ps_session=${member}` });
      const pdf = { firstMs: pdfRuns.first, p50Ms: median(pdfRuns.times), bytes: pdfRuns.bytes };
      log(
        `  export PDF du rapport : 1re ${pdf.firstMs.toFixed(0)} ms, puis p50 ${pdf.p50Ms.toFixed(0)} ms (${fr(pdf.bytes)} octets, statut ${pdfRuns.status})`,
      );
      rows.push({
        ballots: size,
        ctsBallots: result.ballots,
        rawMs: raw.median,
        weightedMs: weighted.median,
        p99Ms: raw.p99,
        report: r,
        rssAtRestMiB,
        rssAfterReportMiB,
        pdf,
        generateSeconds,
        tables,
        loadAverage,
      });
    } finally {
      await stopServer(child);
    }
  }
  // The recount reads every ballot into this process: up to 2 M (beyond, several Gio of memory).
  let recount: { ms: number; differences: number } | null = null;
  if (have <= 2_000_000) {
    log("  recomptage complet depuis les bulletins");
    const t = Date.now();
    const differences = await verifyCounts(handle.db, consultation.id);
    recount = { ms: Date.now() - t, differences: differences.length };
  }
  await handle.close();
  const first = rows[0]!;
  const last = rows[rows.length - 1]!;
  return {
    rows,
    ratioLastToFirst: last.rawMs / first.rawMs,
    reportRatioLastToFirst: last.report.p50Ms / first.report.p50Ms,
    bootstrap,
    recount,
  };
}

/** The slugs of the consultation's first five proposals, the ones the vote loads select. */
async function firstProposals(db: DatabaseHandle["db"]): Promise<string[]> {
  const rows = await db
    .selectFrom("proposals")
    .innerJoin("consultations", "consultations.id", "proposals.consultation_id")
    .select("proposals.slug")
    .where("consultations.slug", "=", CONSULTATION)
    .orderBy("proposals.position")
    .limit(5)
    .execute();
  return rows.map((r) => r.slug);
}

/**
 * A vote load as a browser without JavaScript sends it: each resident in turn selects their 1st,
 * then 2nd … 5th priority; later rounds repeat a selection (the idempotent path, still fully
 * checked). The answer is a redirect to the consultation page.
 */
function voteRequests(sessions: string[], slugs: string[]) {
  let counter = 0;
  return () => {
    const n = counter++;
    const session = sessions[n % sessions.length]!;
    const slug = slugs[Math.floor(n / sessions.length) % slugs.length]!;
    return { body: `intent=approve&proposal=${slug}`, headers: { Cookie: `ps_session=${session}` } };
  };
}

// Residents who have voted whose pages the signed-in load asks for: all fit in one server's render
// cache (1,000 entries).
const SIGNED_IN = 1000;

/**
 * The signed-in load's requests: each connection cycles through residents of its own (connection
 * k: k, k + connections, …), as a browser keeps its connection. With several servers behind a
 * balancer of connections, a resident's pages are then kept by the server their connection reached.
 */
function signedInRequests(sessions: string[]) {
  let seen = 0;
  return (connection: Record<string, number>) => {
    connection.slot ??= seen++;
    const n = connection.n ?? 0;
    connection.n = n + 1;
    const index = (connection.slot + connections * n) % SIGNED_IN;
    return { headers: { Cookie: `ps_session=${sessions[index]}` } };
  };
}

/** Warm-up of the signed-in page: by count, not time, so that every resident's page is rendered once. */
async function warmSignedIn(url: string, sessions: string[]) {
  await load({ url, connections, amount: SIGNED_IN * 2, timeout: 60, nextRequest: signedInRequests(sessions) });
}

/**
 * Casting a ballot over HTTP as a browser without JavaScript does, against the cheapest action
 * that writes a row; then the consultation page, anonymous (render cache) against a bare Node
 * server sending the same bytes, and signed in (voters with their selections) against the same
 * page with CONTENT_CACHE=false. Then a recount.
 */
async function castingAndPages(dialect: Dialect) {
  log(`${dialect} — vote et page de consultation, ${connections} connexions, ${seconds} s par mesure`);
  const handle = await freshDatabase(dialect, "casting");
  const sessions = await createVoters(handle.db, "28", 5000);
  const slugs = await firstProposals(handle.db);
  const consultationId = (
    await handle.db.selectFrom("consultations").select("id").where("slug", "=", CONSULTATION).executeTakeFirstOrThrow()
  ).id;

  const page = `/consultations/${CONSULTATION}`;
  const form = { "Content-Type": "application/x-www-form-urlencoded" };
  let baseline: LoadResult, vote: LoadResult, anonymous: LoadResult, bare: LoadResult, signedIn: LoadResult;
  let signedInUncached: LoadResult, anonymousUncached: LoadResult;
  let pageBytes: number, bareRssMiB: number, rssAfterLoadMiB: number;

  {
    const { child, base } = await server(dialect, "casting");
    try {
      const common = { ...form, Origin: base };
      // The minimal action: a resource route's action inserting one row, posted as a form.
      await load({
        url: `${base}/bench/insert`,
        method: "POST",
        connections,
        seconds: 2,
        headers: common,
        nextRequest: () => ({ body: "x=1" }),
      });
      baseline = await load({
        url: `${base}/bench/insert`,
        method: "POST",
        connections,
        seconds,
        headers: common,
        nextRequest: () => ({ body: "x=1" }),
      });
      log(`  action minimale : ${Math.round(baseline.throughput)} req/s, p99 ${baseline.p99} ms`);
      vote = await load({
        url: `${base}${page}/vote`,
        method: "POST",
        connections,
        seconds,
        headers: common,
        nextRequest: voteRequests(sessions, slugs),
      });
      log(
        `  vote : ${Math.round(vote.throughput)} req/s, p99 ${vote.p99} ms, ${vote.refused} refus, ${vote.errors} erreurs`,
      );

      const bytes = Buffer.from(await (await fetch(`${base}${page}`)).arrayBuffer());
      pageBytes = bytes.length;
      await load({ url: `${base}${page}`, connections, seconds: 2 });
      anonymous = await load({ url: `${base}${page}`, connections, seconds });
      log(`  page anonyme (cache de rendu) : ${Math.round(anonymous.throughput)} req/s, p99 ${anonymous.p99} ms`);
      const pageFile = path.join(work, "page.html");
      fs.writeFileSync(pageFile, bytes);
      const bareServer = await startBareServer(BARE_PORT, pageFile, "text/html; charset=utf-8");
      try {
        await load({ url: `http://127.0.0.1:${BARE_PORT}/`, connections, seconds: 2 });
        bare = await load({ url: `http://127.0.0.1:${BARE_PORT}/`, connections, seconds });
        bareRssMiB = rssMiB(bareServer.pid!);
      } finally {
        await stopServer(bareServer);
      }
      log(`  Node http nu, mêmes ${fr(pageBytes)} octets : ${Math.round(bare.throughput)} req/s`);
      await warmSignedIn(`${base}${page}`, sessions);
      signedIn = await load({ url: `${base}${page}`, connections, seconds, nextRequest: signedInRequests(sessions) });
      log(`  page connectée : ${Math.round(signedIn.throughput)} req/s, p99 ${signedIn.p99} ms`);
      rssAfterLoadMiB = rssMiB(child.pid!);
    } finally {
      await stopServer(child);
    }
  }
  {
    const { child, base } = await server(dialect, "casting", { CONTENT_CACHE: "false" });
    try {
      await load({
        url: `${base}${page}`,
        connections,
        seconds: Math.max(2, seconds / 2),
        nextRequest: signedInRequests(sessions),
      });
      signedInUncached = await load({
        url: `${base}${page}`,
        connections,
        seconds,
        nextRequest: signedInRequests(sessions),
      });
      log(
        `  page connectée sans cache : ${Math.round(signedInUncached.throughput)} req/s, p99 ${signedInUncached.p99} ms`,
      );
      await load({ url: `${base}${page}`, connections, seconds: 2 });
      anonymousUncached = await load({ url: `${base}${page}`, connections, seconds });
      log(
        `  page anonyme sans cache : ${Math.round(anonymousUncached.throughput)} req/s, p99 ${anonymousUncached.p99} ms`,
      );
    } finally {
      await stopServer(child);
    }
  }
  const differences = await verifyCounts(handle.db, consultationId);
  const ballots = Number(
    (
      await handle.db
        .selectFrom("ballots")
        .select((eb) => eb.fn.countAll<number>().as("n"))
        .where("consultation_id", "=", consultationId)
        .executeTakeFirstOrThrow()
    ).n,
  );
  await handle.close();
  log(`  recomptage après la charge : ${ballots} bulletins, ${differences.length} écart`);
  return {
    casting: {
      baseline,
      vote,
      ratio: vote.throughput / baseline.throughput,
      ballots,
      recountDifferences: differences.length,
    },
    pages: {
      bytes: pageBytes,
      anonymous,
      bare,
      anonymousRatio: anonymous.throughput / bare.throughput,
      anonymousUncached,
      signedIn,
      signedInUncached,
      signedInRatio: signedIn.throughput / signedInUncached.throughput,
    },
    memory: { rssAfterPageLoadMiB: rssAfterLoadMiB, bareNodeRssMiB: bareRssMiB },
  };
}

interface ServersRow {
  servers: number;
  vote: LoadResult;
  signedIn: LoadResult;
  report: LoadResult;
}

/**
 * 1, 2, 4 … app servers (bench/cluster.ts: Node's cluster module, round robin) on one PostgreSQL:
 * the vote, the signed-in consultation page and the CTS report, each warmed up then loaded as in
 * the sections above. Each server count gets residents of its own, so that every count casts the
 * same first selections; the report runs on a dataset of the first BENCH_SIZES size.
 */
async function severalServers() {
  log(`postgres — ${serverCounts.join(", ")} serveurs derrière un port (module cluster de Node)`);
  const handle = await freshDatabase("postgres", "servers");
  await generateDemoBallots(handle.db, { consultationSlug: CONSULTATION, count: sizes[0]!, seed: 1 });
  const member = await createMember(handle.db, "cts_member", CTS.code, "76540");
  const slugs = await firstProposals(handle.db);
  const base = `http://localhost:${CLUSTER_PORT}`;
  const page = `${base}/consultations/${CONSULTATION}`;
  const rows: ServersRow[] = [];
  for (const count of serverCounts) {
    const sessions = await createVoters(handle.db, "28", 5000);
    const child = await startServer(
      root,
      {
        PORT: String(CLUSTER_PORT),
        PUBLIC_URL: base,
        SKIP_TERRITORY_LOAD: "true",
        ...target("postgres", "servers").env,
      },
      { args: ["--import", "tsx", "bench/cluster.ts", String(count)], ready: /serveur\(s\) à l'écoute/ },
    );
    try {
      const votes = voteRequests(sessions, slugs);
      const form = { "Content-Type": "application/x-www-form-urlencoded", Origin: base };
      const voteLoad = { url: `${page}/vote`, method: "POST" as const, connections, headers: form, nextRequest: votes };
      await load({ ...voteLoad, seconds: Math.max(2, seconds / 2) });
      const vote = await load({ ...voteLoad, seconds });
      await warmSignedIn(page, sessions);
      const signedIn = await load({ url: page, connections, seconds, nextRequest: signedInRequests(sessions) });
      // A handful of CTS members at once, not a crowd: 50 connections on a page of ~25 ms would
      // only queue (and time out on a busy machine).
      const reportLoad = {
        url: `${base}${CTS_REPORT_PATH}`,
        connections: REPORT_CONNECTIONS,
        headers: { Cookie: `ps_session=${member}` },
      };
      // Every server computes (or reads) the intervals of the votes just cast before the measure:
      // the first request on each connection may wait for them.
      await load({ ...reportLoad, amount: REPORT_CONNECTIONS * 5, timeout: 120 });
      const report = await load({ ...reportLoad, seconds });
      log(
        `  ${count} serveur(s) : vote ${Math.round(vote.throughput)} req/s (p99 ${vote.p99} ms), page connectée ${Math.round(signedIn.throughput)} req/s (p99 ${signedIn.p99} ms), rapport CTS ${Math.round(report.throughput)} req/s (p99 ${report.p99} ms)`,
      );
      rows.push({ servers: count, vote, signedIn, report });
    } finally {
      await stopServer(child);
    }
  }
  const differences = await verifyCounts(
    handle.db,
    (
      await handle.db
        .selectFrom("consultations")
        .select("id")
        .where("slug", "=", CONSULTATION)
        .executeTakeFirstOrThrow()
    ).id,
  );
  await handle.close();
  const one = rows.find((r) => r.servers === 1);
  const two = rows.find((r) => r.servers === 2);
  return {
    rows,
    reportBallots: sizes[0]!,
    recountDifferences: differences.length,
    twoToOne: one && two ? two.vote.throughput / one.vote.throughput : null,
  };
}

/** `npm run ballots:import` of BENCH_IMPORT_BALLOTS lines on a fresh database (bench/paper-import.ts). */
async function paperImport(dialect: Dialect) {
  log(`${dialect} — import de bulletins papier`);
  const handle = await freshDatabase(dialect, "import");
  try {
    return await paperImportBench({
      root,
      work,
      handle,
      env: target(dialect, "import").env,
      consultation: CONSULTATION,
      log,
    });
  } finally {
    await handle.close();
  }
}

async function runSide(dialect: Dialect) {
  const tally = await tallyAndReport(dialect);
  const http = await castingAndPages(dialect);
  const paper = await paperImport(dialect);
  return { dialect, tally, ...http, paper };
}
type Side = Awaited<ReturnType<typeof runSide>>;

// ─── the Markdown ─────────────────────────────────────────────────────────────────────────────
const pct = (x: number) => `${(x * 100).toFixed(0)} %`;
const ok = (met: boolean) => (met ? "oui" : "**non**");

function targets(s: Side) {
  const last = s.tally.rows[s.tally.rows.length - 1]!;
  const c = s.casting;
  const p = s.pages;
  return [
    {
      figure: "Liste anonyme (100 propositions, 1re page de 20), cache de rendu",
      value: `${fr(Math.round(p.anonymous.throughput))} req/s, p99 ${p.anonymous.p99} ms`,
      baseline: `Node http nu, mêmes octets : ${fr(Math.round(p.bare.throughput))} req/s`,
      ratio: pct(p.anonymousRatio),
      target: "≥ 25 %",
      met: p.anonymousRatio >= 0.25,
    },
    {
      figure: "Liste connectée (sélections affichées)",
      value: `${fr(Math.round(p.signedIn.throughput))} req/s, p99 ${p.signedIn.p99} ms`,
      baseline: `même page sans cache : ${fr(Math.round(p.signedInUncached.throughput))} req/s, p99 ${p.signedInUncached.p99} ms`,
      ratio: pct(p.signedInRatio),
      target: "≥ 1 500 req/s, p99 < 100 ms",
      met: p.signedIn.throughput >= 1500 && p.signedIn.p99 < 100,
    },
    {
      figure: "Vote (POST de formulaire sans JavaScript, session)",
      value: `${fr(Math.round(c.vote.throughput))} req/s, p99 ${c.vote.p99} ms, ${c.vote.refused + c.vote.errors} erreur(s), ${c.recountDifferences} écart au recomptage`,
      baseline: `action minimale : ${fr(Math.round(c.baseline.throughput))} req/s, p99 ${c.baseline.p99} ms`,
      ratio: pct(c.ratio),
      target: "≥ 60 %, p99 < 100 ms, 0 erreur, 0 écart",
      met: c.ratio >= 0.6 && c.vote.p99 < 100 && c.vote.refused + c.vote.errors === 0 && c.recountDifferences === 0,
    },
    {
      figure: `Rapport CTS à ${fr(last.ballots)} bulletins (${CTS_REPORT_LABEL}), p50`,
      value: `${last.report.p50Ms.toFixed(1)} ms`,
      baseline: `à ${fr(s.tally.rows[0]!.ballots)} : ${s.tally.rows[0]!.report.p50Ms.toFixed(1)} ms`,
      ratio: s.tally.reportRatioLastToFirst.toFixed(2),
      target: "p50 < 50 ms, rapport < 2",
      met: last.report.p50Ms < 50 && s.tally.reportRatioLastToFirst < 2,
    },
    ...(s.tally.bootstrap
      ? [
          {
            figure: `Intervalles de rang (200 tirages, ${s.tally.bootstrap.proposals} propositions, ${fr(s.tally.bootstrap.ballots)} bulletins), calcul`,
            value: `${fr(s.tally.bootstrap.ms)} ms (hors requête, une fois par version du décompte)`,
            baseline: `lecture des bulletins avant : ${fr(s.tally.bootstrap.readMs)} ms`,
            ratio: pct(s.tally.bootstrap.ms / 2000),
            target: "< 2 s",
            met: s.tally.bootstrap.ms < 2000,
          },
        ]
      : []),
    {
      figure: `Mémoire du serveur (VmRSS) au repos, puis après le rapport à ${fr(last.ballots)}`,
      value: `${last.rssAtRestMiB.toFixed(0)} Mio → ${last.rssAfterReportMiB.toFixed(0)} Mio`,
      baseline: `Node http nu : ${s.memory.bareNodeRssMiB.toFixed(0)} Mio`,
      ratio: pct(last.rssAfterReportMiB / 300),
      target: "< 300 Mio",
      met: last.rssAtRestMiB < 300 && last.rssAfterReportMiB < 300,
    },
    ...paperImportTargets(s.paper),
  ];
}

type Tally = Awaited<ReturnType<typeof tallyAndReport>>;

/** The tally and CTS report by size (charge: the load average over 1 min at the first request). */
function tallyMarkdown(t: Tally): string[] {
  return [
    `### Tally d'un CTS (Rouen-Elbeuf) et rapport CTS par HTTP`,
    "",
    "| bulletins (région) | bulletins (CTS) | tally brut, médiane | pondéré, médiane | tally p99 | rapport HTTP : 1re requête | intervalles affichés après | p50 | p99 | export PDF, p50 | RSS repos → après | charge |",
    "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ...t.rows.map(
      (r) =>
        `| ${fr(r.ballots)} | ${fr(r.ctsBallots)} | ${r.rawMs.toFixed(2)} ms | ${r.weightedMs.toFixed(2)} ms | ${r.p99Ms.toFixed(2)} ms | ${r.report.firstMs.toFixed(0)} ms | ${seconds1(r.report.intervalsMs)} | ${r.report.p50Ms.toFixed(1)} ms | ${r.report.p99Ms.toFixed(1)} ms | ${r.pdf.p50Ms.toFixed(0)} ms | ${r.rssAtRestMiB.toFixed(0)} → ${r.rssAfterReportMiB.toFixed(0)} Mio | ${r.loadAverage.toFixed(1)} |`,
    ),
    "",
    `Tally ${fr(t.rows[t.rows.length - 1]!.ballots)} / ${fr(t.rows[0]!.ballots)} : **${t.ratioLastToFirst.toFixed(2)}** ; rapport HTTP (p50) : **${t.reportRatioLastToFirst.toFixed(2)}**. Aucune requête n’attend les intervalles de rang : la 1re de chaque taille répond sans eux (« en cours de calcul ») et lance leur calcul dans un thread de travail ; la page les montre après le délai indiqué, et les requêtes mesurées ensuite les servent. ${t.recount ? `Recomptage complet : ${(t.recount.ms / 1000).toFixed(1)} s, ${t.recount.differences} écart.` : "Recomptage complet : non fait au-delà de 2 M bulletins (il lit chaque bulletin en mémoire)."}`,
  ];
}

function tableSizesMarkdown(t: Tally): string[] {
  return [
    "### Taille des tables de bulletins (index compris)",
    "",
    `| bulletins | génération | ${KEPT_TABLES.join(" | ")} | total |`,
    `|---:|---:|${KEPT_TABLES.map(() => "---:|").join("")}---:|`,
    ...t.rows.map(
      (r) =>
        `| ${fr(r.ballots)} | ${r.generateSeconds.toFixed(1)} s | ${KEPT_TABLES.map((name) => mib(r.tables[name]!)).join(" | ")} | ${mib(Object.values(r.tables).reduce((a, b) => a + b, 0))} |`,
    ),
    "",
  ];
}

function sideMarkdown(s: Side): string[] {
  const t = s.tally;
  const c = s.casting;
  const p = s.pages;
  const row = (label: string, r: LoadResult) =>
    `| ${label} | ${fr(Math.round(r.throughput))} | ${r.p50} ms | ${r.p99} ms | ${r.refused} | ${r.errors} |`;
  return [
    `## ${s.dialect === "sqlite" ? "SQLite" : "PostgreSQL"}`,
    "",
    "| mesure | valeur | référence (même passage) | rapport | cible | atteinte |",
    "|---|---|---|---:|---|---|",
    ...targets(s).map((x) => `| ${x.figure} | ${x.value} | ${x.baseline} | ${x.ratio} | ${x.target} | ${ok(x.met)} |`),
    "",
    ...tallyMarkdown(t),
    "",
    `### Requêtes HTTP (${connections} connexions, ${seconds} s chacune)`,
    "",
    "| chemin | req/s | p50 | p99 | refus (4xx/5xx) | erreurs |",
    "|---|---:|---:|---:|---:|---:|",
    row("action Remix minimale (insère une ligne)", c.baseline),
    row("vote sans JavaScript (session, origine, validation, transaction, comptes, redirection)", c.vote),
    row(`Node http nu (${fr(p.bytes)} octets)`, p.bare),
    row("page de consultation, anonyme, cache de rendu", p.anonymous),
    row("page de consultation, anonyme, sans cache", p.anonymousUncached),
    row("page de consultation, connecté", p.signedIn),
    row("page de consultation, connecté, sans cache (CONTENT_CACHE=false)", p.signedInUncached),
    "",
    `Bulletins après la charge : ${fr(c.ballots)}, écarts au recomptage : ${c.recountDifferences}.`,
    "",
    ...tableSizesMarkdown(t),
  ];
}

type Servers = Awaited<ReturnType<typeof severalServers>>;

function serversTarget(s: Servers) {
  const one = s.rows.find((r) => r.servers === 1)!;
  const two = s.rows.find((r) => r.servers === 2)!;
  return {
    figure: "Vote, 2 serveurs (module cluster) sur une base",
    value: `${fr(Math.round(two.vote.throughput))} req/s, p99 ${two.vote.p99} ms`,
    baseline: `1 serveur : ${fr(Math.round(one.vote.throughput))} req/s, p99 ${one.vote.p99} ms`,
    ratio: `${s.twoToOne!.toFixed(2)}×`,
    target: `≥ 1,6× (machine de ${os.cpus().length} cœurs partagés par les serveurs, PostgreSQL et le client)`,
    met: s.twoToOne! >= 1.6,
  };
}

function serversMarkdown(s: Servers): string[] {
  const one = s.rows.find((r) => r.servers === 1);
  const cell = (r: LoadResult, of: LoadResult | undefined) =>
    `${fr(Math.round(r.throughput))} | ${r.p99} ms | ${of ? `${(r.throughput / of.throughput).toFixed(2)}×` : "—"}`;
  return [
    "## Plusieurs serveurs sur une base PostgreSQL",
    "",
    `Serveurs \`build/index.js\` lancés par \`bench/cluster.ts\` (module \`cluster\` de Node : le processus primaire accepte chaque connexion et la passe au serveur suivant, à tour de rôle), ${connections} connexions (${REPORT_CONNECTIONS} pour le rapport), ${seconds} s par mesure après une chauffe (vote : ${Math.max(2, seconds / 2)} s ; page connectée : ${fr(SIGNED_IN * 2)} requêtes, chaque connexion gardant ses habitants ; rapport : ${REPORT_CONNECTIONS * 5} requêtes, le temps que chaque serveur ait ses intervalles). Vote : 5 000 habitants neufs par nombre de serveurs ; page connectée : 1 000 d'entre eux ; rapport CTS sur ${fr(s.reportBallots)} bulletins plus ces votes. Écarts au recomptage après les trois passages : ${s.recountDifferences}.`,
    "",
    "| serveurs | vote req/s | p99 | / 1 serveur | page connectée req/s | p99 | / 1 serveur | rapport CTS req/s | p99 | / 1 serveur | refus / erreurs |",
    "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ...s.rows.map(
      (r) =>
        `| ${r.servers} | ${cell(r.vote, one?.vote)} | ${cell(r.signedIn, one?.signedIn)} | ${cell(r.report, one?.report)} | ${r.vote.refused + r.signedIn.refused + r.report.refused} / ${r.vote.errors + r.signedIn.errors + r.report.errors} |`,
    ),
    "",
  ];
}

async function dropPgSchemas() {
  if (!pgUrl || !pgSchemas.length) return;
  const client = new pg.Client({ connectionString: pgUrl });
  await client.connect();
  try {
    for (const schema of pgSchemas) await client.query(`drop schema if exists ${schema} cascade`);
  } finally {
    await client.end();
  }
}

/** BENCH_ONLY=rapport: the tally and CTS report at each size, on the databases asked for. */
async function reportOnly(machine: {
  cpus: number;
  model: string;
  memoryGiB: number;
  node: string;
  loadAverage: number[];
}) {
  const asked = (process.env.BENCH_DATABASES ?? (pgUrl ? "sqlite,postgres" : "sqlite")).split(",") as Dialect[];
  if (asked.includes("postgres") && !pgUrl) throw new Error("BENCH_DATABASES=postgres demande BENCH_DATABASE_URL");
  const sides: { dialect: Dialect; tally: Tally }[] = [];
  for (const dialect of asked) sides.push({ dialect, tally: await tallyAndReport(dialect) });
  const results = { generatedAt: new Date().toISOString(), machine, sizes, ctsReportPath: CTS_REPORT_PATH, sides };
  fs.writeFileSync(path.join(root, "bench/results-rapport.json"), `${JSON.stringify(results, null, 2)}\n`);
  const md = [
    `# Tally et rapport CTS — ${results.generatedAt.slice(0, 16).replace("T", " ")} UTC`,
    "",
    `Machine : ${machine.cpus} cœurs (${machine.model}), ${machine.memoryGiB} Gio, Node ${machine.node}, charge moyenne au départ ${machine.loadAverage.map((l) => l.toFixed(1)).join(" / ")}. Durée : ${((Date.now() - started) / 60_000).toFixed(1)} min. Cibles : 1re requête < 1 s, p50 < 50 ms.`,
    "",
    ...sides.flatMap((s) => [
      `## ${s.dialect === "sqlite" ? "SQLite" : "PostgreSQL"}`,
      "",
      ...tallyMarkdown(s.tally),
      "",
      ...tableSizesMarkdown(s.tally),
    ]),
  ].join("\n");
  fs.writeFileSync(path.join(root, "bench/results-rapport.md"), md);
  log("terminé ; résultats dans bench/results-rapport.json et bench/results-rapport.md");
}

async function main() {
  log("construction de l'application (npm run build)");
  execSync("npm run -s build", { cwd: root, stdio: ["ignore", "ignore", "inherit"] });
  const machine = {
    cpus: os.cpus().length,
    model: os.cpus()[0]?.model ?? "?",
    memoryGiB: Math.round(os.totalmem() / 2 ** 30),
    node: process.version,
    loadAverage: os.loadavg(),
  };
  if (process.env.BENCH_ONLY === "rapport") return reportOnly(machine);
  const sides: Side[] = [await runSide("sqlite")];
  if (pgUrl) sides.push(await runSide("postgres"));
  let servers: Servers | null = null;
  if (!pgUrl) log("plusieurs serveurs : sans objet sans BENCH_DATABASE_URL (SQLite n'est servi que par un processus)");
  else if (serverCounts.some((n) => !Number.isInteger(n) || n < 1)) throw new Error("BENCH_SERVERS : ex. 1,2,4");
  else servers = await severalServers();
  const results = {
    generatedAt: new Date().toISOString(),
    machine,
    connections,
    seconds,
    sizes,
    ctsReportPath: CTS_REPORT_PATH,
    sides,
    servers,
    seconds_total: (Date.now() - started) / 1000,
  };
  fs.writeFileSync(path.join(root, "bench/results.json"), `${JSON.stringify(results, null, 2)}\n`);

  const summary = [
    "| base | mesure | valeur | référence | rapport | cible | atteinte |",
    "|---|---|---|---|---:|---|---|",
    ...sides.flatMap((s) =>
      targets(s).map(
        (x) => `| ${s.dialect} | ${x.figure} | ${x.value} | ${x.baseline} | ${x.ratio} | ${x.target} | ${ok(x.met)} |`,
      ),
    ),
    ...(servers?.twoToOne != null
      ? [serversTarget(servers)].map(
          (x) => `| postgres | ${x.figure} | ${x.value} | ${x.baseline} | ${x.ratio} | ${x.target} | ${ok(x.met)} |`,
        )
      : []),
  ];
  const md = [
    `# Benchmarks — ${results.generatedAt.slice(0, 16).replace("T", " ")} UTC`,
    "",
    `Machine : ${machine.cpus} cœurs (${machine.model}), ${machine.memoryGiB} Gio, Node ${machine.node}, charge moyenne au départ ${machine.loadAverage.map((l) => l.toFixed(1)).join(" / ")}. Client (autocannon) et serveur partagent la machine ; chaque chiffre est à comparer à sa référence mesurée dans le même passage. Durée totale : ${(results.seconds_total / 60).toFixed(1)} min.`,
    "",
    "## Résumé",
    "",
    ...summary,
    "",
    ...sides.flatMap(sideMarkdown),
    ...(servers ? serversMarkdown(servers) : []),
  ].join("\n");
  fs.writeFileSync(path.join(root, "bench/results.md"), md);
  console.log(`\n${["Résumé", "", ...summary].join("\n")}\n`);
  log(`terminé ; résultats dans bench/results.json et bench/results.md`);
}

main()
  .catch((error) => {
    console.error(error);
    process.exitCode = 1;
  })
  .finally(async () => {
    await dropPgSchemas().catch((error) => console.error("Schémas PostgreSQL non supprimés :", error));
    fs.rmSync(work, { recursive: true, force: true });
  });
