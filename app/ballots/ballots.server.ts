import { randomUUID } from "node:crypto";
import { sql, type Kysely, type Selectable } from "kysely";
import { isPostgres, PREPARED, writeTransaction } from "../../db/dialect";
import type { AssuranceLevel, BallotChannel, Database } from "../../db/schema";
import { belowMinimumMessage } from "../identity/assurance";
import { consultationIsOpen } from "../catalogue/consultation-window";
import { chosenProposals, keepNoticeChoices } from "../answers/choices.server";
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

export type BallotOutcome = "cast" | "changed" | "withdrawn" | "unchanged";

export interface BallotChange {
  outcome: BallotOutcome;
  content: BallotContent | null;
}

/** What a ballot change reads: the voter, the consultation and the voter's ballot in it. */
interface BallotState {
  holder: { commune_code: string | null; assurance_level: AssuranceLevel } | undefined;
  consultation: ConsultationRow | undefined;
  existing:
    | {
        id: string;
        content: string;
        arrondissement_code: string;
        cts_code: string;
        assurance_level: AssuranceLevel | null;
      }
    | undefined;
}

/** What a ballot change does, decided from a `BallotState` by the rules; nothing written yet. */
type BallotPlan =
  | { kind: "unchanged"; content: BallotContent | null }
  | {
      kind: "write";
      outcome: Exclude<BallotOutcome, "unchanged">;
      consultationId: string;
      existing: BallotState["existing"];
      current: BallotContent | null;
      next: BallotContent | null;
      where: { arrondissement: string; cts: string };
      level: AssuranceLevel;
    };

type ChangeInput = {
  consultationSlug: string;
  voter: Voter;
  now?: Date;
  place?: Place | null;
  proposalIds?: ReadonlySet<string>;
};
type Mutate = (current: BallotContent | null, rules: ConsultationRules) => unknown;

/** The columns of `ConsultationRow`. */
export const CONSULTATION_COLUMNS = [
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
] as const;

/**
 * Reads a resident's ballot, lets `mutate` say what it becomes (null or empty: withdrawn), checks
 * it and writes it with the kept counts and the event log — all or nothing, with the voter, the
 * consultation's phase and the ballot as they are at the write: a vote in the closing second is
 * fully in or fully out, and the cap K holds against parallel requests.
 *
 * The rules (`planBallot`) run once on what was read; two ways then write it
 * (docs/decisions/010-vote-write-path.md):
 * - on PostgreSQL, at once: one read, then one statement that writes only if what was read still
 *   holds (voter, consultation, ballot), in two round trips; if it no longer holds, or the rules
 *   refused, the locked way decides;
 * - the locked way: one transaction that locks the voter, then the consultation (shared), reads
 *   and writes. On SQLite the transaction may be shared with other votes of the same moment
 *   (`writeTransaction`: group commit), each vote in a savepoint of its own.
 *
 * `place` (the voter's commune's place) and `proposalIds` (the consultation's proposal ids) may
 * be given by a caller that already has them for the current content version; they change only
 * with it (territory or catalogue load), never during a vote.
 */
export async function changeBallot(db: Kysely<Database>, input: ChangeInput, mutate: Mutate): Promise<BallotChange> {
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
  if (isPostgres(db) && !db.isTransaction) {
    const done = await changeBallotAtOnce(db, input, placeBefore, proposals, mutate);
    if (done) return done;
  }
  return changeBallotLocked(db, input, placeBefore, proposals, mutate);
}

