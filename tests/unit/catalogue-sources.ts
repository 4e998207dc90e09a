import { describe, expect, it } from "vitest";
import { seedsDir, sourcesAvailable, sourcesRequired } from "./catalogue-fidelity";

/**
 * A suite that needs the source reports: run when they are there; skipped, with "(sources
 * absentes)" in its name, when they are not; failed when CATALOGUE_SOURCES_REQUIRED=1 (CI).
 * `tests/run-all.mjs` names skipped suites in the last line of `npm test`.
 */
export function describeWithSources(name: string, body: () => void): void {
  if (sourcesAvailable()) {
    describe(name, body);
  } else if (sourcesRequired) {
    describe(name, () => {
      it("has its source reports (CATALOGUE_SOURCES_REQUIRED=1)", () => {
        expect.fail(
          `source reports missing from ${seedsDir}: set CATALOGUE_SOURCES_DIR (see README, « Sources du catalogue »)`,
        );
      });
    });
  } else {
    describe.skip(`${name} (sources absentes)`, body);
  }
}
