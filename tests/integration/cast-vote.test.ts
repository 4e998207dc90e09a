import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DatabaseHandle } from "../../db/connect";
import { loadTerritories } from "../../db/territories/load";
import { loadCatalogue } from "../../app/catalogue/catalogue-load.server";
import type { SessionUser } from "../../app/identity/session.server";
import { castVote } from "../../app/voting/cast-vote.server";
import type { VoteInput } from "../../app/voting/vote-forms";
import { findConsultationForVote } from "../../app/voting/voting.server";
import { testDatabases } from "../support/databases";
import { makePerson } from "../support/people";

const NORMANDIE = "normandie-cnr-sante-2022";
const NA = "nouvelle-aquitaine-cnr-sante-2022";

describe.each(testDatabases)("castVote on $name", ({ name, open }) => {
  let h: DatabaseHandle;
  // Places and proposals are kept per content version, in memory: one version per database.
  const version = `cast-vote-${name}-${Date.now()}`;
  let proposalOf: Record<string, string> = {};

  beforeAll(async () => {
    h = await open();
    await loadTerritories(h.db);
    await loadCatalogue(h.db);
    const first = async (slug: string) =>
      (
        await h.db
          .selectFrom("proposals")
          .innerJoin("consultations", "consultations.id", "proposals.consultation_id")
          .select("proposals.slug")
          .where("consultations.slug", "=", slug)
          .orderBy("proposals.position")
          .executeTakeFirstOrThrow()
      ).slug;
    proposalOf = { [NORMANDIE]: await first(NORMANDIE), [NA]: await first(NA) };
  });
  afterAll(async () => h?.close());

  const vote = async (user: SessionUser, value: VoteInput | { invalid: string }, slug = NORMANDIE) =>
    castVote(h.db, {
      version,
      consultation: (await findConsultationForVote(h.db, slug))!,
      user,
      vote: "invalid" in value ? { ok: false, message: value.invalid } : { ok: true, value },
    });
  const ballots = async (userId: string) =>
    (await h.db.selectFrom("ballots").select("content").where("user_id", "=", userId).execute()).length;

  it("casts an approval and says so; the same vote again changes nothing and says that", async () => {
    const resident = (await makePerson(h.db, "14366")) as SessionUser;
    const approve = { intent: "approve", proposal: proposalOf[NORMANDIE]! } as const;
    expect(await vote(resident, approve)).toEqual({
      ok: true,
      message: expect.stringMatching(/^Proposition ajoutée à vos priorités \(1 sur \d+\)$/),
      proposal: proposalOf[NORMANDIE],
    });
    expect(await vote(resident, approve)).toMatchObject({
      ok: true,
      message: expect.stringMatching(/^Cette proposition fait déjà partie de vos priorités/),
    });
    expect(await ballots(resident.id)).toBe(1);
    expect(await vote(resident, { intent: "withdraw" })).toMatchObject({ ok: true, proposal: null });
    expect(await ballots(resident.id)).toBe(0);
  });

  it("refuses, most specific rule first, and writes nothing", async () => {
    const association = (await makePerson(h.db, "14366", {
      roles: [{ role: "association", scope: "" }],
    })) as SessionUser;
    const elsewhere = (await makePerson(h.db, "33063")) as SessionUser; // Bordeaux: not in Normandie
    const resident = (await makePerson(h.db, "14366")) as SessionUser;
    // Who may vote comes before whether the form is readable.
    expect(await vote(association, { invalid: "Action de vote inconnue." })).toMatchObject({
      ok: false,
      code: "forbidden",
      message: expect.stringMatching(/associations? ne votent pas/),
    });
    expect(await vote(elsewhere, { intent: "approve", proposal: proposalOf[NORMANDIE]! })).toMatchObject({
      ok: false,
      code: "forbidden",
      message: "Cette consultation est réservée aux habitants de sa région.",
    });
    expect(await vote(resident, { invalid: "Action de vote inconnue." })).toEqual({
      ok: false,
      code: "invalid",
      message: "Action de vote inconnue.",
    });
    // A proposal of another consultation is not this one's.
    expect(await vote(resident, { intent: "approve", proposal: proposalOf[NA]! })).toEqual({
      ok: false,
      code: "invalid",
      message: "Cette proposition n’appartient pas à cette consultation.",
    });
    // The ballot rules, checked inside the write (a grade on an approval consultation).
    expect(
      await vote(resident, { intent: "grade", proposal: proposalOf[NORMANDIE]!, grade: "prioritaire" }),
    ).toMatchObject({ ok: false, code: "invalid" });
    for (const person of [association, elsewhere, resident]) expect(await ballots(person.id)).toBe(0);
  });

  it("refuses a vote beyond the per-minute limit, with the wait", async () => {
    const resident = (await makePerson(h.db, "14366")) as SessionUser;
    // Unreadable forms still count: the limit is taken before the form is read.
    for (let i = 0; i < 60; i++) expect((await vote(resident, { invalid: "illisible" })).ok).toBe(false);
    const refused = await vote(resident, { intent: "approve", proposal: proposalOf[NORMANDIE]! });
    expect(refused).toMatchObject({ ok: false, code: "too-many", message: expect.stringMatching(/^Trop de votes/) });
    expect(refused.ok === false && refused.retryAfter).toBeGreaterThan(0);
    expect(await ballots(resident.id)).toBe(0);
  });
});
