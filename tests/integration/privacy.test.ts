import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DatabaseHandle } from "../../db/connect";
import { changeBallot } from "../../app/ballots/ballots.server";
import { verifyCounts } from "../../app/ballots/results.server";
import { listComments, postComment, setUseful } from "../../app/comments/comments.server";
import { flagContent } from "../../app/moderation/moderation.server";
import { sendEmail } from "../../app/platform/email.server";
import { deleteAccount } from "../../app/privacy/account-deletion.server";
import { collectMyData } from "../../app/privacy/my-data.server";
import { makePerson } from "../support/people";
import { testDatabases } from "../support/databases";

// « Mes données » and account deletion, on both databases: what the download holds, and that a
// deletion leaves kept counts equal to a recount.

const NORMANDIE = "normandie-cnr-sante-2022";
const TEXT = "Un commentaire d’au moins dix caractères.";

describe.each(testDatabases)("privacy on $name", ({ openLoaded }) => {
  let h: DatabaseHandle;
  let consultationId: string;
  let proposals: string[];

  beforeAll(async () => {
    h = await openLoaded();
    consultationId = (
      await h.db.selectFrom("consultations").select("id").where("slug", "=", NORMANDIE).executeTakeFirstOrThrow()
    ).id;
    proposals = (
      await h.db
        .selectFrom("proposals")
        .select("id")
        .where("consultation_id", "=", consultationId)
        .orderBy("position")
        .execute()
    ).map((r) => r.id);
  });
  afterAll(async () => h?.close());

  const vote = (voter: Awaited<ReturnType<typeof makePerson>>, selections: string[]) =>
    changeBallot(h.db, { consultationSlug: NORMANDIE, voter }, () => ({ selections }));

  async function totalBallots(): Promise<number> {
    const rows = await h.db
      .selectFrom("ballot_totals")
      .select("ballots")
      .where("consultation_id", "=", consultationId)
      .execute();
    return rows.reduce((sum, r) => sum + Number(r.ballots), 0);
  }

  it("downloads everything about the person, without secrets", async () => {
    const me = await makePerson(h.db, "14366", { displayName: "Camille D." });
    const other = await makePerson(h.db, "76540");
    await vote(me, [proposals[0]!, proposals[1]!]);
    const mine = await postComment(h.db, {
      proposalId: proposals[0]!,
      actor: me,
      stance: "for",
      body: TEXT,
      anonymous: false,
    });
    const theirs = await postComment(h.db, {
      proposalId: proposals[0]!,
      actor: other,
      stance: "against",
      body: TEXT,
      anonymous: true,
    });
    await setUseful(h.db, { commentId: theirs.id, actor: me, useful: true });
    await flagContent(h.db, { kind: "comment", id: theirs.id, reporterId: me.id, reason: "off_topic" });
    await sendEmail(h.db, {
      to: me.email,
      subject: "Confirmez votre adresse",
      text: "Ouvrez http://localhost/verification?token=abcDEF123_- pour confirmer.",
    });
    await h.db
      .insertInto("sessions")
      .values({
        id: "secret-session-id",
        user_id: me.id,
        expires_at: new Date(Date.now() + 1e9).toISOString(),
        created_at: new Date().toISOString(),
      })
      .execute();

    const data = await collectMyData(h.db, me.id);
    expect(data.compte).toMatchObject({ id: me.id, email: me.email, nomPublic: "Camille D." });
    expect(data.territoire).toMatchObject({
      commune: { code: "14366" },
      arrondissement: { code: "143" },
      region: { code: "28" },
      cts: { code: "14" },
    });
    expect(data.roles.map((r) => r.role)).toEqual(["resident"]);
    expect(data.bulletins).toHaveLength(1);
    expect(data.bulletins[0]).toMatchObject({ consultation: NORMANDIE });
    expect([...(data.bulletins[0]!.contenu as { selections: string[] }).selections].sort()).toEqual(
      [proposals[0], proposals[1]].sort(),
    );
    expect(data.bulletins[0]!.propositions.every((p) => typeof p.titre === "string")).toBe(true);
    expect(data.commentaires).toEqual([
      expect.objectContaining({ id: mine.id, texte: TEXT, signature: "nom public", position: "for" }),
    ]);
    expect(data.commentairesJugesUtiles).toEqual([expect.objectContaining({ commentaire: theirs.id })]);
    expect(data.signalements).toEqual([expect.objectContaining({ id: theirs.id, motif: "off_topic" })]);
    expect(data.sessions).toHaveLength(1);
    expect(data.emails).toHaveLength(1);
    expect(data.association).toBeNull();
    const json = JSON.stringify(data);
    for (const secret of ["secret-session-id", "abcDEF123_-", "password", "$argon2"])
      expect(json).not.toContain(secret);
    // Nothing about the other person.
    expect(json).not.toContain(other.email);
  });

  it("deletes an account: open ballot withdrawn through the counts, comments erased, links gone", async () => {
    const me = await makePerson(h.db, "14118");
    const other = await makePerson(h.db, "14366", { displayName: "Dominique" });
    await vote(other, [proposals[2]!]);
    await vote(me, [proposals[2]!, proposals[3]!]);
    const before = await totalBallots();
    const mine = await postComment(h.db, {
      proposalId: proposals[1]!,
      actor: me,
      stance: "nuanced",
      body: TEXT,
      anonymous: false,
    });
    const reply = await postComment(h.db, {
      proposalId: proposals[1]!,
      actor: other,
      parentId: mine.id,
      body: "Une réponse qui reste lisible.",
      anonymous: false,
    });
    const theirs = await postComment(h.db, {
      proposalId: proposals[1]!,
      actor: other,
      stance: "for",
      body: TEXT,
      anonymous: false,
    });
    await setUseful(h.db, { commentId: mine.id, actor: other, useful: true });
    await setUseful(h.db, { commentId: theirs.id, actor: me, useful: true });
    await flagContent(h.db, { kind: "comment", id: theirs.id, reporterId: me.id, reason: "spam" });

    const summary = await deleteAccount(h.db, { userId: me.id, comments: "supprimer" });
    expect(summary).toEqual({ ballotsWithdrawn: 1, ballotsDetached: 0, commentsErased: 1, commentsKept: 0 });

    expect(await totalBallots()).toBe(before - 1);
    expect(await verifyCounts(h.db, consultationId)).toEqual([]);
    const events = await h.db
      .selectFrom("ballot_events")
      .select("kind")
      .where("consultation_id", "=", consultationId)
      .where("kind", "=", "withdrawn")
      .execute();
    expect(events.length).toBeGreaterThanOrEqual(1);
    const comment = await h.db.selectFrom("comments").selectAll().where("id", "=", mine.id).executeTakeFirstOrThrow();
    expect(comment).toMatchObject({ body: "", user_id: null });
    expect(comment.deleted_at).not.toBeNull();
    expect(
      (await h.db.selectFrom("comments").select("body").where("id", "=", reply.id).executeTakeFirstOrThrow()).body,
    ).toBe("Une réponse qui reste lisible.");
    for (const table of ["sessions", "user_roles", "email_tokens", "comment_useful"] as const) {
      const rows = await h.db.selectFrom(table).select("user_id").where("user_id", "=", me.id).execute();
      expect(rows, table).toEqual([]);
    }
    expect(
      await h.db.selectFrom("comment_useful").select("user_id").where("comment_id", "=", mine.id).execute(),
    ).toEqual([]);
    expect(await h.db.selectFrom("flags").select("id").where("reporter_id", "=", me.id).execute()).toEqual([]);
    expect(await h.db.selectFrom("users").select("id").where("id", "=", me.id).execute()).toEqual([]);
    // The other person's ballot is untouched.
    expect(await h.db.selectFrom("ballots").select("id").where("user_id", "=", other.id).execute()).toHaveLength(1);
  });

  it("a deletion racing the person's own votes leaves no ballot behind and counts equal to a recount", async () => {
    for (let round = 0; round < 5; round++) {
      const me = await makePerson(h.db, round % 2 ? "14366" : "76540");
      await vote(me, [proposals[round]!]);
      // Votes in flight when the account goes: each lands wholly before the deletion (and is
      // withdrawn with the rest) or finds no account after it (refused); never half.
      const outcomes = await Promise.allSettled([
        vote(me, [proposals[round]!, proposals[6]!]),
        deleteAccount(h.db, { userId: me.id, comments: "supprimer" }),
        vote(me, [proposals[7]!]),
      ]);
      expect(outcomes[1]!.status).toBe("fulfilled");
      expect(await h.db.selectFrom("ballots").select("id").where("user_id", "=", me.id).execute()).toEqual([]);
    }
    const orphans = await h.db
      .selectFrom("ballots")
      .select("id")
      .where("consultation_id", "=", consultationId)
      .where("user_id", "is", null)
      .where("channel", "=", "online")
      .execute();
    expect(orphans).toEqual([]);
    expect(await verifyCounts(h.db, consultationId)).toEqual([]);
  });

  it("keeps comments as « participant supprimé » when asked, with no link to the person", async () => {
    const me = await makePerson(h.db, "14366", { displayName: "Nom À Effacer" });
    const kept = await postComment(h.db, {
      proposalId: proposals[4]!,
      actor: me,
      stance: "against",
      body: TEXT,
      anonymous: false,
    });
    await deleteAccount(h.db, { userId: me.id, comments: "anonymiser" });
    const row = await h.db.selectFrom("comments").selectAll().where("id", "=", kept.id).executeTakeFirstOrThrow();
    expect(row).toMatchObject({ body: TEXT, user_id: null, anonymous: 1, deleted_at: null });
    const viewer = await makePerson(h.db, "14366");
    const page = await listComments(h.db, {
      proposalId: proposals[4]!,
      viewerId: viewer.id,
      filters: { sort: "recents", page: 1 },
      open: true,
    });
    const shown = JSON.stringify(page);
    expect(shown).toContain("participant supprimé");
    expect(shown).toContain(TEXT);
    expect(shown).not.toContain("Nom À Effacer");
  });

  it("deletes an association account with its contributions, their files and the reports on them", async () => {
    const account = await makePerson(h.db, "14118", { resident: false, roles: [{ role: "association", scope: "" }] });
    const reporter = await makePerson(h.db, "14366");
    const now = new Date().toISOString();
    const associationId = `asso-${account.id}`;
    await h.db
      .insertInto("associations")
      .values({
        id: associationId,
        user_id: account.id,
        slug: `asso-${account.id}`,
        name: "Association des usagers",
        identifier_kind: "rna",
        identifier: `W${String(Date.now()).slice(-9)}`,
        agrement: null,
        contact_name: "Contact",
        contact_email: account.email,
        contact_phone: null,
        status: "verified",
        refusal_reason: null,
        decided_by: null,
        decided_at: now,
        created_at: now,
        updated_at: now,
      })
      .execute();
    const contributionId = `contribution-${account.id}`;
    await h.db
      .insertInto("contributions")
      .values({
        id: contributionId,
        consultation_id: consultationId,
        proposal_id: proposals[0]!,
        association_id: associationId,
        title: "Notre contribution",
        body: "Un texte d’association.",
        published_at: now,
        moderation: "visible",
        hidden_reason: null,
        review_requested_at: null,
        review_message: null,
        reviewed_at: null,
        created_at: now,
        updated_at: now,
        deleted_at: null,
      })
      .execute();
    await h.db
      .insertInto("contribution_files")
      .values({
        id: `file-${account.id}`,
        contribution_id: contributionId,
        filename: "note.pdf",
        size: 9,
        sha256: "0".repeat(64),
        content: Buffer.from("%PDF-1.4\n"),
        created_at: now,
      })
      .execute();
    await flagContent(h.db, {
      kind: "contribution",
      id: contributionId,
      reporterId: reporter.id,
      reason: "off_topic",
    });

    const data = await collectMyData(h.db, account.id);
    expect(data.association).toMatchObject({
      name: "Association des usagers",
      contributions: [
        expect.objectContaining({ title: "Notre contribution", piece: expect.objectContaining({ nom: "note.pdf" }) }),
      ],
    });
    expect(JSON.stringify(data)).not.toContain("%PDF");

    await deleteAccount(h.db, { userId: account.id, comments: "supprimer" });
    expect(await h.db.selectFrom("associations").select("id").where("id", "=", associationId).execute()).toEqual([]);
    expect(await h.db.selectFrom("contributions").select("id").where("id", "=", contributionId).execute()).toEqual([]);
    expect(
      await h.db.selectFrom("contribution_files").select("id").where("contribution_id", "=", contributionId).execute(),
    ).toEqual([]);
    expect(await h.db.selectFrom("flags").select("id").where("target_id", "=", contributionId).execute()).toEqual([]);
  });

  it("a ballot whose vote has ended (not closed yet) stays counted, detached from the deleted person", async () => {
    const me = await makePerson(h.db, "14366");
    await vote(me, [proposals[5]!]);
    const before = await totalBallots();
    const { closes_at } = await h.db
      .selectFrom("consultations")
      .select("closes_at")
      .where("id", "=", consultationId)
      .executeTakeFirstOrThrow();
    // The closing date has passed; the administrator has not closed the consultation yet.
    await h.db
      .updateTable("consultations")
      .set({ closes_at: new Date(Date.now() - 1000).toISOString() })
      .where("id", "=", consultationId)
      .execute();
    try {
      const summary = await deleteAccount(h.db, { userId: me.id, comments: "supprimer" });
      expect(summary.ballotsDetached).toBe(1);
      expect(await totalBallots()).toBe(before);
      expect(await verifyCounts(h.db, consultationId)).toEqual([]);
      expect(await h.db.selectFrom("ballots").select("id").where("user_id", "=", me.id).execute()).toEqual([]);
    } finally {
      await h.db.updateTable("consultations").set({ closes_at }).where("id", "=", consultationId).execute();
    }
  });
});
