import { randomUUID } from "node:crypto";
import type { Kysely, Selectable } from "kysely";
import { isPostgres, writeTransaction } from "../../db/dialect";
import type { AssuranceLevel, BallotChannel, Database } from "../../db/schema";
import { belowMinimumMessage } from "../identity/assurance";
import { consultationIsOpen } from "../catalogue/consultation-window";
import { keepNoticeChoices } from "../answers/choices.server";
import { locateCommune, type Place } from "../territories/territories.server";
import { DEFAULT_K, DEFAULT_QUORUM, type Method } from "../tally/types";
import {
  BallotContentError,
  contentCells,
  countedContent,
  validateContent,
  type BallotContent,
  type BallotRules,
} from "./ballot-content";
import { Refusal } from "../platform/refusal";

/** A refusal about a ballot: see Refusal. Nothing was written. */
export class BallotError extends Refusal {}

export interface Voter {
  id: string;
  emailVerified: boolean;
  communeCode: string | null;
  /** As last read (default: e-mail); changeBallot reads it again under the voter's lock. */
  assuranceLevel?: AssuranceLevel;
  roles: readonly { role: string; scope: string }[];
}

export interface ConsultationRules {
  method: Method;
  k: number;
  quorum: number;
}

export function readMethodParams(method: Method, json: string): ConsultationRules {
  let params: { k?: unknown; quorum?: unknown } = {};
  try {
    params = JSON.parse(json) ?? {};
  } catch {
    // A broken parameter string falls back to the defaults rather than blocking the vote.
  }
  const k = Number.isInteger(params.k) && (params.k as number) > 0 ? (params.k as number) : DEFAULT_K;
  const quorum =
    Number.isInteger(params.quorum) && (params.quorum as number) >= 0 ? (params.quorum as number) : DEFAULT_QUORUM;
  return { method, k, quorum };
}

/** What the vote rules read of a consultation. */
export type ConsultationRow = Pick<
  Selectable<Database["consultations"]>,
  | "id"
  | "slug"
  | "region_code"
  | "cts_code"
  | "method"
  | "method_params"
  | "status"
  | "opens_at"
  | "closes_at"
  | "min_assurance_level"
>;

/** Why this person cannot vote in this consultation now, or null when they can. */
/** Accounts that never vote, whatever the phase or the place: associations and CTS members. */
export function neverVotes(voter: Pick<Voter, "roles">): boolean {
  return voter.roles.some((r) => r.role === "association" || r.role === "cts_member");
}

export function refusal(
  consultation: ConsultationRow,
  voter: Voter,
  place: { regionCode: string; ctsCode: string | null } | null,
  now: Date,
): string | null {
  const iso = now.toISOString();
  if (!consultationIsOpen(consultation, now)) {
    return consultation.opens_at && iso < consultation.opens_at
      ? "Le vote n’est pas encore ouvert pour cette consultation."
      : "Le vote est clos pour cette consultation.";
  }
  if (voter.roles.some((r) => r.role === "association")) {
    return "Les comptes d’association ne votent pas : ils publient des contributions dans leur propre espace.";
  }
  if (voter.roles.some((r) => r.role === "cts_member")) {
    return "Les comptes de membre de CTS servent à lire les résultats et ne votent pas.";
  }
  if (!voter.roles.some((r) => r.role === "resident")) return "Seuls les habitants inscrits votent.";
  if (!voter.emailVerified)
    return "Confirmez d’abord votre adresse électronique (lien reçu par e-mail) pour pouvoir voter.";
  if (!place) return "Votre commune est inconnue : choisissez-la dans « Mon compte ».";
  if (place.regionCode !== consultation.region_code)
    return "Cette consultation est réservée aux habitants de sa région.";
  if (consultation.cts_code && place.ctsCode !== consultation.cts_code) {
    return "Cette consultation est réservée aux habitants du territoire de son conseil territorial de santé.";
  }
  return belowMinimumMessage(voter.assuranceLevel ?? "email", consultation.min_assurance_level);
}

/**
 * Locks a voter's row for the rest of the transaction and reads what a ballot depends on. On
 * SQLite the write transaction already holds the whole database.
 */
export async function lockVoter(trx: Kysely<Database>, userId: string) {
  const query = trx.selectFrom("users").select(["commune_code", "assurance_level"]).where("id", "=", userId);
  return (isPostgres(trx) ? query.forUpdate() : query).executeTakeFirst();
}

/**
 * A consultation's row read under the phase lock (docs/decisions/010-ballot-lock-order.md): every
 * ballot write (a cast, a paper import) takes it shared, a change of phase (advanceConsultation)
 * takes it exclusive, so a close waits for the writes in flight and a write after it reads the
 * closed phase — a ballot is counted before the close or refused after it, never half. On SQLite
 * the write transaction already holds the whole database, which serialises them the same way.
 */