/** The locked way (see changeBallot): every database, and PostgreSQL's fallback. */
export function changeBallotLocked(
  db: Kysely<Database>,
  input: ChangeInput,
  placeBefore: Place | null,
  proposals: ReadonlySet<string>,
  mutate: Mutate,
): Promise<BallotChange> {
  return writeTransaction(db, async (trx) => {
    // The voter's level and commune as of now, under their lock: a verification or commune change
    // that committed before this vote is what the ballot records (docs/domain.md#one-voice).
    const holder = await lockVoter(trx, input.voter.id);
    // Shared with other casts, exclusive for a close (advanceConsultation): a cast is counted
    // before the close or refused after it.
    const consultationQuery = trx
      .selectFrom("consultations")
      .select(CONSULTATION_COLUMNS)
      .where("slug", "=", input.consultationSlug)
      .where("status", "!=", "draft");
    const consultation = await (
      isPostgres(trx) ? consultationQuery.forKeyShare() : consultationQuery
    ).executeTakeFirst();
    const existing = consultation
      ? await trx
          .selectFrom("ballots")
          .select(["id", "content", "arrondissement_code", "cts_code", "assurance_level"])
          .where("consultation_id", "=", consultation.id)
          .where("user_id", "=", input.voter.id)
          .executeTakeFirst()
      : undefined;
    const plan = await planBallot(trx, input, { holder, consultation, existing }, placeBefore, proposals, mutate);
    if (plan.kind === "unchanged") return { outcome: "unchanged", content: plan.content };
    await writeBallot(trx, input, plan);
    return { outcome: plan.outcome, content: plan.next };
  });
}

/** The rules of a ballot change, on what was read: a plan, or a BallotError (nothing written). */
async function planBallot(
  db: Kysely<Database>,
  input: ChangeInput,
  state: BallotState,
  placeBefore: Place | null,
  proposals: ReadonlySet<string>,
  mutate: Mutate,
): Promise<BallotPlan> {
  const { holder, consultation, existing } = state;
  const voter: Voter = { ...input.voter, assuranceLevel: holder?.assurance_level ?? "email" };
  const place =
    holder && holder.commune_code !== (placeBefore?.commune.code ?? input.voter.communeCode)
      ? await locateCommune(db, holder.commune_code)
      : placeBefore;
  if (!consultation) throw new BallotError("not-found", "Cette consultation n’existe pas.");
  const reason = refusal(
    consultation,
    voter,
    place && { regionCode: place.region.code, ctsCode: place.cts?.code ?? null },
    input.now ?? new Date(),
  );
  if (reason || !place) throw new BallotError("forbidden", reason ?? "Vote impossible.");
  const rules = readMethodParams(consultation.method, consultation.method_params);
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
  if (!existing && !next) return { kind: "unchanged", content: null };
  if (
    existing &&
    next &&
    existing.content === JSON.stringify(next) &&
    existing.assurance_level === voter.assuranceLevel &&
    existing.arrondissement_code === where.arrondissement &&
    existing.cts_code === where.cts
  ) {
    return { kind: "unchanged", content: next };
  }
  return {
    kind: "write",
    outcome: !next ? "withdrawn" : existing ? "changed" : "cast",
    consultationId: consultation.id,
    existing,
    current,
    next,
    where,
    level: voter.assuranceLevel!,
  };
}

/** The old cells out and the new ones in: one set of net changes, taken in a fixed order. */
function cellChangesOf(plan: Extract<BallotPlan, { kind: "write" }>): CellChange[] {
  const { existing, current, next, where } = plan;
  return [
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
  ];
}

/** Where the event of a change is logged: the new place, or the withdrawn ballot's. */
function eventPlaceOf(plan: Extract<BallotPlan, { kind: "write" }>) {
  return plan.next ? plan.where : { arrondissement: plan.existing!.arrondissement_code, cts: plan.existing!.cts_code };
}

