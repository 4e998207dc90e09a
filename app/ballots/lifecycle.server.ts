import { sql, type Kysely } from "kysely";
import { bumpContentVersion } from "../../db/content-version";
import type { ConsultationStatus, Database } from "../../db/schema";

/** The phases in order; a consultation only moves forward. */
const NEXT: Partial<Record<ConsultationStatus, ConsultationStatus>> = {
  draft: "open",
  open: "closed",
  closed: "results_published",
};

export class LifecycleError extends Error {}

/**
 * Moves a consultation to its next phase. Closing makes its ballots anonymous for good, in the
 * same transaction: no user link left, times rounded to the day (ballots and their events); the
 * kept counts stay, so results are unchanged.
 */
export async function advanceConsultation(
  db: Kysely<Database>,
  slug: string,
  to: ConsultationStatus,
  now = new Date(),
): Promise<{ from: ConsultationStatus; to: ConsultationStatus; anonymised: number }> {
  return db.transaction().execute(async (trx) => {
    const consultation = await trx
      .selectFrom("consultations")
      .select(["id", "status", "closes_at"])
      .where("slug", "=", slug)
      .executeTakeFirst();
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

/**
 * Whether residents see the live ranking while the vote is open (off by default). The consultation
 * page shows a link to it: pages kept in memory are renewed through the content version.
 */
export async function setLiveResults(
  db: Kysely<Database>,
  consultationId: string,
  on: boolean,
  now = new Date(),
): Promise<void> {
  await db.transaction().execute(async (trx) => {
    await trx
      .updateTable("consultations")
      .set({ live_results: on ? 1 : 0, updated_at: now.toISOString() })
      .where("id", "=", consultationId)
      .execute();
    await bumpContentVersion(trx);
  });
}
