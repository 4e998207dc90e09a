import { parse } from "csv-parse/sync";
import ExcelJS from "exceljs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DatabaseHandle } from "../../db/connect";
import { bumpContentVersion } from "../../db/content-version";
import { generateDemoBallots } from "../../app/ballots/demo-ballots.server";
import { importPaperBallots } from "../../app/ballots/paper-import.server";
import { resultsDocument } from "../../app/ballots/results-api.server";
import { clearIntervals, settleIntervals } from "../../app/ballots/intervals.server";
import { buildCtsReport, findReportConsultation, findReportTerritory } from "../../app/reports/cts-report.server";
import {
  csvLines,
  recentExports,
  recordExport,
  reportCsv,
  reportJson,
  reportPdf,
  reportXlsx,
} from "../../app/reports/exports.server";
import { regionDataset } from "../../app/reports/region.server";
import { reportExportSizes, settleExportSizes } from "../../app/reports/export-sizes.server";
import { datasetDescription } from "../../app/reports/open-dataset";
import { testDatabases } from "../support/databases";
import { CENTRE_PROPOSALS } from "../support/catalogue";
import { pdfPages, pdfText } from "../support/pdf-text";
import { readAsClosed } from "../support/phases";

const NORMANDIE = "normandie-cnr-sante-2022";
const CENTRE = "centre-val-de-loire-cnr-sante-2022";
const admin = {
  id: "a",
  email: "a@exemple.fr",
  emailVerified: true,
  communeCode: "14366",
  displayName: null,
  assuranceLevel: "email" as const,
  roles: [{ role: "admin" as const, scope: "" }],
};

describe("CSV cells (OWASP formula rule; numbers stay numbers)", () => {
  const corpus = [
    "=1+1",
    "+33 6 00",
    "-2+3",
    "@SUM(A1)",
    "\t=1",
    "\r=1",
    "\n=1",
    '=HYPERLINK("http://x";"y")',
    "；=1",
    " =1",
  ];
  it.each(corpus)("neutralises %j", (value) => {
    const line = csvLines([[value]]);
    const dangerous = /^[=+\-@\t\r\n]/.test(value);
    if (dangerous) expect(line.startsWith(`"'`)).toBe(true);
    else expect(line.startsWith(`"${value[0]}`)).toBe(true);
  });
  it("writes numbers unquoted with a decimal comma, negative ones untouched", () => {
    expect(csvLines([["a;b", 12.5, -3, 0]])).toBe(`"a;b";12,5;-3;0\r\n`);
  });
});

