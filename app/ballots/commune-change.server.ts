import type { Kysely } from "kysely";
import { isPostgres, lockRow, writeTransaction } from "../../db/dialect";
import type { Database } from "../../db/schema";
import { recordAudit } from "../audit/audit.server";
import { consultationIsOpen } from "../catalogue/consultation-window";
import { refreshAssuranceLevel } from "../identity/assurance.server";
import { applyCensus } from "../identity/census.server";
import { voidPendingLetters } from "../identity/postal-letters.server";
import { Refusal } from "../platform/refusal";
import { locateCommune, type Place } from "../territories/territories.server";
import { formatDate } from "../ui/format";
import type { BallotContent } from "./ballot-content";
import { applyChanges, logEvents } from "./ballots.server";

// One voice per territory (docs/domain.md#one-voice): what a change of commune does to a
// resident's ballots, shown before they confirm and applied in one transaction.

/** A second change of region within this many days is refused while a consultation is open. */
export const REGION_CHANGE_DAYS = 90;
const DAY_MS = 24 * 60 * 60 * 1000;

export class CommuneChangeError extends Refusal {}

export interface AffectedBallot {
  consultationSlug: string;
  consultationTitle: string;
}

export interface CommuneChangePlan {
  from: Place | null;
  to: Place;
  /** The new commune lies in another region than the current one. */
  regionChange: boolean;
  /** Ballots of open consultations that follow the resident to their new arrondissement or CTS. */
  moved: AffectedBallot[];
  /** Ballots of open consultations the new commune cannot vote in: withdrawn, the counts follow. */
  withdrawn: AffectedBallot[];
  /** Why the change cannot be made now (a second change of region too soon), or null. */
  refusal: string | null;
}

interface BallotRow {
  id: string;
  consultation_id: string;
  arrondissement_code: string;
  cts_code: string;
  content: string;
  slug: string;
  title: string;
  region_code: string;
  consultation_cts: string | null;
  status: Database["consultations"]["status"];
  opens_at: string | null;
  closes_at: string | null;
}

/** Where a ballot cast from `place` is counted: its arrondissement and its CTS (the département's by default). */
export function ballotPlace(place: Place): { arrondissement: string; cts: string } {
  return { arrondissement: place.arrondissement.code, cts: place.cts?.code ?? place.departement.code };
}

/** Whether a resident living at `place` may hold a ballot in this consultation. */
function votesFrom(place: Place, consultation: { region_code: string; consultation_cts: string | null }): boolean {
  if (place.region.code !== consultation.region_code) return false;
  return !consultation.consultation_cts || place.cts?.code === consultation.consultation_cts;
}

async function readState(db: Kysely<Database>, userId: string, communeCode: string, now: Date, lock = false) {
  const user = await db
    .selectFrom("users")
    .select(["commune_code", "region_changed_at"])
    .where("id", "=", userId)
    .executeTakeFirst();
  if (!user) throw new CommuneChangeError("not-found", "Compte introuvable.");
  const [from, to] = await Promise.all([locateCommune(db, user.commune_code), locateCommune(db, communeCode)]);
  if (!to) throw new CommuneChangeError("invalid", "Commune inconnue : choisissez-la dans la liste.");
  const ballots = db
    .selectFrom("ballots as b")
    .innerJoin("consultations as c", "c.id", "b.consultation_id")
    .select([
      "b.id",
      "b.consultation_id",
      "b.arrondissement_code",
      "b.cts_code",
      "b.content",
      "c.slug",
      "c.title",
      "c.region_code",
      "c.cts_code as consultation_cts",
      "c.status",
      "c.opens_at",
      "c.closes_at",
    ])
    .where("b.user_id", "=", userId)
    .orderBy("c.position")
    .orderBy("c.slug");
  // Before a write, each consultation's phase is read under the lock a cast takes (ADR 010): a
  // close waits for the change, or the change sees the consultation closed and leaves its ballot.
  const rows: BallotRow[] = await (lock && isPostgres(db) ? ballots.forKeyShare("c") : ballots).execute();
  // Closed or ended consultations are never rewritten: only ballots that can still change count here.
  const open = rows.filter((r) => consultationIsOpen(r, now));
  const regionChange = !from || from.region.code !== to.region.code;
  let refusal: string | null = null;
  if (from && regionChange && user.region_changed_at) {
    const since = now.getTime() - Date.parse(user.region_changed_at);
    if (since < REGION_CHANGE_DAYS * DAY_MS && (await anyConsultationOpen(db, now))) {
      const until = new Date(Date.parse(user.region_changed_at) + REGION_CHANGE_DAYS * DAY_MS).toISOString();
      refusal =
        `Vous avez déjà changé de région le ${formatDate(user.region_changed_at)}. Pendant qu’une consultation est ouverte, ` +
        `un seul changement de région est possible tous les ${REGION_CHANGE_DAYS} jours : vous pourrez de nouveau ` +
        `changer de région à partir du ${formatDate(until)}. Une commune de votre région actuelle reste possible.`;
    }
  }
  return { user, from, to, open, regionChange, refusal };
}

