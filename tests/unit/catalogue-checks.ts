/**
 * The three checks of the catalogue against its source reports that the count checks cannot
 * make (issue 16): coverage of each report, wording of each title, territory and theme. Each takes
 * the catalogue as data and returns its problems, so that it can be run on the shipped files and
 * on a deliberately broken copy (`catalogue-checks.test.ts`).
 */
import fs from "node:fs";
import path from "node:path";
import type { ConsultationFile } from "../../app/catalogue/catalogue-schema";
import { keyTerms, normalise, readSeed, repoRoot, wordingGaps } from "./catalogue-fidelity";

export type Catalogue = { name: string; data: ConsultationFile }[];

type Lines = [number, number];

/** A report's expected list, written by hand from the report: what it retains, what it leaves out and why. */
export interface ExpectedList {
  file: string;
  report: string;
  retained: { lines: Lines; text: string }[];
  excluded: { lines: Lines; text: string; reason: string }[];
}

export const expectedDir = path.join(repoRoot, "tests", "unit", "catalogue-coverage");

export function expectedLists(): ExpectedList[] {
  return fs
    .readdirSync(expectedDir)
    .filter((f) => f.endsWith(".json"))
    .sort()
    .map((f) => JSON.parse(fs.readFileSync(path.join(expectedDir, f), "utf8")) as ExpectedList);
}

const overlaps = (a: Lines, b: Lines) => a[0] <= b[1] && b[0] <= a[1];

function sourcesOf(catalogue: Catalogue, file: string) {
  return catalogue.flatMap(({ data }) =>
    data.proposals.flatMap((p) => p.sources.filter((s) => s.file === file).map((s) => ({ p, s }))),
  );
}

/**
 * Coverage: every proposal the report retains is in the catalogue (an entry cites lines that
 * overlap it) or is excluded with a reason; every line range the catalogue cites in the report
 * is one of its retained proposals (nothing is taken from an introduction or a heading alone).
 */
export function coverageProblems(catalogue: Catalogue, expected: ExpectedList[]): string[] {
  const problems: string[] = [];
  for (const list of expected) {
    const cited = sourcesOf(catalogue, list.file);
    for (const item of list.retained) {
      if (!cited.some(({ s }) => overlaps(s.lines, item.lines))) {
        problems.push(`${list.file} l. ${item.lines.join("-")} « ${item.text.slice(0, 60)} » : absente du catalogue`);
      }
    }
    for (const item of list.excluded) {
      if (!item.reason.trim()) problems.push(`${list.file} l. ${item.lines.join("-")} : exclue sans raison`);
      if (list.retained.some((r) => overlaps(r.lines, item.lines))) {
        problems.push(`${list.file} l. ${item.lines.join("-")} : à la fois retenue et exclue`);
      }
    }
    for (const { p, s } of cited) {
      if (!list.retained.some((r) => overlaps(r.lines, s.lines))) {
        problems.push(`${p.slug} : cite ${list.file} l. ${s.lines.join("-")}, qui n’est pas une proposition retenue`);
      }
    }
  }
  return problems;
}

// The theme a report files a proposal under is part of its wording ("Développer la prévention" is about prevention).
function themeWords(theme: string | null): string {
  const words: Record<string, string> = {
    access: "accès aux soins",
    continuity: "continuité des soins",
    attractiveness: "attractivité des métiers",
    prevention: "prévention",
    environment: "environment",
  };
  return theme ? (words[theme] ?? "") : "";
}

/** How many key terms of a title may be missing from its lines: one, or one in four for long titles. */
export function allowedMissing(termCount: number): number {
  return Math.max(1, Math.floor(termCount / 4));
}

/**
 * Wording: every cited line range exists in its report, and the title's key terms are found in
 * the lines it cites and their headings (all its sources together); a title that carries a negation, a suppression,
 * an obligation or a gratuity its lines do not is reversed or invented.
 */
