import { randomUUID } from "node:crypto";
import type { Kysely } from "kysely";
import type { Database } from "../../db/schema";
import { bootstrapIntervals, seedFromString, type Method, type RankInterval, type Weighting } from "../tally";
import { readMethodParams } from "./ballots.server";
import { publishedVersion, territoryBallots, type TerritoryRef } from "./results.server";

// Rank intervals come from a bootstrap over every ballot of the territory: seconds of CPU at a
// national scale. No request waits for them: they are computed in the background, once per tally
// version (`publishedVersion`), and pages show the last ones computed with their stamp ("version
// 1 234, calculés à 14:05") while a newer computation runs, or say "en cours de calcul" before the
// first. In the server the work runs in a worker thread (app/start/main.ts installs it), so the
// event loop keeps answering; elsewhere (tests, commands) it runs in this thread.
//
// Several app servers share the results through the `rank_intervals` table: the server that needs
// a newer version claims its row with a conditional UPDATE (claimed_by, claimed_at: one mechanism
// on SQLite and PostgreSQL, no advisory lock), computes, writes the intervals and releases the
// claim; the others read the row at their next check. A claim is renewed while its server works,
// so a claim older than the lease is a dead server's and is taken over. Each process keeps what it
// read in memory, checked against the version at most once a second per territory.

export interface IntervalJob {
  /** With its status: an open consultation's intervals are renewed with its live figures, in steps. */
  consultation: { id: string; method: Method; method_params: string; status?: string };
  ref: TerritoryRef;
  weighting: Weighting;
  /** Per weighting unit (an arrondissement, or a pool of withheld places: see `units`). */
  populations: Record<string, number>;
  /** The disclosure plan's weighting unit of each place ("cts|arrondissement"); absent: the arrondissement. */
  units?: Record<string, string>;
  resamples: number;
  seed: number;
}

export interface IntervalSnapshot {
  /** The last intervals computed, or null when none has been computed yet. */
  intervals: Record<string, RankInterval> | null;
  /** The tally version they belong to (read when the computation started). */
  version: number | null;
  /** When they were computed (ISO). */
  computedAt: string | null;
  /** A computation for a newer version is under way. */
  computing: boolean;
}

/** Computes intervals for one job: reads the territory's ballots and runs the bootstrap. */
export async function computeIntervals(db: Kysely<Database>, job: IntervalJob): Promise<Record<string, RankInterval>> {
  const rules = readMethodParams(job.consultation.method, job.consultation.method_params);
  const [ballots, proposals] = await Promise.all([
    territoryBallots(db, job.consultation.id, job.ref),
    db
      .selectFrom("proposals")
      .select("id")
      .where("consultation_id", "=", job.consultation.id)
      .orderBy("position")
      .execute(),
  ]);
  const units = job.units;
  return bootstrapIntervals(
    // Only the places the published figures count (while open, those of the live copy).
    units
      ? ballots.flatMap((b) => {
          const unit = units[`${b.cts}|${b.arrondissement}`];
          return unit ? [{ ...b, arrondissement: unit }] : [];
        })
      : ballots,
    {
      method: rules.method,
      proposals: proposals.map((p) => p.id),
      params: { k: rules.k, quorum: rules.quorum },
      weighting: job.weighting,
      populations: job.populations,
    },
    { resamples: job.resamples, seed: job.seed },
  ).intervals;
}

export type IntervalRunner = (db: Kysely<Database>, job: IntervalJob) => Promise<Record<string, RankInterval>>;

/** The row of `rank_intervals` a territory's intervals live in. */
interface RowKey {
  consultation_id: string;
  territory: string;
  weighting: Weighting;
  resamples: number;
}

type Snapshot = Omit<IntervalSnapshot, "computing">;

interface Entry {
  snapshot: Snapshot;
  /** The shared row has been read once (a new process shows what another one computed). */
  loaded: boolean;
  /** A check of the version (and the computation it may start), under way in this process. */
  running: Promise<void> | null;
  checkedAt: number;
  /** This process holds the claim and computes newer intervals. */
  computing: boolean;
  /** Another server held the claim at the last check: it is computing newer intervals. */
  elsewhere: boolean;
}

export interface IntervalOptions {
  resamples?: number;
  /** "current": wait for the intervals of the current version (computed here or by another server). */
  wait?: "no" | "current";
  checkEveryMs?: number;
  units?: Record<string, string>;
}

// How often a page view may start a check of the version (kept off the request path, and not
// more than once a second per territory).
const CHECK_EVERY_MS = 1000;
// A claim not renewed for this long is a dead server's. Renewed every third of it while computing.
const LEASE_MS = 60_000;
// How often `wait: "current"` reads the row while another server computes.
const POLL_MS = 100;

