import { renderToStaticMarkup } from "react-dom/server";
import { createElement } from "react";
import { afterEach, describe, expect, it, vi } from "vitest";
import { PlainText } from "../../app/comments/plain-text";
import { cleanText, excerpt, linkify, safeHref } from "../../app/comments/text";
import { neutraliseFormula } from "../../app/comments/cts-export.server";
import { checkPdf, safeFilename } from "../../app/associations/associations.server";
import {
  COMMENTS_PER_10_MINUTES,
  COMMENTS_PER_DAY,
  refundComment,
  takeCommentAllowance,
} from "../../app/platform/rate-limit.server";

const rules = { label: "Le texte", min: 10, max: 2000, multiline: true };
const render = (text: string) => renderToStaticMarkup(createElement(PlainText, { text }));

describe("cleanText", () => {
  it("normalises line breaks, spaces and blank lines, and counts characters as people do", () => {
    expect(cleanText("  Bonjour à tous\r\n\r\n\r\n\r\net merci  \n", rules)).toEqual({
      ok: true,
      text: "Bonjour à tous\n\net merci",
    });
    expect(cleanText("e\u0301té comme été", rules)).toEqual({ ok: true, text: "été comme été" });
    // Ten emoji are ten characters, not twenty UTF-16 units.
    expect(cleanText("👍".repeat(10), rules)).toEqual({ ok: true, text: "👍".repeat(10) });
    expect(cleanText("👍".repeat(9), rules).ok).toBe(false);
  });

  it("removes zero-width characters silently, keeping the joiner of an emoji sequence", () => {
    expect(cleanText("Bon\u200Bjour\u2060 à\uFEFF tous !", rules)).toEqual({ ok: true, text: "Bonjour à tous !" });
    expect(cleanText("Merci aux soignants 👩\u200D⚕️ !", rules)).toEqual({
      ok: true,
      text: "Merci aux soignants 👩\u200D⚕️ !",
    });
    expect(cleanText("\u200B".repeat(50), rules)).toEqual({ ok: false, message: "Le texte est vide." });
    // Tag characters (invisible "ASCII smuggling") go too.
    expect(cleanText("Texte visible\u{E0041}\u{E0042} et caché", rules)).toEqual({
      ok: true,
      text: "Texte visible et caché",
    });
  });

  it("refuses right-to-left overrides and isolates, control characters and lone surrogates", () => {
    for (const c of ["\u202E", "\u202D", "\u202A", "\u2066", "\u2067", "\u2068", "\u2069"]) {
      const result = cleanText(`Voir le fichier ${c}fdp.exe maintenant`, rules);
      expect(result).toMatchObject({ ok: false, message: expect.stringMatching(/sens de lecture/) });
    }
    expect(cleanText("Un octet nul \u0000 ici, oui", rules)).toMatchObject({
      ok: false,
      message: expect.stringMatching(/contrôle/),
    });
    expect(cleanText("Une cloche \u0007 ici, oui", rules)).toMatchObject({ ok: false });
    expect(cleanText("Une moitié \uD800 de caractère", rules)).toMatchObject({ ok: false });
  });

  it("enforces the limits with a message that gives the count", () => {
    expect(cleanText("court", rules)).toEqual({
      ok: false,
      message: "Le texte doit contenir au moins 10 caractères (actuellement 5).",
    });
    expect(cleanText("a".repeat(10_000), rules)).toMatchObject({
      ok: false,
      message: expect.stringMatching(/au plus 2\s000 caractères \(actuellement 10\s000\)/u),
    });
    expect(cleanText("Ligne un\nligne deux", { ...rules, multiline: false })).toEqual({
      ok: true,
      text: "Ligne un ligne deux",
    });
  });
});

