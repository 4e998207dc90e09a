/**
 * Fidelity of the shipped catalogue (`db/catalogue/*.json`) to its source reports (folder
 * CATALOGUE_SOURCES_DIR, by default `../shared/seeds`): every file matches the schema, every
 * heading it cites is printed in its report, every count it shows is the number the report prints
 * at that heading; and the three checks of `catalogue-checks.ts` (coverage, wording, territory and
 * theme).
 *
 * The reports are not in the repository. Without them the suite « fidélité du catalogue » is
 * skipped, and named as skipped in the last line of `npm test`; with CATALOGUE_SOURCES_REQUIRED=1
 * (CI, `.ci/run`) it fails instead.
 *
 * How counts are read is explained in `catalogue-fidelity.ts`. Only seed 001 (Nouvelle-Aquitaine)
 * prints counts; there a proposal's count is looked up in the regional synthesis of its theme
 * (section 1.x.3), and a département count in that département's synthesis (section 2.k.1), so a
 * heading that recurs under another theme or département cannot be mistaken for it.
 */
import { describe, expect, it } from "vitest";
import { TITLE_MAX, THEMES, consultationFileSchema, type ConsultationFile } from "../../app/catalogue/catalogue-schema";
import { coverageProblems, expectedLists, sectionProblems, wordingProblems } from "./catalogue-checks";
import {
  NA_FILE,
  NA_THEME_NUMBER,
  catalogueFiles,
  countsAfterHeading,
  naDepartementScope,
  naGroupHeadings,
  naRegionalLines,
  naRegionalScope,
  normalise,
  normalisedSeed,
  occursIn,
  readSeed,
  slugify,
} from "./catalogue-fidelity";
import { describeWithSources } from "./catalogue-sources";

const files = catalogueFiles();

/** "count printed at that heading": exactly one reading, equal to the catalogue's. */
function checkCount(problems: string[], where: string, scope: string | null, section: string, mentions: number) {
  if (scope === null) {
    problems.push(`${where}: section of the seed not found`);
    return;
  }
  const printed = countsAfterHeading(scope, section);
  if (printed.length === 0) problems.push(`${where}: no count printed after "${section}"`);
  else if (printed.length > 1) problems.push(`${where}: ambiguous, counts ${printed.join(", ")} after "${section}"`);
  else if (printed[0] !== mentions) problems.push(`${where}: catalogue says ${mentions}, seed prints ${printed[0]}`);
}

describe("catalogue files", () => {
  it("exist", () => {
    expect(files.length).toBeGreaterThan(0);
  });
});

for (const { name, data } of files) {
  describe(`catalogue ${name}`, () => {
    const parsed = consultationFileSchema.safeParse(data);

    it("matches the catalogue schema", () => {
      const issues = parsed.success
        ? []
        : parsed.error.issues.map((issue) => `${issue.path.join(".")}: ${issue.message}`);
      expect(issues).toEqual([]);
    });

    if (!parsed.success) return;
    const file: ConsultationFile = parsed.data;

    it("has unique slugs and titles", () => {
      const problems: string[] = [];
      const seen = new Map<string, string>();
      for (const p of file.proposals) {
        for (const key of [`slug ${p.slug}`, `title ${normalise(p.title).toLowerCase()}`]) {
          if (seen.has(key)) problems.push(`duplicate ${key} (${seen.get(key)} and ${p.slug})`);
          seen.set(key, p.slug);
        }
      }
      const workshopSlugs = file.workshops.map((w) => w.slug);
      for (const slug of new Set(workshopSlugs)) {
        if (workshopSlugs.filter((s) => s === slug).length > 1) problems.push(`duplicate workshop ${slug}`);
      }
      expect(problems).toEqual([]);
    });

    it(`gives every entry a short title (${TITLE_MAX} characters at most)`, () => {
      const problems = file.proposals
        .filter((p) => p.title.length > TITLE_MAX)
        .map((p) => `${p.slug}: ${p.title.length}`);
      expect(problems).toEqual([]);
    });

    it("never names a current entry as merged into another", () => {
      const slugs = new Set(file.proposals.map((p) => p.slug));
      const problems = file.proposals.flatMap((p) => [
        ...p.replaces.filter((r) => slugs.has(r)).map((r) => `${p.slug} replaces ${r}, which is still an entry`),
      ]);
      expect(problems).toEqual([]);
    });

    it("uses only the five themes", () => {
      const allowed: readonly string[] = THEMES;
      const problems = file.proposals.filter((p) => !allowed.includes(p.theme)).map((p) => `${p.slug}: ${p.theme}`);
      expect(problems).toEqual([]);
    });

    it("references only workshops it declares", () => {
      const declared = new Set(file.workshops.map((w) => w.slug));
      const problems = file.proposals.flatMap((p) =>
        p.sources.flatMap((s) => s.workshops.filter((w) => !declared.has(w)).map((w) => `${p.slug}: ${w}`)),
      );
      expect(problems).toEqual([]);
    });

    it("gives each département at most one count per proposal and theme", () => {
      const problems: string[] = [];
      for (const p of file.proposals) {
        const codes = p.departementCounts.map((d) => `${d.departement}/${d.theme ?? p.theme}`);
        if (new Set(codes).size !== codes.length) problems.push(`${p.slug}: ${codes.join(", ")}`);
      }
      expect(problems).toEqual([]);
    });
  });
}

