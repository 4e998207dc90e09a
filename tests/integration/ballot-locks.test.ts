import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DatabaseHandle } from "../../db/connect";
import { BallotError, changeBallot, type Voter } from "../../app/ballots/ballots.server";
import { advanceConsultation } from "../../app/ballots/lifecycle.server";
import { importPaperBallots } from "../../app/ballots/paper-import.server";
import { verifyCounts } from "../../app/ballots/results.server";
import { createResident, markEmailVerified } from "../../app/identity/users.server";
import { mulberry32 } from "../../app/tally";
import { testDatabases } from "../support/databases";

// Ballot writes under load (docs/decisions/011-paper-import-under-load.md): a paper import in parallel
// with votes never deadlocks, and votes racing a close are counted before it or refused after
// it, never half. On PostgreSQL the transactions really overlap (a pool of 4 connections); on
// SQLite they are serialised by its one writer, and the same outcomes must hold.

const NORMANDIE = "normandie-cnr-sante-2022";
const CLOSED = "Le vote est clos pour cette consultation.";

describe.each(testDatabases)("ballot writes under load on $name", ({ openLoaded }) => {
  let h: DatabaseHandle;
  let proposals: { id: string; slug: string }[];
  /** A commune in each arrondissement of Normandie, with the arrondissement's code. */
  let communes: { code: string; arrondissement: string }[];
  let n = 0;

  async function residents(count: number): Promise<Voter[]> {
    const voters: Voter[] = [];
    for (let i = 0; i < count; i++) {
      const commune = communes[i % communes.length]!.code;
      const created = await createResident(h.db, {
        email: `verrou-${n++}-${Math.random()}@exemple.fr`,
        password: "une phrase de passe",
        communeCode: commune,
      });
      if (!created.ok) throw new Error("setup");
      await markEmailVerified(h.db, created.userId);
      voters.push({
        id: created.userId,
        emailVerified: true,
        communeCode: commune,
        roles: [{ role: "resident", scope: "" }],
      });
    }
    return voters;
  }

  const consultationId = async () =>
    (await h.db.selectFrom("consultations").select("id").where("slug", "=", NORMANDIE).executeTakeFirstOrThrow()).id;

  beforeAll(async () => {
    h = await openLoaded();
    proposals = await h.db
      .selectFrom("proposals")
      .innerJoin("consultations", "consultations.id", "proposals.consultation_id")
      .select(["proposals.id", "proposals.slug"])
      .where("consultations.slug", "=", NORMANDIE)
      .orderBy("proposals.position")
      .execute();
    const rows = await h.db
      .selectFrom("communes")
      .select(["code", "arrondissement_code"])
      .where("region_code", "=", "28")
      .orderBy("population", "desc")
      .execute();
    const byArrondissement = new Map<string, string>();
    for (const r of rows)
      if (r.arrondissement_code && !byArrondissement.has(r.arrondissement_code))
        byArrondissement.set(r.arrondissement_code, r.code);
    communes = [...byArrondissement].map(([arrondissement, code]) => ({ code, arrondissement }));
  });
  afterAll(async () => h?.close());

  it("a paper import in parallel with votes neither deadlocks nor loses a count", async () => {
    const random = mulberry32(7);
    // Every proposal and arrondissement of the region: the import takes its kept-count rows a few
    // at a time over its whole write, while votes take theirs — the same rows, in every order.
    const pick = () => {
      const shuffled = [...proposals].sort(() => random() - 0.5);
      return shuffled.slice(0, 2 + Math.floor(random() * 4));
    };
    const lines = Array.from({ length: 3000 }, (_, i) => {
      const place = communes[i % communes.length]!.arrondissement;
      return `${place},${pick()
        .map((p) => p.slug)
        .join("|")}`;
    });
    const voters = await residents(24);
    let importing = true;
    const imported = importPaperBallots(h.db, NORMANDIE, `arrondissement,selections\n${lines.join("\n")}\n`).finally(
      () => (importing = false),
    );
    // Each resident votes, then changes their mind again and again for as long as the import runs.
    const votes = voters.map(async (voter) => {
      for (let round = 0; round < 2 || importing; round++) {
        const ids = pick().map((p) => p.id);
        await changeBallot(h.db, { consultationSlug: NORMANDIE, voter }, () => ({ selections: ids }));
      }
    });
    const outcomes = await Promise.allSettled([imported, ...votes]);
    const failures = outcomes.filter((o) => o.status === "rejected").map((o) => String(o.reason));
    expect(failures).toEqual([]);
    expect((outcomes[0] as PromiseFulfilledResult<unknown>).value).toEqual({ ok: true, imported: 3000, blank: 0 });
    // The kept counts equal a recount of the ballots.
    expect(await verifyCounts(h.db, await consultationId())).toEqual([]);
    const online = await h.db
      .selectFrom("ballots")
      .select((eb) => eb.fn.countAll<number>().as("n"))
      .where("channel", "=", "online")
      .where(
        "user_id",
        "in",
        voters.map((v) => v.id),
      )
      .executeTakeFirstOrThrow();
    expect(Number(online.n)).toBe(voters.length);
  }, 120_000);

  it("votes racing a close are counted before it or refused after it, never half", async () => {
    const id = await consultationId();
    const before = Number(
      (
        await h.db
          .selectFrom("ballots")
          .select((eb) => eb.fn.countAll<number>().as("n"))
          .where("consultation_id", "=", id)
          .executeTakeFirstOrThrow()
      ).n,
    );
    const voters = await residents(40);
    const [a, b, c] = proposals;
    // The close starts once a quarter of the votes are in, the others still on their way (each
    // resident's vote a moment after the previous one's).
    let done = 0;
    let startClose!: () => void;
    const quarter = new Promise<void>((resolve) => (startClose = resolve));
    const votes = voters.map(async (voter, i) => {
      await new Promise((resolve) => setTimeout(resolve, i * 3));
      try {
        return await changeBallot(h.db, { consultationSlug: NORMANDIE, voter }, () => ({
          selections: i % 2 ? [a!.id, b!.id] : [c!.id, a!.id],
        }));
      } finally {
        if (++done === voters.length / 4) startClose();
      }
    });
    const close = quarter.then(() => advanceConsultation(h.db, NORMANDIE, "closed"));
    const outcomes = await Promise.allSettled(votes);
    await close;

    let counted = 0;
    for (const outcome of outcomes) {
      if (outcome.status === "fulfilled") {
        expect(outcome.value.outcome).toBe("cast");
        counted++;
      } else {
        expect(outcome.reason).toBeInstanceOf(BallotError);
        expect((outcome.reason as BallotError).message).toBe(CLOSED);
      }
    }
    const ballots = await h.db
      .selectFrom("ballots")
      .select(["user_id", "created_at"])
      .where("consultation_id", "=", id)
      .execute();
    // Every ballot counted before the close was anonymised by it: none written after it.
    expect(ballots.length).toBe(before + counted);
    expect(ballots.filter((b) => b.user_id !== null)).toEqual([]);
    expect(ballots.filter((b) => !b.created_at.endsWith("T00:00:00.000Z"))).toEqual([]);
    expect(await verifyCounts(h.db, id)).toEqual([]);
    // After the close, a vote is refused and an import too.
    await expect(
      changeBallot(h.db, { consultationSlug: NORMANDIE, voter: voters[0]! }, () => ({ selections: [a!.id] })),
    ).rejects.toThrow(CLOSED);
    expect((await importPaperBallots(h.db, NORMANDIE, `arrondissement,selections\n141,${a!.slug}\n`)).ok).toBe(false);
    console.info(`[ballot-locks] ${counted} of ${voters.length} votes counted before the close`);
  }, 120_000);
});
