import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DatabaseHandle } from "../../db/connect";
import type { ConsultationStatus } from "../../db/schema";
import { answersDocument } from "../../app/answers/open-data.server";
import { resultsDocument } from "../../app/ballots/results-api.server";
import { openDataIndex, type IndexedConsultation } from "../../app/reports/open-data-index.server";
import { ctsReportAccess, regionResultsAccess } from "../../app/reports/report-access.server";
import { testDatabases } from "../support/databases";

// The index lists a link exactly when the route behind it answers an anonymous reader, in every
// phase: each link is checked against the domain decision its route takes (the HTTP answers
// themselves are checked in open-data-api.test.ts).

const SITE = "https://priorites-sante.exemple.fr";
const NORMANDIE = "normandie-cnr-sante-2022";
const YVELINES = "yvelines-cts78-cnr-sante-2022";
const DRAFT = "brouillon-normandie";

/** Whether the route behind each kind of link answers an anonymous reader (a domain call each). */
async function anonymousAnswers(h: DatabaseHandle, c: IndexedConsultation) {
  const settles = (run: () => Promise<unknown>) =>
    run().then(
      () => true,
      () => false,
    );
  const regionView = (await regionResultsAccess(h.db, null, c.slug)).ok;
  return {
    resultsPage: regionView,
    dataset: regionView,
    datasetDescription: regionView,
    results: await settles(() =>
      resultsDocument(h.db, { slug: c.slug, territory: `region:${c.region.code}`, weighting: null, user: null }),
    ),
    answers: await settles(() => answersDocument(h.db, { slug: c.slug, cts: null })),
    answersCsv: await settles(() => answersDocument(h.db, { slug: c.slug, cts: null })),
    cts: await Promise.all(
      c.cts.map(async (t) => ({
        results: await settles(() =>
          resultsDocument(h.db, { slug: c.slug, territory: `cts:${t.code}`, weighting: null, user: null }),
        ),
        answers: await settles(() => answersDocument(h.db, { slug: c.slug, cts: t.code })),
        report: (await ctsReportAccess(h.db, null, { code: t.code, slug: c.slug })).ok,
        answersPage: await settles(() => answersDocument(h.db, { slug: c.slug, cts: t.code })),
      })),
    ),
  };
}

