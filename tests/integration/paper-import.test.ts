import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DatabaseHandle } from "../../db/connect";
import { CTS_SPLITS } from "../../db/territories/cts-defaults";
import { changeBallot } from "../../app/ballots/ballots.server";
import { importPaperBallots } from "../../app/ballots/paper-import.server";
import { PAPER_IMPORT_MAX_BYTES } from "../../app/ballots/paper-import-limits";
import { verifyCounts } from "../../app/ballots/results.server";
import { createResident, markEmailVerified } from "../../app/identity/users.server";
import { mulberry32 } from "../../app/tally";
import { testDatabases } from "../support/databases";
import { root } from "../support/server";

const NORMANDIE = "normandie-cnr-sante-2022";
const NA = "nouvelle-aquitaine-cnr-sante-2022";
const README = fs.readFileSync(path.join(root, "README.md"), "utf8");
/** The README's paragraph on paper ballots, up to the open-data API. */
const PAPER_DOC = README.slice(
  README.indexOf("Paper ballots (`npm run ballots:import"),
  README.indexOf("Open data: `GET"),
);

describe.each(testDatabases)("paper-ballot import on $name", ({ openLoaded }) => {
  let h: DatabaseHandle;
  const slugs: Record<string, string[]> = {};
  const ids: Record<string, Map<string, string>> = {};

  const count = async (table: "ballots" | "ballot_events" | "ballot_totals", where: Record<string, string> = {}) => {
    let query = h.db.selectFrom(table).select((eb) => eb.fn.countAll<number>().as("n"));
    for (const [column, value] of Object.entries(where)) query = query.where(column as never, "=", value as never);
    return Number((await query.executeTakeFirstOrThrow()).n);
  };
  const consultationId = async (slug: string) =>
    (await h.db.selectFrom("consultations").select("id").where("slug", "=", slug).executeTakeFirstOrThrow()).id;

  beforeAll(async () => {
    h = await openLoaded();
    for (const slug of [NORMANDIE, NA]) {
      const rows = await h.db
        .selectFrom("proposals")
        .innerJoin("consultations", "consultations.id", "proposals.consultation_id")
        .select(["proposals.id", "proposals.slug"])
        .where("consultations.slug", "=", slug)
        .orderBy("proposals.position")
        .execute();
      slugs[slug] = rows.map((r) => r.slug);
      ids[slug] = new Map(rows.map((r) => [r.slug, r.id]));
    }
  });
  afterAll(async () => h?.close());

  it("an empty ballot is no ballot, online and on paper: a blank paper line is reported, not counted", async () => {
    const [a] = slugs[NORMANDIE]!;
    const before = { ballots: await count("ballots"), events: await count("ballot_events") };
    const result = await importPaperBallots(h.db, NORMANDIE, `arrondissement,selections\n141,\n141,${a}\n141,  \n`);
    expect(result).toEqual({ ok: true, imported: 1, blank: 2 });
    expect(await count("ballots")).toBe(before.ballots + 1);
    expect(await count("ballot_events")).toBe(before.events + 1);
    const total = await h.db
      .selectFrom("ballot_totals")
      .select("ballots")
      .where("arrondissement_code", "=", "141")
      .where("channel", "=", "paper")
      .executeTakeFirstOrThrow();
    expect(Number(total.ballots)).toBe(1);
    // The same for majority judgment: a line without a grade.
    expect(await importPaperBallots(h.db, NA, "arrondissement,grades\n333,\n")).toEqual({
      ok: true,
      imported: 0,
      blank: 1,
    });
    expect(await count("ballots")).toBe(before.ballots + 1);

    // Online, the same empty content leaves no ballot either.
    const created = await createResident(h.db, {
      email: `vide-${Math.random()}@exemple.fr`,
      password: "une phrase de passe",
      communeCode: "14366",
    });
    if (!created.ok) throw new Error("setup");
    await markEmailVerified(h.db, created.userId);
    const voter = {
      id: created.userId,
      emailVerified: true,
      communeCode: "14366",
      roles: [{ role: "resident", scope: "" }],
    };
    const online = await changeBallot(h.db, { consultationSlug: NORMANDIE, voter }, () => ({ selections: [] }));
    expect(online).toEqual({ outcome: "unchanged", content: null });
    expect(await count("ballots")).toBe(before.ballots + 1);
    expect(await verifyCounts(h.db, await consultationId(NORMANDIE))).toEqual([]);
  });

  it("lists every error of the file, lines that cannot be read among the others, and writes nothing", async () => {
    const [a, b] = slugs[NORMANDIE]!;
    const before = await count("ballots");
    const csv = [
      "arrondissement,selections", // 1
      `143,${a}`, // 2: good
      "143", // 3: one column
      "", // 4: blank lines are skipped, and still counted in the numbering
      `143,"${a}|${b}`, // 5: a quote left open
      "999,x", // 6: unknown arrondissement
      `143,${a},${b}`, // 7: three columns
      "143,n-existe-pas", // 8: unknown proposal
      `142,"${b}"`, // 9: good, quoted
    ].join("\r\n");
    const result = await importPaperBallots(h.db, NORMANDIE, csv);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errors.map((e) => e.line)).toEqual([3, 5, 6, 7, 8]);
    expect(result.errors[0]!.message).toMatch(/^1 colonne au lieu de 2/);
    expect(result.errors[1]!.message).toMatch(/guillemet ouvert jamais fermé/);
    expect(result.errors[2]!.message).toMatch(/Arrondissement inconnu/);
    expect(result.errors[3]!.message).toMatch(/^3 colonnes au lieu de 2/);
    expect(result.errors[4]!.message).toMatch(/Proposition inconnue.*n-existe-pas/);
    expect(await count("ballots")).toBe(before);
  });

  it("the separator is the header's: `;` inside a comma-separated file is text, and quoting protects it elsewhere", async () => {
    const [a, b] = slugs[NA]!;
    const before = await count("ballots", { channel: "paper" });
    const comma = `arrondissement,grades\n333,${a}=prioritaire;${b}=pas_prioritaire\n`;
    expect(await importPaperBallots(h.db, NA, comma)).toEqual({ ok: true, imported: 1, blank: 0 });
    const semicolon = `arrondissement;grades\n333;${a}=prioritaire|${b}=peu_prioritaire\n333;"${a}=prioritaire;${b}=prioritaire"\n`;
    expect(await importPaperBallots(h.db, NA, semicolon)).toEqual({ ok: true, imported: 2, blank: 0 });
    // Unquoted, the `;` of the grades splits the line: a clear error, not a silent misreading.
    const unquoted = await importPaperBallots(
      h.db,
      NA,
      `arrondissement;grades\n333;${a}=prioritaire;${b}=prioritaire\n`,
    );
    expect(unquoted).toEqual({
      ok: false,
      errors: [
        { line: 2, message: expect.stringMatching(/^3 colonnes au lieu de 2 \(séparateur « ; » ; .*guillemets/) },
      ],
    });
    expect(await count("ballots", { channel: "paper" })).toBe(before + 3);
  });

  it("takes grades as codes or French labels, in any case, and names both when one is unknown", async () => {
    const [a, b, c] = slugs[NA]!;
    const csv = `arrondissement,grades\n333,${a}=PRIORITÉ ABSOLUE|${b}=Très prioritaire|${c}=pas_prioritaire\n`;
    expect(await importPaperBallots(h.db, NA, csv)).toEqual({ ok: true, imported: 1, blank: 0 });
    const stored = await h.db
      .selectFrom("ballots")
      .select("content")
      .where("channel", "=", "paper")
      .where("content", "like", "%priorite_absolue%")
      .executeTakeFirstOrThrow();
    const id = (slug: string) => ids[NA]!.get(slug)!;
    expect(JSON.parse(stored.content).grades).toEqual({
      [id(a!)]: "priorite_absolue",
      [id(b!)]: "tres_prioritaire",
      [id(c!)]: "pas_prioritaire",
    });
    const unknown = await importPaperBallots(h.db, NA, `arrondissement,grades\n333,${a}=urgent\n`);
    expect(unknown.ok).toBe(false);
    if (!unknown.ok) expect(unknown.errors[0]!.message).toContain("tres_prioritaire ou « Très prioritaire »");
  });

  describe("a file read as a stream, twice (checked, then written)", () => {
    /** Good lines over every arrondissement of Normandie, 1 to 5 proposals each: several batches. */
    const goodLines = (n: number) => {
      const arrondissements = ["141", "142", "143", "144", "271", "272", "273", "501", "611", "761", "762"];
      const all = slugs[NORMANDIE]!;
      const random = mulberry32(n);
      return Array.from({ length: n }, () => {
        const chosen = new Set<string>();
        const wanted = 1 + Math.floor(random() * 5);
        while (chosen.size < wanted) chosen.add(all[Math.floor(random() * all.length)]!);
        return `${arrondissements[Math.floor(random() * arrondissements.length)]},${[...chosen].join("|")}`;
      });
    };
    /** The lines as chunks of 1,000, opened anew at each reading, as `fileLines` gives a file. */
    const stream = (lines: string[]) =>
      async function* () {
        const all = ["arrondissement,selections", ...lines];
        for (let i = 0; i < all.length; i += 1000) yield all.slice(i, i + 1000);
      };
    const paperCounts = async () => {
      const rows = await h.db
        .selectFrom("ballot_counts")
        .select(["proposal_id", "arrondissement_code", "cts_code", "cell", "count"])
        .where("consultation_id", "=", await consultationId(NORMANDIE))
        .execute();
      return new Map(
        rows.map((r) => [`${r.proposal_id} ${r.arrondissement_code} ${r.cts_code} ${r.cell}`, Number(r.count)]),
      );
    };
    const delta = (before: Map<string, number>, after: Map<string, number>) =>
      Object.fromEntries([...after].map(([key, n]) => [key, n - (before.get(key) ?? 0)]).filter(([, d]) => d !== 0));

    it("an error on the last line of 12,001 writes nothing; the same lines good are written as from a string", async () => {
      const lines = goodLines(12_000);
      const before = {
        ballots: await count("ballots"),
        events: await count("ballot_events"),
        counts: await paperCounts(),
      };
      expect(await importPaperBallots(h.db, NORMANDIE, stream([...lines, "143,n-existe-pas"]))).toEqual({
        ok: false,
        errors: [{ line: 12_002, message: expect.stringMatching(/Proposition inconnue.*n-existe-pas/) }],
      });
      expect(await count("ballots")).toBe(before.ballots);
      expect(await count("ballot_events")).toBe(before.events);

      expect(await importPaperBallots(h.db, NORMANDIE, stream(lines))).toEqual({
        ok: true,
        imported: 12_000,
        blank: 0,
      });
      const afterStream = await paperCounts();
      expect(await count("ballots")).toBe(before.ballots + 12_000);
      expect(await count("ballot_events")).toBe(before.events + 12_000);
      expect(await importPaperBallots(h.db, NORMANDIE, `arrondissement,selections\n${lines.join("\n")}\n`)).toEqual({
        ok: true,
        imported: 12_000,
        blank: 0,
      });
      const afterString = await paperCounts();
      // The same kept-count changes both ways, and they equal a recount of the ballots.
      expect(delta(afterStream, afterString)).toEqual(delta(before.counts, afterStream));
      expect(Object.keys(delta(before.counts, afterStream)).length).toBeGreaterThan(100);
      expect(await verifyCounts(h.db, await consultationId(NORMANDIE))).toEqual([]);
    });

    it("a file changed between its two readings is rolled back whole, batches already written included", async () => {
      const lines = goodLines(11_000);
      let readings = 0;
      const changing = () => {
        readings++;
        // Good when checked; its last line broken when read again to be written.
        return stream(readings === 1 ? lines : [...lines.slice(0, -1), "999,x"])();
      };
      const before = {
        ballots: await count("ballots"),
        events: await count("ballot_events"),
        counts: await paperCounts(),
      };
      expect(await importPaperBallots(h.db, NORMANDIE, changing)).toEqual({
        ok: false,
        errors: [
          {
            line: 11_001,
            message: expect.stringMatching(
              /^Le fichier a changé pendant l’import, rien n’a été importé : Arrondissement inconnu/,
            ),
          },
        ],
      });
      expect(readings).toBe(2);
      expect(await count("ballots")).toBe(before.ballots);
      expect(await count("ballot_events")).toBe(before.events);
      expect(await paperCounts()).toEqual(before.counts);
    });

    it("tells its progress every 100,000 lines of each reading", async () => {
      const steps: { phase: string; lines: number }[] = [];
      const lines = goodLines(200_000);
      const result = await importPaperBallots(h.db, NORMANDIE, stream(lines), ({ phase, lines }) =>
        steps.push({ phase, lines }),
      );
      expect(result).toEqual({ ok: true, imported: 200_000, blank: 0 });
      // The header is a line too: 200,001 lines a reading.
      expect(steps).toEqual([
        { phase: "checked", lines: 100_000 },
        { phase: "checked", lines: 200_000 },
        { phase: "written", lines: 100_000 },
        { phase: "written", lines: 200_000 },
      ]);
      expect(await verifyCounts(h.db, await consultationId(NORMANDIE))).toEqual([]);
    }, 120_000);
  });

  it("imports the README's examples as written", async () => {
    const blocks = [...PAPER_DOC.matchAll(/```csv\n([\s\S]*?)```/g)].map((m) =>
      m[1]!
        .split("\n")
        .map((line) => line.replace(/^ {2}/, ""))
        .join("\n"),
    );
    expect(blocks).toHaveLength(2);
    for (const block of blocks) {
      const slug = block.startsWith("arrondissement,selections") ? NORMANDIE : NA;
      const rows = block.trim().split("\n").length - 1;
      expect({ block, result: await importPaperBallots(h.db, slug, block) }).toEqual({
        block,
        result: { ok: true, imported: rows, blank: 0 },
      });
    }
  });
});

describe("what the README says about paper ballots and territories", () => {
  it("states the page's size limit", () => {
    expect(PAPER_DOC).toContain(`**${PAPER_IMPORT_MAX_BYTES / 1024 / 1024} MB**`);
  });

  it("names Seine-Maritime's CTS territories by their codes in the data", () => {
    const paragraph = README.slice(README.indexOf("The CTS territory of a commune is **data**"));
    for (const { code } of CTS_SPLITS.flatMap((s) => s.territories)) expect(paragraph).toContain(`\`${code}\``);
    expect(README).not.toMatch(/Dieppe \(761\)/);
  });
});
