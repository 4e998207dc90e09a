/**
 * The documentation points at things that exist: files move (this morning app/server, app/auth and
 * db/cli did) and sections get renamed, and a pointer to nowhere costs the next reader an hour.
 * Checked here: the sections of docs/domain.md cited anywhere, the repository paths the README and
 * the domain docs name, the relative Markdown links, and that the README documents every
 * environment variable and every `package.json` script.
 */
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const read = (file: string) => fs.readFileSync(path.join(root, file), "utf8");

/** Text files under `dirs` (repository-relative), skipping build output and dependencies. */
function files(dirs: string[], extensions = /\.(ts|tsx|js|mjs|md|css)$/): string[] {
  const out: string[] = [];
  const walk = (dir: string) => {
    for (const entry of fs.readdirSync(path.join(root, dir), { withFileTypes: true })) {
      const rel = path.posix.join(dir, entry.name);
      if (entry.isDirectory()) {
        if (!["node_modules", "build", ".tmp", ".cache"].includes(entry.name)) walk(rel);
      } else if (extensions.test(entry.name)) out.push(rel);
    }
  };
  for (const dir of dirs) walk(dir);
  return out;
}

const DOCS = ["README.md", "app/tally/README.md", ...files(["docs"], /\.md$/)];
const SOURCES = [...new Set([...files(["app", "db", "tests", "bench"]), ...DOCS, "eslint.config.js"])];

/** The anchors a Markdown file offers: explicit `<a id>`s and GitHub's heading slugs. */
function anchors(markdown: string): Set<string> {
  const ids = [...markdown.matchAll(/<a id="([^"]+)"><\/a>/g)].map((m) => m[1]!);
  const slugs = [...markdown.matchAll(/^#{1,6} (.+)$/gm)].map((m) =>
    m[1]!
      .toLowerCase()
      .replace(/[^\p{L}\p{N} _-]/gu, "")
      .replace(/ /g, "-"),
  );
  return new Set([...ids, ...slugs]);
}

describe("documentation references", () => {
  it("every docs/domain.md section cited in code, tests and docs exists", () => {
    const offered = anchors(read("docs/domain.md"));
    const missing: string[] = [];
    for (const file of SOURCES) {
      for (const m of read(file).matchAll(/docs\/domain\.md#([a-z0-9-]+)/g)) {
        if (!offered.has(m[1]!)) missing.push(`${file}: #${m[1]}`);
      }
    }
    expect(missing).toEqual([]);
  });

  it("nothing cites DOMAIN.md, a file outside the repository", () => {
    const citing = SOURCES.filter((file) => file !== "tests/unit/docs-references.test.ts").filter((file) =>
      /\bDOMAIN\.md\b/.test(read(file)),
    );
    expect(citing).toEqual([]);
  });

  it("every repository path the README and the domain docs name exists", () => {
    const missing: string[] = [];
    for (const file of ["README.md", "docs/domain.md", "app/tally/README.md"]) {
      for (const m of read(file).matchAll(/`((?:app|db|tests|bench|docs|\.ci)\/[^`\s]*)`/g)) {
        const named = m[1]!.split("#")[0]!.replace(/\/$/, "");
        // Placeholders (<file>) and patterns (*.json, entry.*.tsx) stand for many files.
        if (/[<*]/.test(named)) continue;
        if (!fs.existsSync(path.join(root, named))) missing.push(`${file}: ${named}`);
      }
    }
    expect(missing).toEqual([]);
  });

  it("every relative Markdown link of the docs leads to a file, and to a section of it when it names one", () => {
    const broken: string[] = [];
    for (const file of DOCS) {
      for (const m of read(file).matchAll(/\]\(([^)\s]+)\)/g)) {
        const target = m[1]!;
        if (/^[a-z]+:/.test(target)) continue; // http:, mailto:
        const [link, anchor] = target.split("#") as [string, string | undefined];
        const resolved = link ? path.posix.join(path.posix.dirname(file), link) : file;
        if (!fs.existsSync(path.join(root, resolved))) {
          broken.push(`${file}: ${target}`);
        } else if (anchor && resolved.endsWith(".md") && !anchors(read(resolved)).has(anchor)) {
          broken.push(`${file}: ${target} (no such section)`);
        }
      }
    }
    expect(broken).toEqual([]);
  });

  it("the README's configuration table has every variable the server reads", () => {
    const schema = read("app/platform/env.server.ts");
    const body = schema.slice(schema.indexOf("z\n  .object({"), schema.indexOf(".superRefine("));
    const variables = [...body.matchAll(/^ {4}([A-Z][A-Z0-9_]+):/gm)].map((m) => m[1]!);
    expect(variables.length).toBeGreaterThan(20);
    const readme = read("README.md");
    const rows = new Set([...readme.matchAll(/^\| `([A-Z][A-Z0-9_]+)` \|/gm)].map((m) => m[1]!));
    expect(variables.filter((v) => !rows.has(v))).toEqual([]);
  });

  it("the README documents every package.json script", () => {
    const scripts = Object.keys((JSON.parse(read("package.json")) as { scripts: Record<string, string> }).scripts);
    const readme = read("README.md");
    const documented = (name: string) =>
      /^pre/.test(name)
        ? readme.includes(`\`${name}\``)
        : name === "start" || name === "test"
          ? readme.includes(`\`npm ${name}\``)
          : readme.includes(`\`npm run ${name}`);
    expect(scripts.filter((s) => !documented(s))).toEqual([]);
  });
});
