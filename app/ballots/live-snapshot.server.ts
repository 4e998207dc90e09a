import type { Kysely } from "kysely";
import { isPostgres } from "../../db/dialect";
import type { Database } from "../../db/schema";
import { SMALL_GROUP_THRESHOLD } from "../tally";

// Live figures in steps (docs/disclosure-control.md). While a consultation is open, every view
// reads the kept counts of `live_counts` / `live_totals`, a copy that each place (an arrondissement
// within a CTS territory) renews only once `LIVE_STEP` more ballots have been cast in it than at
// its last copy. A reader who compares figures before and after a ballot sees no change; when a
// place moves, it moves by at least ten new ballots at once, and every territory above it (the
// CTS territory, the region) is the sum of such steps. Chosen over a fixed schedule, which would
// still isolate the one ballot of a quiet hour; cost: two reads of per-place totals per view, and
// a copy of proposals × cells rows for a place that moves.

export const LIVE_STEP = SMALL_GROUP_THRESHOLD;

const placeKey = (r: { arrondissement_code: string; cts_code: string }) => `${r.arrondissement_code}|${r.cts_code}`;

async function ballotsByPlace(db: Kysely<Database>, table: "ballot_totals" | "live_totals", consultationId: string) {
  const rows = await db
    .selectFrom(table as "live_totals")
    .select((eb) => ["arrondissement_code", "cts_code", eb.fn.sum<number>("ballots").as("ballots")])
    .where("consultation_id", "=", consultationId)
    .groupBy(["arrondissement_code", "cts_code"])
    .execute();
  return new Map(rows.map((r) => [placeKey(r), { ...r, ballots: Number(r.ballots) }]));
}

/**
 * Renews the live copy of every place with at least `step` more ballots than at its last copy;
 * returns how many places moved. Safe to call on every read: when no place is due it only reads.
 */
export async function refreshLiveSnapshot(
  db: Kysely<Database>,
  consultationId: string,
  step: number = LIVE_STEP,
): Promise<number> {
  const due = async (q: Kysely<Database>) => {
    const [current, copied] = await Promise.all([
      ballotsByPlace(q, "ballot_totals", consultationId),
      ballotsByPlace(q, "live_totals", consultationId),
    ]);
    return [...current.values()].filter((p) => p.ballots >= (copied.get(placeKey(p))?.ballots ?? 0) + step);
  };
  if (!(await due(db)).length) return 0;
  // Repeatable read (PostgreSQL): counts and totals are copied from one state of the database,
  // as every ballot writes both in one transaction. SQLite's transactions already are.
  const transaction = isPostgres(db) ? db.transaction().setIsolationLevel("repeatable read") : db.transaction();
  try {
    return await transaction.execute(async (trx) => {
      // Two servers renewing at once would copy the same rows twice: one waits for the other.
      if (isPostgres(trx))
        await trx.selectFrom("consultations").select("id").where("id", "=", consultationId).forUpdate().execute();
      const places = await due(trx);
      for (const p of places) {
        await trx
          .deleteFrom("live_counts")
          .where("consultation_id", "=", consultationId)
          .where("arrondissement_code", "=", p.arrondissement_code)
          .where("cts_code", "=", p.cts_code)
          .execute();
        await trx
          .deleteFrom("live_totals")
          .where("consultation_id", "=", consultationId)
          .where("arrondissement_code", "=", p.arrondissement_code)
          .where("cts_code", "=", p.cts_code)
          .execute();
        await trx
          .insertInto("live_counts")
          .columns(["consultation_id", "proposal_id", "arrondissement_code", "cts_code", "cell", "count"])
          .expression(
            trx
              .selectFrom("ballot_counts")
              .select(["consultation_id", "proposal_id", "arrondissement_code", "cts_code", "cell", "count"])
              .where("consultation_id", "=", consultationId)
              .where("arrondissement_code", "=", p.arrondissement_code)
              .where("cts_code", "=", p.cts_code),
          )
          .execute();
        await trx
          .insertInto("live_totals")
          .columns(["consultation_id", "arrondissement_code", "cts_code", "channel", "ballots"])
          .expression(
            trx
              .selectFrom("ballot_totals")
              .select(["consultation_id", "arrondissement_code", "cts_code", "channel", "ballots"])
              .where("consultation_id", "=", consultationId)
              .where("arrondissement_code", "=", p.arrondissement_code)
              .where("cts_code", "=", p.cts_code),
          )
          .execute();
      }
      return places.length;
    });
  } catch (error) {
    // A concurrent renewal: the figures stay at the last step meanwhile (the other one moves them).
    // The snapshot is taken by the lock's statement, before it waits: after the other renewal
    // commits, this one still sees the old copy, so it fails on the rows it replaced (40001) or,
    // for a place copied for the first time, on the rows it inserted (23505, two servers asking
    // for a report at once).
    const code = (error as { code?: string }).code;
    if (isPostgres(db) && (code === "40001" || code === "23505")) return 0;
    throw error;
  }
}

/** Forgets a consultation's live copy (closing: results are read from the kept counts from then on). */
export async function dropLiveSnapshot(db: Kysely<Database>, consultationId: string): Promise<void> {
  await db.deleteFrom("live_counts").where("consultation_id", "=", consultationId).execute();
  await db.deleteFrom("live_totals").where("consultation_id", "=", consultationId).execute();
}
