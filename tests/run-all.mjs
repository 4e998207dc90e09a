#!/usr/bin/env node
// `npm test`: type check, lint (layers and format), production build, unit + integration tests (SQLite, and PostgreSQL when
// TEST_DATABASE_URL is set), then end-to-end tests in Chromium. Ends with one line
// "N passed, N failed, N skipped" over everything, followed by the names of the skipped suites
// (e.g. the catalogue fidelity suite when the source reports are absent), and a non-zero exit if
// anything failed.
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { playwrightSummary, summaryLine, vitestSummary } from "./support/test-summary.mjs";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const tmp = path.join(root, "tests/.tmp");
fs.mkdirSync(tmp, { recursive: true });
const bin = (name) => path.join(root, "node_modules/.bin", name);

function run(title, command, args, env = {}) {
  console.log(`\n▶ ${title}`);
  const started = Date.now();
  const result = spawnSync(command, args, { cwd: root, stdio: "inherit", env: { ...process.env, ...env } });
  console.log(
    `  ${title} : ${result.status === 0 ? "ok" : `échec (code ${result.status})`} en ${((Date.now() - started) / 1000).toFixed(1)} s`,
  );
  return result.status === 0;
}

const totals = { passed: 0, failed: 0, skipped: 0 };
/** Names of the suites with skipped tests: a skip is said, not hidden in a count. */
const skippedSuites = [];
let ok = true;

ok = run("Vérification des types (tsc)", bin("tsc"), ["--noEmit"]) && ok;
ok = run("Analyse statique et mise en forme (eslint, prettier)", "npm", ["run", "-s", "lint"]) && ok;
const built = run("Construction (remix build)", "npm", ["run", "-s", "build"]);
ok = built && ok;

const vitestJson = path.join(tmp, "vitest.json");
fs.rmSync(vitestJson, { force: true });
if (!process.env.TEST_DATABASE_URL)
  console.log("\n(TEST_DATABASE_URL absent : tests d'intégration sur SQLite seulement)");
ok =
  run("Tests unitaires et d'intégration (vitest)", bin("vitest"), [
    "run",
    "--config",
    "tests/vitest.config.ts",
    "--reporter=default",
    "--reporter=json",
    `--outputFile.json=${vitestJson}`,
  ]) && ok;
if (fs.existsSync(vitestJson)) {
  const summary = vitestSummary(JSON.parse(fs.readFileSync(vitestJson, "utf8")), root);
  totals.passed += summary.passed;
  totals.failed += summary.failed;
  totals.skipped += summary.skipped;
  skippedSuites.push(...summary.skippedSuites);
} else {
  totals.failed += 1;
}

// Each Playwright run's server database lands in tests/.tmp: start from a clean folder.
for (const file of fs.readdirSync(tmp)) if (file.startsWith("e2e-")) fs.rmSync(path.join(tmp, file), { force: true });
const playwrightJson = path.join(tmp, "playwright.json");
fs.rmSync(playwrightJson, { force: true });
if (built) {
  ok =
    run(
      "Tests de bout en bout (Playwright, Chromium)",
      bin("playwright"),
      ["test", "-c", "tests/playwright.config.ts", "--reporter=list,json"],
      {
        PLAYWRIGHT_JSON_OUTPUT_NAME: playwrightJson,
      },
    ) && ok;
}
if (fs.existsSync(playwrightJson)) {
  const summary = playwrightSummary(JSON.parse(fs.readFileSync(playwrightJson, "utf8")));
  totals.passed += summary.passed;
  totals.failed += summary.failed;
  totals.skipped += summary.skipped;
  skippedSuites.push(...summary.skippedSuites);
} else {
  totals.failed += 1;
}

if (!ok && totals.failed === 0) totals.failed = 1; // a step failed outside any test (types, build)
console.log(`\n${summaryLine(totals, skippedSuites)}`);
process.exit(ok ? 0 : 1);
