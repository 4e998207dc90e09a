/**
 * Helpers for the catalogue fidelity test (`catalogue-fidelity.test.ts`): read the seed texts,
 * normalise them the same way as the catalogue entries, and read the counts that the
 * Nouvelle-Aquitaine report (seed 001) prints next to its proposals.
 *
 * The seeds are plain-text extractions of PDFs: line breaks fall anywhere, words are sometimes
 * hyphenated across lines and apostrophes/quotes are typographic. Everything is compared after
 * `normalise`, which only touches whitespace, hyphenation breaks and apostrophes/quotes, so the
 * comparison stays case-sensitive and word-exact.
 */
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { GLOSSARY } from "../../app/catalogue/glossary";

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
export const catalogueDir = path.join(repoRoot, "db", "catalogue");
/**
 * The source reports' folder: CATALOGUE_SOURCES_DIR (relative to the repository root, or
 * absolute), by default `../shared/seeds`. The reports are not ours to republish, so they stay
 * outside the repository (README, « Sources du catalogue »).
 */
export const seedsDir = path.resolve(repoRoot, process.env.CATALOGUE_SOURCES_DIR || "../shared/seeds");

/** The reports the catalogue cites. */
export const SEED_FILES = [
  "000_259f14672463cccc.txt",
  "001_69b1a6520f933c0b.txt",
  "002_ff85f5667f6aaf61.txt",
  "004_6b0e1e4a41bafabe.txt",
] as const;

/** Whether every cited report is in the sources folder. */
export function sourcesAvailable(): boolean {
  return SEED_FILES.every((file) => fs.existsSync(path.join(seedsDir, file)));
}

/** CI sets CATALOGUE_SOURCES_REQUIRED=1: there, missing reports fail the fidelity tests instead of skipping them. */
export const sourcesRequired = process.env.CATALOGUE_SOURCES_REQUIRED === "1";

/** The Nouvelle-Aquitaine report, the only seed that prints mention counts. */
export const NA_FILE = "001_69b1a6520f933c0b.txt";

/** CNR theme → its number in seed 001 (sections 1.2 to 1.5, "Thématique 1" to "Thématique 4"). */
export const NA_THEME_NUMBER: Readonly<Record<string, number>> = {
  access: 1,
  continuity: 2,
  attractiveness: 3,
  prevention: 4,
};

/**
 * Whitespace collapsed, line-break hyphenation joined ("para -\nmédicaux" → "para-médicaux"),
 * typographic apostrophes → ', guillemets and curly quotes → ", ellipsis → "...".
 */
