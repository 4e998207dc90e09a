import { sql, type Kysely, type Transaction } from "kysely";
import { bumpContentVersion } from "../../db/content-version";
import { isPostgres } from "../../db/dialect";
import { dropLiveSnapshot } from "./live-snapshot.server";
import type { AssuranceLevel, ConsultationStatus, Database } from "../../db/schema";
import { log } from "../platform/log.server";
import { recordAudit } from "../audit/audit.server";
import { ASSURANCE_LABELS } from "../identity/assurance";

/** The phases in order; a consultation only moves forward. */
const NEXT: Partial<Record<ConsultationStatus, ConsultationStatus>> = {
  draft: "open",
  open: "closed",
  closed: "results_published",
};

export class LifecycleError extends Error {}

/**
 * Moves a consultation to its next phase. Closing makes its ballots anonymous for good, in the
 * same transaction: no user link left, times rounded to the day, and every row re-keyed and
 * rewritten in a random order (ballots and their events), so neither an id nor the storage order
 * (SQLite's rowid, PostgreSQL's heap order) follows the order of casting any more; the kept
 * counts stay, so results are unchanged.
 */
export async function advanceConsultation(
  db: Kysely<Database>,
  slug: string,
  to: ConsultationStatus,
  now = new Date(),
): Promise<{ from: ConsultationStatus; to: ConsultationStatus; anonymised: number }> {
  return db.transaction().execute(async (trx) => {
    // Exclusive: every cast holds this row shared while it writes (changeBallot), so a cast is
    // counted before the close or sees the consultation closed. SQLite's one writer does the same.
    const query = trx.selectFrom("consultations").select(["id", "status", "closes_at"]).where("slug", "=", slug);
    const consultation = await (isPostgres(trx) ? query.forUpdate() : query).executeTakeFirst();
    if (!consultation) throw new LifecycleError("Consultation inconnue.");
    if (NEXT[consultation.status] !== to) {
      throw new LifecycleError(`Une consultation « ${consultation.status} » ne peut pas passer à « ${to} ».`);
    }
    let anonymised = 0;
    if (to === "closed") {
      const dayOf = (column: "created_at" | "updated_at") =>
        sql<string>`substr(${sql.ref(column)}, 1, 10) || 'T00:00:00.000Z'`;
      const result = await trx
        .updateTable("ballots")
        .set({ user_id: null, created_at: dayOf("created_at"), updated_at: dayOf("updated_at") })
        .where("consultation_id", "=", consultation.id)
        .executeTakeFirst();
      anonymised = Number(result.numUpdatedRows);
      await trx
        .updateTable("ballot_events")
        .set({ created_at: dayOf("created_at") })
        .where("consultation_id", "=", consultation.id)
        .execute();
      await rekeyShuffled(trx, "ballots", consultation.id);
      // From now on results are read from the kept counts (no more live copy in steps).
      await dropLiveSnapshot(trx, consultation.id);
      await rekeyShuffled(trx, "ballot_events", consultation.id);
    }
    const iso = now.toISOString();
    await trx
      .updateTable("consultations")
      .set({
        status: to,
        updated_at: iso,
        ...(to === "open" ? { opens_at: iso } : {}),
        // Closing early ends the vote now; a closing date already past stays as it was.
        ...(to === "closed" && !(consultation.closes_at && consultation.closes_at <= iso) ? { closes_at: iso } : {}),
      })
      .where("id", "=", consultation.id)
      .execute();
    await bumpContentVersion(trx);
    return { from: consultation.status, to, anonymised };
  });
}

const REWRITE_CHUNK = 1000;

/**
 * Gives every row of the consultation a new random id, then deletes and re-inserts the rows in
 * the order of those ids: insertion order, and with it the rowid (SQLite) or the heap position
 * (PostgreSQL), becomes a random permutation. Otherwise a request log's times (or the ids a
 * voter's pages showed) could be matched to the position of a ballot among the others. Reads and
 * writes by chunks, so a consultation of a million ballots never sits in memory at once.
 */
async function rekeyShuffled(trx: Transaction<Database>, table: "ballots" | "ballot_events", consultationId: string) {
  // Both generators draw from the system's cryptographic source.
  const newId = isPostgres(trx)
    ? sql<string>`replace(gen_random_uuid()::text, '-', '')`
    : sql<string>`lower(hex(randomblob(16)))`;
  await trx.updateTable(table).set({ id: newId }).where("consultation_id", "=", consultationId).execute();
  let after = "";
  for (;;) {
    const rows = await trx
      .selectFrom(table)
      .selectAll()
      .where("consultation_id", "=", consultationId)
      .where("id", ">", after)
      .orderBy("id")
      .limit(REWRITE_CHUNK)
      .execute();
    if (!rows.length) return;
    const ids = rows.map((r) => r.id);
    await trx.deleteFrom(table).where("id", "in", ids).execute();
    // Rows already rewritten keep ids at most `after`, so the next chunk never reads them again.
    await trx
      .insertInto(table)
      .values(rows as never)
      .execute();
    after = ids[ids.length - 1]!;
    if (rows.length < REWRITE_CHUNK) return;
  }
}

/**
 * Whether residents see the live ranking while the vote is open (off by default). The consultation
 * page shows a link to it: pages kept in memory are renewed through the content version. Showing
 * figures before the close is a disclosure decision, so it goes to the security journal.
 */
export async function setLiveResults(
  db: Kysely<Database>,
  consultationId: string,
  on: boolean,
  now = new Date(),
): Promise<void> {
  const slug = await db.transaction().execute(async (trx) => {
    const row = await trx
      .updateTable("consultations")
      .set({ live_results: on ? 1 : 0, updated_at: now.toISOString() })
      .where("id", "=", consultationId)
      .returning("slug")
      .executeTakeFirstOrThrow();
    await bumpContentVersion(trx);
    return row.slug;
  });
  await recordAudit(db, {
    kind: "consultation_setting",
    detail: `${slug} : résultats en direct ${on ? "montrés" : "cachés"} aux habitants`,
    now,
  });
}

/**
 * The lowest level of assurance a resident needs to vote in this consultation (docs/domain.md
 * « Niveaux de garantie »). The vote reads consultations per content version, so it is bumped.
 * Lowering it widens the electorate behind a ranking, so every change goes to the security journal.
 */
export async function setMinAssuranceLevel(
  db: Kysely<Database>,
  consultationId: string,
  level: AssuranceLevel,
  now = new Date(),
): Promise<void> {
  const before = await db.transaction().execute(async (trx) => {
    const row = await trx
      .selectFrom("consultations")
      .select(["slug", "min_assurance_level"])
      .where("id", "=", consultationId)
      .executeTakeFirstOrThrow();
    if (row.min_assurance_level === level) return null;
    await trx
      .updateTable("consultations")
      .set({ min_assurance_level: level, updated_at: now.toISOString() })
      .where("id", "=", consultationId)
      .execute();
    await bumpContentVersion(trx);
    return row;
  });
  if (!before) return;
  await recordAudit(db, {
    kind: "consultation_setting",
    detail: `${before.slug} : niveau minimal pour voter « ${ASSURANCE_LABELS[before.min_assurance_level]} » → « ${ASSURANCE_LABELS[level]} »`,
    now,
  });
  log().info({ consultationId, level }, "consultation : niveau de garantie minimal changé");
}
