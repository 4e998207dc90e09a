import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DatabaseHandle } from "../../db/connect";
import { loadTerritories } from "../../db/territories/load";
import { changeBallot, type Voter } from "../../app/ballots/ballots.server";
import { loadCatalogue } from "../../app/catalogue/catalogue-load.server";
import { findProposalTitle, listConsultationsForAdmin } from "../../app/catalogue/catalogue.server";
import { writeBenchRow } from "../../app/platform/bench-baseline.server";
import { listCtsTerritoriesWithMembers, regionNames } from "../../app/territories/territories.server";
import { testDatabases } from "../support/databases";
import { makePerson } from "../support/people";

// The queries the administration, moderation and contribution pages used to run inline.

const NORMANDIE = "normandie-cnr-sante-2022";

describe.each(testDatabases)("page queries as domain functions, on $name", ({ open }) => {
  let h: DatabaseHandle;
  beforeAll(async () => {
    h = await open();
    await loadTerritories(h.db);
    await loadCatalogue(h.db);
  });
  afterAll(async () => h?.close());

  it("lists every consultation, drafts included, with its region and the ballots cast", async () => {
    await h.db
      .updateTable("consultations")
      .set({ status: "draft" })
      .where("slug", "=", "yvelines-cts78-cnr-sante-2022")
      .execute();
    const before = await listConsultationsForAdmin(h.db);
    const normandie = before.find((c) => c.slug === NORMANDIE)!;
    expect(normandie).toMatchObject({ region_name: "Normandie", method: expect.any(String), ballots: 0 });
    expect(before.map((c) => c.slug)).toContain("yvelines-cts78-cnr-sante-2022");
    const proposal = await h.db
      .selectFrom("proposals")
      .innerJoin("consultations", "consultations.id", "proposals.consultation_id")
      .select("proposals.id")
      .where("consultations.slug", "=", NORMANDIE)
      .executeTakeFirstOrThrow();
    for (const commune of ["14366", "76540"]) {
      const voter = (await makePerson(h.db, commune)) as Voter;
      await changeBallot(h.db, { consultationSlug: NORMANDIE, voter }, () => ({ selections: [proposal.id] }));
    }
    const after = await listConsultationsForAdmin(h.db);
    expect(after.find((c) => c.slug === NORMANDIE)!.ballots).toBe(2);
    expect(after.every((c) => typeof c.ballots === "number")).toBe(true);
  });

  it("lists CTS territories with their region and member count", async () => {
    const empty = (await listCtsTerritoriesWithMembers(h.db)).find((t) => t.code === "76-rouen-elbeuf")!;
    expect(empty).toMatchObject({ region: "Normandie", members: 0 });
    await makePerson(h.db, "76540", { roles: [{ role: "cts_member", scope: "76-rouen-elbeuf" }] });
    await makePerson(h.db, "76540", { roles: [{ role: "cts_member", scope: "76-rouen-elbeuf" }] });
    const territories = await listCtsTerritoriesWithMembers(h.db);
    expect(territories.find((t) => t.code === "76-rouen-elbeuf")!.members).toBe(2);
  });

  it("names regions in alphabetical order, and none for none", async () => {
    expect(await regionNames(h.db, ["75", "28"])).toEqual(["Normandie", "Nouvelle-Aquitaine"]);
    expect(await regionNames(h.db, [])).toEqual([]);
    expect(await regionNames(h.db, ["00"])).toEqual([]);
  });

  it("finds a proposal of this consultation only", async () => {
    const normandie = await h.db
      .selectFrom("consultations")
      .select("id")
      .where("slug", "=", NORMANDIE)
      .executeTakeFirstOrThrow();
    const other = await h.db
      .selectFrom("consultations")
      .select("id")
      .where("slug", "!=", NORMANDIE)
      .executeTakeFirstOrThrow();
    const proposal = await h.db
      .selectFrom("proposals")
      .select(["slug", "title", "id"])
      .where("consultation_id", "=", normandie.id)
      .executeTakeFirstOrThrow();
    expect(await findProposalTitle(h.db, normandie.id, proposal.slug)).toEqual(proposal);
    expect(await findProposalTitle(h.db, other.id, `${proposal.slug}-inconnue`)).toBeNull();
    expect(await findProposalTitle(h.db, normandie.id, "inconnue")).toBeNull();
  });

  it("writes one benchmark row per call", async () => {
    const key = await writeBenchRow(h.db);
    const row = await h.db.selectFrom("app_state").select("value").where("key", "=", key).executeTakeFirst();
    expect(row?.value).toBe("1");
    expect(await writeBenchRow(h.db)).not.toBe(key);
  });
});