async function writeBallot(trx: Kysely<Database>, input: ChangeInput, plan: Extract<BallotPlan, { kind: "write" }>) {
  const nowIso = (input.now ?? new Date()).toISOString();
  const { existing, next, where } = plan;
  await applyChanges(trx, plan.consultationId, "online", cellChangesOf(plan));
  if (plan.outcome === "changed") {
    await trx
      .updateTable("ballots")
      .set({
        content: JSON.stringify(next),
        arrondissement_code: where.arrondissement,
        cts_code: where.cts,
        assurance_level: plan.level,
        updated_at: nowIso,
      })
      .where("id", "=", existing!.id)
      .execute();
  } else if (plan.outcome === "cast") {
    await trx
      .insertInto("ballots")
      .values({
        id: randomUUID(),
        consultation_id: plan.consultationId,
        user_id: input.voter.id,
        arrondissement_code: where.arrondissement,
        cts_code: where.cts,
        channel: "online",
        content: JSON.stringify(next),
        assurance_level: plan.level,
        created_at: nowIso,
        updated_at: nowIso,
      })
      .execute();
  } else {
    await trx.deleteFrom("ballots").where("id", "=", existing!.id).execute();
  }
  const eventPlace = eventPlaceOf(plan);
  await logEvent(trx, plan.consultationId, plan.outcome, eventPlace, "online", nowIso);
  // For a person who asked to be told of the CTS's answers: what their notice will need.
  await keepNoticeChoices(trx, {
    consultationId: plan.consultationId,
    userId: input.voter.id,
    ctsCode: eventPlace.cts,
    content: next,
    now: nowIso,
  });
}

/**
 * The at-once way on PostgreSQL (see changeBallot and ADR 010): one read of the voter, the
 * consultation and the ballot; the rules; then one statement whose parts all write only if the
 * voter row (its version), the consultation (phase, dates, rules) and the ballot
 * (content, place, level) are still what was read — checked on the rows' latest versions under
 * the same locks as the locked way, in the same order. Null when it wrote nothing: the rules
 * refused (the locked way gives the final answer) or something moved in between (it decides again).
 */
