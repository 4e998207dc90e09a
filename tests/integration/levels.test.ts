import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DatabaseHandle } from "../../db/connect";
import type { AssuranceLevel } from "../../db/schema";
import { changeBallot } from "../../app/ballots/ballots.server";
import { resultsDocument } from "../../app/ballots/results-api.server";
import { recordVerification } from "../../app/identity/assurance.server";
import { buildCtsReport, findReportConsultation, findReportTerritory } from "../../app/reports/cts-report.server";
import { reportCsv, reportJson } from "../../app/reports/exports.server";
import { makePerson } from "../support/people";
import { readAsClosed } from "../support/phases";
import { settleIntervals } from "../../app/ballots/intervals.server";
import { testDatabases } from "../support/databases";

const SLUG = "normandie-cnr-sante-2022";
const CTS = "76-rouen-elbeuf";
const METHOD_OF: Record<Exclude<AssuranceLevel, "email">, "franceconnect" | "postal_code" | "counter"> = {
  identity: "franceconnect",
  residence: "postal_code",
  in_person: "counter",
};

describe.each(testDatabases)("rankings by assurance level on $name", ({ openLoaded }) => {
  let h: DatabaseHandle;
  let ids: string[];
  let slugs: string[];
  const admin = {
    id: "a",
    email: "a@exemple.fr",
    emailVerified: true,
    communeCode: "76540",
    displayName: null,
    assuranceLevel: "email" as const,
    roles: [{ role: "admin" as const, scope: "" }],
  };
  beforeAll(async () => {
    h = await openLoaded();
    const proposals = await h.db
      .selectFrom("proposals")
      .innerJoin("consultations", "consultations.id", "proposals.consultation_id")
      .select(["proposals.id", "proposals.slug"])
      .where("consultations.slug", "=", SLUG)
      .orderBy("proposals.position")
      .limit(12)
      .execute();
    ids = proposals.map((p) => p.id);
    slugs = proposals.map((p) => p.slug);
    // E-mail-only voters favour the first proposals, verified voters the next ones.
    const plan: [AssuranceLevel, number, number[]][] = [
      ["email", 25, [0, 1, 2]],
      ["identity", 20, [3, 4, 0]],
      ["residence", 12, [3, 4, 5]],
      ["in_person", 3, [5, 6]],
    ];
    for (const [level, count, picks] of plan) {
      for (let i = 0; i < count; i++) {
        const voter = await makePerson(h.db, "76540");
        if (level !== "email") await recordVerification(h.db, { userId: voter.id, method: METHOD_OF[level] });
        await changeBallot(h.db, { consultationSlug: SLUG, voter }, () => ({ selections: picks.map((p) => ids[p]!) }));
      }
    }
  }, 120_000);
  // Rank intervals computed behind the last requests end before the database closes.
  afterAll(async () => {
    await settleIntervals();
    await h?.close();
  });

  const api = () => resultsDocument(h.db, { slug: SLUG, territory: `cts:${CTS}`, weighting: "raw", user: admin });

  it("while the vote is open: no ranking by level, and it says why", async () => {
    const doc = await api();
    expect(doc.byLevel).toMatchObject({ unavailable: expect.stringMatching(/clôture du vote/), groups: [] });
  });

  it("once closed: each level's ranking with its ballots, small levels withheld (and one more with them)", async () => {
    const doc = await readAsClosed(h.db, SLUG, api);
    const groups = Object.fromEntries(doc.byLevel!.groups.map((g) => [g.level, g]));
    expect(groups.all!.ballots).toBe(60);
    expect(groups.email!.ballots).toBe(25);
    expect(groups.identity!.ballots).toBe(20);
    // 3 at a counter: under the threshold; the 12 by letter withheld with them, or 60 − 25 − 20 would tell.
    expect(groups.in_person).toMatchObject({ ballots: null, smallGroup: "moins de 10 votants", ranking: [] });
    expect(groups.residence).toMatchObject({ ballots: null, smallGroup: "secret statistique", ranking: [] });
    expect(groups.paper!.ballots).toBe(0);
    // Each ranking is a recount of that level's ballots.
    const identity = new Map(groups.identity!.ranking.map((r) => [r.proposal, r as unknown as { selections: number }]));
    expect(identity.get(slugs[3]!)!.selections).toBe(20);
    expect(identity.get(slugs[1]!)!.selections).toBe(0);
    const email = groups.email!.ranking;
    expect(
      email
        .slice(0, 3)
        .map((r) => r.proposal)
        .sort(),
    ).toEqual([slugs[0], slugs[1], slugs[2]].sort());
    // All ballots: the same ranking as the published one.
    expect(groups.all!.ranking.map((r) => [r.proposal, r.rank])).toEqual(doc.ranking.map((r) => [r.proposal, r.rank]));
    // 35 verified voters (the withheld levels are every withheld part: their sum is known anyway).
    expect(doc.byLevel!.verified).toMatchObject({ ballots: 35, top: 10 });
    expect(doc.byLevel!.verified.sentence).toMatch(/35 votants vérifiés/);
    expect(doc.byLevel!.verified.sentence).toMatch(/corrélation de rang de Spearman -?\d,\d\d, intervalle à 90 %/);
  });

  it("the CTS report and its exports give the same rankings by level as the API", async () => {
    const [doc, report] = await readAsClosed(h.db, SLUG, async () => {
      const consultation = (await findReportConsultation(h.db, SLUG))!;
      return [
        await api(),
        await buildCtsReport(h.db, consultation, (await findReportTerritory(h.db, consultation, CTS))!),
      ];
    });
    const json = reportJson(report);
    expect(json.byLevel.groups.map((g) => [g.level, g.ballots, g.rankings.raw.map((r) => r.rank)])).toEqual(
      doc.byLevel!.groups.map((g) => [g.level, g.ballots, g.ranking.map((r) => r.rank)]),
    );
    expect(json.byLevel.verified.sentence).toBe(doc.byLevel!.verified.sentence);
    const csv = [...reportCsv(report)].join("");
    expect(csv).toContain("Classements par niveau de garantie");
    expect(csv).toContain("Identité (FranceConnect) (20 bulletins)");
    expect(csv).toContain("Guichet (vérifié en personne) (moins de 10 votants)");
  });
});
