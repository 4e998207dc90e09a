// The paper import's section of `npm run bench` (issue 19: 1 M ballots < 60 s on both databases,
// memory < 500 MB, with progress). The real command, `npm run ballots:import`, runs as a child
// process on a generated file; its baseline, in the same run, is the same command on the same file
// with its last line broken: it reads and checks every line, then writes nothing.
import { spawn } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import type { DatabaseHandle } from "../db/connect";
import { verifyCounts } from "../app/ballots/results.server";
import { mulberry32 } from "../app/tally";

export const IMPORT_BALLOTS = Number(process.env.BENCH_IMPORT_BALLOTS ?? 1_000_000);
export const IMPORT_SECONDS_TARGET = 60;
export const IMPORT_MIB_TARGET = 500;

export interface CommandRun {
  code: number | null;
  seconds: number;
  /** Peak resident memory (VmHWM), MiB, polled from /proc. */
  peakMiB: number;
  stdout: string;
}

export interface PaperImportFigures {
  lines: number;
  bytes: number;
  check: CommandRun;
  run: CommandRun;
  imported: number;
  recountDifferences: number;
  progressLines: number;
}

/**
 * Generates a valid CSV of IMPORT_BALLOTS approval ballots (1 to 5 of the first 20 proposals, over
 * every arrondissement of the region) for `consultation` of `handle`, then runs the check-only
 * baseline and the import, each as `node --import tsx app/cli/ballots-import.ts`, with `env`
 * pointing the command at the same database. Checks the ballots written and a full recount.
 */
export async function paperImportBench(options: {
  root: string;
  work: string;
  handle: DatabaseHandle;
  env: Record<string, string>;
  consultation: string;
  log: (line: string) => void;
}): Promise<PaperImportFigures> {
  const { root, work, handle, env, consultation: slug, log } = options;
  const consultation = await handle.db
    .selectFrom("consultations")
    .select(["id", "region_code"])
    .where("slug", "=", slug)
    .executeTakeFirstOrThrow();
  const proposals = (
    await handle.db
      .selectFrom("proposals")
      .select("slug")
      .where("consultation_id", "=", consultation.id)
      .orderBy("position")
      .limit(20)
      .execute()
  ).map((p) => p.slug);
  const arrondissements = (
    await handle.db
      .selectFrom("arrondissements")
      .select("code")
      .where("region_code", "=", consultation.region_code)
      .execute()
  ).map((a) => a.code);

  const file = path.join(work, "bulletins-papier.csv");
  const broken = path.join(work, "bulletins-papier-derniere-ligne-fausse.csv");
  const random = mulberry32(19);
  const lines: string[] = [];
  for (let i = 0; i < IMPORT_BALLOTS; i++) {
    const chosen = new Set<string>();
    const wanted = 1 + Math.floor(random() * 5);
    while (chosen.size < wanted) chosen.add(proposals[Math.floor(random() * proposals.length)]!);
    lines.push(`${arrondissements[Math.floor(random() * arrondissements.length)]},${[...chosen].join("|")}`);
  }
  const text = `arrondissement,selections\n${lines.join("\n")}\n`;
  lines.length = 0;
  fs.writeFileSync(file, text);
  // The same file, its last line naming no arrondissement of the region.
  fs.writeFileSync(broken, `${text.slice(0, text.lastIndexOf("\n", text.length - 2) + 1)}999,x\n`);
  const bytes = Buffer.byteLength(text);
  log(`  fichier de ${IMPORT_BALLOTS.toLocaleString("fr-FR")} bulletins (${(bytes / 2 ** 20).toFixed(0)} Mio) écrit`);

  const command = (csv: string) => runCommand(root, [slug, csv], env, log);
  const check = await command(broken);
  if (check.code !== 1) throw new Error(`import à vérifier seulement : code ${check.code}`);
  log(`  vérification seule (dernière ligne fausse) : ${check.seconds.toFixed(1)} s, ${check.peakMiB.toFixed(0)} Mio`);
  let progressLines = 0;
  const run = await runCommand(root, [slug, file], env, (line) => {
    progressLines++;
    log(line);
  });
  if (run.code !== 0) throw new Error(`import : code ${run.code}\n${run.stdout}`);
  const imported = Number(
    (
      await handle.db
        .selectFrom("ballots")
        .select((eb) => eb.fn.countAll<number>().as("n"))
        .where("consultation_id", "=", consultation.id)
        .where("channel", "=", "paper")
        .executeTakeFirstOrThrow()
    ).n,
  );
  const differences = await verifyCounts(handle.db, consultation.id);
  log(
    `  import : ${run.seconds.toFixed(1)} s (${Math.round(IMPORT_BALLOTS / run.seconds).toLocaleString("fr-FR")} bulletins/s), ${run.peakMiB.toFixed(0)} Mio au plus ; ${imported.toLocaleString("fr-FR")} bulletins papier en base, ${differences.length} écart au recomptage`,
  );
  fs.rmSync(file);
  fs.rmSync(broken);
  return { lines: IMPORT_BALLOTS, bytes, check, run, imported, recountDifferences: differences.length, progressLines };
}