async function changeBallotAtOnce(
  db: Kysely<Database>,
  input: ChangeInput,
  placeBefore: Place | null,
  proposals: ReadonlySet<string>,
  mutate: Mutate,
): Promise<BallotChange | null> {
  const userId = input.voter.id;
  const { rows } = await sql<ReadRow>`${PREPARED}
    select u.commune_code, u.assurance_level, u.xmin::text as user_version,
      ${sql.join(CONSULTATION_COLUMNS.map((c) => sql`c.${sql.ref(c)}`))},
      b.id as ballot_id, b.content as ballot_content, b.arrondissement_code as ballot_arrondissement,
      b.cts_code as ballot_cts, b.assurance_level as ballot_level
    from consultations c
    left join users u on u.id = ${userId}
    left join ballots b on b.consultation_id = c.id and b.user_id = ${userId}
    where c.slug = ${input.consultationSlug} and c.status <> 'draft'`.execute(db);
  const row = rows[0];
  const state: BallotState = {
    holder:
      row && row.user_version !== null
        ? { commune_code: row.commune_code, assurance_level: row.assurance_level ?? "email" }
        : undefined,
    consultation: row && (Object.fromEntries(CONSULTATION_COLUMNS.map((c) => [c, row[c]])) as ConsultationRow),
    existing:
      row && row.ballot_id !== null
        ? {
            id: row.ballot_id,
            content: row.ballot_content!,
            arrondissement_code: row.ballot_arrondissement!,
            cts_code: row.ballot_cts!,
            assurance_level: row.ballot_level,
          }
        : undefined,
  };
  if (!row || !state.holder) return null;
  let plan: BallotPlan;
  try {
    plan = await planBallot(db, input, state, placeBefore, proposals, mutate);
  } catch (error) {
    if (error instanceof BallotError) return null;
    throw error;
  }
  if (plan.kind === "unchanged") return { outcome: "unchanged", content: plan.content };

  const nowIso = (input.now ?? new Date()).toISOString();
  const { cells, totals } = netChanges(cellChangesOf(plan));
  const eventPlace = eventPlaceOf(plan);
  const c = plan.consultationId;
  const old = plan.existing;
  const guards = sql`exists (select 1 from guard_voter) and exists (select 1 from guard_consultation)`;
  const sameBallot = old
    ? sql`id = ${old.id} and content = ${old.content} and arrondissement_code = ${old.arrondissement_code}
        and cts_code = ${old.cts_code} and assurance_level is not distinct from ${old.assurance_level}`
    : sql`false`;
  const ballot =
    plan.outcome === "cast"
      ? sql`insert into ballots (id, consultation_id, user_id, arrondissement_code, cts_code, channel, content,
            assurance_level, created_at, updated_at)
          select ${randomUUID()}, ${c}, ${userId}, ${plan.where.arrondissement}, ${plan.where.cts}, 'online',
            ${JSON.stringify(plan.next)}, ${plan.level}, ${nowIso}, ${nowIso}
          where ${guards}
          on conflict (consultation_id, user_id) do nothing
          returning id`
      : plan.outcome === "changed"
        ? sql`update ballots set content = ${JSON.stringify(plan.next)}, arrondissement_code = ${plan.where.arrondissement},
            cts_code = ${plan.where.cts}, assurance_level = ${plan.level}, updated_at = ${nowIso}
          where ${sameBallot} and ${guards}
          returning id`
        : sql`delete from ballots where ${sameBallot} and ${guards} returning id`;
  const notice = plan.next
    ? sql`insert into answer_notice_choices (consultation_id, user_id, cts_code, proposal_ids, updated_at)
        select ${c}, ${userId}, ${eventPlace.cts}, ${JSON.stringify(chosenProposals(plan.next))}, ${nowIso}
        where exists (select 1 from ballot)
          and exists (select 1 from answer_notice_optins where user_id = ${userId})
        on conflict (consultation_id, user_id) do update set cts_code = excluded.cts_code,
          proposal_ids = excluded.proposal_ids, updated_at = excluded.updated_at
        returning 1`
    : sql`delete from answer_notice_choices
        where consultation_id = ${c} and user_id = ${userId} and exists (select 1 from ballot)
        returning 1`;
  const consultation = state.consultation!;
  const { rows: written } = await sql<{ written: string | number }>`${PREPARED}
    with guard_voter as (
      select id from users
      -- The row version: any change to the voter since the read (commune, level, notice wish) moves it.
      where id = ${userId} and xmin::text = ${row.user_version}
      for update
    ), guard_consultation as (
      select id from consultations
      where id = ${c} and status = ${consultation.status} and method_params = ${consultation.method_params}
        and opens_at is not distinct from ${consultation.opens_at}
        and closes_at is not distinct from ${consultation.closes_at}
        and min_assurance_level = ${consultation.min_assurance_level}
      for key share
    ), ballot as (${ballot}
    ), counts as (
      insert into ballot_counts (consultation_id, proposal_id, arrondissement_code, cts_code, cell, count)
      select ${c}, x.proposal, x.arrondissement, x.cts, x.cell, x.delta
      from unnest(${cells.map((x) => x.arrondissement)}::text[], ${cells.map((x) => x.cts)}::text[],
        ${cells.map((x) => x.proposal)}::text[], ${cells.map((x) => x.cell)}::int[],
        ${cells.map((x) => x.delta)}::int[]) with ordinality as x(arrondissement, cts, proposal, cell, delta, n)
      where exists (select 1 from ballot)
      order by x.n
      on conflict (consultation_id, proposal_id, arrondissement_code, cts_code, cell)
        do update set count = ballot_counts.count + excluded.count
      returning 1
    ), totals as (
      insert into ballot_totals (consultation_id, arrondissement_code, cts_code, channel, ballots, revision)
      select ${c}, x.arrondissement, x.cts, 'online', x.delta, 1
      from unnest(${totals.map((x) => x.arrondissement)}::text[], ${totals.map((x) => x.cts)}::text[],
        ${totals.map((x) => x.delta)}::int[]) with ordinality as x(arrondissement, cts, delta, n)
      -- After every count: PostgreSQL runs the parts of a statement that nothing reads in an order of
      -- its own (totals first, measured), and the locked way takes counts before totals. Reading
      -- them all here keeps the one lock order, without which two ways deadlock.
      where exists (select 1 from ballot) and (select count(*) from counts) >= 0
      order by x.n
      on conflict (consultation_id, arrondissement_code, cts_code, channel)
        do update set ballots = ballot_totals.ballots + excluded.ballots, revision = ballot_totals.revision + 1
      returning 1
    ), event as (
      insert into ballot_events (id, consultation_id, kind, arrondissement_code, cts_code, channel, created_at)
      select ${randomUUID()}, ${c}, ${plan.outcome}, ${eventPlace.arrondissement}, ${eventPlace.cts}, 'online', ${nowIso}
      where exists (select 1 from ballot)
      returning 1
    )${
      plan.outcome === "changed"
        ? sql``
        : sql`, event_day as (
      insert into ballot_event_days (consultation_id, cts_code, day, arrondissement_code, kind, count)
      select ${c}, ${eventPlace.cts}, ${nowIso.slice(0, 10)}, ${eventPlace.arrondissement}, ${plan.outcome}, 1
      -- After the totals, as the locked way (logEvents) takes them.
      where exists (select 1 from ballot) and (select count(*) from totals) >= 0
      on conflict (consultation_id, cts_code, day, arrondissement_code, kind)
        do update set count = ballot_event_days.count + 1
      returning 1
    )`
    }, notice as (${notice})
    select count(*) as written from ballot`.execute(db);
  return Number(written[0]?.written ?? 0) === 1 ? { outcome: plan.outcome, content: plan.next } : null;
}

