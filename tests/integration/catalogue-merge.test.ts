import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DatabaseHandle } from "../../db/connect";
import { loadTerritories } from "../../db/territories/load";
import { loadCatalogue, readCatalogueFiles } from "../../app/catalogue/catalogue-load.server";
import { mergeContent } from "../../app/catalogue/catalogue-merge.server";
import { changeBallot, type Voter } from "../../app/ballots/ballots.server";
import { verifyCounts } from "../../app/ballots/results.server";
import { createResident, markEmailVerified } from "../../app/identity/users.server";
import { testDatabases } from "../support/databases";

const files = readCatalogueFiles();
const NORMANDIE = "normandie-cnr-sante-2022";
const YVELINES = "yvelines-cts78-cnr-sante-2022";

/** A shipped file with one more entry, `extra`, a copy of its first entry: what an older catalogue held. */
function withDuplicate(name: string, extra: string) {
  const file = files.find((f) => f.name === name)!;
  const data = JSON.parse(file.content);
  data.proposals.push({
    ...data.proposals[0],
    slug: extra,
    title: `${data.proposals[0].title} (doublon)`,
    replaces: [],
  });
  return { shipped: file, before: { name, content: JSON.stringify(data) }, keep: data.proposals[0].slug as string };
}

/** The shipped file where the first entry absorbs `extra`. */
function merged(name: string, extra: string) {
  const data = JSON.parse(files.find((f) => f.name === name)!.content);
  data.proposals[0].replaces = [...data.proposals[0].replaces, extra];
  return { name, content: JSON.stringify(data) };
}

describe("a ballot's content once entries are merged", () => {
  const into = new Map([["b", "a"]]);
  it("keeps one selection, the best place and the kept entry's own grade", () => {
    expect(mergeContent({ selections: ["a", "b", "c"] }, into)).toEqual({ selections: ["a", "c"] });
    expect(mergeContent({ selections: ["b", "c"] }, into)).toEqual({ selections: ["a", "c"] });
    expect(mergeContent({ selections: ["c"] }, into)).toBeNull();
    expect(mergeContent({ order: ["c", "b", "a"] }, into)).toEqual({ order: ["c", "a"] });
    expect(mergeContent({ grades: { a: "peu_prioritaire", b: "priorite_absolue", c: "prioritaire" } }, into)).toEqual({
      grades: { a: "peu_prioritaire", c: "prioritaire" },
    });
    expect(mergeContent({ grades: { b: "priorite_absolue", c: "prioritaire" } }, into)).toEqual({
      grades: { a: "priorite_absolue", c: "prioritaire" },
    });
  });
});

