import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DatabaseHandle } from "../../db/connect";
import { loadTerritories } from "../../db/territories/load";
import { loadCatalogue } from "../../app/catalogue/catalogue-load.server";
import { changeBallot } from "../../app/ballots/ballots.server";
import { advanceConsultation } from "../../app/ballots/lifecycle.server";
import { territoryTally } from "../../app/ballots/results.server";
import { createResident, markEmailVerified } from "../../app/identity/users.server";
import { testDatabases } from "../support/databases";

const SLUG = "normandie-cnr-sante-2022";

describe.each(testDatabases)("consultation phases on $name", ({ open }) => {
  let h: DatabaseHandle;
  beforeAll(async () => {
    h = await open();
    await loadTerritories(h.db);
    await loadCatalogue(h.db);
  });
  afterAll(async () => h?.close());

  it("closing drops every ballot's user link and rounds times to the day, results unchanged; phases only move forward", async () => {
    const consultation = await h.db
      .selectFrom("consultations")
      .select(["id", "method", "method_params"])
      .where("slug", "=", SLUG)
      .executeTakeFirstOrThrow();
    const proposals = await h.db
      .selectFrom("proposals")
      .select("id")
      .where("consultation_id", "=", consultation.id)
      .orderBy("position")
      .limit(3)
      .execute();
    const voters = [];
    for (let i = 0; i < 12; i++) {
      const created = await createResident(h.db, {
        email: `v${i}@exemple.fr`,
        password: "une phrase de passe",
        communeCode: i % 2 ? "14366" : "76540",
      });
      if (!created.ok) throw new Error("setup");
      await markEmailVerified(h.db, created.userId);
      const voter = {
        id: created.userId,
        emailVerified: true,
        communeCode: i % 2 ? "14366" : "76540",
        roles: [{ role: "resident", scope: "" }],
      };
      voters.push(voter);
      await changeBallot(h.db, { consultationSlug: SLUG, voter }, () => ({ selections: [proposals[i % 3]!.id] }));
    }
    const region = { kind: "region" as const, code: "28" };
    const before = await territoryTally(h.db, consultation, region, "raw");

    await expect(advanceConsultation(h.db, SLUG, "resultats_publies")).rejects.toThrow(/ne peut pas passer/);
    const closed = await advanceConsultation(h.db, SLUG, "close");
    expect(closed).toEqual({ from: "ouverte", to: "close", anonymised: 12 });
    const ballots = await h.db
      .selectFrom("ballots")
      .select(["user_id", "created_at", "updated_at"])
      .where("consultation_id", "=", consultation.id)
      .execute();
    expect(ballots).toHaveLength(12);
    for (const b of ballots) {
      expect(b.user_id).toBeNull();
      expect(b.created_at).toMatch(/T00:00:00\.000Z$/);
      expect(b.updated_at).toMatch(/T00:00:00\.000Z$/);
    }
    const events = await h.db
      .selectFrom("ballot_events")
      .select("created_at")
      .where("consultation_id", "=", consultation.id)
      .execute();
    expect(events.every((e) => e.created_at.endsWith("T00:00:00.000Z"))).toBe(true);
    expect((await territoryTally(h.db, consultation, region, "raw")).result).toEqual(before.result);

    // No vote after closing; no way back.
    await expect(changeBallot(h.db, { consultationSlug: SLUG, voter: voters[0]! }, () => null)).rejects.toMatchObject({
      code: "forbidden",
    });
    await expect(advanceConsultation(h.db, SLUG, "ouverte")).rejects.toThrow(/ne peut pas passer/);
    expect((await advanceConsultation(h.db, SLUG, "resultats_publies")).to).toBe("resultats_publies");
  });
});
