import { createHash } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DatabaseHandle } from "../../db/connect";
import { readContentVersion, REFERENCE_TABLES } from "../../db/content-version";
import { importCtsRules } from "../../db/territories/cts-import";
import { loadTerritories } from "../../db/territories/load";
import { loadCatalogue, readCatalogueFiles } from "../../app/catalogue/catalogue-load.server";
import { advanceConsultation, setLiveResults } from "../../app/ballots/lifecycle.server";
import { testDatabases } from "../support/databases";

// Pages kept in memory are renewed when the content version moves (db/content-version.ts): a
// writer of reference content that forgets to bump it leaves every server showing old pages.

const root = path.resolve(import.meta.dirname, "../..");

/** Every writer of reference content, by the file it lives in, and how to make it write once. */
const WRITERS: { file: string; name: string; run: (h: DatabaseHandle) => Promise<unknown> }[] = [
  { file: "db/territories/load.ts", name: "loadTerritories", run: (h) => loadTerritories(h.db) },
  { file: "app/catalogue/catalogue-load.server.ts", name: "loadCatalogue", run: (h) => loadCatalogue(h.db) },
  {
    file: "app/catalogue/catalogue-load.server.ts",
    name: "loadCatalogue (a changed file)",
    run: (h) => {
      const files = readCatalogueFiles().slice(0, 1);
      const data = JSON.parse(files[0]!.content);
      data.title = `${data.title} (révisé)`;
      return loadCatalogue(h.db, [{ name: files[0]!.name, content: JSON.stringify(data) }]);
    },
  },
  {
    file: "db/territories/cts-import.ts",
    name: "importCtsRules",
    run: async (h) => {
      const result = await importCtsRules(h.db, "niveau,code,cts,nom_cts\ncommune,14366,14-pays-d-auge,Pays d'Auge\n");
      if (!result.ok) throw new Error(JSON.stringify(result.errors));
    },
  },
  {
    file: "app/ballots/lifecycle.server.ts",
    name: "advanceConsultation",
    run: async (h) => advanceConsultation(h.db, await firstSlug(h, "open"), "closed"),
  },
  {
    file: "app/ballots/lifecycle.server.ts",
    name: "setLiveResults",
    run: async (h) => {
      const { id } = await h.db.selectFrom("consultations").select("id").orderBy("position").executeTakeFirstOrThrow();
      await setLiveResults(h.db, id, true);
    },
  },
];

async function firstSlug(h: DatabaseHandle, status: "open") {
  const row = await h.db
    .selectFrom("consultations")
    .select("slug")
    .where("status", "=", status)
    .orderBy("position")
    .executeTakeFirstOrThrow();
  return row.slug;
}

/** A digest of every reference table's rows: what the cached pages were built from. */
async function referenceDigest(h: DatabaseHandle): Promise<string> {
  const hash = createHash("sha256");
  for (const table of REFERENCE_TABLES) {
    const rows = await h.db.selectFrom(table).selectAll().execute();
    const lines = rows.map((r) => JSON.stringify(r)).sort();
    hash.update(`${table}\n${lines.join("\n")}\n`);
  }
  return hash.digest("hex");
}

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(path.join(root, dir), { withFileTypes: true }).flatMap((entry) => {
    const rel = path.join(dir, entry.name);
    if (entry.isDirectory()) return rel === "db/migrations" ? [] : sourceFiles(rel);
    return /\.tsx?$/.test(entry.name) && !/\.test\.tsx?$/.test(entry.name) ? [rel] : [];
  });
}

describe("writers of reference content", () => {
  it("are all listed here: no other file writes a reference table", () => {
    const tables = REFERENCE_TABLES.join("|");
    const write = new RegExp(
      `(insertInto|updateTable|deleteFrom|replaceInto|mergeInto)\\(\\s*["'](${tables})\\b|\\b(insert\\s+into|update|delete\\s+from)\\s+["]?(${tables})\\b`,
      "i",
    );
    const writing = ["app", "db"]
      .flatMap(sourceFiles)
      .filter((file) => write.test(fs.readFileSync(path.join(root, file), "utf8")));
    expect(writing.sort()).toEqual([...new Set(WRITERS.map((w) => w.file))].sort());
  });
});

describe.each(testDatabases)("content version on $name", ({ open }) => {
  let h: DatabaseHandle;
  beforeAll(async () => {
    h = await open();
  });
  afterAll(async () => h?.close());

  // In order: each writer runs on what the ones before it wrote (territories, then the catalogue…).
  it.each(WRITERS.map((w) => [w.name, w] as const))(
    "%s changes reference content and bumps the version",
    async (_, writer) => {
      const [versionBefore, contentBefore] = [await readContentVersion(h.db), await referenceDigest(h)];
      await writer.run(h);
      const [versionAfter, contentAfter] = [await readContentVersion(h.db), await referenceDigest(h)];
      expect(contentAfter, "the writer should have written reference content").not.toBe(contentBefore);
      expect(versionAfter, "the content changed but the version did not").not.toBe(versionBefore);
    },
  );
});
