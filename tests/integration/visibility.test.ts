import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DatabaseHandle } from "../../db/connect";
import { listComments, postComment, deleteComment, stanceCounts } from "../../app/comments/comments.server";
import { buildCtsExport, ctsConsultationsWithCounts, findCtsTerritory } from "../../app/comments/cts-export.server";
import {
  applyAsAssociation,
  createAssociationAccount,
  decideAssociation,
  saveContribution,
} from "../../app/associations/associations.server";
import { moderate } from "../../app/moderation/moderation.server";
import { markEmailVerified } from "../../app/identity/users.server";
import { buildCtsReport, findReportConsultation } from "../../app/reports/cts-report.server";
import { testDatabases } from "../support/databases";
import { makePerson } from "../support/people";

const NORMANDIE = "normandie-cnr-sante-2022";

// One visibility rule (app/comments/visibility.server.ts): what the CTS comments page counts is
// what its export holds, and a reply goes with its withheld parent everywhere.
describe.each(testDatabases)("one rule for what is shown and counted, on $name", ({ openLoaded }) => {
  let h: DatabaseHandle;
  let proposalId: string;
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    h = await openLoaded();
    proposalId = (
      await h.db
        .selectFrom("proposals")
        .innerJoin("consultations", "consultations.id", "proposals.consultation_id")
        .select("proposals.id")
        .where("consultations.slug", "=", NORMANDIE)
        .orderBy("proposals.position")
        .executeTakeFirstOrThrow()
    ).id;
    const say = async (name: string, extra: { parentId?: string; stance?: "for" | "against" | "nuanced" }) => {
      const actor = await makePerson(h.db, "14366");
      ids[name] = (
        await postComment(h.db, { proposalId, actor, body: `Texte ${name}`, anonymous: true, stance: "for", ...extra })
      ).id;
      return actor;
    };
    await say("shown", {});
    await say("shownReply", { parentId: ids.shown! });
    await say("hiddenParent", { stance: "against" });
    await say("replyUnderHidden", { parentId: ids.hiddenParent! });
    await say("hiddenReply", { parentId: ids.shown! });
    const author = await say("deletedParent", { stance: "nuanced" });
    await say("replyUnderDeleted", { parentId: ids.deletedParent! });
    const moderator = await makePerson(h.db, "14118", { roles: [{ role: "moderator", scope: "28" }] });
    await moderate(h.db, { moderator, intent: "hide", kind: "comment", id: ids.hiddenParent!, reason: "insult" });
    await moderate(h.db, { moderator, intent: "hide", kind: "comment", id: ids.hiddenReply!, reason: "spam" });
    await deleteComment(h.db, { commentId: ids.deletedParent!, actor: author });

    const account = await createAssociationAccount(h.db, {
      email: "asso-visibilite@exemple.fr",
      password: "une phrase de passe",
      communeCode: "14118",
    });
    if (!account.ok) throw new Error("setup");
    await markEmailVerified(h.db, account.userId);
    const user = {
      id: account.userId,
      email: "asso-visibilite@exemple.fr",
      emailVerified: true,
      roles: [{ role: "association", scope: "" }],
    };
    const { id } = await applyAsAssociation(h.db, {
      user,
      application: {
        name: "Association du Calvados",
        identifier: { kind: "rna", value: "W141234567" },
        territories: ["departement:14"],
        contactName: "Claude Martin",
        contactEmail: "contact@exemple.fr",
      },
    });
    const admin = await makePerson(h.db, "14118", { roles: [{ role: "admin", scope: "" }] });
    await decideAssociation(h.db, { associationId: id, admin, decision: "verify" });
    ids.contribution = (
      await saveContribution(h.db, { user, proposalId, title: "Avis", body: "Texte.", publish: true })
    ).id;
    ids.hiddenContribution = (
      await saveContribution(h.db, { user, proposalId, title: "Avis masqué", body: "Texte.", publish: true })
    ).id;
    await moderate(h.db, {
      moderator,
      intent: "hide",
      kind: "contribution",
      id: ids.hiddenContribution!,
      reason: "spam",
    });
  });
  afterAll(async () => h?.close());

  it("counts on the CTS comments page exactly what the export holds, a reply under a hidden comment in neither", async () => {
    const cts = (await findCtsTerritory(h.db, "14"))!;
    const row = (await ctsConsultationsWithCounts(h.db, cts)).find((c) => c.slug === NORMANDIE)!;
    const data = (await buildCtsExport(h.db, { ctsCode: "14", consultationSlug: NORMANDIE }))!;
    expect(data.comments.map((c) => c.id).sort()).toEqual([ids.shown!, ids.shownReply!, ids.replyUnderDeleted!].sort());
    expect(data.contributions.map((c) => c.id)).toEqual([ids.contribution!]);
    expect(row.comments).toBe(data.comments.length);
    expect(row.contributions).toBe(data.contributions.length);
  });

  it("leaves a reply under a hidden comment off the proposal page, keeps replies under a tombstone", async () => {
    const page = await listComments(h.db, {
      proposalId,
      viewerId: null,
      filters: { page: 1, sort: "recents" },
      open: true,
    });
    const byId = new Map(page.items.map((i) => [i.id, i]));
    expect(byId.get(ids.hiddenParent!)?.state).toBe("hidden");
    expect(byId.get(ids.hiddenParent!)?.replies).toEqual([]);
    expect(byId.get(ids.deletedParent!)?.replies.map((r) => r.id)).toEqual([ids.replyUnderDeleted!]);
    expect(byId.get(ids.shown!)?.replies.map((r) => [r.id, r.state])).toEqual([
      [ids.shownReply!, "visible"],
      [ids.hiddenReply!, "hidden"],
    ]);
  });

  it("counts stances on the page and in the CTS report from the same shown top-level comments", async () => {
    expect(await stanceCounts(h.db, proposalId)).toEqual({ for: 1, against: 0, nuanced: 0, total: 1 });
    const consultation = (await findReportConsultation(h.db, NORMANDIE))!;
    const report = await buildCtsReport(h.db, consultation, { code: "14", name: "Calvados" });
    const line = report.proposals.find((p) => p.id === proposalId)!;
    expect(line.comments).toEqual({ for: 1, against: 0, nuanced: 0 });
    const data = (await buildCtsExport(h.db, { ctsCode: "14", consultationSlug: NORMANDIE }))!;
    expect(line.contributions).toBe(data.contributions.length);
  });
});