export function underPhaseLock<Q extends { forShare(): Q }>(db: Kysely<Database>, query: Q): Q {
  return isPostgres(db) ? query.forShare() : query;
}

export type BallotOutcome = "cast" | "changed" | "withdrawn" | "unchanged";

export interface BallotChange {
  outcome: BallotOutcome;
  content: BallotContent | null;
}

/**
 * Reads a resident's ballot, lets `mutate` say what it becomes (null or empty: withdrawn), checks
 * it and writes it with the kept counts and the event log — all in one transaction, under a lock
 * on the resident, with the consultation's phase read inside it: a vote in the closing second is
 * fully in or fully out, and the cap K holds against parallel requests. On SQLite the transaction
 * may be shared with other votes of the same moment (`writeTransaction`: group commit), each vote
 * in a savepoint of its own.
 *
 * `place` (the voter's commune's place) and `proposalIds` (the consultation's proposal ids) may
 * be given by a caller that already has them for the current content version; they change only
 * with it (territory or catalogue load), never during a vote.
 */
export async function changeBallot(
  db: Kysely<Database>,
  input: {
    consultationSlug: string;
    voter: Voter;
    now?: Date;
    place?: Place | null;
    proposalIds?: ReadonlySet<string>;
  },
  mutate: (current: BallotContent | null, rules: ConsultationRules) => unknown,
): Promise<BallotChange> {
  // Read before the transaction, which holds SQLite's one connection, so it stays short.
  const [placeBefore, proposals] = await Promise.all([
    input.place !== undefined ? input.place : locateCommune(db, input.voter.communeCode),
    input.proposalIds ??
      db
        .selectFrom("proposals")
        .innerJoin("consultations", "consultations.id", "proposals.consultation_id")
        .select("proposals.id")
        .where("consultations.slug", "=", input.consultationSlug)
        .execute()
        .then((rows) => new Set(rows.map((r) => r.id))),
  ]);
  return writeTransaction(db, async (trx) => {
    // The voter's level as of now, under their lock: a verification or commune change that
    // committed before this vote is what the ballot records.
    const holder = await lockVoter(trx, input.voter.id);
    const voter: Voter = { ...input.voter, assuranceLevel: holder?.assurance_level ?? "email" };
    // The commune as it is now, under the lock a change of commune takes too: a change that
    // committed while this request was on its way is seen whole (docs/domain.md#one-voice), never
    // the session's older commune with the new counts.
    const place =
      holder && holder.commune_code !== (placeBefore?.commune.code ?? input.voter.communeCode)
        ? await locateCommune(trx, holder.commune_code)
        : placeBefore;
    // The phase under the lock a close takes too: this vote is counted before a close or refused after it.
    const consultation = await underPhaseLock(
      trx,
      trx
        .selectFrom("consultations")
        .select([
          "id",
          "slug",
          "region_code",
          "cts_code",
          "method",
          "method_params",
          "status",
          "opens_at",
          "closes_at",
          "min_assurance_level",
        ])
        .where("slug", "=", input.consultationSlug)
        .where("status", "!=", "draft"),
    ).executeTakeFirst();
    if (!consultation) throw new BallotError("not-found", "Cette consultation n’existe pas.");
    const reason = refusal(
      consultation,
      voter,
      place && { regionCode: place.region.code, ctsCode: place.cts?.code ?? null },
      input.now ?? new Date(),
    );
    if (reason || !place) throw new BallotError("forbidden", reason ?? "Vote impossible.");
    const rules = readMethodParams(consultation.method, consultation.method_params);

    const existing = await trx
      .selectFrom("ballots")
      .select(["id", "content", "arrondissement_code", "cts_code", "assurance_level"])
      .where("consultation_id", "=", consultation.id)
      .where("user_id", "=", input.voter.id)
      .executeTakeFirst();
    const current = existing ? (JSON.parse(existing.content) as BallotContent) : null;
    const ballotRules: BallotRules = { method: rules.method, k: rules.k, proposals };
    let next: BallotContent | null;
    try {
      const wanted = mutate(current, rules);
      next = wanted === null ? null : countedContent(validateContent(ballotRules, wanted));
    } catch (error) {
      if (error instanceof BallotContentError) throw new BallotError("invalid", error.message);
      throw error;
    }

    const where = { arrondissement: place.arrondissement.code, cts: place.cts?.code ?? place.departement.code };
    const nowIso = (input.now ?? new Date()).toISOString();
    if (!existing && !next) return { outcome: "unchanged", content: null };
    if (
      existing &&
      next &&
      existing.content === JSON.stringify(next) &&
      existing.assurance_level === voter.assuranceLevel &&
      existing.arrondissement_code === where.arrondissement &&
      existing.cts_code === where.cts
    ) {
      return { outcome: "unchanged", content: next };
    }
    // The old cells out and the new ones in, as one set of net changes taken in a fixed order.
    await applyChanges(trx, consultation.id, "online", [
      ...(existing
        ? [
            {
              where: { arrondissement: existing.arrondissement_code, cts: existing.cts_code },
              content: current!,
              sign: -1 as const,
            },
          ]
        : []),
      ...(next ? [{ where, content: next, sign: 1 as const }] : []),
    ]);
    let outcome: BallotOutcome;
    if (next) {
      if (existing) {
        await trx
          .updateTable("ballots")
          .set({
            content: JSON.stringify(next),
            arrondissement_code: where.arrondissement,
            cts_code: where.cts,
            assurance_level: voter.assuranceLevel,
            updated_at: nowIso,
          })
          .where("id", "=", existing.id)
          .execute();
        outcome = "changed";
      } else {
        await trx
          .insertInto("ballots")
          .values({
            id: randomUUID(),
            consultation_id: consultation.id,
            user_id: input.voter.id,
            arrondissement_code: where.arrondissement,
            cts_code: where.cts,
            channel: "online",
            content: JSON.stringify(next),
            assurance_level: voter.assuranceLevel,
            created_at: nowIso,
            updated_at: nowIso,
          })
          .execute();
        outcome = "cast";
      }
    } else {
      await trx.deleteFrom("ballots").where("id", "=", existing!.id).execute();
      outcome = "withdrawn";
    }
    const eventPlace = next ? where : { arrondissement: existing!.arrondissement_code, cts: existing!.cts_code };
    await logEvent(trx, consultation.id, outcome, eventPlace, "online", nowIso);
    // For a person who asked to be told of the CTS's answers: what their notice will need.
    await keepNoticeChoices(trx, {
      consultationId: consultation.id,
      userId: input.voter.id,
      ctsCode: eventPlace.cts,
      content: next,
      now: nowIso,
    });
    return { outcome, content: next };
  });
}

