// Names shown to everyone (a resident's public name, an association's name) must not pass for
// someone else: the site's staff, an institution, or another name written with look-alike letters.

/**
 * Words a public name may not contain, compared on a folded form (case, accents, spacing and
 * look-alike digits ignored: « M0dération », « ＡＲＳ », « a.d.m.i.n » are caught). Short ones
 * count as whole words only, so « Mars » or « Actes » pass.
 */
export const RESERVED_WORDS = [
  "administrateur",
  "administratrice",
  "admin",
  "moderateur",
  "moderatrice",
  "moderation",
  "modo",
  "ars",
  "cts",
  "cnr",
  "agence regionale de sante",
  "conseil territorial de sante",
  "priorites sante",
] as const;

const LOOK_ALIKE_DIGITS: Record<string, string> = {
  "0": "o",
  "1": "i",
  "3": "e",
  "4": "a",
  "5": "s",
  "7": "t",
  "@": "a",
  $: "s",
};

/** NFKC (full-width and styled letters become plain ones), one space between words. */
export function normalisePublicName(name: string): string {
  return name.normalize("NFKC").replace(/\s+/gu, " ").trim();
}

/** Lower case, accents dropped, look-alike digits read as letters, words split on anything else. */
function foldedWords(name: string): string[] {
  return name
    .normalize("NFKD")
    .replace(/\p{M}/gu, "")
    .toLowerCase()
    .replace(/[013457@$]/g, (c) => LOOK_ALIKE_DIGITS[c] ?? c)
    .split(/[^\p{L}]+/u)
    .filter(Boolean);
}

// Scripts that borrow their letters' shapes from one another: Latin « a », Cyrillic « а », Greek « α ».
const SCRIPTS = ["Latin", "Cyrillic", "Greek", "Armenian", "Cherokee", "Coptic", "Georgian"] as const;
const SCRIPT_PATTERNS = SCRIPTS.map((script) => [script, new RegExp(`\\p{Script=${script}}`, "u")] as const);

/** The look-alike scripts a name's letters come from. */
function scriptsOf(name: string): Set<string> {
  const found = new Set<string>();
  for (const char of name) {
    if (!/\p{L}/u.test(char)) continue;
    for (const [script, pattern] of SCRIPT_PATTERNS) if (pattern.test(char)) found.add(script);
  }
  return found;
}

/**
 * Why a public name (already normalised) is refused, in French, or null when it may be used.
 * `label` starts the sentence: « Le nom public », « Le nom de l’association ».
 */
export function publicNameProblem(name: string, label: string): string | null {
  if (scriptsOf(name).size > 1) {
    return `${label} mélange des alphabets (par exemple des lettres latines et cyrilliques qui se ressemblent) : écrivez-le avec un seul alphabet.`;
  }
  const words = foldedWords(name);
  const joined = words.join(" ");
  const squeezed = words.join("");
  for (const reserved of RESERVED_WORDS) {
    const hit = reserved.includes(" ")
      ? joined.includes(reserved) || squeezed.includes(reserved.replaceAll(" ", ""))
      : reserved.length <= 5
        ? words.includes(reserved) || (words.every((w) => w.length === 1) && squeezed === reserved)
        : squeezed.includes(reserved);
    if (hit) {
      return `${label} ne peut pas contenir « ${reserved} » : ce mot désigne l’équipe ou les institutions de la plateforme, et pourrait tromper les lecteurs.`;
    }
  }
  return null;
}