const iso = (ms: number) => new Date(ms).toISOString();

/**
 * One process's view of the shared rank intervals. The server has one (`rankIntervalsSnapshot`);
 * tests make two over one database to play two servers.
 */
export class IntervalCoordinator {
  private entries = new Map<string, Entry>();

  constructor(
    private runner: IntervalRunner = computeIntervals,
    /** Who claims rows: unique per process. */
    readonly owner: string = randomUUID(),
    private leaseMs: number = LEASE_MS,
  ) {}

  /** Where computations run (the server passes one that uses a worker thread). */
  setRunner(next: IntervalRunner): void {
    this.runner = next;
  }

  /** Forgets what this process read (tests). */
  clear(): void {
    this.entries.clear();
  }

  /** Resolves once the computations under way in this process have ended (tests). */
  async settle(): Promise<void> {
    await Promise.all([...this.entries.values()].map((e) => e.running?.catch(() => undefined)));
  }

  async snapshot(
    db: Kysely<Database>,
    consultation: IntervalJob["consultation"],
    ref: TerritoryRef,
    weighting: Weighting,
    populations: Record<string, number>,
    options: IntervalOptions = {},
  ): Promise<IntervalSnapshot> {
    const resamples = options.resamples ?? 200;
    const row: RowKey = {
      consultation_id: consultation.id,
      territory: `${ref.kind}:${ref.code}`,
      weighting,
      resamples,
    };
    const key = `${consultation.id}|${row.territory}|${weighting}|${resamples}`;
    let entry = this.entries.get(key);
    if (!entry) {
      entry = {
        snapshot: { intervals: null, version: null, computedAt: null },
        loaded: false,
        running: null,
        checkedAt: 0,
        computing: false,
        elsewhere: false,
      };
      this.entries.set(key, entry);
    }
    // One indexed read, once per process and territory: what another server computed shows at once.
    if (!entry.loaded) {
      this.adopt(entry, await readRow(db, row));
      entry.loaded = true;
    }
    const job = {
      consultation,
      ref,
      weighting,
      populations,
      units: options.units,
      resamples,
      seed: seedFromString(key),
    };
    if (options.wait === "current") {
      await entry.running?.catch(() => undefined);
      await this.refresh(db, row, entry, job, true);
    } else if (!entry.running && Date.now() - entry.checkedAt >= (options.checkEveryMs ?? CHECK_EVERY_MS)) {
      this.refresh(db, row, entry, job, false).catch((error: unknown) =>
        console.error("Calcul des intervalles de rang :", error),
      );
    }
    // Before the first intervals, some server is about to compute them (this check starts it).
    const computing = entry.snapshot.intervals === null || entry.computing || entry.elsewhere;
    return { ...entry.snapshot, computing };
  }

  private adopt(entry: Entry, stored: Stored | undefined): void {
    if (!stored) return;
    const now = Date.now();
    entry.elsewhere =
      stored.claimed_by !== null &&
      stored.claimed_by !== this.owner &&
      stored.claimed_at !== null &&
      stored.claimed_at >= iso(now - this.leaseMs);
    if (stored.version === null || stored.intervals === null || stored.computed_at === null) return;
    if (stored.version === entry.snapshot.version && stored.computed_at === entry.snapshot.computedAt) return;
    entry.snapshot = {
      intervals: JSON.parse(stored.intervals) as Record<string, RankInterval>,
      version: stored.version,
      computedAt: stored.computed_at,
    };
  }

  private refresh(db: Kysely<Database>, row: RowKey, entry: Entry, job: IntervalJob, wait: boolean): Promise<void> {
    entry.checkedAt = Date.now();
    const running = (async () => {
      for (;;) {
        const version = await publishedVersion(db, job.consultation);
        this.adopt(entry, await readRow(db, row));
        if (entry.snapshot.version === version) return;
        if (await this.claim(db, row, version)) return this.compute(db, row, entry, job, version);
        // Another server computes them (or just wrote them): they are read from the row.
        this.adopt(entry, await readRow(db, row));
        if (!wait || entry.snapshot.version === version) return;
        await new Promise((resolve) => setTimeout(resolve, POLL_MS));
      }
    })();
    // Its failure is reported by the caller of `running`; the tracked copy only says when it ends.
    const tracked = running
      .catch(() => undefined)
      .finally(() => {
        if (entry.running === tracked) entry.running = null;
      });
    entry.running = tracked;
    // Settles once `entry.running` is cleared, with the outcome of the work.
    return tracked.then(() => running);
  }

