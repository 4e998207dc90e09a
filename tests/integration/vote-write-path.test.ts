import { sql } from "kysely";
import pg from "pg";
import { PREPARED_MARK } from "../../db/dialect";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { DatabaseHandle } from "../../db/connect";
import {
  BallotError,
  changeBallot,
  changeBallotLocked,
  type BallotChange,
  type Voter,
} from "../../app/ballots/ballots.server";
import { changeCommune } from "../../app/ballots/commune-change.server";
import { verifyCounts } from "../../app/ballots/results.server";
import { createResident, markEmailVerified } from "../../app/identity/users.server";
import { locateCommune } from "../../app/territories/territories.server";
import { testDatabases } from "../support/databases";

// The vote's at-once way on PostgreSQL (docs/decisions/010-vote-write-path.md): two round trips,
// the same outcomes and kept counts as the locked way on the same sequence of steps, and each
// anomaly the ADR rules out, tried under concurrency.

const postgres = testDatabases.find((d) => d.name === "postgres");
const NORMANDIE = "normandie-cnr-sante-2022";

/** A small deterministic generator, so that a failing sequence can be replayed from its seed. */
function generator(seed: number) {
  let state = seed >>> 0;
  return (n: number) => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state % n;
  };
}

describe.skipIf(!postgres)("the vote's write path on PostgreSQL", () => {
  let h: DatabaseHandle;
  let proposals: string[] = [];
  let n = 0;

  async function resident(db: DatabaseHandle["db"], commune: string): Promise<Voter> {
    const created = await createResident(db, {
      email: `w${n++}-${Math.random()}@exemple.fr`,
      password: "une phrase de passe",
      communeCode: commune,
    });
    if (!created.ok) throw new Error("setup");
    await markEmailVerified(db, created.userId);
    return { id: created.userId, emailVerified: true, communeCode: commune, roles: [{ role: "resident", scope: "" }] };
  }

  const toggle = (id: string) => (current: unknown) => {
    const selections = (current as { selections?: string[] } | null)?.selections ?? [];
    return { selections: selections.includes(id) ? selections.filter((s) => s !== id) : [...selections, id] };
  };

  async function proposalIds(db: DatabaseHandle["db"]) {
    const rows = await db
      .selectFrom("proposals")
      .innerJoin("consultations", "consultations.id", "proposals.consultation_id")
      .select("proposals.id")
      .where("consultations.slug", "=", NORMANDIE)
      .orderBy("proposals.position")
      .execute();
    return rows.map((r) => r.id);
  }

  async function consultationId(db: DatabaseHandle["db"]) {
    return (await db.selectFrom("consultations").select("id").where("slug", "=", NORMANDIE).executeTakeFirstOrThrow())
      .id;
  }

  beforeAll(async () => {
    h = await postgres!.openLoaded();
    proposals = await proposalIds(h.db);
  });
  afterAll(async () => h?.close());

  it("casts, changes and withdraws in two round trips each when the caller has the place and proposals", async () => {
    const voter = await resident(h.db, "14366");
    const place = await locateCommune(h.db, "14366");
    const ids = new Set(proposals);
    const query = vi.spyOn(pg.Client.prototype, "query");
    try {
      const steps: [BallotChange["outcome"], string[] | null][] = [
        ["cast", [proposals[0]!]],
        ["changed", [proposals[0]!, proposals[1]!]],
        ["unchanged", [proposals[0]!, proposals[1]!]],
        ["withdrawn", null],
      ];
      for (const [outcome, selections] of steps) {
        query.mockClear();
        const change = await changeBallot(
          h.db,
          { consultationSlug: NORMANDIE, voter, place, proposalIds: ids },
          () => selections && { selections },
        );
        expect(change.outcome).toBe(outcome);
        // A read, then (unless unchanged) one statement.
        expect(query.mock.calls.length).toBe(outcome === "unchanged" ? 1 : 2);
      }
    } finally {
      query.mockRestore();
    }
    expect(await verifyCounts(h.db, await consultationId(h.db))).toEqual([]);
  });

  it("prepares the vote's read and write once per connection, not at every vote", async () => {
    const place = await locateCommune(h.db, "14366");
    const ids = new Set(proposals);
    const prepared = async (db: DatabaseHandle["db"]) =>
      (await sql<{ statement: string }>`select statement from pg_prepared_statements`.execute(db)).rows
        .map((r) => r.statement)
        .filter((s) => s.includes(PREPARED_MARK));
    await h.db.connection().execute(async (db) => {
      const vote = async (selections: string[]) =>
        changeBallot(
          db,
          { consultationSlug: NORMANDIE, voter: await resident(db, "14366"), place, proposalIds: ids },
          () => ({ selections }),
        );
      await vote([proposals[0]!]);
      // The read and the cast's write are prepared on this connection…
      const once = await prepared(db);
      expect(once.some((s) => s.includes("select u.commune_code"))).toBe(true);
      expect(once.some((s) => s.includes("with guard_voter"))).toBe(true);
      // …and used again by the next casts, not prepared anew.
      for (let i = 1; i < 6; i++) await vote([proposals[i]!]);
      expect((await prepared(db)).length).toBe(once.length);
    });
  });

  it("gives the same outcomes, refusals and kept counts as the locked way, on random sequences", async () => {
    // Two fresh copies of the same database: one votes at once, the other the locked way only.
    const [first, twin] = await Promise.all([postgres!.openLoaded(), postgres!.openLoaded()]);
    try {
      const communes = ["14366", "14118", "76540", "27229", "33063"]; // the last: another region
      for (const seed of [1, 2, 3]) {
        const next = generator(seed);
        const voters = await Promise.all(
          communes.map(async (c) => [await resident(first.db, c), await resident(twin.db, c)] as const),
        );
        const ids = new Set(proposals);
        for (let step = 0; step < 60; step++) {
          const [atOnce, locked] = voters[next(voters.length)]!;
          const kind = next(10);
          const run = async (db: DatabaseHandle["db"], voter: Voter, way: "at-once" | "locked") => {
            const mutate =
              kind === 8
                ? () => null
                : kind === 7
                  ? () => ({ selections: proposals.slice(0, 6) }) // over the cap K = 5
                  : toggle(proposals[kind]!);
            const input = { consultationSlug: NORMANDIE, voter };
            try {
              const change =
                way === "at-once"
                  ? await changeBallot(db, input, mutate)
                  : await changeBallotLocked(db, input, await locateCommune(db, voter.communeCode), ids, mutate);
              return `${change.outcome} ${JSON.stringify(change.content)}`;
            } catch (error) {
              if (error instanceof BallotError) return `${error.code}: ${error.message}`;
              throw error;
            }
          };
          const commune = communes[next(communes.length)]!;
          if (kind === 9) {
            // A move within the region or out of it, through the one rule for commune changes.
            const move = (db: DatabaseHandle["db"], voter: Voter) =>
              changeCommune(db, voter.id, commune).then(
                (plan) => JSON.stringify(plan),
                (error: unknown) => (error instanceof Error ? error.message : String(error)),
              );
            expect(await move(first.db, atOnce)).toBe(await move(twin.db, locked));
            continue;
          }
          expect(await run(first.db, atOnce, "at-once")).toBe(await run(twin.db, locked, "locked"));
        }
      }
      const kept = async (db: DatabaseHandle["db"]) => {
        const id = await consultationId(db);
        const [counts, totals] = await Promise.all([
          db
            .selectFrom("ballot_counts")
            .select(["proposal_id", "arrondissement_code", "cts_code", "cell", "count"])
            .where("consultation_id", "=", id)
            .where("count", "!=", 0)
            .orderBy("proposal_id")
            .orderBy("arrondissement_code")
            .orderBy("cts_code")
            .orderBy("cell")
            .execute(),
          db
            .selectFrom("ballot_totals")
            .select(["arrondissement_code", "cts_code", "channel", "ballots", "revision"])
            .where("consultation_id", "=", id)
            .orderBy("arrondissement_code")
            .orderBy("cts_code")
            .orderBy("channel")
            .execute(),
        ]);
        return { counts, totals, recount: await verifyCounts(db, id) };
      };
      const [a, b] = [await kept(first.db), await kept(twin.db)];
      expect(a.counts.length).toBeGreaterThan(0);
      expect(a).toEqual(b);
      expect(a.recount).toEqual([]);
    } finally {
      await Promise.all([first.close(), twin.close()]);
    }
  });

  it("lost update: five choices sent at once by one person are all kept", async () => {
    const voter = await resident(h.db, "14118");
    const chosen = proposals.slice(10, 15);
    const results = await Promise.all(
      chosen.map((id) =>
        changeBallot(h.db, { consultationSlug: NORMANDIE, voter }, (current) => {
          const selections = (current as { selections?: string[] } | null)?.selections ?? [];
          return { selections: [...selections, id] };
        }),
      ),
    );
    expect(results.map((r) => r.outcome).sort()).toEqual(["cast", "changed", "changed", "changed", "changed"]);
    const ballot = await h.db
      .selectFrom("ballots")
      .select("content")
      .where("user_id", "=", voter.id)
      .executeTakeFirstOrThrow();
    expect((JSON.parse(ballot.content) as { selections: string[] }).selections.sort()).toEqual([...chosen].sort());
    expect(await verifyCounts(h.db, await consultationId(h.db))).toEqual([]);
  });

  it("stale read: a vote that read the person before a commune change is decided again on the new commune", async () => {
    const voter = await resident(h.db, "14366"); // Lisieux (Calvados)
    await changeBallot(h.db, { consultationSlug: NORMANDIE, voter }, () => ({ selections: [proposals[0]!] }));
    // The session still says Lisieux; the account moved to Rouen meanwhile.
    await changeCommune(h.db, voter.id, "76540");
    const change = await changeBallot(
      h.db,
      { consultationSlug: NORMANDIE, voter, place: await locateCommune(h.db, "14366") },
      () => ({ selections: [proposals[0]!, proposals[1]!] }),
    );
    expect(change.outcome).toBe("changed");
    const ballot = await h.db
      .selectFrom("ballots")
      .select(["cts_code"])
      .where("user_id", "=", voter.id)
      .executeTakeFirstOrThrow();
    expect(ballot.cts_code).toBe("76-rouen-elbeuf");
    expect(await verifyCounts(h.db, await consultationId(h.db))).toEqual([]);
  });
});
