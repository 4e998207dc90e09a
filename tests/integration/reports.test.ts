import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DatabaseHandle } from "../../db/connect";
import { changeBallot } from "../../app/ballots/ballots.server";
import { generateDemoBallots } from "../../app/ballots/demo-ballots.server";
import { importPaperBallots } from "../../app/ballots/paper-import.server";
import { tallyVersion, territoryBallots, verifyCounts } from "../../app/ballots/results.server";
import { clearIntervals, settleIntervals } from "../../app/ballots/intervals.server";
import { buildCtsReport, findReportConsultation, findReportTerritory } from "../../app/reports/cts-report.server";
import { tally, type Ballot } from "../../app/tally";
import { reportJson } from "../../app/reports/exports.server";
import { testDatabases } from "../support/databases";
import { readAsClosed } from "../support/phases";
import { makePerson } from "../support/people";

const NORMANDIE = "normandie-cnr-sante-2022";
const NOUVELLE_AQUITAINE = "nouvelle-aquitaine-cnr-sante-2022";
const CENTRE = "centre-val-de-loire-cnr-sante-2022";

describe.each(testDatabases)("CTS reports on $name", ({ openLoaded }) => {
  let h: DatabaseHandle;
  beforeAll(async () => {
    h = await openLoaded();
    await generateDemoBallots(h.db, { consultationSlug: NORMANDIE, count: 1500, seed: 7 });
    await generateDemoBallots(h.db, { consultationSlug: NOUVELLE_AQUITAINE, count: 1200, seed: 8 });
    // What the other database's run kept in this process is not this database's.
    clearIntervals();
  }, 120_000);
  // Rank intervals computed behind the last requests end before the database closes.
  afterAll(async () => {
    await settleIntervals();
    await h?.close();
  });

  const report = async (slug: string, cts: string) => {
    const consultation = (await findReportConsultation(h.db, slug))!;
    const territory = (await findReportTerritory(h.db, consultation, cts))!;
    return { consultation, report: await buildCtsReport(h.db, consultation, territory) };
  };

  it("a report is built at once without rank intervals ('en cours de calcul'), then has them once computed", async () => {
    const { report: before } = await report(NORMANDIE, "14");
    expect(before.state).toBe("ranked");
    expect(before.intervals).toEqual({ version: null, computedAt: null, computing: true });
    for (const w of ["raw", "population"] as const)
      expect(before.rankings[w].every((r) => r.interval === null)).toBe(true);
    await settleIntervals();
    const { report: after } = await report(NORMANDIE, "14");
    expect(after.intervals?.version).toBe(after.tallyVersion);
    for (const w of ["raw", "population"] as const)
      expect(after.rankings[w].filter((r) => r.rank !== null).every((r) => r.interval !== null)).toBe(true);
  });

  it.each([
    [NORMANDIE, "14"],
    [NOUVELLE_AQUITAINE, "33"],
  ])("%s, CTS %s: rankings, raw and weighted, equal the tally engine's over the same ballots", async (slug, cts) => {
    // The first request starts the rank intervals' computation; the report after it has them.
    await report(slug, cts);
    await settleIntervals();
    const { consultation, report: r } = await report(slug, cts);
    const ballots = await territoryBallots(h.db, consultation.id, { kind: "cts", code: cts });
    expect(r.ballots).toBe(ballots.length);
    expect(r.ballots).toBeGreaterThan(50);
    expect(r.state).toBe("ranked");
    const proposals = (
      await h.db.selectFrom("proposals").select("id").where("consultation_id", "=", consultation.id).execute()
    ).map((p) => p.id);
    const populations = Object.fromEntries(r.participation.lines.map((l) => [l.code, l.population]));
    for (const weighting of ["raw", "population"] as const) {
      const expected = tally({
        method: consultation.method,
        proposals,
        ballots: ballots as Ballot[],
        weighting,
        populations,
      } as Parameters<typeof tally>[0]);
      const byId = new Map(expected.ranking.map((row) => [row.proposal, row]));
      expect(r.rankings[weighting]).toHaveLength(proposals.length);
      for (const row of r.rankings[weighting]) {
        const e = byId.get(row.id)!;
        expect(row.rank).toBe(e.rank);
        if ("score" in e) expect((row.row as { score: number }).score).toBeCloseTo(e.score, 10);
        if ("majorityGrade" in e) expect((row.row as { majorityGrade: unknown }).majorityGrade).toBe(e.majorityGrade);
        if (row.rank !== null) {
          expect(row.interval).not.toBeNull();
          expect(row.interval![0]).toBeLessThanOrEqual(row.interval![1]);
        }
      }
    }
    // Each published breakdown column is the tally of that arrondissement's ballots alone.
    for (const [i, column] of r.breakdown.columns.entries()) {
      const own = ballots.filter((b) => b.arrondissement === column.code);
      if (own.length < 10) expect(column.small).toBe(true);
      expect(column.ballots).toBe(column.small ? null : own.length);
      const expected = tally({ method: consultation.method, proposals, ballots: own as Ballot[] } as Parameters<
        typeof tally
      >[0]);
      for (const row of r.breakdown.rows) {
        const cell = row.cells[i];
        if (column.small) expect(cell).toBeNull();
        else expect(cell!.rank).toBe(expected.ranking.find((x) => x.proposal === row.id)!.rank);
      }
    }
    // Participation: per arrondissement and in total, from the same ballots.
    expect(r.participation.total.ballots).toBe(ballots.length);
    for (const line of r.participation.lines)
      expect(line.ballots).toBe(line.withheld ? null : ballots.filter((b) => b.arrondissement === line.code).length);
    expect(r.participation.timeline.at(-1)!.total).toBe(ballots.length);
  });

  it("reads a territory's ballots in chunks without losing or repeating one", async () => {
    const consultation = (await findReportConsultation(h.db, NORMANDIE))!;
    const whole = await territoryBallots(h.db, consultation.id, { kind: "cts", code: "14" });
    const chunked = await territoryBallots(h.db, consultation.id, { kind: "cts", code: "14" }, 7);
    expect(chunked).toEqual(whole);
    expect(whole.length).toBeGreaterThan(50);
    const count = await h.db
      .selectFrom("ballots")
      .select((eb) => eb.fn.countAll<number>().as("n"))
      .where("consultation_id", "=", consultation.id)
      .where("cts_code", "=", "14")
      .executeTakeFirstOrThrow();
    expect(whole.length).toBe(Number(count.n));
  });

  it("lists every arrondissement of the territory, even those without ballots, with its population", async () => {
    const { report: r } = await report(NORMANDIE, "14");
    expect(r.participation.lines.map((l) => l.code)).toEqual(["141", "142", "143", "144"]);
    for (const l of r.participation.lines) expect(l.population).toBeGreaterThan(10_000);
    expect(r.participation.total.population).toBe(r.participation.lines.reduce((s, l) => s + l.population, 0));
    const { report: rouen } = await report(NORMANDIE, "76-rouen-elbeuf");
    expect(rouen.participation.lines.map((l) => l.code)).toEqual(["763"]);
    expect(rouen.disagreements).toEqual([]);
  });

  it("says so when there is no ballot, or when every breakdown cell is below the threshold", async () => {
    const empty = await report(CENTRE, "18");
    expect(empty.report.state).toBe("empty");
    expect(empty.report.ballots).toBe(0);
    expect(empty.report.rankings.raw).toEqual([]);
    expect(empty.report.participation.total.rate).toBe(0);
    expect(empty.report.breakdown.rows).toEqual([]);

    const slugs = (
      await h.db
        .selectFrom("proposals")
        .innerJoin("consultations", "consultations.id", "proposals.consultation_id")
        .select("proposals.slug")
        .where("consultations.slug", "=", CENTRE)
        .orderBy("proposals.position")
        .limit(3)
        .execute()
    ).map((p) => p.slug);
    // 6 ballots in Bourges (181) and 5 in Saint-Amand-Montrond (183): 11 in the CTS, no arrondissement reaches 10.
    const lines = [...Array(6).fill(`181,${slugs[0]}|${slugs[1]}`), ...Array(5).fill(`183,${slugs[2]}`)];
    expect(await importPaperBallots(h.db, CENTRE, `arrondissement,selections\n${lines.join("\n")}\n`)).toEqual({
      ok: true,
      imported: 11,
      blank: 0,
    });
    const { report: r } = await readAsClosed(h.db, CENTRE, () => report(CENTRE, "18"));
    expect(r.state).toBe("ranked");
    expect(r.ballots).toBe(11);
    expect(r.breakdown.allSmall).toBe(true);
    expect(r.breakdown.rows.every((row) => row.cells.every((c) => c === null))).toBe(true);
    expect(r.participation.total.paper).toBe(11);
    expect(r.rankings.raw[0]!.rank).toBe(1);
  });

  it("while the vote is open, figures move in steps of ten ballots per arrondissement, never by one ballot", async () => {
    const consultation = (await findReportConsultation(h.db, CENTRE))!;
    const slug = (
      await h.db
        .selectFrom("proposals")
        .select("slug")
        .where("consultation_id", "=", consultation.id)
        .orderBy("position")
        .limit(1)
        .executeTakeFirstOrThrow()
    ).slug;
    const cast = async (n: number) =>
      expect(await importPaperBallots(h.db, CENTRE, `arrondissement,selections\n${`182,${slug}\n`.repeat(n)}`)).toEqual(
        { ok: true, imported: n, blank: 0 },
      );
    const live = async () => (await report(CENTRE, "18")).report;
    // Vierzon (182) reaches 12 ballots: its first step. Bourges (6) and Saint-Amand (5) have none yet.
    await cast(12);
    const first = await live();
    expect(first.ballots).toBe(12);
    // One more ballot: a reader comparing before and after sees nothing move, not even the version.
    await cast(1);
    const after = await live();
    expect(after.ballots).toBe(12);
    expect(after.tallyVersion).toBe(first.tallyVersion);
    expect(after.rankings.raw.map((r) => r.figure)).toEqual(first.rankings.raw.map((r) => r.figure));
    expect(reportJson(after).participation).toEqual(reportJson(first).participation);
    await cast(8);
    expect((await live()).ballots).toBe(12);
    // The tenth new ballot: the place moves by ten at once.
    await cast(1);
    const moved = await live();
    expect(moved.ballots).toBe(22);
    expect(moved.tallyVersion).toBeGreaterThan(first.tallyVersion);
    // The kept counts themselves are exact at every ballot, and read once the vote is closed.
    expect((await readAsClosed(h.db, CENTRE, live)).ballots).toBe(6 + 5 + 22);
    expect(await verifyCounts(h.db, consultation.id)).toEqual([]);
  });

  it("demo ballots go through the real ballots' write path: kept counts equal a recount, whatever the batch size", async () => {
    for (const slug of [NORMANDIE, NOUVELLE_AQUITAINE]) {
      const { consultation } = await report(slug, slug === NORMANDIE ? "14" : "33");
      expect(await verifyCounts(h.db, consultation.id)).toEqual([]);
    }
    const { consultation } = await report(CENTRE, "18");
    const version = await tallyVersion(h.db, consultation.id);
    await generateDemoBallots(h.db, { consultationSlug: CENTRE, count: 40, seed: 9, batchSize: 7 });
    expect(await verifyCounts(h.db, consultation.id)).toEqual([]);
    expect(await tallyVersion(h.db, consultation.id)).toBeGreaterThan(version);
  });

  it("a ballot changed where it was cast is a new tally version too (its counts changed, its totals did not)", async () => {
    const kept = () => readAsClosed(h.db, NORMANDIE, () => report(NORMANDIE, "14"));
    const { consultation, report: before } = await kept();
    const [a, b] = (
      await h.db
        .selectFrom("proposals")
        .select("id")
        .where("consultation_id", "=", consultation.id)
        .orderBy("position")
        .limit(2)
        .execute()
    ).map((p) => p.id);
    const voter = await makePerson(h.db, "14366");
    expect(
      (await changeBallot(h.db, { consultationSlug: NORMANDIE, voter }, () => ({ selections: [a] }))).outcome,
    ).toBe("cast");
    const cast = await kept();
    expect(cast.report.tallyVersion).toBeGreaterThan(before.tallyVersion);
    const selectedA = (r: typeof before) =>
      (r.rankings.raw.find((row) => row.id === a)!.row as { selections: number }).selections;
    expect(selectedA(cast.report)).toBe(selectedA(before) + 1);
    expect(
      (await changeBallot(h.db, { consultationSlug: NORMANDIE, voter }, () => ({ selections: [b] }))).outcome,
    ).toBe("changed");
    const changed = await kept();
    expect(changed.report.tallyVersion).toBeGreaterThan(cast.report.tallyVersion);
    expect(selectedA(changed.report)).toBe(selectedA(before));
    expect(changed.report.ballots).toBe(cast.report.ballots);
  });

  it("refuses territories the consultation does not cover", async () => {
    const normandie = (await findReportConsultation(h.db, NORMANDIE))!;
    expect(await findReportTerritory(h.db, normandie, "33")).toBeNull();
    expect(await findReportTerritory(h.db, normandie, "inconnu")).toBeNull();
    const yvelines = (await findReportConsultation(h.db, "yvelines-cts78-cnr-sante-2022"))!;
    expect(await findReportTerritory(h.db, yvelines, "78")).not.toBeNull();
    expect(await findReportTerritory(h.db, yvelines, "75")).toBeNull();
  });
});
