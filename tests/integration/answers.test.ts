import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DatabaseHandle } from "../../db/connect";
import { loadTerritories } from "../../db/territories/load";
import { loadCatalogue } from "../../app/catalogue/catalogue-load.server";
import { changeBallot } from "../../app/ballots/ballots.server";
import { advanceConsultation } from "../../app/ballots/lifecycle.server";
import {
  AnswerError,
  answerForEditing,
  answerWorkspace,
  answersForProposalPage,
  pastDue,
  publishedAnswers,
  requireAnswerScope,
  saveAnswer,
} from "../../app/answers/answers.server";
import { setNoticeWish } from "../../app/answers/choices.server";
import { answerSchema } from "../../app/answers/forms";
import { runNotices } from "../../app/answers/notices.server";
import { publishAnswers } from "../../app/answers/publication.server";
import { ctsFollowUp } from "../../app/answers/follow-up.server";
import type { SessionUser } from "../../app/identity/session.server";
import ExcelJS from "exceljs";
import { generateDemoBallots } from "../../app/ballots/demo-ballots.server";
import { answersCsvRows, answersDocument } from "../../app/answers/open-data.server";
import { withAnswers } from "../../app/answers/report-answers.server";
import { buildCtsReport, findReportConsultation, findReportTerritory } from "../../app/reports/cts-report.server";
import { reportCsv, reportJson, reportPdf, reportXlsx } from "../../app/reports/exports.server";
import { testDatabases } from "../support/databases";
import { pdfText } from "../support/pdf-text";
import { makePerson } from "../support/people";

const SLUG = "normandie-cnr-sante-2022";
const ROUEN = "76-rouen-elbeuf";
const CALVADOS = "14";

const form = (over: Record<string, string> = {}) => {
  const parsed = answerSchema.safeParse({
    baseVersion: "0",
    status: "retenue",
    justification: "Le CTS inscrit cette proposition dans sa feuille de route 2026.",
    answeredOn: "2026-12-01",
    ...over,
  });
  if (!parsed.success) throw new Error(JSON.stringify(parsed.error.issues));
  return parsed.data;
};

describe("answer form", () => {
  it("refuses a justification shorter than 20 characters and a link that is not https", () => {
    const r = answerSchema.safeParse({
      baseVersion: "0",
      status: "retenue",
      justification: "Trop court",
      planReference: "PRS objectif 3",
      planUrl: "javascript:alert(1)",
      answeredOn: "2026-12-01",
    });
    expect(r.success).toBe(false);
    const paths = r.error!.issues.map((i) => i.path.join("."));
    expect(paths).toEqual(expect.arrayContaining(["justification", "planUrl"]));
    expect(answerSchema.safeParse({ ...form(), baseVersion: "0", planUrl: "http://ars.fr" }).success).toBe(false);
  });
});

