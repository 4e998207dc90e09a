/**
 * The last line of `npm test` names skipped suites; on a clone without the catalogue's source
 * reports (CATALOGUE_SOURCES_DIR pointing to an empty folder) that is the fidelity suite, and with
 * CATALOGUE_SOURCES_REQUIRED=1 (CI) the suite fails instead. Runs vitest on the fidelity file in
 * a child process, as `tests/run-all.mjs` does.
 */
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { repoRoot } from "./catalogue-fidelity";
// @ts-expect-error plain ES module shared with tests/run-all.mjs
import { summaryLine, vitestSummary } from "../support/test-summary.mjs";

const empty = fs.mkdtempSync(path.join(os.tmpdir(), "sources-vides-"));
afterAll(() => fs.rmSync(empty, { recursive: true, force: true }));

function runFidelity(env: Record<string, string>) {
  const out = path.join(empty, `vitest-${Object.keys(env).length}.json`);
  spawnSync(
    path.join(repoRoot, "node_modules/.bin/vitest"),
    [
      "run",
      "--config",
      "tests/vitest.config.ts",
      "tests/unit/catalogue-fidelity.test.ts",
      "--reporter=json",
      `--outputFile.json=${out}`,
    ],
    { cwd: repoRoot, env: { ...process.env, CATALOGUE_SOURCES_REQUIRED: "", ...env }, encoding: "utf8" },
  );
  return vitestSummary(JSON.parse(fs.readFileSync(out, "utf8")), repoRoot);
}

describe("the suite's last line without the source reports", () => {
  it("names the fidelity suite as skipped", { timeout: 120_000 }, () => {
    const summary = runFidelity({ CATALOGUE_SOURCES_DIR: empty });
    expect(summary.failed).toBe(0);
    expect(summary.skipped).toBeGreaterThan(0);
    expect(summaryLine(summary, summary.skippedSuites)).toMatch(
      /^\d+ passed, 0 failed, \d+ skipped — ignorés : fidélité du catalogue \(sources absentes\)$/,
    );
  });

  it("fails the fidelity suite instead when CI requires the reports", { timeout: 120_000 }, () => {
    const summary = runFidelity({ CATALOGUE_SOURCES_DIR: empty, CATALOGUE_SOURCES_REQUIRED: "1" });
    expect(summary.failed).toBe(1);
    expect(summary.skippedSuites).toEqual([]);
  });
});
