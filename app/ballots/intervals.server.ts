import type { Kysely } from "kysely";
import type { Database } from "../../db/schema";
import { bootstrapIntervals, seedFromString, type Method, type RankInterval, type Weighting } from "../tally";
import { readMethodParams } from "./ballots.server";
import { publishedVersion, territoryBallots, type TerritoryRef } from "./results.server";

// Rank intervals come from a bootstrap over every ballot of the territory: seconds of CPU at a
// national scale. They are computed off the request path, once per tally version (`tallyVersion`: the
// revisions of the consultation's kept totals), and pages show the last ones computed with their stamp
// ("calculé à 14:05, version 1 234") while a newer computation runs. In the server the work runs in
// a worker thread (app/start/main.ts installs it), so the event loop keeps answering; elsewhere
// (tests, commands) it runs in this thread.

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
let runner: IntervalRunner = computeIntervals;

/** Where computations run (the server passes one that uses a worker thread). */
export function setIntervalRunner(next: IntervalRunner): void {
  runner = next;
}

interface Entry {
  snapshot: Omit<IntervalSnapshot, "computing">;
  running: Promise<void> | null;
  checkedAt: number;
}
const entries = new Map<string, Entry>();
// How often a page view may start a check of the version (kept off the request path, and not
// more than once a second per territory).
const CHECK_EVERY_MS = 1000;

function refresh(db: Kysely<Database>, key: string, entry: Entry, job: Omit<IntervalJob, "seed">): Promise<void> {
  entry.checkedAt = Date.now();
  const running = (async () => {
    const version = await publishedVersion(db, job.consultation);
    if (version === entry.snapshot.version) return;
    const intervals = await runner(db, { ...job, seed: seedFromString(key) });
    // A slower older computation never replaces a newer one.
    if (entry.snapshot.version === null || version > entry.snapshot.version) {
      entry.snapshot = { intervals, version, computedAt: new Date().toISOString() };
    }
  })();
  entry.running = running.finally(() => {
    if (entry.running === tracked) entry.running = null;
  });
  const tracked = entry.running;
  return running;
}

/**
 * The rank intervals of a territory as last computed, without waiting: starts (in the background)
 * a computation when the tally has changed since. With `wait: "first"` a territory never
 * computed before waits for its first intervals; with `wait: "current"` the call waits for the
 * intervals of the current version.
 *
 *   const s = await rankIntervalsSnapshot(db, consultation, ref, "raw", populations);
 *   s.intervals ? `calculé à ${s.computedAt}, version ${s.version}` : "calcul en cours"
 */
export async function rankIntervalsSnapshot(
  db: Kysely<Database>,
  consultation: IntervalJob["consultation"],
  ref: TerritoryRef,
  weighting: Weighting,
  populations: Record<string, number>,
  options: {
    resamples?: number;
    wait?: "no" | "first" | "current";
    checkEveryMs?: number;
    units?: Record<string, string>;
  } = {},
): Promise<IntervalSnapshot> {
  const resamples = options.resamples ?? 200;
  const key = `${consultation.id}|${ref.kind}:${ref.code}|${weighting}|${resamples}`;
  let entry = entries.get(key);
  if (!entry) {
    entry = { snapshot: { intervals: null, version: null, computedAt: null }, running: null, checkedAt: 0 };
    entries.set(key, entry);
  }
  const job = { consultation, ref, weighting, populations, units: options.units, resamples };
  const wait = options.wait ?? "no";
  if (wait === "current") {
    await entry.running?.catch(() => undefined);
    await refresh(db, key, entry, job);
  } else {
    if (!entry.running && Date.now() - entry.checkedAt >= (options.checkEveryMs ?? CHECK_EVERY_MS)) {
      refresh(db, key, entry, job).catch((error: unknown) => console.error("Calcul des intervalles de rang :", error));
    }
    if (wait === "first" && entry.snapshot.intervals === null) await entry.running;
  }
  return { ...entry.snapshot, computing: entry.running !== null };
}

/** Forgets every kept interval (tests). */
export function clearIntervals(): void {
  entries.clear();
}
