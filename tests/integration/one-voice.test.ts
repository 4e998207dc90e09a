import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DatabaseHandle } from "../../db/connect";
import { BallotError, changeBallot, type Voter } from "../../app/ballots/ballots.server";
import {
  changeCommune,
  CommuneChangeError,
  planCommuneChange,
  REGION_CHANGE_DAYS,
} from "../../app/ballots/commune-change.server";
import { verifyCounts } from "../../app/ballots/results.server";
import { createResident, markEmailVerified } from "../../app/identity/users.server";
import { locateCommune } from "../../app/territories/territories.server";
import { testDatabases } from "../support/databases";

// Finding 2 of issue 14: one account voted in every region by changing commune between votes.
// The rule (docs/domain.md#one-voice): a move within the region takes the open ballots along; a
// move to another region (or out of a consultation's CTS) withdraws them; one change of region per
// REGION_CHANGE_DAYS while a consultation is open; counts always equal a recount.

const NORMANDIE = "normandie-cnr-sante-2022";
const NA = "nouvelle-aquitaine-cnr-sante-2022";
const CVL = "centre-val-de-loire-cnr-sante-2022";
const YVELINES = "yvelines-cts78-cnr-sante-2022";
const SLUGS = [NORMANDIE, NA, CVL, YVELINES];
// Lisieux, Caen, Rouen (Normandie); Bordeaux (Nouvelle-Aquitaine); Orléans (Centre-Val de Loire);
// Versailles (Île-de-France, CTS 78); Paris (Île-de-France, not CTS 78).
const COMMUNES = ["14366", "14118", "76540", "33063", "45234", "78646", "75056"];
const DAY = 24 * 60 * 60 * 1000;