/** The row the at-once way reads (see changeBallotAtOnce). */
type ReadRow = ConsultationRow & {
  commune_code: string | null;
  assurance_level: AssuranceLevel | null;
  /** The voter row's version (PostgreSQL's xmin), null when the account is gone. */
  user_version: string | null;
  ballot_id: string | null;
  ballot_content: string | null;
  ballot_arrondissement: string | null;
  ballot_cts: string | null;
  ballot_level: AssuranceLevel | null;
};

/**
 * Withdraws every ballot a person still has (consultations still open: ballots lose their user
 * link when a consultation closes), as `changeBallot` withdraws one: the kept counts lose its
 * cells and a "withdrawn" event is logged, so the counts still equal a recount. A ballot of a
 * consultation whose vote has ended but that is not closed yet stays counted, detached from the
 * person. Run inside the caller's transaction, with the person's row locked (then the
 * consultations, in the order of ADR 010).
 */
export async function withdrawAllBallots(
  trx: Kysely<Database>,
  userId: string,
  now: Date,
): Promise<{ withdrawn: number; detached: number }> {
  const query = trx
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
    .where("b.user_id", "=", userId);
  // The phase read under the lock a cast takes: a close waits, or is already done and this sees it.
  const rows = await (isPostgres(trx) ? query.forKeyShare("c") : query).execute();
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
 * (measured: 500s with two servers voting at once). `changes` may also be net changes already
 * summed (a paper import sums a million ballots as it reads them, without keeping them).
 */
export async function applyChanges(
  db: Kysely<Database>,
  consultationId: string,
  channel: BallotChannel,
  changes: readonly CellChange[] | NetChanges,
): Promise<void> {
  const { cells: cellRows, totals: totalRows } =
    changes instanceof NetChanges ? changes.inLockOrder() : netChanges(changes);
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

/**
 * The net changes of a set of ballot changes, in the one order every writer takes: cells by
 * territory, proposal, cell (a cell whose net change is 0 is left alone); totals by territory, kept
 * even at a net change of 0 (a ballot changed where it was), since their revision must still move.
 */
export function netChanges(changes: readonly CellChange[]) {
  const net = new NetChanges();
  for (const change of changes) net.add(change);
  return net.inLockOrder();
}

/**
 * Ballot changes summed as they come, one entry per kept-count row they touch (territories ×
 * proposals × cells, whatever the number of ballots): what `applyChanges` writes.
 */
export class NetChanges {
  private readonly cells = new Map<
    string,
    { arrondissement: string; cts: string; proposal: string; cell: number; delta: number }
  >();
  private readonly totals = new Map<string, { arrondissement: string; cts: string; delta: number }>();

  add({ where, content, sign }: CellChange): void {
    for (const [proposal, cell] of contentCells(content)) {
      const key = `${where.arrondissement}\u0000${where.cts}\u0000${proposal}\u0000${String(cell).padStart(6, "0")}`;
      const entry = this.cells.get(key);
      if (entry) entry.delta += sign;
      else this.cells.set(key, { arrondissement: where.arrondissement, cts: where.cts, proposal, cell, delta: sign });
    }
    const key = `${where.arrondissement}\u0000${where.cts}`;
    const total = this.totals.get(key);
    if (total) total.delta += sign;
    else this.totals.set(key, { arrondissement: where.arrondissement, cts: where.cts, delta: sign });
  }

  /** See netChanges. */
  inLockOrder() {
    const sorted = <T>(map: Map<string, T>) =>
      [...map.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, v]) => v);
    return { cells: sorted(this.cells).filter((c) => c.delta !== 0), totals: sorted(this.totals) };
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
  if (isPostgres(db) && events.length > 1) {
    // A batch (demo ballots, paper import) in one statement of arrays: no per-row parameters.
    await sql`insert into ballot_events (id, consultation_id, kind, arrondissement_code, cts_code, channel, created_at)
      select x.id, ${consultationId}, x.kind, x.arrondissement, x.cts, ${channel}, x.at
      from unnest(${events.map(() => randomUUID())}::text[], ${events.map((e) => e.outcome)}::text[],
        ${events.map((e) => e.where.arrondissement)}::text[], ${events.map((e) => e.where.cts)}::text[],
        ${events.map((e) => e.at)}::text[]) as x(id, kind, arrondissement, cts, at)`.execute(db);
  } else
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
  await keepEventDays(db, consultationId, events);
}

/** A ballot event, or `count` of them with the same outcome, place and day. */
type DayEvent = {
  outcome: Exclude<BallotOutcome, "unchanged">;
  where: { arrondissement: string; cts: string };
  at: string;
  count?: number;
};

/**
 * Adds events to the casts and withdrawals kept per day (`ballot_event_days`); for writers that
 * log their events themselves (the paper import's batches), once with the sums, after the totals.
 */
export async function keepEventDays(
  db: Kysely<Database>,
  consultationId: string,
  events: readonly DayEvent[],
): Promise<void> {
  const days = eventDays(events);
  for (let i = 0; i < days.length; i += UPSERT_CHUNK) {
    await db
      .insertInto("ballot_event_days")
      .values(days.slice(i, i + UPSERT_CHUNK).map((d) => ({ consultation_id: consultationId, ...d })))
      .onConflict((oc) =>
        oc
          .columns(["consultation_id", "cts_code", "day", "arrondissement_code", "kind"])
          .doUpdateSet((eb) => ({ count: eb("ballot_event_days.count", "+", eb.ref("excluded.count")) })),
      )
      .execute();
  }
}

/**
 * The casts and withdrawals of these events per day and place, in the one order every writer
 * upserts them (after the totals: see ADR 010's lock order). Changes are not kept per day: no
 * report reads them, and most votes are changes.
 */
function eventDays(events: readonly DayEvent[]) {
  const days = new Map<
    string,
    { cts_code: string; day: string; arrondissement_code: string; kind: "cast" | "withdrawn"; count: number }
  >();
  for (const e of events) {
    if (e.outcome === "changed") continue;
    const day = e.at.slice(0, 10);
    const key = [e.where.cts, day, e.where.arrondissement, e.outcome].join("\u0000");
    const entry = days.get(key) ?? {
      cts_code: e.where.cts,
      day,
      arrondissement_code: e.where.arrondissement,
      kind: e.outcome,
      count: 0,
    };
    entry.count += e.count ?? 1;
    days.set(key, entry);
  }
  return [...days.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, v]) => v);
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