async function anyConsultationOpen(db: Kysely<Database>, now: Date): Promise<boolean> {
  const candidates = await db
    .selectFrom("consultations")
    .select(["status", "opens_at", "closes_at"])
    .where("status", "=", "open")
    .execute();
  return candidates.some((c) => consultationIsOpen(c, now));
}

/** What changing to `communeCode` would do, for the confirmation step of « Mon compte ». */
export async function planCommuneChange(
  db: Kysely<Database>,
  userId: string,
  communeCode: string,
  now = new Date(),
): Promise<CommuneChangePlan> {
  const state = await readState(db, userId, communeCode, now);
  return toPlan(state);
}

function toPlan(state: Awaited<ReturnType<typeof readState>>): CommuneChangePlan {
  const moved: AffectedBallot[] = [];
  const withdrawn: AffectedBallot[] = [];
  for (const row of state.open) {
    const affected = { consultationSlug: row.slug, consultationTitle: row.title };
    if (votesFrom(state.to, row)) moved.push(affected);
    else withdrawn.push(affected);
  }
  return {
    from: state.from,
    to: state.to,
    regionChange: state.regionChange,
    moved,
    withdrawn,
    refusal: state.refusal,
  };
}

/**
 * Moves a resident to another commune, in one transaction under the lock on the resident that
 * every ballot write takes too (a vote at the same moment is counted wholly before or wholly
 * after): each ballot of an open consultation the new commune may vote in moves to its new
 * arrondissement and CTS, every other one is withdrawn; the kept counts follow through the same
 * write path as a vote, with its events, so they always equal a recount. A second change of region
 * too soon is refused (CommuneChangeError "conflict") and nothing is written. Journaled.
 */
export async function changeCommune(
  db: Kysely<Database>,
  userId: string,
  communeCode: string,
  now = new Date(),
): Promise<CommuneChangePlan> {
  const iso = now.toISOString();
  return writeTransaction(db, async (trx) => {
    await lockRow(trx, "users", userId);
    const state = await readState(trx, userId, communeCode, now, true);
    const plan = toPlan(state);
    if (plan.refusal) throw new CommuneChangeError("conflict", plan.refusal);
    const target = ballotPlace(state.to);
    for (const row of state.open) {
      const old = { arrondissement: row.arrondissement_code, cts: row.cts_code };
      const content = JSON.parse(row.content) as BallotContent;
      if (!votesFrom(state.to, row)) {
        await applyChanges(trx, row.consultation_id, "online", [{ where: old, content, sign: -1 }]);
        await trx.deleteFrom("ballots").where("id", "=", row.id).execute();
        await logEvents(trx, row.consultation_id, "online", [{ outcome: "withdrawn", where: old, at: iso }]);
        continue;
      }
      if (old.arrondissement === target.arrondissement && old.cts === target.cts) continue;
      await applyChanges(trx, row.consultation_id, "online", [
        { where: old, content, sign: -1 },
        { where: target, content, sign: 1 },
      ]);
      await trx
        .updateTable("ballots")
        .set({ arrondissement_code: target.arrondissement, cts_code: target.cts, updated_at: iso })
        .where("id", "=", row.id)
        .execute();
      // A CTS's running total counts casts and withdrawals: a ballot leaving it is one out there
      // and one in at the new one; within a CTS, a change.
      await logEvents(
        trx,
        row.consultation_id,
        "online",
        old.cts === target.cts
          ? [{ outcome: "changed", where: target, at: iso }]
          : [
              { outcome: "withdrawn", where: old, at: iso },
              { outcome: "cast", where: target, at: iso },
            ],
      );
    }
    await trx
      .updateTable("users")
      .set({
        commune_code: state.to.commune.code,
        updated_at: iso,
        ...(state.from && state.regionChange ? { region_changed_at: iso } : {}),
      })
      .where("id", "=", userId)
      .execute();
    // A proof of residence holds for the commune it was given for only; a letter on its way
    // vouched for the commune left; a census may vouch for the new one.
    await voidPendingLetters(trx, userId);
    await refreshAssuranceLevel(trx, userId);
    await applyCensus(trx, userId);
    await recordAudit(trx, {
      kind: "commune_change",
      userId,
      detail:
        `commune changée (${state.regionChange ? "autre région" : "même région"}) : ` +
        `${plan.moved.length} bulletin(s) suivent, ${plan.withdrawn.length} retiré(s)`,
    });
    return plan;
  });
}
