import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DatabaseHandle } from "../../db/connect";
import { createResident, grantRole, markEmailVerified } from "../../app/identity/users.server";
import {
  CommentError,
  deleteComment,
  editComment,
  listComments,
  postComment,
  setUseful,
  stanceCounts,
  type Actor,
} from "../../app/comments/comments.server";
import { commentSchema, editSchema, replySchema } from "../../app/comments/forms";
import { testDatabases } from "../support/databases";
// Refusals are asserted as the status the person gets (the routes layer's mapping of their code).
import { REFUSAL_STATUS } from "../../app/web/access.server";

const NORMANDIE = "normandie-cnr-sante-2022";
const CENTRE = "centre-val-de-loire-cnr-sante-2022";

/** The refusal a promise ends with (its status and message), or a failure if it succeeds. */
async function refusal(promise: Promise<unknown>): Promise<{ status: number; message: string }> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof CommentError) return { status: REFUSAL_STATUS[error.code], message: error.message };
    throw error;
  }
  throw new Error("expected a refusal");
}

describe.each(testDatabases)("comments on $name", ({ openLoaded }) => {
  let h: DatabaseHandle;
  let n = 0;
  const proposals: Record<string, string[]> = {};

  async function person(
    commune = "14366",
    options: { verified?: boolean; displayName?: string; role?: "association" | "cts_member" } = {},
  ): Promise<Actor> {
    const created = await createResident(h.db, {
      email: `c${n++}-${Math.random()}@exemple.fr`,
      password: "une phrase de passe",
      communeCode: commune,
    });
    if (!created.ok) throw new Error("setup");
    if (options.verified !== false) await markEmailVerified(h.db, created.userId);
    if (options.displayName)
      await h.db
        .updateTable("users")
        .set({ display_name: options.displayName })
        .where("id", "=", created.userId)
        .execute();
    const roles = [{ role: "resident", scope: "" }];
    if (options.role) {
      await grantRole(h.db, created.userId, options.role, options.role === "cts_member" ? "14" : "");
      roles.push({ role: options.role, scope: options.role === "cts_member" ? "14" : "" });
    }
    return {
      id: created.userId,
      emailVerified: options.verified !== false,
      communeCode: commune,
      displayName: options.displayName ?? null,
      roles,
    };
  }

  const count = async (table: "comments" | "comment_useful") =>
    Number(
      (
        await h.db
          .selectFrom(table)
          .select((eb) => eb.fn.countAll<number>().as("n"))
          .executeTakeFirstOrThrow()
      ).n,
    );

  const body = (text: string) => {
    const parsed = commentSchema.safeParse({ intent: "comment", stance: "for", body: text });
    if (!parsed.success) throw new Error(parsed.error.issues[0]!.message);
    return parsed.data.body;
  };

  beforeAll(async () => {
    h = await openLoaded();
    for (const slug of [NORMANDIE, CENTRE]) {
      const rows = await h.db
        .selectFrom("proposals")
        .innerJoin("consultations", "consultations.id", "proposals.consultation_id")
        .select("proposals.id")
        .where("consultations.slug", "=", slug)
        .orderBy("proposals.position")
        .execute();
      proposals[slug] = rows.map((r) => r.id);
    }
    await h.db.updateTable("consultations").set({ status: "closed" }).where("slug", "=", CENTRE).execute();
  });
  afterAll(async () => h?.close());

  it("publishes a comment with the author's arrondissement and CTS of the moment, and lists it", async () => {
    const author = await person("14366", { displayName: "Camille D." });
    const proposalId = proposals[NORMANDIE]![0]!;
    const { id } = await postComment(h.db, {
      proposalId,
      actor: author,
      stance: "for",
      body: body("Très bonne idée pour le Pays d’Auge."),
      anonymous: false,
    });
    const row = await h.db.selectFrom("comments").selectAll().where("id", "=", id).executeTakeFirstOrThrow();
    expect(row).toMatchObject({
      arrondissement_code: "143",
      cts_code: "14",
      stance: "for",
      anonymous: 0,
      parent_id: null,
    });
    // Moving later does not rewrite history.
    await h.db.updateTable("users").set({ commune_code: "76540" }).where("id", "=", author.id).execute();
    const list = await listComments(h.db, {
      proposalId,
      viewerId: null,
      filters: { sort: "recents", page: 1 },
      open: true,
    });
    const shown = list.items.find((c) => c.id === id)!;
    expect(shown).toMatchObject({
      authorLabel: "Camille D.",
      arrondissementName: "Lisieux",
      state: "visible",
      edited: false,
    });
  });

  it("signs 'un·e habitant·e' when asked, or when the author has no display name", async () => {
    const proposalId = proposals[NORMANDIE]![1]!;
    const named = await person("14118", { displayName: "Dominique" });
    const unnamed = await person("14118");
    const a = await postComment(h.db, {
      proposalId,
      actor: named,
      stance: "against",
      body: body("Je préfère ne pas signer ce texte."),
      anonymous: true,
    });
    const b = await postComment(h.db, {
      proposalId,
      actor: unnamed,
      stance: "nuanced",
      body: body("Pas de nom public choisi ici."),
      anonymous: false,
    });
    const list = await listComments(h.db, {
      proposalId,
      viewerId: null,
      filters: { sort: "recents", page: 1 },
      open: true,
    });
    expect(list.items.find((c) => c.id === a.id)?.authorLabel).toBe("un·e habitant·e");
    expect(list.items.find((c) => c.id === b.id)?.authorLabel).toBe("un·e habitant·e");
  });

  it("refuses residents of another region, unverified accounts, associations and CTS members; nothing is stored", async () => {
    const proposalId = proposals[NORMANDIE]![0]!;
    const before = await count("comments");
    const text = body("Un avis tout à fait recevable.");
    expect(
      (
        await refusal(
          postComment(h.db, { proposalId, actor: await person("75056"), stance: "for", body: text, anonymous: true }),
        )
      ).message,
    ).toMatch(/région/);
    expect(
      (
        await refusal(
          postComment(h.db, {
            proposalId,
            actor: await person("14366", { verified: false }),
            stance: "for",
            body: text,
            anonymous: true,
          }),
        )
      ).message,
    ).toMatch(/Confirmez/);
    const association = await person("14366");
    association.roles = [{ role: "association", scope: "" }];
    expect(
      (await refusal(postComment(h.db, { proposalId, actor: association, stance: "for", body: text, anonymous: true })))
        .status,
    ).toBe(403);
    expect(
      (
        await refusal(
          postComment(h.db, {
            proposalId,
            actor: await person("14366", { role: "cts_member" }),
            stance: "for",
            body: text,
            anonymous: true,
          }),
        )
      ).status,
    ).toBe(403);
    expect(await count("comments")).toBe(before);
  });

  it("refuses a comment on a closed consultation", async () => {
    const before = await count("comments");
    const error = await refusal(
      postComment(h.db, {
        proposalId: proposals[CENTRE]![0]!,
        actor: await person("45234"),
        stance: "for",
        body: body("Trop tard pour cet avis."),
        anonymous: true,
      }),
    );
    expect(error).toEqual({ status: 403, message: "La consultation est close : on ne peut plus y commenter." });
    expect(await count("comments")).toBe(before);
  });

  it("allows one level of replies: a reply to a reply is refused", async () => {
    const proposalId = proposals[NORMANDIE]![2]!;
    const a = await person();
    const b = await person("14118");
    const top = await postComment(h.db, {
      proposalId,
      actor: a,
      stance: "for",
      body: body("Le commentaire de départ."),
      anonymous: true,
    });
    const reply = await postComment(h.db, {
      proposalId,
      actor: b,
      parentId: top.id,
      body: body("Une réponse au départ."),
      anonymous: true,
    });
    const before = await count("comments");
    const error = await refusal(
      postComment(h.db, {
        proposalId,
        actor: a,
        parentId: reply.id,
        body: body("Une réponse à la réponse."),
        anonymous: true,
      }),
    );
    expect(error.status).toBe(400);
    expect(error.message).toMatch(/répondre à une réponse/);
    // A reply must stay on its parent's proposal.
    expect(
      (
        await refusal(
          postComment(h.db, {
            proposalId: proposals[NORMANDIE]![3]!,
            actor: a,
            parentId: top.id,
            body: body("Sur une autre proposition."),
            anonymous: true,
          }),
        )
      ).status,
    ).toBe(404);
    expect(await count("comments")).toBe(before);
    const list = await listComments(h.db, {
      proposalId,
      viewerId: null,
      filters: { sort: "recents", page: 1 },
      open: true,
    });
    expect(list.items.map((c) => c.replies.map((r) => r.id))).toEqual([[reply.id]]);
  });

  it("lets the author edit within 15 minutes (marked 'modifié'), and nobody else (403)", async () => {
    const proposalId = proposals[NORMANDIE]![4]!;
    const author = await person();
    const other = await person();
    const t0 = new Date();
    const { id } = await postComment(h.db, {
      proposalId,
      actor: author,
      stance: "for",
      body: body("Première version du texte."),
      anonymous: true,
      now: t0,
    });
    const fourteen = new Date(t0.getTime() + 14 * 60_000);
    await editComment(h.db, {
      commentId: id,
      actor: author,
      body: body("Deuxième version du texte."),
      stance: "nuanced",
      now: fourteen,
    });
    const row = await h.db.selectFrom("comments").selectAll().where("id", "=", id).executeTakeFirstOrThrow();
    expect(row).toMatchObject({ body: "Deuxième version du texte.", stance: "nuanced" });
    expect(row.edited_at).not.toBeNull();
    expect(
      await refusal(
        editComment(h.db, { commentId: id, actor: other, body: body("Je réécris le texte d’autrui."), now: fourteen }),
      ),
    ).toEqual({
      status: 403,
      message: "Vous ne pouvez modifier que vos propres commentaires.",
    });
    const late = await refusal(
      editComment(h.db, {
        commentId: id,
        actor: author,
        body: body("Troisième version, trop tard."),
        now: new Date(t0.getTime() + 16 * 60_000),
      }),
    );
    expect(late.status).toBe(403);
    expect(late.message).toMatch(/15 minutes/);
    expect((await h.db.selectFrom("comments").select("body").where("id", "=", id).executeTakeFirstOrThrow()).body).toBe(
      "Deuxième version du texte.",
    );
    const list = await listComments(h.db, {
      proposalId,
      viewerId: author.id,
      filters: { sort: "recents", page: 1 },
      open: true,
      now: fourteen,
    });
    expect(list.items[0]).toMatchObject({ edited: true, canEdit: true, mine: true });
  });

  it("deletes one's own comment at any time: a tombstone keeps the replies; others cannot delete it", async () => {
    const proposalId = proposals[NORMANDIE]![5]!;
    const author = await person();
    const replier = await person();
    const top = await postComment(h.db, {
      proposalId,
      actor: author,
      stance: "against",
      body: body("Un avis que je retirerai."),
      anonymous: true,
    });
    const lonely = await postComment(h.db, {
      proposalId,
      actor: author,
      stance: "against",
      body: body("Un avis sans réponse."),
      anonymous: true,
    });
    await postComment(h.db, {
      proposalId,
      actor: replier,
      parentId: top.id,
      body: body("Je réponds quand même."),
      anonymous: true,
    });
    expect((await refusal(deleteComment(h.db, { commentId: top.id, actor: replier }))).status).toBe(403);
    await deleteComment(h.db, { commentId: top.id, actor: author, now: new Date(Date.now() + 30 * 86_400_000) });
    await deleteComment(h.db, { commentId: top.id, actor: author });
    await deleteComment(h.db, { commentId: lonely.id, actor: author });
    const row = await h.db.selectFrom("comments").selectAll().where("id", "=", top.id).executeTakeFirstOrThrow();
    expect(row.body).toBe("");
    expect(row.deleted_at).not.toBeNull();
    const list = await listComments(h.db, {
      proposalId,
      viewerId: null,
      filters: { sort: "recents", page: 1 },
      open: true,
    });
    // The lonely tombstone is not shown; the one with a reply is, without text or author.
    expect(list.items).toHaveLength(1);
    expect(list.items[0]).toMatchObject({ id: top.id, state: "deleted", body: "", authorLabel: "" });
    expect(list.items[0]!.replies).toHaveLength(1);
  });

  it("counts 'useful' once per person, even when marked twice at once; never one's own", async () => {
    const proposalId = proposals[NORMANDIE]![6]!;
    const author = await person();
    const { id } = await postComment(h.db, {
      proposalId,
      actor: author,
      stance: "for",
      body: body("Un commentaire utile ?"),
      anonymous: true,
    });
    const fans = await Promise.all([person(), person()]);
    await Promise.all([0, 1, 2, 3].map(() => setUseful(h.db, { commentId: id, actor: fans[0]!, useful: true })));
    await setUseful(h.db, { commentId: id, actor: fans[1]!, useful: true });
    expect((await refusal(setUseful(h.db, { commentId: id, actor: author, useful: true }))).status).toBe(403);
    const list = await listComments(h.db, {
      proposalId,
      viewerId: fans[0]!.id,
      filters: { sort: "recents", page: 1 },
      open: true,
    });
    expect(list.items[0]).toMatchObject({ useful: 2, markedUseful: true });
    await setUseful(h.db, { commentId: id, actor: fans[0]!, useful: false });
    const after = await listComments(h.db, {
      proposalId,
      viewerId: fans[0]!.id,
      filters: { sort: "recents", page: 1 },
      open: true,
    });
    expect(after.items[0]).toMatchObject({ useful: 1, markedUseful: false });
  });

  it("filters by stance, arrondissement and CTS; sorts by usefulness; puts a CTS member's territory first", async () => {
    const proposalId = proposals[NORMANDIE]![7]!;
    const lisieux = await person("14366");
    const caen = await person("14118");
    const rouen = await person("76540");
    const t = Date.now();
    const a = await postComment(h.db, {
      proposalId,
      actor: lisieux,
      stance: "for",
      body: body("Avis de Lisieux, pour."),
      anonymous: true,
      now: new Date(t),
    });
    const b = await postComment(h.db, {
      proposalId,
      actor: caen,
      stance: "against",
      body: body("Avis de Caen, contre."),
      anonymous: true,
      now: new Date(t + 1000),
    });
    const c = await postComment(h.db, {
      proposalId,
      actor: rouen,
      stance: "nuanced",
      body: body("Avis de Rouen, nuancé."),
      anonymous: true,
      now: new Date(t + 2000),
    });
    for (const fan of [await person(), await person()])
      await setUseful(h.db, { commentId: a.id, actor: fan, useful: true });
    const ids = async (filters: Parameters<typeof listComments>[1]["filters"], ctsFirst?: string[]) =>
      (
        await listComments(h.db, { proposalId, viewerId: null, filters, open: true, ...(ctsFirst ? { ctsFirst } : {}) })
      ).items.map((i) => i.id);
    expect(await ids({ sort: "recents", page: 1 })).toEqual([c.id, b.id, a.id]);
    expect(await ids({ sort: "utiles", page: 1 })).toEqual([a.id, c.id, b.id]);
    expect(await ids({ sort: "recents", page: 1, stance: "against" })).toEqual([b.id]);
    expect(await ids({ sort: "recents", page: 1, arrondissement: "143" })).toEqual([a.id]);
    expect(await ids({ sort: "recents", page: 1, cts: "14" })).toEqual([b.id, a.id]);
    expect(await ids({ sort: "recents", page: 1 }, ["76-rouen-elbeuf"])).toEqual([c.id, b.id, a.id]);
    expect(await ids({ sort: "recents", page: 1 }, ["14"])).toEqual([b.id, a.id, c.id]);
    expect(await stanceCounts(h.db, proposalId, ["14"])).toEqual({ for: 1, against: 1, nuanced: 0, total: 2 });
    expect(await stanceCounts(h.db, proposalId)).toEqual({ for: 1, against: 1, nuanced: 1, total: 3 });
  });

  it("rejects bad input in the form schemas before anything is written", () => {
    const parse = (text: string) => commentSchema.safeParse({ intent: "comment", stance: "for", body: text });
    expect(parse("x".repeat(10_000)).success).toBe(false);
    expect(parse("x".repeat(10_000)).error?.issues[0]?.message).toMatch(/au plus 2\s000 caractères/u);
    expect(parse("court").error?.issues[0]?.message).toMatch(/au moins 10/);
    expect(parse("\u200B".repeat(30)).error?.issues[0]?.message).toMatch(/vide/);
    expect(parse("Un nom de fichier\u202Efdp.exe trompeur").error?.issues[0]?.message).toMatch(/sens de lecture/);
    expect(parse("Un texte avec un octet nul \u0000 dedans").error?.issues[0]?.message).toMatch(/contrôle/);
    expect(parse("Bonjour\u200B\u200Bà tous, ceci est un avis.").data?.body).toBe("Bonjourà tous, ceci est un avis.");
    expect(commentSchema.safeParse({ intent: "comment", body: "Sans position du tout." }).success).toBe(false);
    expect(
      replySchema.safeParse({ intent: "reply", parentId: "x", body: "<script>alert(1)</script>" }).data?.body,
    ).toBe("<script>alert(1)</script>");
    expect(editSchema.safeParse({ intent: "edit", commentId: "x", body: "a".repeat(2001) }).success).toBe(false);
  });
});
