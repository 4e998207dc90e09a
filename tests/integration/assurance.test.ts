import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DatabaseHandle } from "../../db/connect";
import { changeBallot } from "../../app/ballots/ballots.server";
import { recordVerification } from "../../app/identity/assurance.server";
import { createResident, markEmailVerified } from "../../app/identity/users.server";
import { changeCommune } from "../../app/ballots/commune-change.server";
import { testDatabases } from "../support/databases";

const SLUG = "normandie-cnr-sante-2022";

describe.each(testDatabases)("assurance levels on $name", ({ openLoaded }) => {
  let h: DatabaseHandle;
  let proposal: string;
  beforeAll(async () => {
    h = await openLoaded();
    proposal = (
      await h.db
        .selectFrom("proposals")
        .innerJoin("consultations", "consultations.id", "proposals.consultation_id")
        .select("proposals.id")
        .where("consultations.slug", "=", SLUG)
        .orderBy("proposals.position")
        .executeTakeFirstOrThrow()
    ).id;
  });
  afterAll(async () => h?.close());

  async function resident(email: string, communeCode = "76540") {
    const created = await createResident(h.db, { email, password: "une phrase de passe", communeCode });
    if (!created.ok) throw new Error("setup");
    await markEmailVerified(h.db, created.userId);
    return { id: created.userId, emailVerified: true, communeCode, roles: [{ role: "resident", scope: "" }] };
  }
  const level = async (id: string) =>
    (await h.db.selectFrom("users").select("assurance_level").where("id", "=", id).executeTakeFirstOrThrow())
      .assurance_level;
  const ballotLevel = async (id: string) =>
    (await h.db.selectFrom("ballots").select("assurance_level").where("user_id", "=", id).executeTakeFirstOrThrow())
      .assurance_level;

  it("a proof raises the level; a proof of residence holds for its commune only, an identity everywhere", async () => {
    const voter = await resident("niveaux@exemple.fr");
    expect(await level(voter.id)).toBe("email");
    expect(await recordVerification(h.db, { userId: voter.id, method: "franceconnect" })).toBe("identity");
    expect(await recordVerification(h.db, { userId: voter.id, method: "postal_code" })).toBe("residence");
    await changeCommune(h.db, voter.id, "14118");
    expect(await level(voter.id)).toBe("identity");
    await changeCommune(h.db, voter.id, "76540");
    expect(await level(voter.id)).toBe("residence");
    const journal = await h.db
      .selectFrom("audit_events")
      .select("detail")
      .where("kind", "=", "verification")
      .where("user_id", "=", voter.id)
      .execute();
    expect(journal.map((j) => j.detail)).toContain("niveau de garantie : Identité (FranceConnect)");
  });

  it("each ballot records its voter's level at casting, read under the lock (not the session's)", async () => {
    const voter = await resident("bulletin-niveau@exemple.fr");
    await changeBallot(h.db, { consultationSlug: SLUG, voter }, () => ({ selections: [proposal] }));
    expect(await ballotLevel(voter.id)).toBe("email");
    await recordVerification(h.db, { userId: voter.id, method: "counter", communeCode: "76540" });
    // The session still says "email": the ballot takes the level the database holds now.
    const again = await changeBallot(
      h.db,
      { consultationSlug: SLUG, voter: { ...voter, assuranceLevel: "email" } },
      () => ({
        selections: [proposal],
      }),
    );
    expect(again.outcome).toBe("changed");
    expect(await ballotLevel(voter.id)).toBe("in_person");
  });

  it("a consultation's minimum level refuses lower accounts with how to reach it, and nothing is written", async () => {
    await h.db.updateTable("consultations").set({ min_assurance_level: "identity" }).where("slug", "=", SLUG).execute();
    try {
      const voter = await resident("sous-le-niveau@exemple.fr");
      await expect(
        changeBallot(h.db, { consultationSlug: SLUG, voter }, () => ({ selections: [proposal] })),
      ).rejects.toMatchObject({ code: "forbidden", message: expect.stringMatching(/FranceConnect/) });
      expect(await h.db.selectFrom("ballots").select("id").where("user_id", "=", voter.id).execute()).toEqual([]);
      await recordVerification(h.db, { userId: voter.id, method: "franceconnect" });
      await changeBallot(h.db, { consultationSlug: SLUG, voter }, () => ({ selections: [proposal] }));
      expect(await ballotLevel(voter.id)).toBe("identity");
    } finally {
      await h.db.updateTable("consultations").set({ min_assurance_level: "email" }).where("slug", "=", SLUG).execute();
    }
  });
});
