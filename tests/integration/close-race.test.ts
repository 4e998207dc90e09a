import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DatabaseHandle } from "../../db/connect";
import { changeBallot, type Voter } from "../../app/ballots/ballots.server";
import { changeCommune } from "../../app/ballots/commune-change.server";
import { advanceConsultation } from "../../app/ballots/lifecycle.server";
import { verifyCounts } from "../../app/ballots/results.server";
import { createResident, markEmailVerified } from "../../app/identity/users.server";
import { deleteAccount } from "../../app/privacy/account-deletion.server";
import { testDatabases } from "../support/databases";

// A commune change out of the region and an account deletion withdraw the person's ballots; a
// close re-keys and detaches every ballot (docs/decisions/010-vote-write-path.md). Racing, each
// withdrawal must happen wholly before the close (ballot gone, counts lowered) or see the
// consultation closed (ballot kept, anonymised): never counts lowered for a ballot the close kept.

const NORMANDIE = "normandie-cnr-sante-2022";

describe.each(testDatabases)("withdrawals racing a close on $name", ({ openLoaded }) => {
  let h: DatabaseHandle;

  beforeAll(async () => {
    h = await openLoaded();
  });
  afterAll(async () => h?.close());

  it("commune changes and account deletions racing a close are wholly before it or after it", async () => {
    const { id } = await h.db
      .selectFrom("consultations")
      .select("id")
      .where("slug", "=", NORMANDIE)
      .executeTakeFirstOrThrow();
    const proposal = await h.db
      .selectFrom("proposals")
      .select("id")
      .where("consultation_id", "=", id)
      .orderBy("position")
      .executeTakeFirstOrThrow();
    const here = await h.db
      .selectFrom("communes")
      .select("code")
      .where("region_code", "=", "28")
      .where("kind", "=", "commune")
      .orderBy("population", "desc")
      .limit(8)
      .execute();
    const elsewhere = await h.db
      .selectFrom("communes")
      .select("code")
      .where("region_code", "=", "24")
      .where("kind", "=", "commune")
      .orderBy("population", "desc")
      .executeTakeFirstOrThrow();

    const voters: Voter[] = [];
    for (let i = 0; i < 40; i++) {
      const communeCode = here[i % here.length]!.code;
      const created = await createResident(h.db, {
        email: `course-cloture-${i}-${Math.random()}@exemple.fr`,
        password: "une phrase de passe",
        communeCode,
      });
      if (!created.ok) throw new Error("setup");
      await markEmailVerified(h.db, created.userId);
      const voter = { id: created.userId, emailVerified: true, communeCode, roles: [{ role: "resident", scope: "" }] };
      await changeBallot(h.db, { consultationSlug: NORMANDIE, voter }, () => ({ selections: [proposal.id] }));
      voters.push(voter);
    }
    const ballots = async () =>
      Number(
        (
          await h.db
            .selectFrom("ballots")
            .select((eb) => eb.fn.countAll<number>().as("n"))
            .where("consultation_id", "=", id)
            .executeTakeFirstOrThrow()
        ).n,
      );
    const before = await ballots();

    // Half move to Centre-Val de Loire, half delete their account, one after the other; the close
    // starts once a quarter of them are done.
    let done = 0;
    let startClose!: () => void;
    const quarter = new Promise<void>((resolve) => (startClose = resolve));
    const withdrawals = voters.map(async (voter, i) => {
      await new Promise((resolve) => setTimeout(resolve, i * 10));
      try {
        if (i % 2) {
          const plan = await changeCommune(h.db, voter.id, elsewhere.code);
          return plan.withdrawn.length;
        }
        return (await deleteAccount(h.db, { userId: voter.id, comments: "supprimer" })).ballotsWithdrawn;
      } finally {
        if (++done === voters.length / 4) startClose();
      }
    });
    const close = quarter.then(() => advanceConsultation(h.db, NORMANDIE, "closed"));
    const withdrawn = (await Promise.all(withdrawals)).reduce((sum, n) => sum + n, 0);
    await close;

    // Every ballot a withdrawal said it took out is gone; every other one the close kept, unlinked.
    expect(await ballots()).toBe(before - withdrawn);
    expect(
      await h.db
        .selectFrom("ballots")
        .select("id")
        .where("consultation_id", "=", id)
        .where("user_id", "is not", null)
        .execute(),
    ).toEqual([]);
    expect(await verifyCounts(h.db, id)).toEqual([]);
    console.info(`[close-race] ${withdrawn} of ${voters.length} ballots withdrawn before the close`);
  }, 120_000);
});
