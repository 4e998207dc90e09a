import { changeCommune } from "../../app/ballots/commune-change.server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DatabaseHandle } from "../../db/connect";
import { BallotError, changeBallot, type Voter } from "../../app/ballots/ballots.server";
import { territoryBallots, territoryTally, verifyCounts } from "../../app/ballots/results.server";
import { createResident, grantRole, markEmailVerified } from "../../app/identity/users.server";
import { tally } from "../../app/tally";
import { testDatabases } from "../support/databases";

const NORMANDIE = "normandie-cnr-sante-2022";
const NA = "nouvelle-aquitaine-cnr-sante-2022";
const YVELINES = "yvelines-cts78-cnr-sante-2022";

describe.each(testDatabases)("ballots on $name", ({ openLoaded }) => {
  let h: DatabaseHandle;
  let n = 0;
  const ids: Record<string, string[]> = {};

  async function resident(
    commune: string,
    options: { verified?: boolean; role?: "association" | "cts_member" } = {},
  ): Promise<Voter> {
    const created = await createResident(h.db, {
      email: `r${n++}-${Math.random()}@exemple.fr`,
      password: "une phrase de passe",
      communeCode: commune,
    });
    if (!created.ok) throw new Error("setup");
    if (options.verified !== false) await markEmailVerified(h.db, created.userId);
    const roles = [{ role: "resident", scope: "" }];
    if (options.role) {
      await grantRole(h.db, created.userId, options.role, options.role === "cts_member" ? "14" : "");
      roles.push({ role: options.role, scope: options.role === "cts_member" ? "14" : "" });
    }
    return { id: created.userId, emailVerified: options.verified !== false, communeCode: commune, roles };
  }

  const select = (id: string) => (current: unknown) => {
    const selections = (current as { selections?: string[] } | null)?.selections ?? [];
    return { selections: selections.includes(id) ? selections : [...selections, id] };
  };

  async function count(table: "ballots" | "ballot_events") {
    const row = await h.db
      .selectFrom(table)
      .select((eb) => eb.fn.countAll<number>().as("n"))
      .executeTakeFirstOrThrow();
    return Number(row.n);
  }

  async function consultationId(slug: string) {
    return (await h.db.selectFrom("consultations").select("id").where("slug", "=", slug).executeTakeFirstOrThrow()).id;
  }

  beforeAll(async () => {
    h = await openLoaded();
    for (const slug of [NORMANDIE, NA, YVELINES]) {
      const rows = await h.db
        .selectFrom("proposals")
        .select("proposals.id")
        .innerJoin("consultations", "consultations.id", "proposals.consultation_id")
        .where("consultations.slug", "=", slug)
        .orderBy("proposals.position")
        .execute();
      ids[slug] = rows.map((r) => r.id);
    }
  });
  afterAll(async () => h?.close());

  it("casts, repeats harmlessly, changes and withdraws an approval ballot; counts follow", async () => {
    const voter = await resident("14366");
    const [a, b] = ids[NORMANDIE]!;
    expect(
      (await changeBallot(h.db, { consultationSlug: NORMANDIE, voter }, () => ({ selections: [a] }))).outcome,
    ).toBe("cast");
    expect(
      (await changeBallot(h.db, { consultationSlug: NORMANDIE, voter }, () => ({ selections: [a] }))).outcome,
    ).toBe("unchanged");
    expect(
      (await changeBallot(h.db, { consultationSlug: NORMANDIE, voter }, () => ({ selections: [b, a] }))).outcome,
    ).toBe("changed");
    const stored = await h.db.selectFrom("ballots").selectAll().where("user_id", "=", voter.id).execute();
    expect(stored).toHaveLength(1);
    expect(stored[0]).toMatchObject({ arrondissement_code: "143", cts_code: "14", channel: "online" });
    expect(JSON.parse(stored[0]!.content)).toEqual({ selections: [a, b].sort() });
    expect((await changeBallot(h.db, { consultationSlug: NORMANDIE, voter }, () => null)).outcome).toBe("withdrawn");
    expect(await h.db.selectFrom("ballots").select("id").where("user_id", "=", voter.id).execute()).toEqual([]);
    expect(await verifyCounts(h.db, await consultationId(NORMANDIE))).toEqual([]);
    const events = await h.db.selectFrom("ballot_events").select("kind").orderBy("created_at").execute();
    expect(events.map((e) => e.kind)).toEqual(["cast", "changed", "withdrawn"]);
  });

  it("20 parallel selections against K=5 leave exactly 5", async () => {
    const voter = await resident("14118");
    const results = await Promise.allSettled(
      ids[NORMANDIE]!.slice(0, 20).map((id) => changeBallot(h.db, { consultationSlug: NORMANDIE, voter }, select(id))),
    );
    const refused = results.filter((r) => r.status === "rejected");
    expect(refused).toHaveLength(15);
    for (const r of refused) expect((r as PromiseRejectedResult).reason).toMatchObject({ code: "invalid" });
    const ballot = await h.db
      .selectFrom("ballots")
      .select("content")
      .where("user_id", "=", voter.id)
      .executeTakeFirstOrThrow();
    expect(JSON.parse(ballot.content).selections).toHaveLength(5);
    expect(await verifyCounts(h.db, await consultationId(NORMANDIE))).toEqual([]);
  });

  it("50 parallel identical casts leave one ballot", async () => {
    const voter = await resident("76540");
    const [a] = ids[NORMANDIE]!;
    const outcomes = await Promise.all(
      Array.from({ length: 50 }, () =>
        changeBallot(h.db, { consultationSlug: NORMANDIE, voter }, () => ({ selections: [a] })),
      ),
    );
    expect(outcomes.filter((o) => o.outcome === "cast")).toHaveLength(1);
    expect(outcomes.filter((o) => o.outcome === "unchanged")).toHaveLength(49);
    expect(await h.db.selectFrom("ballots").select("id").where("user_id", "=", voter.id).execute()).toHaveLength(1);
    expect(await verifyCounts(h.db, await consultationId(NORMANDIE))).toEqual([]);
  });

  it("refuses with 403 and writes nothing: other region, unverified, association, CTS member, closed, not yet open", async () => {
    const before = [await count("ballots"), await count("ballot_events")];
    const vote = (voter: Voter, slug = NORMANDIE, now?: Date) =>
      changeBallot(h.db, { consultationSlug: slug, voter, ...(now ? { now } : {}) }, () => ({
        selections: [ids[NORMANDIE]![0]!],
      }));
    await expect(vote(await resident("33063"))).rejects.toMatchObject({
      code: "forbidden",
      message: expect.stringMatching(/région/),
    });
    await expect(vote(await resident("14366", { verified: false }))).rejects.toMatchObject({
      code: "forbidden",
      message: expect.stringMatching(/Confirmez/),
    });
    await expect(vote(await resident("14366", { role: "association" }))).rejects.toMatchObject({ code: "forbidden" });
    await expect(vote(await resident("14366", { role: "cts_member" }))).rejects.toMatchObject({ code: "forbidden" });
    // Yvelines is for CTS 78 only, even within Île-de-France.
    await expect(
      changeBallot(h.db, { consultationSlug: YVELINES, voter: await resident("75101") }, () => ({
        order: [ids[YVELINES]![0]!],
      })),
    ).rejects.toMatchObject({ code: "forbidden" });
    const id = await consultationId(NORMANDIE);
    await h.db
      .updateTable("consultations")
      .set({ closes_at: "2026-01-01T00:00:00.000Z", opens_at: "2025-01-01T00:00:00.000Z" })
      .where("id", "=", id)
      .execute();
    try {
      const voter = await resident("14366");
      await expect(vote(voter, NORMANDIE, new Date("2026-01-01T00:00:00.000Z"))).rejects.toMatchObject({
        code: "forbidden",
        message: expect.stringMatching(/clos/),
      });
      await expect(vote(voter, NORMANDIE, new Date("2024-12-31T23:59:59.999Z"))).rejects.toMatchObject({
        code: "forbidden",
        message: expect.stringMatching(/pas encore/),
      });
      // The closing second: in just before, out at the instant.
      expect((await vote(voter, NORMANDIE, new Date("2025-12-31T23:59:59.999Z"))).outcome).toBe("cast");
      before[0]! += 1;
      before[1]! += 1;
    } finally {
      await h.db.updateTable("consultations").set({ closes_at: null, opens_at: null }).where("id", "=", id).execute();
    }
    await expect(vote(await resident("14366"), "n-existe-pas")).rejects.toMatchObject({ code: "not-found" });
    expect([await count("ballots"), await count("ballot_events")]).toEqual(before);
  });

  it("refuses tampered content with 400 and writes nothing", async () => {
    const before = [await count("ballots"), await count("ballot_events")];
    const normand = await resident("14366");
    const girondin = await resident("33063");
    const yvelinois = await resident("78646");
    const cases: [Voter, string, unknown][] = [
      [normand, NORMANDIE, { selections: [ids[NA]![0]] }], // another consultation's proposal
      [normand, NORMANDIE, { selections: ids[NORMANDIE]!.slice(0, 6) }], // K + 1
      [normand, NORMANDIE, { selections: [ids[NORMANDIE]![0], ids[NORMANDIE]![0]] }],
      [normand, NORMANDIE, { grades: { [ids[NORMANDIE]![0]!]: "prioritaire" } }], // wrong method
      [girondin, NA, { grades: { [ids[NA]![0]!]: "excellent" } }], // unknown grade
      [yvelinois, YVELINES, { order: [ids[YVELINES]![0], ids[YVELINES]![1], ids[YVELINES]![0]] }], // duplicate
    ];
    for (const [voter, slug, content] of cases) {
      const attempt = changeBallot(h.db, { consultationSlug: slug, voter }, () => content);
      await expect(attempt).rejects.toBeInstanceOf(BallotError);
      await expect(attempt).rejects.toMatchObject({ code: "invalid" });
    }
    expect([await count("ballots"), await count("ballot_events")]).toEqual(before);
  });

  it("moves an open ballot with its resident to their new arrondissement and CTS (same region); counts follow", async () => {
    const voter = await resident("14366");
    const [a] = ids[NORMANDIE]!;
    await changeBallot(h.db, { consultationSlug: NORMANDIE, voter }, () => ({ selections: [a] }));
    await changeCommune(h.db, voter.id, "76540");
    const moved = await h.db
      .selectFrom("ballots")
      .select(["arrondissement_code", "cts_code"])
      .where("user_id", "=", voter.id)
      .executeTakeFirstOrThrow();
    expect(moved).toEqual({ arrondissement_code: "763", cts_code: "76-rouen-elbeuf" });
    expect(await verifyCounts(h.db, await consultationId(NORMANDIE))).toEqual([]);
  });

  it("ranks from the kept counts exactly as from the ballots, for a region, a CTS, raw and weighted, each method", async () => {
    const grades = [
      "priorite_absolue",
      "tres_prioritaire",
      "prioritaire",
      "peu_prioritaire",
      "pas_prioritaire",
    ] as const;
    const communes = {
      [NORMANDIE]: ["14366", "14118", "76540", "76351", "50502"],
      [NA]: ["33063", "64445", "87085", "86194"],
      [YVELINES]: ["78646", "78551"],
    };
    let seed = 7;
    const rand = (m: number) => (seed = (seed * 1103515245 + 12345) % 2147483648) % m;
    for (let i = 0; i < 40; i++) {
      for (const slug of [NORMANDIE, NA, YVELINES] as const) {
        const list = communes[slug];
        const voter = await resident(list[rand(list.length)]!);
        const p = ids[slug]!;
        const pick = () => p[rand(Math.min(p.length, 12))]!;
        const content =
          slug === NA
            ? { grades: Object.fromEntries(Array.from({ length: 6 }, () => [pick(), grades[rand(5)]])) }
            : slug === YVELINES
              ? { order: [...new Set([pick(), pick(), pick()])] }
              : { selections: [...new Set([pick(), pick(), pick()])] };
        await changeBallot(h.db, { consultationSlug: slug, voter }, () => content);
      }
    }
    for (const slug of [NORMANDIE, NA, YVELINES]) {
      const consultation = await h.db
        .selectFrom("consultations")
        .select(["id", "method", "method_params", "region_code"])
        .where("slug", "=", slug)
        .executeTakeFirstOrThrow();
      expect(await verifyCounts(h.db, consultation.id)).toEqual([]);
      const refs = [
        { kind: "region" as const, code: consultation.region_code },
        ...(slug === NORMANDIE
          ? [
              { kind: "cts" as const, code: "76-rouen-elbeuf" },
              { kind: "arrondissement" as const, code: "143" },
            ]
          : []),
      ];
      for (const ref of refs) {
        for (const weighting of ["raw", "population"] as const) {
          const fromCounts = await territoryTally(h.db, consultation, ref, weighting);
          const ballots = await territoryBallots(h.db, consultation.id, ref);
          const populations = Object.fromEntries(fromCounts.participation.map((p) => [p.arrondissement, p.population]));
          const fromBallots = tally({
            method: consultation.method,
            proposals: ids[slug]!,
            ballots,
            weighting,
            populations,
          } as Parameters<typeof tally>[0]);
          expect(fromCounts.result.ballots).toBe(ballots.length);
          expect(fromCounts.result.ranking).toEqual(fromBallots.ranking);
        }
      }
    }
  });
});
