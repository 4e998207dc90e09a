import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DatabaseHandle } from "../../db/connect";
import { CommentError, listComments, postComment, type Actor } from "../../app/comments/comments.server";
import {
  moderate,
  moderationLog,
  moderationQueue,
  flagContent,
  requestReview,
} from "../../app/moderation/moderation.server";
import { testDatabases } from "../support/databases";
import { makePerson } from "../support/people";
// Refusals are asserted as the status the person gets (the routes layer's mapping of their code).
import { REFUSAL_STATUS } from "../../app/web/access.server";

const NORMANDIE = "normandie-cnr-sante-2022";

async function refusal(promise: Promise<unknown>): Promise<{ status: number; message: string }> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof CommentError) return { status: REFUSAL_STATUS[error.code], message: error.message };
    throw error;
  }
  throw new Error("expected a refusal");
}

describe.each(testDatabases)("reports and moderation on $name", ({ openLoaded }) => {
  let h: DatabaseHandle;
  let proposalIds: string[];
  let next = 0;
  let moderator: Actor & { email: string };
  let elsewhere: Actor & { email: string };

  const person = (commune = "14366", options: Parameters<typeof makePerson>[2] = {}) =>
    makePerson(h.db, commune, options);
  const comment = async (author: Actor, text = "Un commentaire à examiner, numéro ") =>
    postComment(h.db, {
      proposalId: proposalIds[next++ % proposalIds.length]!,
      actor: author,
      stance: "for",
      body: `${text}${next}.`,
      anonymous: true,
    });
  const state = async (id: string) =>
    h.db
      .selectFrom("comments")
      .select(["moderation", "hidden_reason", "review_requested_at", "reviewed_at"])
      .where("id", "=", id)
      .executeTakeFirstOrThrow();
  const mailsTo = async (email: string) =>
    h.db
      .selectFrom("outbox")
      .select(["subject", "body_text"])
      .where("to_address", "=", email)
      .orderBy("created_at")
      .execute();
  const logOf = async (id: string) =>
    h.db.selectFrom("moderation_log").selectAll().where("target_id", "=", id).orderBy("created_at").execute();

  beforeAll(async () => {
    h = await openLoaded();
    const rows = await h.db
      .selectFrom("proposals")
      .innerJoin("consultations", "consultations.id", "proposals.consultation_id")
      .select("proposals.id")
      .where("consultations.slug", "=", NORMANDIE)
      .orderBy("proposals.position")
      .execute();
    proposalIds = rows.map((r) => r.id);
    moderator = await person("14118", { roles: [{ role: "moderator", scope: "28" }] });
    elsewhere = await person("75056", { roles: [{ role: "moderator", scope: "11" }] });
  });
  afterAll(async () => h?.close());

  it("refuses reporting one's own comment, and a second report by the same person", async () => {
    const author = await person();
    const { id } = await comment(author);
    expect(await refusal(flagContent(h.db, { kind: "comment", id, reporterId: author.id, reason: "spam" }))).toEqual({
      status: 403,
      message: "Vous ne pouvez pas signaler votre propre commentaire.",
    });
    const reporter = await person();
    await flagContent(h.db, { kind: "comment", id, reporterId: reporter.id, reason: "spam" });
    expect(
      (await refusal(flagContent(h.db, { kind: "comment", id, reporterId: reporter.id, reason: "insult" }))).status,
    ).toBe(409);
    const reports = await h.db.selectFrom("flags").selectAll().where("target_id", "=", id).execute();
    expect(reports).toHaveLength(1);
    expect((await state(id)).moderation).toBe("visible");
  });

  // Finding 4 of issue 14: three throw-away accounts hid any comment.
  it("only verified residents of the consultation's region report, with a French reason otherwise", async () => {
    const author = await person();
    const { id } = await comment(author);
    const cases: [Promise<{ id: string }>, string][] = [
      [person("14366", { verified: false }), "Confirmez d’abord votre adresse électronique"],
      [person("33063"), "Seuls les habitants de la région de cette consultation peuvent signaler"],
      [person("14366", { resident: false }), "Seuls les habitants inscrits peuvent signaler"],
    ];
    for (const [who, message] of cases) {
      const reporter = await who;
      const refused = await refusal(
        flagContent(h.db, { kind: "comment", id, reporterId: reporter.id, reason: "spam" }),
      );
      expect(refused.status).toBe(403);
      expect(refused.message).toContain(message);
    }
    expect(await h.db.selectFrom("flags").select("id").where("target_id", "=", id).execute()).toHaveLength(0);
    // Two of the region and a Bordeaux account: no hide; the third of the region hides it.
    await flagContent(h.db, { kind: "comment", id, reporterId: (await person("14118")).id, reason: "spam" });
    await flagContent(h.db, { kind: "comment", id, reporterId: (await person("76540")).id, reason: "spam" });
    await refusal(flagContent(h.db, { kind: "comment", id, reporterId: (await person("33063")).id, reason: "spam" }));
    expect((await state(id)).moderation).toBe("visible");
    const third = await flagContent(h.db, {
      kind: "comment",
      id,
      reporterId: (await person("50502")).id,
      reason: "spam",
    });
    expect(third.autoHidden).toBe(true);
  });

  it("hides an item after 3 distinct reports, logs it as automatic and tells the author", async () => {
    const author = await person();
    const { id } = await comment(author);
    const reporters = await Promise.all([person(), person(), person(), person()]);
    expect(
      (await flagContent(h.db, { kind: "comment", id, reporterId: reporters[0]!.id, reason: "insult" })).autoHidden,
    ).toBe(false);
    expect(
      (await flagContent(h.db, { kind: "comment", id, reporterId: reporters[1]!.id, reason: "insult" })).autoHidden,
    ).toBe(false);
    expect(
      (
        await flagContent(h.db, {
          kind: "comment",
          id,
          reporterId: reporters[2]!.id,
          reason: "personal_data",
          details: "nomme un voisin",
        })
      ).autoHidden,
    ).toBe(true);
    // Once hidden, it is the moderators' business: a fourth report is refused, nothing changes.
    expect(
      (await refusal(flagContent(h.db, { kind: "comment", id, reporterId: reporters[3]!.id, reason: "spam" }))).status,
    ).toBe(409);
    expect(await h.db.selectFrom("flags").select("id").where("target_id", "=", id).execute()).toHaveLength(3);
    expect((await state(id)).moderation).toBe("pending_review");
    const log = await logOf(id);
    expect(log.map((l) => [l.action, l.actor_label, l.actor_id])).toEqual([["auto_hide", "système", null]]);
    const mails = await mailsTo(author.email);
    expect(mails.at(-1)?.subject).toMatch(/masqué en attente d’examen/);
    // The public sees a placeholder, the author their text.
    const forPublic = await listComments(h.db, {
      proposalId: proposalIds[(next - 1) % proposalIds.length]!,
      viewerId: null,
      filters: { sort: "recents", page: 1 },
      open: true,
    });
    expect(forPublic.items.find((c) => c.id === id)).toMatchObject({ state: "pending_review", body: "" });
    const forAuthor = await listComments(h.db, {
      proposalId: proposalIds[(next - 1) % proposalIds.length]!,
      viewerId: author.id,
      filters: { sort: "recents", page: 1 },
      open: true,
    });
    expect(forAuthor.items.find((c) => c.id === id)?.body).toMatch(/examiner/);
  });

  it("serves the region's queue oldest first, with the reports and the author's history; other regions see nothing", async () => {
    const author = await person();
    const older = await comment(author);
    const newer = await comment(author);
    const [r1, r2] = await Promise.all([person(), person()]);
    await flagContent(h.db, {
      kind: "comment",
      id: newer.id,
      reporterId: r1.id,
      reason: "spam",
      now: new Date(Date.now() - 60_000),
    });
    await flagContent(h.db, {
      kind: "comment",
      id: older.id,
      reporterId: r2.id,
      reason: "off_topic",
      now: new Date(Date.now() - 120_000),
    });
    const queue = await moderationQueue(h.db, ["28"]);
    const mine = queue.filter((q) => q.id === older.id || q.id === newer.id);
    expect(mine.map((q) => q.id)).toEqual([older.id, newer.id]);
    expect(mine[0]).toMatchObject({ kind: "comment", authorHistory: { total: 2, hidden: 0 }, regionName: "Normandie" });
    expect(mine[0]!.flags.map((r) => r.reason)).toEqual(["off_topic"]);
    const waits = queue.map((q) => q.waitingSince);
    expect([...waits].sort()).toEqual(waits);
    expect(await moderationQueue(h.db, ["11"])).toEqual([]);
  });

  it("hides with a reason shown in place, e-mails the author, who may ask for a review once; upholding is logged", async () => {
    const author = await person();
    const { id } = await comment(author);
    const reporter = await person();
    await flagContent(h.db, { kind: "comment", id, reporterId: reporter.id, reason: "personal_data" });
    expect(
      (
        await refusal(
          moderate(h.db, { moderator: elsewhere, intent: "hide", kind: "comment", id, reason: "personal_data" }),
        )
      ).status,
    ).toBe(403);
    expect((await refusal(moderate(h.db, { moderator, intent: "hide", kind: "comment", id }))).status).toBe(400);
    await moderate(h.db, {
      moderator,
      intent: "hide",
      kind: "comment",
      id,
      reason: "personal_data",
      note: "Nom d’un patient.",
    });
    expect(await state(id)).toMatchObject({ moderation: "hidden", hidden_reason: "personal_data" });
    const reports = await h.db.selectFrom("flags").select(["resolution"]).where("target_id", "=", id).execute();
    expect(reports.map((r) => r.resolution)).toEqual(["upheld"]);
    const mail = (await mailsTo(author.email)).at(-1)!;
    expect(mail.subject).toMatch(/masqué par la modération/);
    expect(mail.body_text).toContain("Motif : données personnelles.");
    expect(mail.body_text).toContain("Nom d’un patient.");
    const proposalId = proposalIds[(next - 1) % proposalIds.length]!;
    const shown = (
      await listComments(h.db, { proposalId, viewerId: null, filters: { sort: "recents", page: 1 }, open: true })
    ).items.find((c) => c.id === id);
    expect(shown).toMatchObject({ state: "hidden", hiddenReason: "personal_data", body: "" });
    const own = (
      await listComments(h.db, { proposalId, viewerId: author.id, filters: { sort: "recents", page: 1 }, open: true })
    ).items.find((c) => c.id === id);
    expect(own).toMatchObject({ canReview: true, review: "none" });
    // Upholding with no review asked says so (not "another moderator handled it").
    const nothing = await refusal(moderate(h.db, { moderator, intent: "uphold", kind: "comment", id }));
    expect(nothing.status).toBe(409);
    expect(nothing.message).toContain("n’a pas demandé de réexamen");
    expect(nothing.message).not.toContain("Un autre modérateur");

    expect((await refusal(requestReview(h.db, { kind: "comment", id, userId: reporter.id }))).status).toBe(403);
    await requestReview(h.db, {
      kind: "comment",
      id,
      userId: author.id,
      message: "Il n’y a aucun nom dans mon texte.",
    });
    expect((await refusal(requestReview(h.db, { kind: "comment", id, userId: author.id }))).status).toBe(409);
    const queued = (await moderationQueue(h.db, ["28"])).find((q) => q.id === id);
    expect(queued).toMatchObject({
      reviewRequested: true,
      reviewMessage: "Il n’y a aucun nom dans mon texte.",
      authorHistory: { total: 1, hidden: 1 },
    });
    await moderate(h.db, {
      moderator,
      intent: "uphold",
      kind: "comment",
      id,
      note: "Le prénom et la pathologie y sont.",
    });
    expect((await state(id)).reviewed_at).not.toBeNull();
    // The author's page no longer says a review is pending.
    const afterReview = (
      await listComments(h.db, { proposalId, viewerId: author.id, filters: { sort: "recents", page: 1 }, open: true })
    ).items.find((c) => c.id === id);
    expect(afterReview).toMatchObject({ canReview: false, review: "upheld" });
    expect((await moderationQueue(h.db, ["28"])).some((q) => q.id === id)).toBe(false);
    expect((await mailsTo(author.email)).at(-1)?.subject).toMatch(/reste masqué/);
    const log = await logOf(id);
    expect(log.map((l) => l.action)).toEqual(["hide", "review_requested", "review_upheld"]);
    expect(log[0]).toMatchObject({
      actor_id: moderator.id,
      actor_label: moderator.email,
      reason: "personal_data",
      note: "Nom d’un patient.",
      region_code: "28",
    });
    // Once reviewed, the author cannot ask again.
    expect((await refusal(requestReview(h.db, { kind: "comment", id, userId: author.id }))).status).toBe(409);
  });

  it("restores a hidden item and dismisses unfounded reports (an auto-hidden item comes back)", async () => {
    const author = await person();
    const hidden = await comment(author);
    await moderate(h.db, { moderator, intent: "hide", kind: "comment", id: hidden.id, reason: "spam" });
    await moderate(h.db, { moderator, intent: "restore", kind: "comment", id: hidden.id });
    expect(await state(hidden.id)).toMatchObject({ moderation: "visible", hidden_reason: null });
    expect(
      (await refusal(moderate(h.db, { moderator, intent: "restore", kind: "comment", id: hidden.id }))).status,
    ).toBe(409);

    const reported = await comment(author);
    const reporters = await Promise.all([person(), person(), person()]);
    for (const r of reporters)
      await flagContent(h.db, { kind: "comment", id: reported.id, reporterId: r.id, reason: "insult" });
    expect((await state(reported.id)).moderation).toBe("pending_review");
    await moderate(h.db, { moderator, intent: "dismiss", kind: "comment", id: reported.id });
    expect((await state(reported.id)).moderation).toBe("visible");
    const open = await h.db
      .selectFrom("flags")
      .select("id")
      .where("target_id", "=", reported.id)
      .where("resolved_at", "is", null)
      .execute();
    expect(open).toEqual([]);
    expect((await logOf(reported.id)).map((l) => l.action)).toEqual(["auto_hide", "dismiss"]);
  });

  it("lets only one of two moderators acting at once decide", async () => {
    const author = await person();
    const { id } = await comment(author);
    const other = await person("14118", { roles: [{ role: "moderator", scope: "28" }] });
    const results = await Promise.allSettled([
      moderate(h.db, { moderator, intent: "hide", kind: "comment", id, reason: "spam" }),
      moderate(h.db, { moderator: other, intent: "hide", kind: "comment", id, reason: "insult" }),
    ]);
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    const rejected = results.find((r) => r.status === "rejected") as PromiseRejectedResult;
    expect(rejected.reason).toBeInstanceOf(CommentError);
    expect((await logOf(id)).filter((l) => l.action === "hide")).toHaveLength(1);
  });

  it("keeps every action in the log, newest first, for administrators", async () => {
    const log = await moderationLog(h.db, { page: 1 });
    expect(log.total).toBeGreaterThan(5);
    const times = log.entries.map((e) => e.created_at);
    expect([...times].sort().reverse()).toEqual(times);
    expect(log.entries.every((e) => e.actor_label && e.action)).toBe(true);
    expect(log.entries.find((e) => e.action === "hide")?.proposal_slug).toBeTruthy();
    // Rows on comments name their author and begin their text, so they can be told apart.
    const onComments = log.entries.filter((e) => e.target_kind === "comment");
    expect(onComments.length).toBeGreaterThan(2);
    expect(onComments.every((e) => e.author === "un·e habitant·e" && e.excerpt?.startsWith("Un commentaire"))).toBe(
      true,
    );
    expect(new Set(onComments.map((e) => e.excerpt)).size).toBeGreaterThan(1);
  });
});
