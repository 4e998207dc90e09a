import { searchKey } from "../../db/search-key";

export interface GlossaryTerm {
  abbr: string;
  expansion: string;
  aliases?: string[] | undefined;
}

/**
 * What a proposal is found by: the search keys of its words, plus, for every glossary term it
 * uses in either form, both the abbreviation and its expansion — so "IPA" finds "infirmier en
 * pratique avancée" and the other way round. Starts with a space so a word's start is always
 * preceded by one (the query matches word starts: "% mot%").
 */
export function proposalSearchText(parts: (string | null | undefined)[], glossary: readonly GlossaryTerm[]): string {
  const base = wordKeys(parts.filter(Boolean).join(" "));
  const padded = ` ${base} `;
  const extra: string[] = [];
  for (const term of glossary) {
    const forms = [term.abbr, term.expansion, ...(term.aliases ?? [])].map(wordKeys).filter(Boolean);
    if (forms.some((f) => padded.includes(` ${f} `))) extra.push(...forms);
  }
  return ` ${[base, ...new Set(extra)].join(" ")}`;
}

/**
 * searchKey with plural endings dropped from longer words, on both sides of a search, so
 * "médecins" finds "médecin" and "infirmières en pratique avancée" is the glossary's form.
 */
export function wordKeys(input: string): string {
  return searchKey(input)
    .split(" ")
    .map((w) => (w.length > 3 && /[sx]$/.test(w) ? w.slice(0, -1) : w))
    .join(" ");
}

/** The words of a search box, as LIKE patterns that cannot carry wildcards (wordKeys leaves [a-z0-9 ]). */
export function searchPatterns(query: string, maxWords = 8): string[] {
  const words = wordKeys(query.slice(0, 200)).split(" ").filter(Boolean);
  return [...new Set(words)].slice(0, maxWords).map((w) => `% ${w}%`);
}