describe.each(testDatabases)("open-data index, on $name", ({ openLoaded }) => {
  let h: DatabaseHandle;
  beforeAll(async () => {
    h = await openLoaded();
    // A draft: a copy of Normandie under another slug, never shown.
    const row = await h.db
      .selectFrom("consultations")
      .selectAll()
      .where("slug", "=", NORMANDIE)
      .executeTakeFirstOrThrow();
    await h.db
      .insertInto("consultations")
      .values({ ...row, id: "brouillon-id", slug: DRAFT, title: "Brouillon", status: "draft", position: 99 })
      .execute();
  });
  afterAll(async () => h?.close());

  const index = () => openDataIndex(h.db, { site: SITE, now: new Date("2026-12-05T08:00:00.000Z") });
  const setPhase = (slug: string, status: ConsultationStatus, live: 0 | 1 = 0) =>
    h.db.updateTable("consultations").set({ status, live_results: live }).where("slug", "=", slug).execute();

  it("lists the consultations the public sees, never a draft nor an unknown slug, with their territories", async () => {
    const document = await index();
    const slugs = document.consultations.map((c) => c.slug);
    expect(slugs).toHaveLength(4);
    expect(slugs).toContain(NORMANDIE);
    expect(slugs).not.toContain(DRAFT);
    expect(slugs).not.toContain("inconnue");
    expect(document.openapi).toBe(`${SITE}/api/v1/openapi.json`);
    const normandie = document.consultations.find((c) => c.slug === NORMANDIE)!;
    expect(normandie.method).toEqual({ code: "approval", label: "Vote par approbation" });
    expect(normandie.status).toEqual({ code: "open", label: "Ouverte" });
    expect(normandie.region).toEqual({ code: "28", name: "Normandie" });
    // One CTS per département, Seine-Maritime's three apart: 5 − 1 + 3.
    expect(normandie.cts.map((t) => t.code)).toEqual([
      "14",
      "27",
      "50",
      "61",
      "76-dieppe",
      "76-le-havre",
      "76-rouen-elbeuf",
    ]);
    expect(normandie.cts.find((t) => t.code === "14")!.name).toBe("Calvados");
    // A CTS's own consultation covers that CTS only.
    expect(document.consultations.find((c) => c.slug === YVELINES)!.cts.map((t) => t.code)).toEqual(["78"]);
    expect(normandie.resources.page).toBe(`${SITE}/consultations/${NORMANDIE}`);
    await expect(
      resultsDocument(h.db, { slug: DRAFT, territory: null, weighting: null, user: null }),
    ).rejects.toMatchObject({ code: "not-found" });
    await expect(answersDocument(h.db, { slug: DRAFT, cts: null })).rejects.toMatchObject({ code: "not-found" });
  });

  const PHASES: { name: string; status: ConsultationStatus; live: 0 | 1; publicResults: string }[] = [
    { name: "open", status: "open", live: 0, publicResults: "none" },
    { name: "open, live results on", status: "open", live: 1, publicResults: "live" },
    { name: "closed", status: "closed", live: 0, publicResults: "none" },
    { name: "closed, live results left on", status: "closed", live: 1, publicResults: "none" },
    { name: "results published", status: "results_published", live: 0, publicResults: "published" },
  ];

  it.each(PHASES)("$name: a link is listed exactly when its route answers everyone", async (phase) => {
    await setPhase(NORMANDIE, phase.status, phase.live);
    try {
      const c = (await index()).consultations.find((x) => x.slug === NORMANDIE)!;
      expect(c.publicResults.code).toBe(phase.publicResults);
      const answers = await anonymousAnswers(h, c);
      const { page, ...links } = c.resources;
      expect(page).not.toBeNull();
      expect(Object.fromEntries(Object.entries(links).map(([k, v]) => [k, v !== null]))).toEqual({
        resultsPage: answers.resultsPage,
        results: answers.results,
        dataset: answers.dataset,
        datasetDescription: answers.datasetDescription,
        answers: answers.answers,
        answersCsv: answers.answersCsv,
      });
      expect(
        c.cts.map((t) => ({
          results: t.results !== null,
          answers: t.answers !== null,
          report: t.report !== null,
          answersPage: t.answersPage !== null,
        })),
      ).toEqual(answers.cts);
      // Each phase opens something or nothing, never by halves.
      const listed = [
        ...Object.values(links),
        ...c.cts.flatMap((t) => [t.results, t.answers, t.report, t.answersPage]),
      ];
      if (phase.publicResults === "published") expect(listed.every((l) => l !== null)).toBe(true);
      if (phase.publicResults === "none") expect(listed.every((l) => l === null)).toBe(true);
      if (phase.publicResults === "published") {
        expect(c.resources.results).toBe(`${SITE}/api/v1/consultations/${NORMANDIE}/results?territory=region:28`);
        expect(c.cts.find((t) => t.code === "76-rouen-elbeuf")).toMatchObject({
          results: `${SITE}/api/v1/consultations/${NORMANDIE}/results?territory=cts:76-rouen-elbeuf`,
          answers: `${SITE}/api/v1/consultations/${NORMANDIE}/answers?cts=76-rouen-elbeuf`,
          report: `${SITE}/cts/76-rouen-elbeuf/rapports/${NORMANDIE}`,
          answersPage: `${SITE}/consultations/${NORMANDIE}/reponses/76-rouen-elbeuf`,
        });
      }
    } finally {
      await setPhase(NORMANDIE, "open");
    }
  });
});
