// Plain text written by people (comments, contributions, names): what is kept, what is refused.
// Shared by the browser (form checks) and the server (the same rules decide what is stored).

/**
 * Bidirectional embeddings, overrides and isolates (U+202A–U+202E, U+2066–U+2069): they reorder
 * what is displayed without changing what is stored ("Trojan source", fake file extensions).
 * Refused with a message, never silently kept.
 */
const BIDI_CONTROLS = /[\u202A-\u202E\u2066-\u2069]/u;
/**
 * Invisible characters removed without a word: zero-width space, word joiner, BOM, Mongolian vowel
 * separator, zero-width non-joiner, directional marks, tag characters, and a zero-width joiner
 * unless it joins an emoji (👩‍⚕️ keeps its joiner).
 */
const INVISIBLE =
  /[\u200B\u200C\u200E\u200F\u061C\u2060\uFEFF\u180E]|[\u{E0000}-\u{E007F}]|\u200D(?!\p{Extended_Pictographic})/gu;
/** C0 and C1 control characters other than tab and line breaks (NUL breaks PostgreSQL text). */
// eslint-disable-next-line no-control-regex -- control characters are exactly what this removes
const CONTROLS = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]/u;
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/u;

export type CleanResult = { ok: true; text: string } | { ok: false; message: string };

export interface TextRules {
  /** Shown in messages: "Votre commentaire", "Le nom"… */
  label: string;
  min: number;
  max: number;
  /** Keep line breaks (texts) or fold them into spaces (names, titles). */
  multiline: boolean;
}

/** Number of characters as a person counts them (code points: an emoji is one). */
export function textLength(text: string): number {
  let n = 0;
  for (const _ of text) n++;
  return n;
}

/**
 * Normalises a text (NFC, line breaks, spaces, invisible characters) and checks its length.
 *
 *   cleanText("  Bonjour\u200B à tous\r\n\r\n\r\n !", { label: "Le texte", min: 1, max: 50, multiline: true })
 *   // → { ok: true, text: "Bonjour à tous\n\n!" }
 */
export function cleanText(input: string, rules: TextRules): CleanResult {
  if (LONE_SURROGATE.test(input)) return { ok: false, message: `${rules.label} contient des caractères invalides.` };
  if (BIDI_CONTROLS.test(input)) {
    return {
      ok: false,
      message: `${rules.label} contient des caractères invisibles qui inversent le sens de lecture (U+202E…) : retirez-les.`,
    };
  }
  let text = input.replace(/\r\n?/g, "\n");
  if (CONTROLS.test(text))
    return { ok: false, message: `${rules.label} contient des caractères de contrôle : retirez-les.` };
  text = text.normalize("NFC").replace(INVISIBLE, "").replace(/\t/g, " ");
  if (rules.multiline) {
    text = text
      .split("\n")
      .map((line) => line.replace(/[ \u00A0]+$/u, ""))
      .join("\n")
      .replace(/\n{3,}/g, "\n\n");
  } else {
    text = text.replace(/\s+/gu, " ");
  }
  text = text.trim();
  const length = textLength(text);
  if (length === 0) return { ok: false, message: `${rules.label} est vide.` };
  if (length < rules.min) {
    return {
      ok: false,
      message: `${rules.label} doit contenir au moins ${rules.min} caractères (actuellement ${length}).`,
    };
  }
  if (length > rules.max) {
    return {
      ok: false,
      message: `${rules.label} doit contenir au plus ${rules.max.toLocaleString("fr-FR")} caractères (actuellement ${length.toLocaleString("fr-FR")}).`,
    };
  }
  return { ok: true, text };
}

export type TextPiece = { kind: "text"; text: string } | { kind: "link"; text: string; href: string };

const URL_CANDIDATE = /\bhttps?:\/\/[^\s<>"'`]+|\bwww\.[^\s<>"'`]+/giu;
const TRAILING = /[.,;:!?»…'")\]}]+$/u;

/**
 * Splits one line of plain text into text and bare links. Only http(s) addresses become links
 * (`javascript:`, `data:` and the rest stay text); trailing punctuation stays outside the link,
 * a closing parenthesis too unless the address opened one.
 *
 *   linkify("Voir https://www.ars.sante.fr.") // text "Voir ", link "https://www.ars.sante.fr", text "."
 */
export function linkify(line: string): TextPiece[] {
  const pieces: TextPiece[] = [];
  let last = 0;
  for (const match of line.matchAll(URL_CANDIDATE)) {
    let candidate = match[0];
    const start = match.index ?? 0;
    // Strip trailing punctuation, but keep a ")" that closes a "(" of the address itself.
    for (;;) {
      const trail = candidate.match(TRAILING)?.[0];
      if (!trail) break;
      let keep = "";
      if (
        trail.startsWith(")") &&
        (candidate.match(/\(/g)?.length ?? 0) > (candidate.slice(0, -trail.length).match(/\)/g)?.length ?? 0)
      ) {
        keep = ")";
      }
      const next = candidate.slice(0, candidate.length - trail.length) + keep;
      if (next === candidate) break;
      candidate = next;
      if (keep) break;
    }
    const href = safeHref(candidate);
    if (!href) continue;
    if (start > last) pieces.push({ kind: "text", text: line.slice(last, start) });
    pieces.push({ kind: "link", text: candidate, href });
    last = start + candidate.length;
  }
  if (last < line.length) pieces.push({ kind: "text", text: line.slice(last) });
  return pieces;
}

/** The address to put in href, or null: only http and https, with a host, no credentials. */
export function safeHref(candidate: string): string | null {
  let url: URL;
  try {
    url = new URL(/^www\./i.test(candidate) ? `https://${candidate}` : candidate);
  } catch {
    return null;
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") return null;
  if (!url.hostname || url.username || url.password) return null;
  return url.href;
}

/** Paragraphs (separated by a blank line) of lines (separated by a line break). */
export function paragraphs(text: string): string[][] {
  return text
    .split(/\n{2,}/)
    .map((p) => p.split("\n"))
    .filter((lines) => lines.some((l) => l.trim() !== ""));
}

/** The first words of a text, for e-mails and lists ("…" when cut). */
export function excerpt(text: string, max = 200): string {
  const flat = text.replace(/\s+/g, " ").trim();
  const chars = [...flat];
  return chars.length <= max
    ? flat
    : `${chars
        .slice(0, max - 1)
        .join("")
        .trimEnd()}…`;
}