export function normalise(text: string): string {
  return text
    .normalize("NFC")
    .replace(/[\u00a0\u202f\u2007\u2009]/g, " ")
    .replace(/[\u2018\u2019\u02bc\u2032`]/g, "'")
    .replace(/[\u00ab\u00bb\u201c\u201d\u201e]/g, '"')
    .replace(/\u2026/g, "...")
    .replace(/(\p{L})[ \t]*-[ \t]*\r?\n\s*(\p{L})/gu, "$1-$2")
    .replace(/\s+/g, " ")
    .trim();
}

/** Lowercase ASCII kebab-case, as the catalogue's slugs and group slugs are written. */
export function slugify(text: string): string {
  return text
    .replace(/œ/g, "oe")
    .replace(/Œ/g, "OE")
    .normalize("NFKD")
    .replace(/\p{M}/gu, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "");
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

const seedCache = new Map<string, string>();

/** Raw text of a seed file, or null when it does not exist. */
export function readSeed(file: string): string | null {
  if (!seedCache.has(file)) {
    const full = path.join(seedsDir, file);
    if (!fs.existsSync(full)) return null;
    seedCache.set(file, fs.readFileSync(full, "utf8"));
  }
  return seedCache.get(file) ?? null;
}

const normalisedCache = new Map<string, string>();

export function normalisedSeed(file: string): string | null {
  if (!normalisedCache.has(file)) {
    const raw = readSeed(file);
    if (raw === null) return null;
    normalisedCache.set(file, normalise(raw));
  }
  return normalisedCache.get(file) ?? null;
}

/** Does `fragment` occur in `haystack` once both are normalised? (`haystack` already is.) */
export function occursIn(normalisedHaystack: string, fragment: string): boolean {
  const needle = normalise(fragment);
  return needle.length > 0 && normalisedHaystack.includes(needle);
}

/**
 * The counts printed right after `heading` in a normalised `scope`.
 *
 * Seed 001 prints each proposal as "<heading> <count>", the count sometimes on the next line
 * (normalisation makes that a single space). The heading must start an entry: it is preceded by
 * the start of the scope, by the previous entry's count, or by the end of a quoted example
 * (`"`, `.`, `;`, `:` or `)`). Once in the report the count is printed inside a wrapped heading
 * ("… les vaccibus, les 8 mammobus,..."); when the plain form is not found, a count between any
 * two words of the heading is accepted.
 */
export function countsAfterHeading(scope: string, heading: string): number[] {
  const words = normalise(heading).split(" ").map(escapeRegExp);
  if (words.length === 0 || words[0] === "") return [];
  const start = String.raw`(?:^|(?<=[\d".;:)] ))`;
  const end = String.raw`(?= |$)`;
  const found: number[] = [];
  const plain = new RegExp(`${start}${words.join(" ")} (\\d{1,5})${end}`, "g");
  for (const match of scope.matchAll(plain)) found.push(Number(match[1]));
  if (found.length === 0) {
    for (let i = 1; i < words.length; i++) {
      const split = new RegExp(
        `${start}${words.slice(0, i).join(" ")} (\\d{1,5}) ${words.slice(i).join(" ")}${end}`,
        "g",
      );
      for (const match of scope.matchAll(split)) found.push(Number(match[1]));
    }
  }
  return found;
}

/** The seed's lines without the running page footers of seed 001 (they carry page numbers). */
function contentLines(raw: string): string[] {
  return raw
    .split(/\r?\n/)
    .filter(
      (line) =>
        !/^\s*Synthèses et comptes-rendus par département\s*$/.test(line) &&
        !/^\s*Synthèse des ateliers CNR Santé organisés en région Nouvelle-Aquitaine\s+\d+\s*$/.test(line),
    );
}

function findLine(lines: string[], pattern: RegExp, from = 0, to = lines.length): number {
  for (let i = from; i < to; i++) {
    if (pattern.test(lines[i] ?? "")) return i;
  }
  return -1;
}

/**
 * Seed 001, section 1 (regional synthesis), theme `theme` (1–4): the "Solutions et propositions"
 * list that follows "Le nombre indiqué à droite correspond au nombre de verbatims…", up to the next
 * theme (or section 2). Returns the lines, raw, or null when the section is not found.
 */
export function naRegionalLines(raw: string, theme: number): string[] | null {
  const lines = contentLines(raw);
  const heading = findLine(lines, new RegExp(`^\\s*1\\.${theme + 1}\\.3 Solutions et propositions`));
  if (heading < 0) return null;
  const intro = findLine(lines, /Le nombre indiqué à droite correspond au nombre de verbatims/, heading);
  if (intro < 0) return null;
  let end = findLine(lines, new RegExp(`^\\s*(1\\.${theme + 2} Thématique|2\\s+S y n t h)`), intro);
  if (end < 0) end = lines.length;
  return lines.slice(intro + 1, end);
}

export function naRegionalScope(raw: string, theme: number): string | null {
  const lines = naRegionalLines(raw, theme);
  return lines === null ? null : normalise(lines.join("\n"));
}

/**
 * Group headings of a regional list: in seed 001 they start at the left margin and end with
 * their count; sub-proposals are indented.
 */
export function naGroupHeadings(regionalLines: string[]): { heading: string; count: number }[] {
  const groups: { heading: string; count: number }[] = [];
  for (const line of regionalLines) {
    const match = /^(\S.*?)\s+(\d+)\s*$/.exec(line);
    if (match?.[1] && match[2] && !/^(Ex\b|«|")/.test(match[1])) {
      groups.push({ heading: normalise(match[1]), count: Number(match[2]) });
    }
  }
  return groups;
}

/**
 * Seed 001, section 2.k.1 "Synthèse départementale" of département `departement` (INSEE code),
 * theme `theme` (1–4): the lines after "Les solutions et propositions qui ont été formulées sont
 * les suivantes" up to the next theme. Returns "" when that theme has no solutions there, and null
 * when the département's synthesis is not found.
 */
export function naDepartementScope(raw: string, departement: string, theme: number): string | null {
  const lines = contentLines(raw);
  const chapter = findLine(lines, new RegExp(`^\\s*2\\.(\\d+)\\s+\\S.*\\(${escapeRegExp(departement)}\\)\\s*$`));
  if (chapter < 0) return null;
  const k = /^\s*2\.(\d+)/.exec(lines[chapter] ?? "")?.[1];
  if (!k) return null;
  const start = findLine(lines, new RegExp(`^\\s*2\\.${k}\\.1\\s+Synthèse départementale`), chapter);
  if (start < 0) return null;
  let end = findLine(lines, new RegExp(`^\\s*2\\.${k}\\.2\\s`), start + 1);
  if (end < 0) end = lines.length;
  const themeStart = findLine(lines, new RegExp(`^\\s*Thématique ${theme} :`), start, end);
  if (themeStart < 0) return "";
  let themeEnd = findLine(lines, new RegExp(`^\\s*Thématique ${theme + 1} :`), themeStart + 1, end);
  if (themeEnd < 0) themeEnd = end;
  const solutions = findLine(lines, /formulées sont les suivantes/, themeStart, themeEnd);
  if (solutions < 0) return "";
  return normalise(lines.slice(solutions + 1, themeEnd).join("\n"));
}

/** Every catalogue file, parsed as JSON (validation is the test's job). */
export function catalogueFiles(dir = catalogueDir): { name: string; data: unknown }[] {
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir)
    .filter((name) => name.endsWith(".json"))
    .sort()
    .map((name) => ({
      name,
      data: JSON.parse(fs.readFileSync(path.join(dir, name), "utf8")) as unknown,
    }));
}

/** Lines `start`..`end` (1-based, inclusive) of a seed, raw; null when the range is not in the file. */
export function seedLines(file: string, start: number, end: number): string | null {
  const raw = readSeed(file);
  if (raw === null) return null;
  const lines = raw.split(/\r?\n/);
  if (start < 1 || end < start || end > lines.length) return null;
  return lines.slice(start - 1, end).join("\n");
}

// Words that carry no meaning of their own in a title: articles, prepositions, auxiliaries.
const STOPWORDS = new Set(
  (
    "les des une aux pour par sur dans avec entre vers chez leur leurs ses son sa nos notre vos votre cette ces " +
    "qui que quoi dont ainsi afin comme plus tout tous toute toutes autre autres etre avoir faire mettre place " +
    "etc exemple notamment mieux bien lors deja aussi meme sont est ont peut doit vous nous " +
    // The domain's context words and the reports' stock verbs: present everywhere, they prove nothing.
    "sante soin soins systeme davantage developper favoriser renforcer ameliorer permettre rendre donner " +
    "ouvrir creer mener agir faire assurer proposer"
  ).split(" "),
);

/** Words the reports and the titles use for one another: found one, found all. */
const SYNONYMS: string[][] = [
  ["soignant", "soignants", "professionnel", "professionnels", "ps", "personnel", "personnels", "paramedicaux"],
  ["rendez", "rdv", "rv", "consultation"],
  ["medecin", "medecins", "medical", "medicale", "medicaux", "generaliste", "generalistes"],
  ["reduire", "diminuer", "limiter", "alleger", "moins"],
];

/**
 * Words that reverse or restrict a meaning: a title may carry one only if its source does, so a
 * reversed title ("ne pas…", "supprimer…", "sans…") or an added obligation or gratuity fails.
 */
export const POLARITY_WORDS = ["pas", "non", "sans", "aucun", "aucune", "jamais", "ni"];
export const POLARITY_PREFIXES = ["interdi", "supprim", "suppress", "obligat", "gratuit", "reduire", "reduct"];

function plainWords(text: string): string[] {
  return normalise(text)
    .replace(/œ/g, "oe")
    .replace(/Œ/g, "OE")
    .normalize("NFKD")
    .replace(/\p{M}/gu, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, " ")
    .split(" ")
    .filter(Boolean);
}

/** A word's comparison key: its first five letters (plurals, feminines and verb/noun pairs meet). */
function stem(word: string): string {
  return word.slice(0, 5);
}

/** The key terms of a title: its words of 4 letters or more that are not tool words, and its acronyms. */
export function keyTerms(title: string): string[] {
  const acronyms = (normalise(title).match(/\b[A-Z][A-Za-z]*[A-Z]\b/g) ?? []).map((a) => a.toLowerCase());
  const words = plainWords(title).filter((w) => (w.length >= 4 && !STOPWORDS.has(w)) || acronyms.includes(w));
  return [...new Set(words)];
}

/** Every plain word of a text, with both forms of each glossary term it uses (an acronym stands for its expansion). */
export function linesVocabulary(lines: string): string[] {
  const words = plainWords(lines);
  for (const group of SYNONYMS) if (group.some((w) => words.includes(w))) words.push(...group);
  const padded = ` ${words.join(" ")} `;
  const extra: string[] = [];
  for (const term of GLOSSARY) {
    const forms = [term.abbr, term.expansion, ...(term.aliases ?? [])].map((f) => plainWords(f).join(" "));
    if (forms.some((f) => f && padded.includes(` ${f} `))) extra.push(...forms.flatMap((f) => f.split(" ")));
  }
  return [...words, ...extra];
}

/**
 * How far a title is from its cited lines: the key terms the lines do not contain (compared by
 * stem, an acronym and its expansion being the same term), and the polarity words ("pas",
 * "supprimer", "gratuit"…) of the title that the lines do not carry.
 */
export function wordingGaps(title: string, lines: string): { missing: string[]; polarity: string[] } {
  const words = linesVocabulary(lines);
  const stems = new Set(words.map(stem));
  const missing = keyTerms(title).filter((w) => !stems.has(stem(w)));
  const titleWords = plainWords(title);
  const polarity = [
    ...POLARITY_WORDS.filter((p) => titleWords.includes(p) && !words.includes(p)),
    ...POLARITY_PREFIXES.filter((p) => titleWords.some((w) => w.startsWith(p)) && !words.some((w) => w.startsWith(p))),
  ];
  return { missing, polarity };
}

/** Key terms of a title, as stems, and the stems of a text: for searching the lines a title comes from. */
export function titleStems(title: string): string[] {
  return keyTerms(title).map(stem);
}
export function textStems(text: string): Set<string> {
  return new Set(linesVocabulary(text).map(stem));
}