describe.each(testDatabases)("report exports on $name", ({ openLoaded }) => {
  let h: DatabaseHandle;
  beforeAll(async () => {
    h = await openLoaded();
    await generateDemoBallots(h.db, { consultationSlug: NORMANDIE, count: 800, seed: 3 });
    // What the other database's run kept in this process is not this database's.
    clearIntervals();
  }, 120_000);
  // Rank intervals computed behind the last requests end before the database closes.
  afterAll(async () => {
    await settleIntervals();
    await h?.close();
  });

  const build = async (slug: string, cts: string) => {
    const consultation = (await findReportConsultation(h.db, slug))!;
    return buildCtsReport(h.db, consultation, (await findReportTerritory(h.db, consultation, cts))!);
  };
  // The report once its rank intervals are computed (the first request starts the computation).
  const report = async (slug: string, cts: string) => {
    await build(slug, cts);
    await settleIntervals();
    return build(slug, cts);
  };

  it("before the first rank intervals, every export says they are being computed and the PDF has no interval column", async () => {
    const r = await build(NORMANDIE, "76-rouen-elbeuf");
    expect(r.state).toBe("ranked");
    expect(r.intervals?.version).toBeNull();
    const csv = [...reportCsv(r)].join("");
    expect(csv).toContain(`"Intervalles de rang";"Intervalles de rang en cours de calcul au moment de cet export`);
    expect(reportJson(r).rankIntervals).toEqual({ version: null, computedAt: null, computing: true });
    const book = new ExcelJS.Workbook();
    await book.xlsx.load((await reportXlsx(r)) as unknown as ArrayBuffer);
    const cells = book.getWorksheet("Rapport")!.getColumn(2).values.map(String);
    expect(cells.some((c) => c.startsWith("Intervalles de rang en cours de calcul"))).toBe(true);
    const pdf = await reportPdf(r);
    const [first] = await pdfPages(pdf);
    expect(first).toContain("Intervalles de rang en cours de calcul au moment de cet export");
    const text = await pdfText(pdf);
    expect(text).not.toContain("Intervalle Proposition");
    expect(text).toContain("Rang Proposition Résultat");
    const consultationId = (await findReportConsultation(h.db, NORMANDIE))!.id;
    // Never exported: the page request renders nothing and announces no size; the PDF is measured
    // behind it, and the next request has its exact size.
    expect(await reportExportSizes(h.db, consultationId, r, ["pdf"])).toEqual({
      pdf: { bytes: null, approximate: false },
    });
    await settleExportSizes();
    const before = await reportExportSizes(h.db, consultationId, r, ["pdf"]);
    expect(before.pdf).toEqual({ bytes: pdf.length, approximate: false });
    await settleIntervals();
    const after = await build(NORMANDIE, "76-rouen-elbeuf");
    expect(after.intervals?.version).toBe(after.tallyVersion);
    expect(await pdfText(await reportPdf(after))).toContain("Rang Intervalle Proposition Résultat");
    // The size measured without the interval column is not re-measured: it is announced "environ".
    expect((await reportExportSizes(h.db, consultationId, after, ["pdf"])).pdf).toEqual({
      bytes: before.pdf.bytes,
      approximate: true,
    });
  });

  it("CSV: BOM, header with time and tally version, rankings equal to the report's, formula-like titles neutralised", async () => {
    const consultationId = (
      await h.db.selectFrom("consultations").select("id").where("slug", "=", NORMANDIE).executeTakeFirstOrThrow()
    ).id;
    const first = await h.db
      .selectFrom("proposals")
      .select(["id", "title"])
      .where("consultation_id", "=", consultationId)
      .orderBy("position")
      .executeTakeFirstOrThrow();
    // As a catalogue reload writes it: the entry, and a new content version in the same transaction.
    const retitle = (title: string) =>
      h.db.transaction().execute(async (trx) => {
        await trx
          .updateTable("proposals")
          .set({ title, updated_at: new Date().toISOString() })
          .where("id", "=", first.id)
          .execute();
        await bumpContentVersion(trx);
      });
    await retitle('=HYPERLINK("http://exemple.invalid";"clic")');
    try {
      const r = await report(NORMANDIE, "14");
      const csv = [...reportCsv(r)].join("");
      expect(csv.startsWith("\uFEFF")).toBe(true);
      expect(csv).toContain(`"Version du décompte";"${r.tallyVersion}"`);
      expect(csv).toContain(`"'=HYPERLINK(""http://exemple.invalid"";""clic"")"`);
      expect(csv).not.toMatch(/(^|;)"=HYPERLINK/m);
      const lines = csv.split("\r\n");
      const start = lines.indexOf(`"Classement brut (un bulletin = une voix)"`);
      expect(start).toBeGreaterThan(0);
      const rows = lines.slice(start + 2, start + 2 + r.rankings.raw.length).map((l) => l.split(";"));
      for (const [i, row] of r.rankings.raw.entries()) {
        expect(rows[i]![0]).toBe(row.rank === null ? `""` : String(row.rank));
        // Selections: an unquoted integer in the last column.
        expect(rows[i]!.at(-1)).toBe(String((row.row as { selections: number }).selections));
      }
    } finally {
      await retitle(first.title);
    }
  });

  it("JSON: the open-data API's rows, the same figures as /api/v1/…/results for the territory", async () => {
    const r = await report(NORMANDIE, "14");
    const json = reportJson(r);
    for (const weighting of ["raw", "population"] as const) {
      const api = await resultsDocument(h.db, { slug: NORMANDIE, territory: "cts:14", weighting, user: admin });
      expect(json.rankings[weighting]).toEqual(api.ranking);
      expect(json.ballots).toBe(api.ballots);
    }
    expect(json.tallyVersion).toBe(r.tallyVersion);
    expect(json.breakdown.arrondissements.map((a) => a.code)).toEqual(["141", "142", "143", "144"]);
  });

  it("XLSX: one sheet per table, numbers as numbers", async () => {
    const r = await report(NORMANDIE, "14");
    const book = new ExcelJS.Workbook();
    await book.xlsx.load((await reportXlsx(r)) as unknown as ArrayBuffer);
    expect(book.worksheets.map((w) => w.name)).toEqual([
      "Rapport",
      "Participation",
      "Classement brut",
      "Classement pondéré",
      "Ventilation",
    ]);
    const sheet = book.getWorksheet("Classement brut")!;
    expect(sheet.getCell("A2").value).toBe(r.rankings.raw[0]!.rank);
    expect(typeof sheet.getCell("F2").value).toBe("number");
  });

  it("PDF: cover, rankings and caveats in its text, with the time and tally version on every page", async () => {
    const r = await report(NORMANDIE, "14");
    const text = await pdfText(await reportPdf(r));
    expect(text).toContain("Rapport du conseil territorial de santé Calvados");
    expect(text).toContain("Classement pondéré par la population des arrondissements");
    expect(text).toContain(r.rankings.raw[0]!.title.slice(0, 30));
    expect(text).toContain("Méthode et limites");
    const pages = text.match(/version du décompte \d+ — page \d+\/\d+/g) ?? [];
    expect(pages.length).toBeGreaterThan(3);
    expect(pages.every((p) => p.startsWith(`version du décompte ${r.tallyVersion} — page `))).toBe(true);
  });

  it("PDF: a one-page summary first (participation, both first tens with their intervals, disagreements, the method), set in Marianne", async () => {
    const r = await report(NORMANDIE, "14");
    // Characters the former font (Helvetica, WinAnsi) could not print: ≈ came out as "~".
    const title = "Cœur ≈ 12\u00a0000 habitants, ≤ 5 et ≥ 2\u202f%";
    const bytes = await reportPdf({ ...r, consultation: { ...r.consultation, title } });
    const text = await pdfText(bytes);
    const [first, second] = await pdfPages(bytes);
    expect(first).toContain("Rapport du conseil territorial de santé Calvados");
    // pdf-text reads every kind of space as one; a missing glyph would read "?" or "~".
    expect(first).toContain("Cœur ≈ 12 000 habitants, ≤ 5 et ≥ 2 %");
    expect(text).not.toContain("?");
    expect(first).toMatch(/Participation : [\d\u202f\u00a0 ]+ bulletins/);
    expect(first).toContain("Les 10 premières — classement brut");
    expect(first).toContain("Les 10 premières — classement pondéré par la population");
    for (const w of ["raw", "population"] as const)
      for (const row of r.rankings[w].filter((x) => x.rank !== null && x.rank <= 10))
        expect(first).toContain(row.title.slice(0, 25));
    expect(first).toContain("Où brut et pondéré ne s’accordent pas");
    expect(first).toContain("La méthode en deux phrases");
    expect(first).toContain(r.explanations.raw.slice(0, 40));
    // The charts follow, then the full tables.
    expect(second).toContain("Brut ou pondéré : ce qui change");
    expect(text).toContain("Classement brut (un bulletin = une voix)");
    expect(text).toContain("≈ : rang non distinguable");
    // The fonts are embedded, and they are Marianne.
    const raw = bytes.toString("latin1");
    expect(raw).toMatch(/\/BaseFont \/[A-Z]{6}\+Marianne-Regular/);
    expect(raw).toMatch(/\/BaseFont \/[A-Z]{6}\+Marianne-Bold/);
    expect(raw).not.toContain("/Helvetica");
  });

  it("the small-group rule holds in the CSV, the JSON and the PDF", async () => {
    const slugs = (
      await h.db
        .selectFrom("proposals")
        .innerJoin("consultations", "consultations.id", "proposals.consultation_id")
        .select("proposals.slug")
        .where("consultations.slug", "=", CENTRE)
        .orderBy("proposals.position")
        .limit(2)
        .execute()
    ).map((p) => p.slug);
    // 12 ballots in the Cher: 7 in Bourges (181), 5 in Vierzon (183); both under 10.
    const lines = [...Array(7).fill(`181,${slugs[0]}`), ...Array(5).fill(`183,${slugs[1]}`)];
    expect((await importPaperBallots(h.db, CENTRE, `arrondissement,selections\n${lines.join("\n")}\n`)).ok).toBe(true);
    // Neither arrondissement reaches a step of 10 ballots: the vote's live figures show none yet.
    expect((await report(CENTRE, "18")).state).toBe("empty");
    const r = await readAsClosed(h.db, CENTRE, () => report(CENTRE, "18"));
    expect(r.breakdown.allSmall).toBe(true);
    const csv = [...reportCsv(r)].join("");
    expect(csv).toContain("aucune ventilation n’est possible");
    const breakdown = csv.slice(
      csv.indexOf("Ventilation par arrondissement"),
      csv.indexOf("Classements par niveau de garantie"),
    );
    expect(breakdown).toContain(`"moins de 10 votants";"moins de 10 votants"`);
    expect(breakdown).not.toMatch(/\r\n"[^"]*";\d/);
    const json = reportJson(r);
    expect(json.breakdown.arrondissements.every((a) => a.smallGroup === "moins de 10 votants")).toBe(true);
    expect(json.breakdown.proposals.every((p) => p.cells.every((c) => "smallGroup" in c && !("rank" in c)))).toBe(true);
    const text = await pdfText(await reportPdf(r));
    expect(text).toContain("moins de 10 votants");

    const dataset: (string | number)[][] = [];
    await readAsClosed(h.db, CENTRE, async () => {
      const consultation = (await findReportConsultation(h.db, CENTRE))!;
      for await (const row of regionDataset(h.db, consultation)) dataset.push(row);
    });
    const bourges = dataset.filter((row) => row[0] === "arrondissement" && row[1] === "181");
    expect(bourges).toEqual([
      ["arrondissement", "181", "Bourges", "", "", "", "", "", "moins de 10 votants", "small", "", ""],
    ]);
    const cher = dataset.filter((row) => row[0] === "CTS" && row[1] === "18");
    expect(cher.length).toBe(2 * CENTRE_PROPOSALS);
    expect(cher.every((row) => row[3] === 12)).toBe(true);
  });

  it("open dataset: its first line is the header, statuses read as the report says, codes described", async () => {
    const consultation = (await findReportConsultation(h.db, NORMANDIE))!;
    const text = await readAsClosed(h.db, NORMANDIE, async () => {
      let csv = "\uFEFF";
      for await (const row of regionDataset(h.db, consultation)) csv += csvLines([row]);
      return csv;
    });
    const records: string[][] = parse(text, { bom: true, delimiter: ";" });
    const description = datasetDescription({
      csvUrl: "https://exemple.fr/x.csv",
      consultation: { slug: NORMANDIE, title: consultation.title, method: consultation.method },
      generatedAt: "2026-01-01T00:00:00.000Z",
      tallyVersion: 7,
    });
    const titles = description.tableSchema.columns.map((c) => c.title);
    expect(records[0]).toEqual(titles);
    expect(records.slice(1).every((r) => r.length === titles.length)).toBe(true);
    const status = titles.indexOf("Statut");
    const code = titles.indexOf("Code statut");
    const region = records.filter((r) => r[0] === "région");
    expect(region.length).toBeGreaterThan(0);
    expect(region.every((r) => r[status] === "classée" && r[code] === "ranked")).toBe(true);
    // Every code the file uses is described, with the label the file prints beside it.
    const values = description.tableSchema.columns[code]!.values!;
    for (const r of records.slice(1)) expect(values[r[code]!]).toBe(r[status]);
    expect(text).not.toContain("Jeu de données");
  });

  it("records every export with its fingerprint", async () => {
    const consultation = (await findReportConsultation(h.db, NORMANDIE))!;
    await recordExport(h.db, {
      consultationId: consultation.id,
      territory: "14",
      format: "pdf",
      tallyVersion: 3,
      generatedAt: "2026-11-23T10:00:00.000Z",
      sha256: "ab".repeat(32),
      bytes: 10,
    });
    const recent = await recentExports(h.db, consultation.id, "14");
    expect(recent[0]).toMatchObject({ format: "pdf", sha256: "ab".repeat(32), tally_version: 3 });
    expect(await recentExports(h.db, consultation.id, "76-rouen-elbeuf")).toEqual([]);
  });
});