const parsedFiles = files.flatMap(({ name, data }) => {
  const parsed = consultationFileSchema.safeParse(data);
  return parsed.success ? [{ name, data: parsed.data }] : [];
});

const FIDELITY_SUITE = "fidélité du catalogue";

function fidelityTests() {
  describe("the three checks of issue 16", () => {
    it("coverage: every proposal each report retains is in the catalogue or excluded with a reason", () => {
      expect(coverageProblems(parsedFiles, expectedLists())).toEqual([]);
    });
    it("wording: cited lines exist and hold the key terms of each title, nothing reversed", () => {
      expect(wordingProblems(parsedFiles)).toEqual([]);
    });
    it("territory and theme: each entry sits under its theme's headings and names its départements", () => {
      expect(sectionProblems(parsedFiles)).toEqual([]);
    });
  });

  for (const { name, data: file } of parsedFiles) {
    describe(`catalogue ${name}`, () => {
      const isNA = file.sourceFile === NA_FILE;

      it("names seed files that exist", () => {
        const problems: string[] = [];
        const names = new Set([file.sourceFile, ...file.proposals.flatMap((p) => p.sources.map((s) => s.file))]);
        for (const seed of names) if (readSeed(seed) === null) problems.push(`missing seed ${seed}`);
        expect(problems).toEqual([]);
      });

      it("cites headings printed in the seeds", () => {
        const problems: string[] = [];
        for (const p of file.proposals) {
          for (const s of p.sources) {
            const seed = normalisedSeed(s.file);
            if (seed !== null && !occursIn(seed, s.section))
              problems.push(`${p.slug}: "${s.section}" not in ${s.file}`);
          }
          const seed = normalisedSeed(file.sourceFile);
          for (const d of p.departementCounts) {
            if (seed !== null && !occursIn(seed, d.section)) {
              problems.push(`${p.slug} (${d.departement}): "${d.section}" not in ${file.sourceFile}`);
            }
          }
        }
        expect(problems).toEqual([]);
      });

      it("quotes verbatims printed in the seeds", () => {
        const problems: string[] = [];
        for (const p of file.proposals) {
          const seeds = [...new Set([file.sourceFile, ...p.sources.map((s) => s.file)])]
            .map(normalisedSeed)
            .filter((text): text is string => text !== null);
          for (const v of p.verbatims) {
            if (!seeds.some((seed) => occursIn(seed, v))) problems.push(`${p.slug}: "${v}"`);
          }
        }
        expect(problems).toEqual([]);
      });

      it("shows the counts the seeds print", () => {
        const problems: string[] = [];
        for (const p of file.proposals) {
          for (const s of p.sources) {
            const raw = readSeed(s.file);
            if (raw === null) continue;
            const where = `${p.slug} [${s.file}]`;
            if (s.file === NA_FILE) {
              // Every sub-proposal of seed 001 is printed with its count: a missing one is an error.
              const theme = NA_THEME_NUMBER[s.theme ?? p.theme];
              if (theme === undefined)
                problems.push(`${where}: theme ${s.theme ?? p.theme} is not one of seed 001's four`);
              else if (s.mentions === null) problems.push(`${where}: mentions missing`);
              else checkCount(problems, where, naRegionalScope(raw, theme), s.section, s.mentions);
            } else if (s.mentions !== null) {
              checkCount(problems, where, normalisedSeed(s.file), s.section, s.mentions);
            }
          }
          const raw = readSeed(file.sourceFile);
          if (raw === null) continue;
          for (const d of p.departementCounts) {
            const where = `${p.slug} [département ${d.departement}]`;
            if (isNA) {
              const theme = NA_THEME_NUMBER[d.theme ?? p.theme];
              if (theme === undefined)
                problems.push(`${where}: theme ${d.theme ?? p.theme} is not one of seed 001's four`);
              else checkCount(problems, where, naDepartementScope(raw, d.departement, theme), d.section, d.mentions);
            } else {
              checkCount(problems, where, normalisedSeed(file.sourceFile), d.section, d.mentions);
            }
          }
        }
        expect(problems).toEqual([]);
      });

      it("declares workshop participant totals printed in the seed", () => {
        const seed = normalisedSeed(file.sourceFile) ?? "";
        const problems = file.workshops
          .filter((w) => w.participants !== null && !new RegExp(`(?<!\\d)${w.participants}(?!\\d)`).test(seed))
          .map((w) => `${w.slug}: ${w.participants}`);
        expect(problems).toEqual([]);
      });

      if (isNA) {
        const raw = readSeed(NA_FILE) ?? "";
        const naProposals = file.proposals.filter((p) => p.sources[0]?.file === NA_FILE);

        it("seed 001: regional counts are the sum of the département counts", () => {
          // The report's regional figure for each sub-proposal is the sum of its départements'.
          const problems: string[] = [];
          // A merged entry has one regional count per theme it is printed under.
          for (const p of naProposals) {
            for (const s of p.sources.filter((x) => x.file === NA_FILE)) {
              const theme = s.theme ?? p.theme;
              const sum = p.departementCounts
                .filter((d) => (d.theme ?? p.theme) === theme)
                .reduce((total, d) => total + d.mentions, 0);
              if (s.mentions !== sum)
                problems.push(`${p.slug} (${theme}): regional ${s.mentions}, départements ${sum}`);
            }
          }
          expect(problems).toEqual([]);
        });

        it("seed 001: groups are the printed headings and hold all their sub-proposals", () => {
          // A group heading's count is the sum of its sub-proposals' counts, so matching sums
          // means no sub-proposal is missing from the catalogue (and none is counted twice).
          const problems: string[] = [];
          const grouped = new Set<string>();
          for (const [theme, number] of Object.entries(NA_THEME_NUMBER)) {
            const lines = naRegionalLines(raw, number);
            if (lines === null) {
              problems.push(`theme ${theme}: regional list not found`);
              continue;
            }
            for (const { heading, count } of naGroupHeadings(lines)) {
              const group = slugify(heading);
              // Each printed sub-proposal is one source: an entry's own, or one merged into it.
              const members = naProposals.flatMap((p) =>
                p.sources
                  .map((s, i) => ({ p, s, key: `${p.slug}#${i}` }))
                  .filter(
                    ({ s }) => s.file === NA_FILE && (s.theme ?? p.theme) === theme && (s.group ?? p.group) === group,
                  ),
              );
              members.forEach(({ key }) => grouped.add(key));
              const sum = members.reduce((total, { s }) => total + (s.mentions ?? 0), 0);
              if (sum !== count) problems.push(`${theme} / "${heading}": printed ${count}, catalogue sums to ${sum}`);
            }
          }
          for (const p of naProposals) {
            p.sources.forEach((s, i) => {
              if (s.file === NA_FILE && !grouped.has(`${p.slug}#${i}`)) {
                problems.push(`${p.slug}: group ${s.group ?? p.group} is not a heading of theme ${s.theme ?? p.theme}`);
              }
            });
          }
          expect(problems).toEqual([]);
        });
      }
    });
  }
}

describeWithSources(FIDELITY_SUITE, fidelityTests);