describe.each(testDatabases)("one voice per territory on $name", ({ openLoaded }) => {
  let h: DatabaseHandle;
  let n = 0;
  const first: Record<string, string> = {};
  const method: Record<string, string> = {};
  const consultationIds: Record<string, string> = {};
  const regionOf: Record<string, string> = {};

  beforeAll(async () => {
    h = await openLoaded();
    for (const slug of SLUGS) {
      const row = await h.db
        .selectFrom("proposals")
        .innerJoin("consultations", "consultations.id", "proposals.consultation_id")
        .select(["proposals.id", "consultations.method", "consultations.id as cid", "consultations.region_code"])
        .where("consultations.slug", "=", slug)
        .orderBy("proposals.position")
        .executeTakeFirstOrThrow();
      first[slug] = row.id;
      method[slug] = row.method;
      consultationIds[slug] = row.cid;
      regionOf[slug] = row.region_code;
    }
  });
  afterAll(async () => h?.close());

  async function resident(commune: string): Promise<Voter> {
    const created = await createResident(h.db, {
      email: `voix${n++}-${Math.random().toString(36).slice(2)}@exemple.fr`,
      password: "une phrase de passe",
      communeCode: commune,
    });
    if (!created.ok) throw new Error("setup");
    await markEmailVerified(h.db, created.userId);
    return { id: created.userId, emailVerified: true, communeCode: commune, roles: [{ role: "resident", scope: "" }] };
  }

  const content = (slug: string) =>
    method[slug] === "approval"
      ? { selections: [first[slug]] }
      : method[slug] === "majority_judgment"
        ? { grades: { [first[slug]!]: "prioritaire" } }
        : { order: [first[slug]] };

  const vote = (voter: Voter, slug: string, now?: Date) =>
    changeBallot(h.db, { consultationSlug: slug, voter, ...(now ? { now } : {}) }, () => content(slug));

  const ballotsOf = (userId: string) =>
    h.db
      .selectFrom("ballots as b")
      .innerJoin("consultations as c", "c.id", "b.consultation_id")
      .select(["c.slug", "c.region_code", "b.arrondissement_code", "b.cts_code"])
      .where("b.user_id", "=", userId)
      .execute();

  const countsExact = async () => {
    for (const slug of SLUGS) expect(await verifyCounts(h.db, consultationIds[slug]!), slug).toEqual([]);
  };

  it("a move within the region takes the open ballot to the new arrondissement and CTS", async () => {
    const voter = await resident("14366");
    await vote(voter, NORMANDIE);
    const plan = await planCommuneChange(h.db, voter.id, "76540");
    expect(plan).toMatchObject({ regionChange: false, withdrawn: [], refusal: null });
    expect(plan.moved.map((b) => b.consultationSlug)).toEqual([NORMANDIE]);
    await changeCommune(h.db, voter.id, "76540");
    expect(await ballotsOf(voter.id)).toEqual([
      { slug: NORMANDIE, region_code: "28", arrondissement_code: "763", cts_code: "76-rouen-elbeuf" },
    ]);
    await countsExact();
  });

  it("a move to another region withdraws the ballots of the region left, says so first, and journals it", async () => {
    const voter = await resident("14366");
    await vote(voter, NORMANDIE);
    const plan = await planCommuneChange(h.db, voter.id, "33063");
    expect(plan.regionChange).toBe(true);
    expect(plan.withdrawn.map((b) => b.consultationSlug)).toEqual([NORMANDIE]);
    // The preview writes nothing.
    expect(await ballotsOf(voter.id)).toHaveLength(1);
    const events = async () =>
      (
        await h.db
          .selectFrom("ballot_events")
          .select((eb) => eb.fn.countAll<number>().as("n"))
          .where("consultation_id", "=", consultationIds[NORMANDIE]!)
          .where("kind", "=", "withdrawn")
          .executeTakeFirstOrThrow()
      ).n;
    const before = Number(await events());
    await changeCommune(h.db, voter.id, "33063");
    expect(await ballotsOf(voter.id)).toEqual([]);
    expect(Number(await events())).toBe(before + 1);
    await vote({ ...voter, communeCode: "33063" }, NA);
    expect((await ballotsOf(voter.id)).map((b) => b.slug)).toEqual([NA]);
    const journal = await h.db
      .selectFrom("audit_events")
      .select("detail")
      .where("user_id", "=", voter.id)
      .where("kind", "=", "commune_change")
      .execute();
    expect(journal.map((j) => j.detail)).toEqual([
      "commune changée (autre région) : 0 bulletin(s) suivent, 1 retiré(s)",
    ]);
    await countsExact();
  });

  it("a move out of the CTS of a consultation restricted to it withdraws that ballot", async () => {
    const voter = await resident("78646");
    await vote(voter, YVELINES);
    const plan = await planCommuneChange(h.db, voter.id, "75056");
    expect(plan).toMatchObject({ regionChange: false, moved: [] });
    expect(plan.withdrawn.map((b) => b.consultationSlug)).toEqual([YVELINES]);
    await changeCommune(h.db, voter.id, "75056");
    expect(await ballotsOf(voter.id)).toEqual([]);
    await countsExact();
  });

  it(`refuses a second change of region within ${REGION_CHANGE_DAYS} days while a consultation is open`, async () => {
    const voter = await resident("14366");
    const t0 = new Date();
    await changeCommune(h.db, voter.id, "33063", t0);
    const later = new Date(t0.getTime() + 10 * DAY);
    expect((await planCommuneChange(h.db, voter.id, "45234", later)).refusal).toMatch(
      /un seul changement de région est possible tous les 90 jours/,
    );
    const refused = changeCommune(h.db, voter.id, "45234", later);
    await expect(refused).rejects.toBeInstanceOf(CommuneChangeError);
    await expect(refused).rejects.toMatchObject({ code: "conflict" });
    expect(
      (await h.db.selectFrom("users").select("commune_code").where("id", "=", voter.id).executeTakeFirst())!
        .commune_code,
    ).toBe("33063");
    // Within the region, still free; another region once the period is over.
    await changeCommune(h.db, voter.id, "64445", later);
    await changeCommune(h.db, voter.id, "45234", new Date(t0.getTime() + (REGION_CHANGE_DAYS + 1) * DAY));
  });

  it("never rewrites a ballot whose consultation's vote has ended", async () => {
    const voter = await resident("14366");
    await vote(voter, CVL).catch(() => undefined); // not their region: refused
    await vote(voter, NORMANDIE);
    const ended = new Date(Date.now() - 1000).toISOString();
    await h.db.updateTable("consultations").set({ closes_at: ended }).where("slug", "=", NORMANDIE).execute();
    try {
      await changeCommune(h.db, voter.id, "33063");
      expect(await ballotsOf(voter.id)).toEqual([
        { slug: NORMANDIE, region_code: "28", arrondissement_code: "143", cts_code: "14" },
      ]);
    } finally {
      await h.db.updateTable("consultations").set({ closes_at: null }).where("slug", "=", NORMANDIE).execute();
    }
    await countsExact();
  });

  describe("a change of commune during a cast: the old territory or the new one, never a mix", () => {
    it("change first, then a cast carrying the session's older commune: read again under the lock", async () => {
      const voter = await resident("14366");
      const oldPlace = await locateCommune(h.db, "14366");
      await changeCommune(h.db, voter.id, "33063");
      // The request was read with Lisieux (voter and place): it must not vote in Normandie.
      await expect(
        changeBallot(h.db, { consultationSlug: NORMANDIE, voter, place: oldPlace }, () => content(NORMANDIE)),
      ).rejects.toBeInstanceOf(BallotError);
      expect(await ballotsOf(voter.id)).toEqual([]);
      // Within the region, the ballot is counted where the resident lives now.
      const other = await resident("14366");
      await changeCommune(h.db, other.id, "76540");
      await changeBallot(h.db, { consultationSlug: NORMANDIE, voter: other, place: oldPlace }, () =>
        content(NORMANDIE),
      );
      expect(await ballotsOf(other.id)).toEqual([
        { slug: NORMANDIE, region_code: "28", arrondissement_code: "763", cts_code: "76-rouen-elbeuf" },
      ]);
      await countsExact();
    });

    it("cast first, then the change: the ballot is withdrawn with the region left", async () => {
      const voter = await resident("14366");
      await vote(voter, NORMANDIE);
      await changeCommune(h.db, voter.id, "33063");
      expect(await ballotsOf(voter.id)).toEqual([]);
      await countsExact();
    });

    it("both at once, many times: the ballot ends up in one region only, counts exact", async () => {
      for (let i = 0; i < 6; i++) {
        const voter = await resident("14366");
        const results = await Promise.allSettled(
          i % 2
            ? [vote(voter, NORMANDIE), changeCommune(h.db, voter.id, "33063")]
            : [changeCommune(h.db, voter.id, "33063"), vote(voter, NORMANDIE)],
        );
        // The change always goes through; the vote either came first (then withdrawn with the
        // region left) or after (then refused: the commune read under the lock is Bordeaux).
        expect(results[i % 2 ? 1 : 0]!.status).toBe("fulfilled");
        expect(await ballotsOf(voter.id)).toEqual([]);
      }
      await countsExact();
    });
  });

  it("property: no sequence of moves and votes leaves ballots in two regions' open consultations; counts = recount", async () => {
    const step = fc.oneof(
      fc.record({ kind: fc.constant("vote" as const), who: fc.nat(2), slug: fc.constantFrom(...SLUGS) }),
      fc.record({
        kind: fc.constant("move" as const),
        who: fc.nat(2),
        commune: fc.constantFrom(...COMMUNES),
        days: fc.constantFrom(0, 1, 30, REGION_CHANGE_DAYS + 1),
      }),
    );
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.constantFrom(...COMMUNES), { minLength: 3, maxLength: 3 }),
        fc.array(step, { minLength: 1, maxLength: 12 }),
        async (homes, steps) => {
          const people: Voter[] = [];
          for (const home of homes) people.push(await resident(home));
          let clock = Date.now();
          for (const s of steps) {
            const voter = people[s.who]!;
            if (s.kind === "move") {
              clock += s.days * DAY;
              await changeCommune(h.db, voter.id, s.commune, new Date(clock)).then(
                () => (voter.communeCode = s.commune),
                (error: unknown) => {
                  if (!(error instanceof CommuneChangeError)) throw error;
                },
              );
            } else {
              await vote(voter, s.slug, new Date(clock)).catch((error: unknown) => {
                if (!(error instanceof BallotError)) throw error;
              });
            }
            for (const person of people) {
              const regions = new Set((await ballotsOf(person.id)).map((b) => b.region_code));
              expect(regions.size).toBeLessThanOrEqual(1);
            }
          }
          await countsExact();
        },
      ),
      { numRuns: 12, seed: 20261204 },
    );
  }, 120_000);
});
