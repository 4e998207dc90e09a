import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DatabaseHandle } from "../../db/connect";
import { loadTerritories } from "../../db/territories/load";
import { loadCatalogue } from "../../app/catalogue/catalogue-load.server";
import { importPaperBallots } from "../../app/ballots/paper-import.server";
import { resultsDocument } from "../../app/ballots/results-api.server";
import { buildCtsReport, findReportConsultation, findReportTerritory } from "../../app/reports/cts-report.server";
import { reportCsv, reportJson } from "../../app/reports/exports.server";
import { regionDataset } from "../../app/reports/region.server";
import { testDatabases } from "../support/databases";

// The subtraction attack of issue 15 (finding 2) through the real outputs: Calvados (CTS 14) has
// a 7-ballot arrondissement (Bayeux, 141) next to published ones. Its figures must not follow
// from the CTS territory's minus its other arrondissements', raw or weighted.
const SLUG = "normandie-cnr-sante-2022";
const admin = {
  id: "a",
  email: "a@exemple.fr",
  emailVerified: true,
  communeCode: "14366",
  displayName: null,
  assuranceLevel: "email" as const,
  roles: [{ role: "admin" as const, scope: "" }],
};

describe.each(testDatabases)("secondary suppression in the API and the exports on $name", ({ open }) => {
  let h: DatabaseHandle;
  let A: string, B: string, C: string;
  const populations = new Map<string, number>();
  beforeAll(async () => {
    h = await open();
    await loadTerritories(h.db);
    await loadCatalogue(h.db);
    [A, B, C] = (
      await h.db
        .selectFrom("proposals")
        .innerJoin("consultations", "consultations.id", "proposals.consultation_id")
        .select("proposals.slug")
        .where("consultations.slug", "=", SLUG)
        .orderBy("proposals.position")
        .limit(3)
        .execute()
    ).map((p) => p.slug) as [string, string, string];
    const lines = [
      ...Array(7).fill(`141,${A}`), // Bayeux: 7 ballots, all for A
      ...Array(12).fill(`143,${B}`), // Lisieux: 12, all for B
      ...Array(10).fill(`142,${A}`),
      ...Array(20).fill(`142,${B}|${C}`),
      ...Array(5).fill(`144,${A}`),
      ...Array(20).fill(`144,${C}`),
      ...Array(15).fill(`763,${A}`),
      ...Array(25).fill(`763,${C}`),
    ];
    expect(await importPaperBallots(h.db, SLUG, `arrondissement,selections\n${lines.join("\n")}\n`)).toEqual({
      ok: true,
      imported: lines.length,
      blank: 0,
    });
    // The vote is over: results are read from the kept counts (live figures move in steps).
    await h.db.updateTable("consultations").set({ status: "closed" }).where("slug", "=", SLUG).execute();
    for (const a of await h.db.selectFrom("arrondissements").select(["code", "population"]).execute())
      populations.set(a.code, Number(a.population));
  }, 60_000);
  afterAll(async () => h?.close());

  const api = (territory: string, weighting: "raw" | "population" = "raw") =>
    resultsDocument(h.db, { slug: SLUG, territory, weighting, user: admin });
  type Row = { proposal: string; selections: number; weight: number };
  const row = (doc: Awaited<ReturnType<typeof api>>, slug: string) =>
    doc.ranking.find((r) => r.proposal === slug) as unknown as Row;

  it("API: the small arrondissement and its smallest sibling are withheld, figures and ballots alike", async () => {
    const bayeux = await api("arrondissement:141");
    expect(bayeux).toMatchObject({ ballots: null, smallGroup: "moins de 10 votants", ranking: [] });
    const caen = await api("arrondissement:143", "population");
    expect(caen).toMatchObject({ ballots: null, smallGroup: "secret statistique", ranking: [] });
    for (const code of ["142", "144"]) expect((await api(`arrondissement:${code}`)).smallGroup).toBeNull();
    expect((await api("cts:14")).ballots).toBe(74);
  });

  it("API: the CTS territory minus its published arrondissements gives a group of 19, raw and weighted alike", async () => {
    const cts = { raw: await api("cts:14"), population: await api("cts:14", "population") };
    const published = await Promise.all(["142", "144"].map((code) => api(`arrondissement:${code}`)));
    // Raw: what is left is Bayeux and Lisieux together.
    const left = cts.raw.ballots! - published.reduce((s, d) => s + d.ballots!, 0);
    expect(left).toBe(19);
    const leftSelections = (slug: string) =>
      row(cts.raw, slug).selections - published.reduce((s, d) => s + row(d, slug).selections, 0);
    expect([leftSelections(A), leftSelections(B)]).toEqual([7, 12]);
    // Weighted: each published arrondissement weighs population / ballots per ballot; what is left
    // weighs the same for every proposal, so it says nothing the raw figures did not (with Bayeux
    // and Lisieux weighed apart, A's and B's weights would give Bayeux's 7 ballots exactly).
    const leftWeight = (slug: string) =>
      row(cts.population, slug).weight -
      published.reduce((s, d, i) => {
        const code = ["142", "144"][i]!;
        return s + (row(d, slug).selections * populations.get(code)!) / d.ballots!;
      }, 0);
    const pooled = (populations.get("141")! + populations.get("143")!) / 19;
    expect(leftWeight(A) / leftSelections(A)).toBeCloseTo(pooled, 6);
    expect(leftWeight(B) / leftSelections(B)).toBeCloseTo(pooled, 6);
  });

  it("CTS report CSV and JSON, and the open dataset: the same two arrondissements withheld, no count shown", async () => {
    const consultation = (await findReportConsultation(h.db, SLUG))!;
    const territory = (await findReportTerritory(h.db, consultation, "14"))!;
    const report = await buildCtsReport(h.db, consultation, territory);
    expect(report.state).toBe("ranked");
    const lines = new Map(report.participation.lines.map((l) => [l.code, l]));
    expect(lines.get("141")).toMatchObject({ ballots: null, online: null, paper: null, rate: null });
    expect(lines.get("143")).toMatchObject({ ballots: null, withheld: "secret statistique" });
    expect(lines.get("142")!.ballots).toBe(30);
    const csv = [...reportCsv(report)].join("");
    expect(csv).toMatch(/"141";"Bayeux";\d+;\d+;"moins de 10 votants";"moins de 10 votants";"moins de 10 votants";/);
    expect(csv).toMatch(/"143";"Lisieux";\d+;\d+;"secret statistique";"secret statistique";"secret statistique";/);
    const json = reportJson(report);
    const columns = new Map(json.breakdown.arrondissements.map((c) => [c.code, c]));
    expect(columns.get("141")).toMatchObject({ ballots: null, smallGroup: "moins de 10 votants" });
    expect(columns.get("143")).toMatchObject({ ballots: null, smallGroup: "secret statistique" });
    expect(columns.get("144")).toMatchObject({ ballots: 25, smallGroup: null });

    const dataset: (string | number)[][] = [];
    for await (const line of regionDataset(h.db, consultation)) dataset.push(line);
    const of = (level: string, code: string) => dataset.filter((r) => r[0] === level && r[1] === code);
    expect(of("arrondissement", "141")).toEqual([
      ["arrondissement", "141", "Bayeux", "", "", "", "", "", "moins de 10 votants", "small", "", ""],
    ]);
    expect(of("arrondissement", "143")).toHaveLength(1);
    expect(of("arrondissement", "143")[0]!.slice(8, 10)).toEqual(["secret statistique", "secondary"]);
    expect(of("CTS", "14").every((r) => r[3] === 74)).toBe(true);
    expect(of("arrondissement", "142").every((r) => r[3] === 30)).toBe(true);
  });
});
