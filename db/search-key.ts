/**
 * The key names are searched by: lower case, no accents, punctuation as spaces, and the usual
 * abbreviations of "Saint"/"Sainte" expanded, so "st lo" and "Saint-Lô" meet.
 *
 *   searchKey("Saint-Lô") === "saint lo"
 */
export function searchKey(input: string): string {
  return input
    .normalize("NFD")
    .replace(/\p{M}/gu, "")
    .toLowerCase()
    .replace(/œ/g, "oe")
    .replace(/æ/g, "ae")
    .replace(/[^a-z0-9]+/g, " ")
    .trim()
    .split(" ")
    .map((word) => (word === "st" ? "saint" : word === "ste" ? "sainte" : word))
    .join(" ");
}