/** The command as an operator runs it, its stderr told line by line, its peak memory polled. */
function runCommand(
  root: string,
  args: string[],
  env: Record<string, string>,
  onStderr: (line: string) => void,
): Promise<CommandRun> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    // node itself (not the tsx wrapper, which would be a second process): its pid is the command's.
    const child = spawn(process.execPath, ["--import", "tsx", "app/cli/ballots-import.ts", ...args], {
      cwd: root,
      env: { ...process.env, SKIP_TERRITORY_LOAD: "true", SKIP_CATALOGUE_LOAD: "true", LOG_LEVEL: "silent", ...env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let peakKiB = 0;
    const poll = setInterval(() => {
      try {
        const status = fs.readFileSync(`/proc/${child.pid}/status`, "utf8");
        peakKiB = Math.max(peakKiB, Number(/VmHWM:\s+(\d+)\s+kB/.exec(status)?.[1] ?? 0));
      } catch {
        // Gone already: the last reading stands.
      }
    }, 50);
    let stdout = "";
    let pending = "";
    child.stdout.on("data", (d) => (stdout += d));
    child.stderr.on("data", (d) => {
      pending += d;
      const lines = pending.split("\n");
      pending = lines.pop()!;
      for (const line of lines) onStderr(`  [import] ${line}`);
    });
    child.on("error", reject);
    child.on("close", (code) => {
      clearInterval(poll);
      if (pending) onStderr(`  [import] ${pending}`);
      // The command's own peak (getrusage), for a process that ended between two polls.
      const own = /mémoire au plus (\d+) Mio/.exec(stdout);
      const peakMiB = Math.max(peakKiB / 1024, own ? Number(own[1]) : 0);
      resolve({ code, seconds: (performance.now() - started) / 1000, peakMiB, stdout });
    });
  });
}

/** The section's rows for the bench's table: figure, value, baseline, ratio, target, met. */
export function paperImportTargets(p: PaperImportFigures) {
  const fr = (n: number) => n.toLocaleString("fr-FR");
  return [
    {
      figure: `Import papier de ${fr(p.lines)} bulletins (\`npm run ballots:import\`, ${(p.bytes / 2 ** 20).toFixed(0)} Mio), durée et mémoire`,
      value: `${p.run.seconds.toFixed(1)} s (${fr(Math.round(p.lines / p.run.seconds))} bulletins/s), ${p.run.peakMiB.toFixed(0)} Mio au plus (VmHWM), ${p.progressLines} ligne(s) de progression, ${fr(p.imported)} en base, ${p.recountDifferences} écart au recomptage`,
      baseline: `même commande, vérification seule (dernière ligne fausse) : ${p.check.seconds.toFixed(1)} s, ${p.check.peakMiB.toFixed(0)} Mio`,
      ratio: `${(p.run.seconds / p.check.seconds).toFixed(2)}×`,
      target: `< ${IMPORT_SECONDS_TARGET} s, < ${IMPORT_MIB_TARGET} Mio, progression, 0 écart`,
      met:
        p.run.seconds < IMPORT_SECONDS_TARGET &&
        p.run.peakMiB < IMPORT_MIB_TARGET &&
        p.progressLines > 0 &&
        p.imported === p.lines &&
        p.recountDifferences === 0,
    },
  ];
}