  /**
   * Takes the row for this process to compute `version`, unless it holds that version already or
   * a live claim of another process holds it. The UPDATE's condition is the lock: on PostgreSQL a
   * second server's UPDATE waits for the first one's row lock, then sees its claim and changes
   * nothing; SQLite runs one writer at a time.
   */
  private async claim(db: Kysely<Database>, row: RowKey, version: number): Promise<boolean> {
    await db
      .insertInto("rank_intervals")
      .values({ ...row, version: null, intervals: null, computed_at: null, claimed_by: null, claimed_at: null })
      .onConflict((oc) => oc.columns(["consultation_id", "territory", "weighting", "resamples"]).doNothing())
      .execute();
    const now = Date.now();
    const taken = await db
      .updateTable("rank_intervals")
      .where((eb) => eb.and({ ...row }))
      .set({ claimed_by: this.owner, claimed_at: iso(now) })
      .where((eb) => eb.or([eb("version", "is", null), eb("version", "!=", version)]))
      .where((eb) =>
        eb.or([
          eb("claimed_by", "is", null),
          eb("claimed_by", "=", this.owner),
          eb("claimed_at", "<", iso(now - this.leaseMs)),
        ]),
      )
      .executeTakeFirst();
    return Number(taken.numUpdatedRows) === 1;
  }

  private async compute(db: Kysely<Database>, row: RowKey, entry: Entry, job: IntervalJob, version: number) {
    const renew = setInterval(
      () => {
        db.updateTable("rank_intervals")
          .where((eb) => eb.and({ ...row }))
          .set({ claimed_at: iso(Date.now()) })
          .where("claimed_by", "=", this.owner)
          .execute()
          .catch((error: unknown) => console.error("Intervalles de rang, renouvellement du calcul :", error));
      },
      Math.max(1, Math.floor(this.leaseMs / 3)),
    );
    renew.unref();
    entry.computing = true;
    try {
      const intervals = await this.runner(db, job);
      const computedAt = new Date().toISOString();
      // Only while the claim is still ours: a server that took over a lapsed claim writes its own.
      const written = await db
        .updateTable("rank_intervals")
        .where((eb) => eb.and({ ...row }))
        .set({
          version,
          intervals: JSON.stringify(intervals),
          computed_at: computedAt,
          claimed_by: null,
          claimed_at: null,
        })
        .where("claimed_by", "=", this.owner)
        .executeTakeFirst();
      if (Number(written.numUpdatedRows) === 1) entry.snapshot = { intervals, version, computedAt };
    } finally {
      clearInterval(renew);
      entry.computing = false;
      await db
        .updateTable("rank_intervals")
        .where((eb) => eb.and({ ...row }))
        .set({ claimed_by: null, claimed_at: null })
        .where("claimed_by", "=", this.owner)
        .execute();
      entry.elsewhere = false;
    }
  }
}

type Stored = Pick<Database["rank_intervals"], "version" | "intervals" | "computed_at" | "claimed_by" | "claimed_at">;

function readRow(db: Kysely<Database>, row: RowKey): Promise<Stored | undefined> {
  return db
    .selectFrom("rank_intervals")
    .where((eb) => eb.and({ ...row }))
    .select(["version", "intervals", "computed_at", "claimed_by", "claimed_at"])
    .executeTakeFirst();
}

const thisProcess = new IntervalCoordinator();

/** Where this process's computations run (the server passes one that uses a worker thread). */
export function setIntervalRunner(next: IntervalRunner): void {
  thisProcess.setRunner(next);
}

/**
 * The rank intervals of a territory as last computed (by this server or another), without waiting:
 * starts (in the background) a computation when the tally has changed since. Before the first
 * ones, `intervals` is null ("intervalles en cours de calcul"). With `wait: "current"` the call
 * waits for the intervals of the current version (tests, commands).
 *
 *   const s = await rankIntervalsSnapshot(db, consultation, ref, "raw", populations);
 *   s.intervals ? `version ${s.version}, calculés à ${s.computedAt}` : "en cours de calcul"
 */
export function rankIntervalsSnapshot(
  db: Kysely<Database>,
  consultation: IntervalJob["consultation"],
  ref: TerritoryRef,
  weighting: Weighting,
  populations: Record<string, number>,
  options: IntervalOptions = {},
): Promise<IntervalSnapshot> {
  return thisProcess.snapshot(db, consultation, ref, weighting, populations, options);
}

/** Forgets what this process read (tests). */
export function clearIntervals(): void {
  thisProcess.clear();
}

/** Resolves once the computations under way in this process have ended (tests). */
export function settleIntervals(): Promise<void> {
  return thisProcess.settle();
}