export function wordingProblems(catalogue: Catalogue): string[] {
  const problems: string[] = [];
  for (const { data } of catalogue) {
    for (const p of data.proposals) {
      const texts: string[] = [];
      for (const s of p.sources) {
        const raw = readSeed(s.file);
        if (raw === null) continue;
        const count = raw.split(/\r?\n/).length;
        if (s.lines[1] > count) {
          problems.push(`${p.slug} : ${s.file} l. ${s.lines.join("-")} n’existe pas (${count} lignes)`);
          continue;
        }
        texts.push(
          raw
            .split(/\r?\n/)
            .slice(s.lines[0] - 1, s.lines[1])
            .join("\n"),
        );
      }
      if (!texts.length) continue;
      // The heading a proposal is printed under is part of what the report says about it.
      texts.push(...p.sources.map((s) => s.section), ...[p.theme, ...p.sources.map((s) => s.theme)].map(themeWords));
      const { missing, polarity } = wordingGaps(p.title, texts.join("\n"));
      const allowed = allowedMissing(keyTerms(p.title).length);
      if (missing.length > allowed) {
        problems.push(`${p.slug} : « ${p.title} » — absents des lignes citées : ${missing.join(", ")}`);
      }
      if (polarity.length) {
        problems.push(`${p.slug} : « ${p.title} » — « ${polarity.join(", ")} » n’est pas dans les lignes citées`);
      }
    }
  }
  return problems;
}

/**
 * The theme parts of each report, read from its headings (line ranges as the files ship). A part
 * with theme null belongs to no theme (Normandie's commitments, the Yvelines key ideas, the
 * Centre-Val de Loire priority projects): any theme may cite it.
 */
export const THEME_PARTS: Record<string, { theme: string | null; lines: Lines; heading: string }[]> = {
  "000_259f14672463cccc.txt": [
    { theme: "access", lines: [78, 253], heading: "Accès à la santé" },
    { theme: "continuity", lines: [254, 306], heading: "Continuité – Permanence des soins" },
    { theme: "attractiveness", lines: [307, 423], heading: "Attractivité - Fidélisation" },
    { theme: "prevention", lines: [424, 529], heading: "Prévention" },
    { theme: null, lines: [530, 550], heading: "Pour poursuivre" },
  ],
  "001_69b1a6520f933c0b.txt": [
    { theme: "access", lines: [251, 509], heading: "1.2.3 Solutions et propositions" },
    { theme: "continuity", lines: [652, 766], heading: "1.3.3 Solutions et propositions" },
    { theme: "attractiveness", lines: [909, 1020], heading: "1.4.3 Solutions et propositions" },
    { theme: "prevention", lines: [1163, 1289], heading: "1.5.3 Solutions et propositions" },
  ],
  "002_ff85f5667f6aaf61.txt": [
    { theme: "access", lines: [34, 99], heading: "Axe 1 – Accès au médecin traitant (MT) ; Axe 2 – Accès aux SNP" },
    { theme: "attractiveness", lines: [100, 128], heading: "Axe 3 – Attractivité des métiers de la santé" },
    { theme: "prevention", lines: [129, 194], heading: "Axe 4 - Prévention" },
    { theme: null, lines: [195, 554], heading: "4. PRIORISATION : 7 IDEES CLES" },
  ],
  "004_6b0e1e4a41bafabe.txt": [
    { theme: null, lines: [272, 334], heading: "QUELLE TRADUCTION EN NORMANDIE ? (5 grands engagements)" },
    { theme: "access", lines: [335, 429], heading: "RENFORCER L’ACCÈS AUX SOINS" },
    { theme: "continuity", lines: [430, 499], heading: "GARANTIR LA CONTINUITÉ DES SOINS" },
    { theme: "attractiveness", lines: [500, 637], heading: "MOBILISER LES LEVIERS LOCAUX D’ATTRACTIVITÉ" },
    { theme: "prevention", lines: [638, 747], heading: "FAIRE ENTRER LA PRÉVENTION DANS LE QUOTIDIEN" },
  ],
};

// Yvelines axis 2 (unscheduled care) is filed by the report under access, as is its regulation.
const ALSO_ACCEPTED: Record<string, Record<string, string[]>> = {
  "002_ff85f5667f6aaf61.txt": { access: ["continuity"] },
};