describe.each(testDatabases)("merging catalogue entries on $name", ({ open }) => {
  let h: DatabaseHandle;
  let n = 0;

  async function resident(commune: string): Promise<Voter> {
    const created = await createResident(h.db, {
      email: `fusion${n++}-${Math.random()}@exemple.fr`,
      password: "une phrase de passe",
      communeCode: commune,
    });
    if (!created.ok) throw new Error("setup");
    await markEmailVerified(h.db, created.userId);
    return { id: created.userId, emailVerified: true, communeCode: commune, roles: [{ role: "resident", scope: "" }] };
  }

  async function proposalId(consultation: string, slug: string) {
    const row = await h.db
      .selectFrom("proposals as p")
      .innerJoin("consultations as c", "c.id", "p.consultation_id")
      .select(["p.id", "c.id as consultation_id"])
      .where("c.slug", "=", consultation)
      .where("p.slug", "=", slug)
      .executeTakeFirst();
    return row ?? null;
  }

  async function ballotsOf(voters: Voter[], consultation: string) {
    const { id } = await h.db
      .selectFrom("consultations")
      .select("id")
      .where("slug", "=", consultation)
      .executeTakeFirstOrThrow();
    const rows = await h.db
      .selectFrom("ballots")
      .select(["user_id", "content"])
      .where("consultation_id", "=", id)
      .execute();
    return voters.map((v) => JSON.parse(rows.find((r) => r.user_id === v.id)!.content));
  }

  beforeAll(async () => {
    h = await open();
    await loadTerritories(h.db);
    await loadCatalogue(h.db, files);
  });
  afterAll(async () => h?.close());

  it("moves ballots and comments to the kept entry, counted once per ballot, counts equal to a recount", async () => {
    const extra = "doublon-a-fusionner";
    const { shipped, before, keep } = withDuplicate("normandie.json", extra);
    await loadCatalogue(h.db, [before]);
    const a = (await proposalId(NORMANDIE, keep))!;
    const b = (await proposalId(NORMANDIE, extra))!;
    const other = (await h.db
      .selectFrom("proposals")
      .select("id")
      .where("consultation_id", "=", a.consultation_id)
      .where("id", "not in", [a.id, b.id])
      .executeTakeFirstOrThrow())!.id;
    const both = await resident("14118");
    const onlyB = await resident("14366");
    const onlyA = await resident("76540");
    const neither = await resident("14118");
    for (const [voter, selections] of [
      [both, [a.id, b.id, other]],
      [onlyB, [b.id]],
      [onlyA, [a.id]],
      [neither, [other]],
    ] as const) {
      await changeBallot(h.db, { consultationSlug: NORMANDIE, voter }, () => ({ selections }));
    }
    const place = await h.db
      .selectFrom("ballots")
      .select(["arrondissement_code", "cts_code"])
      .where("user_id", "=", onlyB.id)
      .executeTakeFirstOrThrow();
    const comment = randomUUID();
    const now = new Date().toISOString();
    await h.db
      .insertInto("comments")
      .values({
        id: comment,
        consultation_id: a.consultation_id,
        proposal_id: b.id,
        parent_id: null,
        user_id: onlyB.id,
        anonymous: 0,
        stance: "for",
        body: "Un avis posé sur le doublon.",
        arrondissement_code: place.arrondissement_code,
        cts_code: place.cts_code,
        moderation: "visible",
        hidden_reason: null,
        review_requested_at: null,
        review_message: null,
        reviewed_at: null,
        created_at: now,
        updated_at: now,
        edited_at: null,
        deleted_at: null,
      })
      .execute();

    await loadCatalogue(h.db, [merged(shipped.name, extra)]);

    expect(await proposalId(NORMANDIE, extra)).toBeNull();
    expect((await proposalId(NORMANDIE, keep))!.id).toBe(a.id);
    const [bothAfter, onlyBAfter, onlyAAfter, neitherAfter] = await ballotsOf([both, onlyB, onlyA, neither], NORMANDIE);
    expect(bothAfter.selections).toEqual([a.id, other].sort());
    expect(onlyBAfter.selections).toEqual([a.id]);
    expect(onlyAAfter.selections).toEqual([a.id]);
    expect(neitherAfter.selections).toEqual([other]);
    const kept = await h.db
      .selectFrom("ballot_counts")
      .select((eb) => eb.fn.sum<number>("count").as("n"))
      .where("proposal_id", "=", a.id)
      .executeTakeFirstOrThrow();
    expect(Number(kept.n)).toBe(3);
    expect(await verifyCounts(h.db, a.consultation_id)).toEqual([]);
    const moved = await h.db
      .selectFrom("comments")
      .select("proposal_id")
      .where("id", "=", comment)
      .executeTakeFirstOrThrow();
    expect(moved.proposal_id).toBe(a.id);
    // Loading the shipped file again changes nothing more.
    await loadCatalogue(h.db, [shipped]);
    expect(await verifyCounts(h.db, a.consultation_id)).toEqual([]);
  });

  it("keeps the best place in a ranking and recounts to the kept counts", async () => {
    const extra = "doublon-classe";
    const { before, keep } = withDuplicate("ile-de-france-cts78.json", extra);
    await loadCatalogue(h.db, [before]);
    const a = (await proposalId(YVELINES, keep))!;
    const b = (await proposalId(YVELINES, extra))!;
    const voter = await resident("78646");
    await changeBallot(h.db, { consultationSlug: YVELINES, voter }, () => ({ order: [b.id, a.id] }));
    await loadCatalogue(h.db, [merged("ile-de-france-cts78.json", extra)]);
    const [after] = await ballotsOf([voter], YVELINES);
    expect(after.order).toEqual([a.id]);
    expect(await verifyCounts(h.db, a.consultation_id)).toEqual([]);
  });
});
