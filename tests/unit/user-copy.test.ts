import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { checkPdf } from "../../app/associations/associations.server";

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return name === "cli" ? [] : sources(path);
    return /\.tsx?$/.test(name) ? [path] : [];
  });
}

// What a person reads says what happened and what to do: no HTTP status, no file signature, no
// content type (issue 17, point 4). The administrators' journal (app/audit) names statuses on purpose.
const JARGON: [RegExp, string][] = [
  [/[Ee]rreur \{|[Ee]rreur \$\{|\(erreur \d{3}\)|Erreur \d{3}/, "a status code"],
  [/%PDF-\)|par %PDF/, "a file signature"],
  [/x-www-form-urlencoded ou|multipart\/form-data\)/, "a content type"],
];

describe("user-facing copy", () => {
  const files = sources(join(__dirname, "../../app")).filter((f) => !f.includes("/audit/"));
  for (const [pattern, what] of JARGON) {
    it(`never shows ${what}`, () => {
      const hits = files.flatMap((file) =>
        readFileSync(file, "utf8")
          .split("\n")
          .map((line, i) => ({ line, at: `${file}:${i + 1}` }))
          .filter(({ line }) => pattern.test(line) && !/^\s*(\/\/|\*|\/\*)/.test(line))
          .map(({ at }) => at),
      );
      expect(hits).toEqual([]);
    });
  }

  it("tells someone whose file is not a PDF what to do, without its first bytes", () => {
    const message = checkPdf({ filename: "a.pdf", bytes: Buffer.from("<html>") })!;
    expect(message).toContain("Enregistrez votre document au format PDF");
    expect(message).not.toContain("%PDF");
  });
});