/**
 * Withdraws every ballot a person still has (consultations still open: ballots lose their user
 * link when a consultation closes), as `changeBallot` withdraws one: the kept counts lose its
 * cells and a "withdrawn" event is logged, so the counts still equal a recount. A ballot of a
 * consultation whose vote has ended but that is not closed yet stays counted, detached from the
 * person. Run inside the caller's transaction, with the person's row locked.
 */
export async function withdrawAllBallots(
  trx: Kysely<Database>,
  userId: string,
  now: Date,
): Promise<{ withdrawn: number; detached: number }> {
  const rows = await trx
    .selectFrom("ballots as b")
    .innerJoin("consultations as c", "c.id", "b.consultation_id")
    .select([
      "b.id",
      "b.consultation_id",
      "b.arrondissement_code",
      "b.cts_code",
      "b.channel",
      "b.content",
      "c.status",
      "c.opens_at",
      "c.closes_at",
    ])
    .where("b.user_id", "=", userId)
    .execute();
  const iso = now.toISOString();
  let withdrawn = 0;
  let detached = 0;
  for (const row of rows) {
    if (!consultationIsOpen(row, now)) {
      await trx.updateTable("ballots").set({ user_id: null }).where("id", "=", row.id).execute();
      detached++;
      continue;
    }
    const where = { arrondissement: row.arrondissement_code, cts: row.cts_code };
    await applyCells(trx, row.consultation_id, where, row.channel, JSON.parse(row.content) as BallotContent, -1);
    await trx.deleteFrom("ballots").where("id", "=", row.id).execute();
    await logEvent(trx, row.consultation_id, "withdrawn", where, row.channel, iso);
    withdrawn++;
  }
  return { withdrawn, detached };
}

/** Adds (sign +1) or removes (sign -1) one ballot's cells and its count in the kept totals. */
export function applyCells(
  db: Kysely<Database>,
  consultationId: string,
  where: { arrondissement: string; cts: string },
  channel: BallotChannel,
  content: BallotContent,
  sign: 1 | -1,
): Promise<void> {
  return applyChanges(db, consultationId, channel, [{ where, content, sign }]);
}

export interface CellChange {
  where: { arrondissement: string; cts: string };
  content: BallotContent;
  sign: 1 | -1;
}

/**
 * Applies ballots to the kept counts and totals as net changes (a cell a changed ballot keeps is
 * not touched), the rows always taken in one order — territory, proposal, cell — then the totals
 * in territory order. On PostgreSQL each upserted row stays locked until commit: two residents
 * changing overlapping cells at once would otherwise lock them in opposite orders and deadlock
 * (measured: 500s with two servers voting at once).
 */