describe.each(testDatabases)("CTS answers on $name", ({ open }) => {
  let h: DatabaseHandle;
  let consultationId = "";
  let proposals: { id: string; slug: string; title: string }[] = [];
  let member: SessionUser;
  let calvadosMember: SessionUser;
  const voters: { id: string; email: string }[] = [];

  beforeAll(async () => {
    h = await open();
    await loadTerritories(h.db);
    await loadCatalogue(h.db);
    // Enough ballots for Calvados and Rouen-Elbeuf to be ranked (the report's ranking tables).
    await generateDemoBallots(h.db, { consultationSlug: SLUG, count: 600, seed: 18 });
    const c = await h.db.selectFrom("consultations").select("id").where("slug", "=", SLUG).executeTakeFirstOrThrow();
    consultationId = c.id;
    proposals = await h.db
      .selectFrom("proposals")
      .select(["id", "slug", "title"])
      .where("consultation_id", "=", consultationId)
      .orderBy("position")
      .limit(4)
      .execute();
    member = (await makePerson(h.db, "76540", {
      resident: false,
      roles: [{ role: "cts_member", scope: ROUEN }],
    })) as unknown as SessionUser;
    calvadosMember = (await makePerson(h.db, "14366", {
      resident: false,
      roles: [{ role: "cts_member", scope: CALVADOS }],
    })) as unknown as SessionUser;
    // Five residents of Lisieux (CTS Calvados) vote; four asked to be told (one after voting).
    for (let i = 0; i < 5; i++) {
      const p = await makePerson(h.db, "14366");
      if (i < 3) await setNoticeWish(h.db, p.id, true);
      await changeBallot(h.db, { consultationSlug: SLUG, voter: p }, () => ({
        selections: [proposals[0]!.id, proposals[1 + (i % 2)]!.id],
      }));
      if (i === 3) await setNoticeWish(h.db, p.id, true);
      voters.push(p);
    }
  }, 120_000);
  afterAll(async () => h?.close());

  it("a member answers only for their own CTS (403), and a proposal of another consultation is not theirs", async () => {
    await expect(requireAnswerScope(h.db, member, SLUG, CALVADOS)).rejects.toMatchObject({ status: 403 });
    await expect(requireAnswerScope(h.db, null, SLUG, ROUEN)).rejects.toMatchObject({ status: 403 });
    await expect(requireAnswerScope(h.db, member, "centre-val-de-loire-cnr-sante-2022", ROUEN)).rejects.toMatchObject({
      status: 404,
    });
    const scope = await requireAnswerScope(h.db, member, SLUG, ROUEN);
    expect(scope.territory.name).toBe("Rouen-Elbeuf");
  });

  it("drafts are versioned, a concurrent edit is refused with the first editor's text, nothing is published before results", async () => {
    const ids = { consultationId, ctsCode: ROUEN, proposalId: proposals[0]!.id, authorId: member.id };
    expect(await saveAnswer(h.db, { ...ids, value: form() })).toEqual({ ok: true, version: 1 });
    // Two members opened version 1; the first saves, the second is told and sees the first's text.
    const first = await saveAnswer(h.db, {
      ...ids,
      value: form({ baseVersion: "1", status: "a_l_etude", justification: "Texte du premier membre, enregistré." }),
    });
    expect(first).toEqual({ ok: true, version: 2 });
    const second = await saveAnswer(h.db, {
      ...ids,
      value: form({ baseVersion: "1", justification: "Texte du second membre, refusé." }),
    });
    expect(second.ok).toBe(false);
    if (!second.ok) {
      expect(second.conflict.version).toBe(2);
      expect(second.conflict.current.justification).toBe("Texte du premier membre, enregistré.");
    }
    const editing = await answerForEditing(h.db, ids);
    expect(editing!.versions.map((v) => v.version)).toEqual([2, 1]);
    expect(editing!.publishedVersion).toBeNull();
    // Before publication, residents see nothing.
    expect(await answersForProposalPage(h.db, proposals[0]!.id, ROUEN)).toEqual([]);
    await expect(publishAnswers(h.db, { consultationId, ctsCode: ROUEN, userId: member.id })).rejects.toMatchObject({
      status: 409,
      message: expect.stringMatching(/après la publication des résultats/),
    });
  });

  it("after results, one action publishes the drafts (journaled); an amendment is a new published version with history", async () => {
    await saveAnswer(h.db, {
      consultationId,
      ctsCode: CALVADOS,
      proposalId: proposals[0]!.id,
      authorId: calvadosMember.id,
      value: form({
        status: "retenue_en_partie",
        justification: "Calvados : retenue pour le Pays d’Auge, voir https://www.normandie.ars.sante.fr.",
      }),
    });
    await saveAnswer(h.db, {
      consultationId,
      ctsCode: CALVADOS,
      proposalId: proposals[1]!.id,
      authorId: calvadosMember.id,
      value: form({
        status: "non_retenue",
        justification: "Calvados : déjà couvert par le contrat local de santé.",
        dueOn: "2027-01-15",
      }),
    });
    await advanceConsultation(h.db, SLUG, "closed");
    await advanceConsultation(h.db, SLUG, "results_published");
    const published = await publishAnswers(h.db, { consultationId, ctsCode: ROUEN, userId: member.id });
    expect(published).toMatchObject({ number: 1, answers: 1 });
    await expect(publishAnswers(h.db, { consultationId, ctsCode: ROUEN, userId: member.id })).rejects.toBeInstanceOf(
      AnswerError,
    );
    const journal = await h.db
      .selectFrom("cts_answer_publications")
      .selectAll()
      .where("id", "=", published.id)
      .executeTakeFirstOrThrow();
    expect(journal.published_by).toBe(member.id);

    // Amend, publish again: the public sees version 3 and the history of 2.
    await saveAnswer(h.db, {
      consultationId,
      ctsCode: ROUEN,
      proposalId: proposals[0]!.id,
      authorId: member.id,
      value: form({ baseVersion: "2", status: "retenue", justification: "Retenue après l’avis de la commission." }),
    });
    expect((await answersForProposalPage(h.db, proposals[0]!.id, ROUEN))[0]!.current.version).toBe(2);
    expect((await publishAnswers(h.db, { consultationId, ctsCode: ROUEN, userId: member.id })).number).toBe(2);
    await publishAnswers(h.db, { consultationId, ctsCode: CALVADOS, userId: calvadosMember.id });
    const shown = await answersForProposalPage(h.db, proposals[0]!.id, CALVADOS);
    expect(shown.map((a) => a.ctsCode)).toEqual([CALVADOS, ROUEN]);
    const rouen = shown[1]!;
    expect(rouen.current).toMatchObject({ version: 3, status: "retenue" });
    expect(rouen.history.map((v) => v.version)).toEqual([2]);
    // Version 1 was a draft replaced before publication: never public.
    const all = await publishedAnswers(h.db, { consultationId, ctsCode: ROUEN });
    expect(all.get(proposals[0]!.id)![0]!.history.some((v) => v.version === 1)).toBe(false);
  });

  it("the workspace lists the past-due answers, and the follow-up counts top-ten answers", async () => {
    const ws = await answerWorkspace(
      h.db,
      (await requireAnswerScope(h.db, calvadosMember, SLUG, CALVADOS)).consultation,
      CALVADOS,
    );
    expect(pastDue(ws.rows, "2027-02-01").map((r) => r.id)).toEqual([proposals[1]!.id]);
    expect(pastDue(ws.rows, "2027-01-15")).toEqual([]);
    const followUp = await ctsFollowUp(h.db, consultationId);
    const calvados = followUp.find((f) => f.code === CALVADOS)!;
    expect(calvados.answered).toBe(2);
  });

  it("notices: one e-mail per person who asked, listing their choices with the answers; an interrupted run resumes and nobody gets two", async () => {
    const publication = await h.db
      .selectFrom("cts_answer_publications")
      .select("id")
      .where("cts_code", "=", CALVADOS)
      .executeTakeFirstOrThrow();
    // The ballots are anonymous now: the kept choices are what is left.
    expect(
      await h.db
        .selectFrom("ballots")
        .select("id")
        .where("user_id", "is not", null)
        .where("consultation_id", "=", consultationId)
        .execute(),
    ).toEqual([]);
    let calls = 0;
    const failing = async (
      db: Parameters<typeof runNotices>[0],
      email: { to: string; subject: string; text: string },
    ) => {
      if (++calls === 3) throw new Error("serveur d’envoi indisponible");
      const { sendEmail } = await import("../../app/platform/email.server");
      await sendEmail(db, email);
    };
    await expect(runNotices(h.db, publication.id, { batchSize: 1, send: failing })).rejects.toThrow(/indisponible/);
    const half = await h.db
      .selectFrom("answer_notices_sent")
      .selectAll()
      .where("publication_id", "=", publication.id)
      .execute();
    expect(half).toHaveLength(2);
    expect(await runNotices(h.db, publication.id, { batchSize: 1, maxBatches: 1 })).toEqual({ sent: 1, done: false });
    expect(await runNotices(h.db, publication.id, { batchSize: 1 })).toMatchObject({ done: true });
    expect(await runNotices(h.db, publication.id)).toEqual({ sent: 0, done: true });

    const outbox = await h.db.selectFrom("outbox").selectAll().where("subject", "like", "%Calvados%").execute();
    const to = outbox.map((o) => o.to_address).sort();
    const told = voters
      .slice(0, 4)
      .map((v) => v.email)
      .sort();
    expect(to).toEqual(told);
    const mail = outbox.find((o) => o.to_address === voters[0]!.email)!;
    expect(mail.body_text).toContain(proposals[0]!.title);
    expect(mail.body_text).toContain("Retenue en partie");
    expect(mail.body_text).toContain(proposals[1]!.title);
    expect(mail.body_text).toContain("Non retenue");
    expect(mail.body_text).toContain(`/consultations/${SLUG}/reponses/${CALVADOS}`);
    const progress = await h.db
      .selectFrom("cts_answer_publications")
      .select(["notices_total", "notices_sent", "notices_done_at"])
      .where("id", "=", publication.id)
      .executeTakeFirstOrThrow();
    expect(progress).toMatchObject({ notices_total: 4, notices_sent: 4 });
    expect(progress.notices_done_at).not.toBeNull();
  });

  it("the CTS report and its CSV, JSON, XLSX and PDF carry the published answers (status and justification)", async () => {
    const consultation = (await findReportConsultation(h.db, SLUG))!;
    const territory = (await findReportTerritory(h.db, consultation, CALVADOS))!;
    const report = await withAnswers(h.db, await buildCtsReport(h.db, consultation, territory), consultationId);
    expect(report.state).toBe("ranked");
    const csv = [...reportCsv(report)].join("");
    expect(csv).toContain('"Réponse du CTS";"Justification du CTS"');
    expect(csv).toContain('"Retenue en partie";"Calvados : retenue pour le Pays d’Auge');
    const json = reportJson(report);
    expect(json.answers).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ proposal: proposals[1]!.slug, status: "non_retenue", statusLabel: "Non retenue" }),
      ]),
    );
    const book = new ExcelJS.Workbook();
    await book.xlsx.load((await reportXlsx(report)) as unknown as ArrayBuffer);
    const sheet = book.getWorksheet("Classement brut")!;
    const head = (sheet.getRow(1).values as unknown[]).slice(1);
    expect(head.slice(-2)).toEqual(["Réponse du CTS", "Justification du CTS"]);
    const values = sheet.getSheetValues().flat().map(String);
    expect(values).toContain("Calvados : déjà couvert par le contrat local de santé.");
    const pdf = await pdfText(await reportPdf(report));
    expect(pdf).toContain("Réponses du CTS");
    expect(pdf).toContain("Non retenue");
  });

  it("open data: the answers API and dataset carry the published answers with their history, never drafts", async () => {
    // A draft after the last publication stays out.
    await saveAnswer(h.db, {
      consultationId,
      ctsCode: ROUEN,
      proposalId: proposals[0]!.id,
      authorId: member.id,
      value: form({
        baseVersion: "3",
        status: "non_retenue",
        justification: "Brouillon jamais publié, à ne pas voir.",
      }),
    });
    const document = await answersDocument(h.db, { slug: SLUG, cts: null });
    const rouen = document.answers.find((a) => a.cts.code === ROUEN && a.proposal.slug === proposals[0]!.slug)!;
    expect(rouen).toMatchObject({ version: 3, status: "retenue" });
    expect(rouen.history.map((v) => v.version)).toEqual([2]);
    expect(JSON.stringify(document)).not.toContain("Brouillon jamais publié");
    const rows = answersCsvRows(document);
    expect(rows[0]).toContain("justification");
    expect(rows.length).toBe(document.answers.length + 1);
    expect((await answersDocument(h.db, { slug: SLUG, cts: CALVADOS })).answers).toHaveLength(2);
    await expect(
      answersDocument(h.db, { slug: "centre-val-de-loire-cnr-sante-2022", cts: null }),
    ).rejects.toMatchObject({
      code: "not-found",
    });
  });

  it("turning the wish off removes what was kept for it", async () => {
    await setNoticeWish(h.db, voters[0]!.id, false);
    const kept = await h.db
      .selectFrom("answer_notice_choices")
      .select("user_id")
      .where("user_id", "=", voters[0]!.id)
      .execute();
    expect(kept).toEqual([]);
  });
});
