import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DatabaseHandle } from "../../db/connect";
import { loadTerritories } from "../../db/territories/load";
import { loadCatalogue } from "../../app/catalogue/catalogue-load.server";
import { postComment } from "../../app/comments/comments.server";
import { parseCommentFilters, postCommentWithinLimits, proposalDiscussion } from "../../app/comments/discussion.server";
import type { SessionUser } from "../../app/identity/session.server";
import { testDatabases } from "../support/databases";
import { makePerson } from "../support/people";

const NORMANDIE = "normandie-cnr-sante-2022";

describe("parseCommentFilters", () => {
  const place = { arrondissement: { code: "143" }, cts: { code: "14" } };
  it("reads the page's query, and falls back to the defaults on anything unknown", () => {
    expect(
      parseCommentFilters(new URLSearchParams("position=against&territoire=cts&tri=utiles&page=3"), place),
    ).toEqual({ stance: "against", arrondissement: undefined, cts: "14", sort: "utiles", page: 3 });
    expect(parseCommentFilters(new URLSearchParams("position=x&territoire=cts&tri=y&page=-2"), null)).toEqual({
      stance: undefined,
      arrondissement: undefined,
      cts: undefined,
      sort: "recents",
      page: 1,
    });
  });
});

describe.each(testDatabases)("a proposal's discussion on $name", ({ open }) => {
  let h: DatabaseHandle;
  let consultation: Parameters<typeof proposalDiscussion>[1]["consultation"];
  let proposalId: string;
  beforeAll(async () => {
    h = await open();
    await loadTerritories(h.db);
    await loadCatalogue(h.db);
    consultation = await h.db
      .selectFrom("consultations")
      .select(["id", "slug", "region_code", "cts_code", "status", "opens_at", "closes_at"])
      .where("slug", "=", NORMANDIE)
      .executeTakeFirstOrThrow();
    proposalId = (
      await h.db
        .selectFrom("proposals")
        .select("id")
        .where("consultation_id", "=", consultation.id)
        .orderBy("position")
        .executeTakeFirstOrThrow()
    ).id;
  });
  afterAll(async () => h?.close());

  it("shows the comments as filtered, their counts, and who may comment", async () => {
    const author = await makePerson(h.db, "14366");
    for (const stance of ["for", "against", "for"] as const)
      await postComment(h.db, {
        proposalId,
        actor: author,
        body: `Un avis ${stance} assez long.`,
        stance,
        anonymous: true,
      });
    const resident = (await makePerson(h.db, "14366")) as SessionUser;
    const all = await proposalDiscussion(h.db, {
      consultation,
      proposalId,
      user: resident,
      searchParams: new URLSearchParams(),
    });
    expect(all).toMatchObject({ open: true, refusal: null, signedIn: true, isAssociation: false, cts: null });
    expect(all.counts).toMatchObject({ for: 2, against: 1, total: 3 });
    expect(all.list.total).toBe(3);
    expect(all.myPlace?.cts.code).toBe("14");

    const against = await proposalDiscussion(h.db, {
      consultation,
      proposalId,
      user: null,
      searchParams: new URLSearchParams("position=against"),
    });
    expect(against.list.items.map((c) => c.stance)).toEqual(["against"]);
    expect(against.filters).toEqual({ stance: "against", territory: "", sort: "recents" });
    expect(against.refusal).toBe("Connectez-vous pour commenter.");

    // A member of the CTS sees its comments first, with their own counts.
    const member = (await makePerson(h.db, "76540", {
      roles: [{ role: "cts_member", scope: "14" }],
    })) as SessionUser;
    const forMember = await proposalDiscussion(h.db, {
      consultation,
      proposalId,
      user: member,
      searchParams: new URLSearchParams(),
    });
    expect(forMember.cts?.territories.map((t) => t.code)).toEqual(["14"]);
    expect(forMember.cts?.counts.total).toBe(3);
    expect(forMember.refusal).toMatch(/membre de CTS/);
  });

  it("posts within the allowances; a refused comment gives its allowance back", async () => {
    const association = await makePerson(h.db, "14366", { roles: [{ role: "association", scope: "" }] });
    for (let i = 0; i < 12; i++) {
      const refused = await postCommentWithinLimits(h.db, {
        proposalId,
        actor: association,
        body: `Tentative numéro ${i} d’une association.`,
        stance: "for",
        anonymous: true,
      });
      // Never "too-many": each refusal was refunded.
      expect(refused).toMatchObject({ ok: false, code: "forbidden" });
    }
    const resident = await makePerson(h.db, "14366");
    for (let i = 0; i < 10; i++) {
      const posted = await postCommentWithinLimits(h.db, {
        proposalId,
        actor: resident,
        body: `Mon commentaire numéro ${i}, assez long.`,
        stance: "nuanced",
        anonymous: true,
      });
      expect(posted).toEqual({ ok: true, id: expect.any(String) });
    }
    const eleventh = await postCommentWithinLimits(h.db, {
      proposalId,
      actor: resident,
      body: "Un onzième commentaire en dix minutes.",
      stance: "nuanced",
      anonymous: true,
    });
    expect(eleventh).toMatchObject({ ok: false, code: "too-many", retryAfter: expect.any(Number) });
  });
});