export async function applyChanges(
  db: Kysely<Database>,
  consultationId: string,
  channel: BallotChannel,
  changes: readonly CellChange[],
): Promise<void> {
  const cells = new Map<
    string,
    { arrondissement: string; cts: string; proposal: string; cell: number; delta: number }
  >();
  const totals = new Map<string, { arrondissement: string; cts: string; delta: number }>();
  for (const { where, content, sign } of changes) {
    for (const [proposal, cell] of contentCells(content)) {
      const key = [where.arrondissement, where.cts, proposal, String(cell).padStart(6, "0")].join("\u0000");
      const entry = cells.get(key) ?? {
        arrondissement: where.arrondissement,
        cts: where.cts,
        proposal,
        cell,
        delta: 0,
      };
      entry.delta += sign;
      cells.set(key, entry);
    }
    const key = [where.arrondissement, where.cts].join("\u0000");
    const total = totals.get(key) ?? { arrondissement: where.arrondissement, cts: where.cts, delta: 0 };
    total.delta += sign;
    totals.set(key, total);
  }
  const sorted = <T>(map: Map<string, T>) =>
    [...map.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, v]) => v);
  const cellRows = sorted(cells).filter((c) => c.delta !== 0);
  // In chunks (a batch of demo ballots or a paper import touches thousands of cells: SQLite takes
  // 32,766 parameters a statement), still in the one order.
  for (let i = 0; i < cellRows.length; i += UPSERT_CHUNK) {
    await db
      .insertInto("ballot_counts")
      .values(
        cellRows.slice(i, i + UPSERT_CHUNK).map((c) => ({
          consultation_id: consultationId,
          proposal_id: c.proposal,
          arrondissement_code: c.arrondissement,
          cts_code: c.cts,
          cell: c.cell,
          count: c.delta,
        })),
      )
      .onConflict((oc) =>
        oc
          .columns(["consultation_id", "proposal_id", "arrondissement_code", "cts_code", "cell"])
          .doUpdateSet((eb) => ({ count: eb("ballot_counts.count", "+", eb.ref("excluded.count")) })),
      )
      .execute();
  }
  // Kept even at a net change of 0 (a ballot changed where it was): its revision must still move.
  const totalRows = sorted(totals);
  for (let i = 0; i < totalRows.length; i += UPSERT_CHUNK) {
    await db
      .insertInto("ballot_totals")
      .values(
        totalRows.slice(i, i + UPSERT_CHUNK).map((t) => ({
          consultation_id: consultationId,
          arrondissement_code: t.arrondissement,
          cts_code: t.cts,
          channel,
          ballots: t.delta,
          revision: 1,
        })),
      )
      .onConflict((oc) =>
        oc.columns(["consultation_id", "arrondissement_code", "cts_code", "channel"]).doUpdateSet((eb) => ({
          ballots: eb("ballot_totals.ballots", "+", eb.ref("excluded.ballots")),
          // Every write bumps the row: Σ revision is the consultation's tally version.
          revision: eb("ballot_totals.revision", "+", 1),
        })),
      )
      .execute();
  }
}

/** Rows a statement writes at most: 7 columns × 1,000 stays under both databases' parameter limits. */
const UPSERT_CHUNK = 1000;

export async function logEvent(
  db: Kysely<Database>,
  consultationId: string,
  outcome: Exclude<BallotOutcome, "unchanged">,
  where: { arrondissement: string; cts: string },
  channel: BallotChannel,
  at: string,
): Promise<void> {
  await logEvents(db, consultationId, channel, [{ outcome, where, at }]);
}

/** The event log's lines for several ballots at once (demo ballots, in batches). */
export async function logEvents(
  db: Kysely<Database>,
  consultationId: string,
  channel: BallotChannel,
  events: readonly {
    outcome: Exclude<BallotOutcome, "unchanged">;
    where: { arrondissement: string; cts: string };
    at: string;
  }[],
): Promise<void> {
  for (let i = 0; i < events.length; i += UPSERT_CHUNK) {
    await db
      .insertInto("ballot_events")
      .values(
        events.slice(i, i + UPSERT_CHUNK).map((e) => ({
          id: randomUUID(),
          consultation_id: consultationId,
          kind: e.outcome,
          arrondissement_code: e.where.arrondissement,
          cts_code: e.where.cts,
          channel,
          created_at: e.at,
        })),
      )
      .execute();
  }
}

/** A resident's own ballot in a consultation ("Mon vote"), or null. */
export async function getMyBallot(db: Kysely<Database>, consultationId: string, userId: string) {
  const row = await db
    .selectFrom("ballots")
    .select(["content", "arrondissement_code", "cts_code", "created_at", "updated_at"])
    .where("consultation_id", "=", consultationId)
    .where("user_id", "=", userId)
    .executeTakeFirst();
  return row ? { ...row, content: JSON.parse(row.content) as BallotContent } : null;
}
