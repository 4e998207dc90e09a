// The last line of `npm test` (tests/run-all.mjs): totals over vitest and Playwright, then the
// names of the suites that skipped tests, so that a skip is said, not hidden in a count.
import path from "node:path";

/** Totals and skipped-suite names of a vitest JSON report (`--reporter=json`). */
export function vitestSummary(report, root) {
  const skipped = new Set();
  for (const file of report.testResults ?? []) {
    for (const test of file.assertionResults ?? []) {
      if (test.status === "skipped" || test.status === "pending" || test.status === "todo") {
        skipped.add(test.ancestorTitles?.[0] ?? path.relative(root, file.name));
      }
    }
  }
  return {
    passed: report.numPassedTests,
    failed: report.numFailedTests,
    skipped: report.numPendingTests + (report.numTodoTests ?? 0),
    skippedSuites: [...skipped],
  };
}

/** Totals and skipped-test names of a Playwright JSON report. */
export function playwrightSummary(report) {
  const skipped = new Set();
  const walk = (suite, file) => {
    for (const spec of suite.specs ?? []) {
      if (spec.tests?.some((t) => t.status === "skipped")) skipped.add(`${file} › ${spec.title}`);
    }
    for (const child of suite.suites ?? []) walk(child, file);
  };
  for (const suite of report.suites ?? []) walk(suite, suite.title);
  const stats = report.stats;
  return {
    passed: stats.expected + stats.flaky,
    failed: stats.unexpected,
    skipped: stats.skipped,
    skippedSuites: [...skipped],
  };
}

/** "N passed, N failed, N skipped — ignorés : a ; b" */
export function summaryLine(totals, skippedSuites) {
  const names = [...new Set(skippedSuites)];
  const ignored = names.length ? ` — ignorés : ${names.join(" ; ")}` : "";
  return `${totals.passed} passed, ${totals.failed} failed, ${totals.skipped} skipped${ignored}`;
}