describe("links in plain text", () => {
  it("links bare http(s) and www addresses, leaving trailing punctuation outside", () => {
    expect(linkify("Voir https://www.ars.sante.fr/normandie. Merci")).toEqual([
      { kind: "text", text: "Voir " },
      { kind: "link", text: "https://www.ars.sante.fr/normandie", href: "https://www.ars.sante.fr/normandie" },
      { kind: "text", text: ". Merci" },
    ]);
    expect(linkify("(cf. https://fr.wikipedia.org/wiki/Santé_(France)).")[1]).toEqual({
      kind: "link",
      text: "https://fr.wikipedia.org/wiki/Santé_(France)",
      href: "https://fr.wikipedia.org/wiki/Sant%C3%A9_(France)",
    });
    expect(linkify("www.sante.fr")).toEqual([{ kind: "link", text: "www.sante.fr", href: "https://www.sante.fr/" }]);
  });

  it("never links javascript:, data:, vbscript: or credentials", () => {
    for (const text of [
      "javascript:alert(1)",
      "JaVaScRiPt:alert(1)",
      "data:text/html,<script>alert(1)</script>",
      "vbscript:msgbox(1)",
      "java\tscript:alert(1)",
    ]) {
      expect(linkify(text).every((p) => p.kind === "text")).toBe(true);
    }
    expect(safeHref("https://user:pass@exemple.fr")).toBeNull();
    expect(safeHref("javascript://exemple.fr/%0aalert(1)")).toBeNull();
    expect(linkify(`https://exemple.fr/"onmouseover="alert(1)`)[0]).toEqual({
      kind: "link",
      text: "https://exemple.fr/",
      href: "https://exemple.fr/",
    });
  });

  it("renders text as text nodes only: markup is shown, never run", () => {
    const html = render(
      `<script>alert(1)</script>\n<img src=x onerror=alert(1)>\n\nhttps://exemple.fr/?a=1&b=2 et javascript:alert(1)`,
    );
    expect(html).toBe(
      `<div class="ps-plain-text"><p>&lt;script&gt;alert(1)&lt;/script&gt;<br/>&lt;img src=x onerror=alert(1)&gt;</p>` +
        `<p><a href="https://exemple.fr/?a=1&amp;b=2" rel="nofollow ugc noopener">https://exemple.fr/?a=1&amp;b=2</a> et javascript:alert(1)</p></div>`,
    );
    expect(render(`[clic](javascript:alert(1))`)).not.toContain("<a");
  });

  it("cuts excerpts on characters", () => {
    expect(excerpt("a\n\nb   c")).toBe("a b c");
    expect(excerpt("é".repeat(300), 10)).toBe(`${"é".repeat(9)}…`);
  });
});

describe("CSV formula injection (OWASP)", () => {
  it("prefixes an apostrophe to text starting with = + - @ tab CR LF (and their full-width forms)", () => {
    for (const start of ["=", "+", "-", "@", "\t", "\r", "\n", "＝", "＋", "－", "＠"]) {
      expect(neutraliseFormula(`${start}SUM(A1)`)).toBe(`'${start}SUM(A1)`);
    }
    expect(neutraliseFormula("Texte ordinaire = rien")).toBe("Texte ordinaire = rien");
    expect(neutraliseFormula("")).toBe("");
  });
});

describe("uploaded files", () => {
  it("accepts a PDF by its first bytes only", () => {
    expect(checkPdf({ filename: "a.pdf", bytes: Buffer.from("%PDF-1.7\n…") })).toBeNull();
    expect(checkPdf({ filename: "a.pdf", bytes: Buffer.from("<html><script>alert(1)</script>") })).toMatch(
      /n’est pas un PDF/,
    );
    expect(checkPdf({ filename: "a.pdf", bytes: Buffer.from(" %PDF-1.7") })).toMatch(/n’est pas un PDF/);
    expect(checkPdf({ filename: "a.pdf", bytes: new Uint8Array() })).toBe("Le fichier est vide.");
    expect(checkPdf({ filename: "a.pdf", bytes: Buffer.from("%PDF-"), tooLarge: true })).toBe(
      "Le fichier dépasse 5 Mo.",
    );
  });

  it("makes file names safe for a Content-Disposition header", () => {
    expect(safeFilename('Étude "finale";\r\nX-Evil: 1.pdf')).toBe("Etude-finale-X-Evil-1.pdf");
    expect(safeFilename("../../etc/passwd")).toBe("etc-passwd.pdf");
    expect(safeFilename("<script>.pdf")).toBe("script.pdf");
    expect(safeFilename("...")).toBe("contribution.pdf");
  });
});

describe("comment rate limits", () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it("allows 10 comments per 10 minutes and 50 a day, with a French message beyond", async () => {
    vi.useFakeTimers({ toFake: ["Date", "setTimeout", "clearTimeout"] });
    const user = `rate-${Math.random()}`;
    for (let i = 0; i < COMMENTS_PER_10_MINUTES; i++) expect((await takeCommentAllowance(user)).ok).toBe(true);
    // A write refused after taking its point (say, a closed consultation) gives the point back.
    await refundComment(user);
    expect((await takeCommentAllowance(user)).ok).toBe(true);
    const refused = await takeCommentAllowance(user);
    expect(refused).toMatchObject({ ok: false, message: expect.stringMatching(/10 commentaires en 10 minutes/) });
    // Refused attempts take nothing: still refused, not further behind.
    expect((await takeCommentAllowance(user)).ok).toBe(false);
    let taken = COMMENTS_PER_10_MINUTES;
    while (taken < COMMENTS_PER_DAY) {
      vi.advanceTimersByTime(601_000);
      for (let i = 0; i < COMMENTS_PER_10_MINUTES && taken < COMMENTS_PER_DAY; i++, taken++)
        expect((await takeCommentAllowance(user)).ok).toBe(true);
    }
    vi.advanceTimersByTime(601_000);
    const daily = await takeCommentAllowance(user);
    expect(daily).toMatchObject({ ok: false, message: expect.stringMatching(/50 commentaires aujourd’hui/) });
    expect((daily as { retryAfter: number }).retryAfter).toBeGreaterThan(3600);
  });
});