/** Where a département is named in the reports: its name, or a place in it the reports cite. */
const DEPARTEMENT_NAMES: Record<string, string[]> = {
  "18": ["Cher", "Vierzon", "Bourges", "Masantédanslecher"],
  "28": ["Eure-et-Loir", "Chartres", "Dreux"],
  "36": ["Indre", "Châteauroux"],
  "37": ["Indre-et-Loire", "Tours"],
  "41": ["Loir-et-Cher", "Blois"],
  "45": ["Loiret", "Orléans", "Beauce Gâtinais", "Montargis"],
};

function namedDepartements(text: string): Set<string> {
  const found = new Set<string>();
  const plain = normalise(text);
  for (const [code, names] of Object.entries(DEPARTEMENT_NAMES)) {
    for (const name of names) {
      // "Cher" is not "Loir-et-Cher", "Indre" is not "Indre-et-Loire".
      const re = new RegExp(`(?<![\\p{L}-])${name}(?![\\p{L}-])`, "u");
      if (re.test(plain)) found.add(code);
    }
  }
  return found;
}

function headingOccurrences(lines: string[], heading: string): number[] {
  const target = normalise(heading).toLowerCase();
  const found: number[] = [];
  for (let i = 0; i < lines.length; i++) {
    if (!lines[i]!.trim()) continue;
    const joined = normalise(lines.slice(i, i + 6).join("\n")).toLowerCase();
    const first = normalise(lines[i]!).toLowerCase();
    const start = first.replace(/[\s:;,.?!]+$/, "").slice(0, 20);
    if (joined.includes(target) && (target.startsWith(start) || first.includes(target.slice(0, 20)))) found.push(i + 1);
  }
  return found;
}

/**
 * Territory and theme, against the report's headings: each cited range lies in the part of the
 * report of the entry's theme (or of the source's own theme, for a merged entry); the cited
 * heading is printed in that part, before the lines when the report puts its headings first; a
 * département given to a source is named in its lines, and a département its lines name is given.
 */
export function sectionProblems(catalogue: Catalogue): string[] {
  const problems: string[] = [];
  for (const { data } of catalogue) {
    for (const p of data.proposals) {
      for (const s of p.sources) {
        const raw = readSeed(s.file);
        const parts = THEME_PARTS[s.file];
        if (raw === null || !parts) continue;
        const lines = raw.split(/\r?\n/);
        const where = `${p.slug} [${s.file} l. ${s.lines.join("-")}]`;
        const part = parts.find((x) => x.lines[0] <= s.lines[0] && s.lines[1] <= x.lines[1]);
        const theme = s.theme ?? p.theme;
        if (!part) {
          problems.push(`${where} : hors des parties thématiques du rapport`);
          continue;
        }
        if (part.theme !== null && part.theme !== theme && !ALSO_ACCEPTED[s.file]?.[part.theme]?.includes(theme)) {
          problems.push(
            `${where} : thème ${theme}, mais le rapport l’imprime sous « ${part.heading} » (${part.theme})`,
          );
        }
        // Normandie prints its theme heading after the local list; Nouvelle-Aquitaine's headings are
        // its count lines, checked where they are printed by the count test.
        const headingFirst = !s.file.startsWith("004");
        if (s.file.startsWith("001")) continue;
        const occurrences = headingOccurrences(lines, s.section).filter(
          (o) => o >= part.lines[0] - 1 && o <= (headingFirst ? s.lines[0] : part.lines[1]),
        );
        if (!occurrences.length)
          problems.push(`${where} : la rubrique « ${s.section.slice(0, 60)} » n’est pas dans cette partie`);
        const cited = lines.slice(s.lines[0] - 1, s.lines[1]).join("\n");
        const named = namedDepartements(cited);
        if (s.departement !== null && !named.has(s.departement)) {
          problems.push(`${where} : département ${s.departement}, que les lignes citées ne nomment pas`);
        }
        const given = new Set(p.sources.filter((x) => x.file === s.file).map((x) => x.departement));
        for (const code of named) {
          if (!given.has(code))
            problems.push(`${where} : les lignes nomment le département ${code}, l’entrée ne le donne pas`);
        }
      }
    }
  }
  return problems;
}
