// Disclosure control over the region → CTS → arrondissement hierarchy (docs/disclosure-control.md).
// Every page, API answer and export asks this plan whether a territory's figures may be shown, and
// weighs ballots with its units: one rule, in one place.
import { aggregatesFromRows, type CountRow } from "./aggregate";
import { SMALL_GROUP_THRESHOLD, smallGroupLabel } from "./participation";
import { tally } from "./tally";
import type { Method, TallyParams, TallyResult, Weighting } from "./types";

/**
 * Where ballots were cast: an arrondissement within a CTS territory (a ballot keeps both as they
 * were when it was cast, so one arrondissement may have ballots in two CTS territories). The
 * hierarchy's leaves are these places, not whole arrondissements.
 */
export interface Place {
  cts: string;
  arrondissement: string;
  ballots: number;
}

/**
 * A territory whose figures some view publishes: the region; a CTS territory; an arrondissement
 * as a whole (the open-data API and dataset); an arrondissement within one CTS territory (a CTS
 * report's breakdown and participation).
 */
export type TerritoryNode =
  | { kind: "region" }
  | { kind: "cts"; code: string }
  | { kind: "arrondissement"; code: string }
  | { kind: "part"; cts: string; arrondissement: string };

/** Why a territory's figures are withheld: under the threshold, or to protect one that is. */
export type Suppression = "small" | "secondary";

/** What a withheld territory shows instead of figures. */
export function withheldLabel(suppression: Suppression, threshold: number = SMALL_GROUP_THRESHOLD): string {
  return suppression === "small" ? smallGroupLabel(threshold) : "secret statistique";
}

export interface DisclosurePlan {
  threshold: number;
  /** null when the territory's figures may be published (or it has no ballot). */
  suppression(node: TerritoryNode): Suppression | null;
  published(node: TerritoryNode): boolean;
  /**
   * The weighting unit of a place's ballots when `node` is ranked with population weighting: a
   * published place weighs as its arrondissement; the withheld places under one published parent
   * weigh together, as one unit with their summed population. So a weighted figure carries no
   * more about withheld places than the raw one (their sum), instead of a second equation.
   */
  unit(node: TerritoryNode, place: { cts: string; arrondissement: string }): string;
}

export interface DisclosureOptions {
  /** Default SMALL_GROUP_THRESHOLD (10). */
  threshold?: number;
  /** Secondary suppression (default on). Off only to show, in tests, what it prevents. */
  secondary?: boolean;
}

const partKey = (cts: string, arrondissement: string) => `${cts}\u0000${arrondissement}`;

/**
 * Which territories may show figures, given every place of a consultation with its ballots.
 *
 * 1. Primary: a region, CTS territory or place with fewer than `threshold` ballots (and at least one).
 * 2. Secondary, repeated until nothing changes: among the children of a parent (the CTS territories
 *    of the region; the places of a CTS territory), the withheld ones are none, or all, or at least
 *    two holding `threshold` ballots together; otherwise the smallest published sibling is withheld
 *    too (fewest ballots, then code). A withheld CTS territory keeps at least one withheld place,
 *    or its places would add up to it.
 * 3. An arrondissement as a whole is published only when each of its places is.
 *
 * With these, a published parent minus its published children gives only the sum of at least two
 * withheld ones holding `threshold` ballots or more, and a withheld CTS territory is never a sum
 * of published places (docs/disclosure-control.md has the argument).
 */
export function planDisclosure(places: readonly Place[], options: DisclosureOptions = {}): DisclosurePlan {
  const threshold = options.threshold ?? SMALL_GROUP_THRESHOLD;
  const parts = new Map<string, { key: string; cts: string; arrondissement: string; n: number }>();
  for (const p of places) {
    if (p.ballots <= 0) continue;
    const key = partKey(p.cts, p.arrondissement);
    const entry = parts.get(key) ?? { key, cts: p.cts, arrondissement: p.arrondissement, n: 0 };
    entry.n += p.ballots;
    parts.set(key, entry);
  }
  const byCts = new Map<string, { key: string; n: number }[]>();
  for (const part of parts.values()) {
    const list = byCts.get(part.cts) ?? [];
    list.push({ key: part.key, n: part.n });
    byCts.set(part.cts, list);
  }
  const ctsList = [...byCts.entries()].map(([key, list]) => ({ key, n: list.reduce((s, p) => s + p.n, 0) }));
  const regionBallots = ctsList.reduce((s, c) => s + c.n, 0);

  const small = new Set<string>();
  const withheldParts = new Set<string>();
  const withheldCts = new Set<string>();
  for (const p of parts.values()) {
    if (p.n >= threshold) continue;
    small.add(`p:${p.key}`);
    withheldParts.add(p.key);
  }
  for (const c of ctsList) {
    if (c.n >= threshold) continue;
    small.add(`c:${c.key}`);
    withheldCts.add(c.key);
  }
  const regionWithheld = regionBallots > 0 && regionBallots < threshold;

  // Withholds the smallest published child when the withheld ones could be told apart.
  const complete = (children: { key: string; n: number }[], withheld: Set<string>): boolean => {
    const out = children.filter((c) => withheld.has(c.key));
    if (!out.length || out.length === children.length) return false;
    if (out.length >= 2 && out.reduce((s, c) => s + c.n, 0) >= threshold) return false;
    const next = children
      .filter((c) => !withheld.has(c.key))
      .sort((a, b) => a.n - b.n || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0))[0]!;
    withheld.add(next.key);
    return true;
  };
  if (options.secondary !== false) {
    for (let changed = true; changed;) {
      changed = false;
      if (regionWithheld) for (const c of ctsList) withheldCts.add(c.key);
      else changed = complete(ctsList, withheldCts) || changed;
      for (const [cts, list] of byCts) {
        if (withheldCts.has(cts) && !list.some((p) => withheldParts.has(p.key))) {
          const smallest = [...list].sort((a, b) => a.n - b.n || (a.key < b.key ? -1 : 1))[0]!;
          withheldParts.add(smallest.key);
          changed = true;
        }
        changed = complete(list, withheldParts) || changed;
      }
    }
  }

  const partsOf = new Map<string, string[]>();
  for (const p of parts.values()) partsOf.set(p.arrondissement, [...(partsOf.get(p.arrondissement) ?? []), p.key]);
  const suppression = (node: TerritoryNode): Suppression | null => {
    switch (node.kind) {
      case "region":
        return regionWithheld ? "small" : null;
      case "cts":
        return withheldCts.has(node.code) ? (small.has(`c:${node.code}`) ? "small" : "secondary") : null;
      case "part": {
        const key = partKey(node.cts, node.arrondissement);
        return withheldParts.has(key) ? (small.has(`p:${key}`) ? "small" : "secondary") : null;
      }
      case "arrondissement": {
        const keys = partsOf.get(node.code) ?? [];
        const n = keys.reduce((s, k) => s + parts.get(k)!.n, 0);
        if (n > 0 && n < threshold) return "small";
        return keys.some((k) => withheldParts.has(k)) ? "secondary" : null;
      }
    }
  };
  return {
    threshold,
    suppression,
    published: (node) => suppression(node) === null,
    unit(node, place) {
      const key = partKey(place.cts, place.arrondissement);
      if (!withheldParts.has(key) || node.kind === "part" || node.kind === "arrondissement")
        return `a:${place.arrondissement}`;
      if (node.kind === "cts" || !withheldCts.has(place.cts)) return `pool:${place.cts}`;
      return "pool:region";
    },
  };
}

/**
 * Populations of weighting units: an arrondissement's own, or for a pool the sum over the
 * distinct arrondissements of its places.
 */
export function unitPopulations(
  plan: DisclosurePlan,
  node: TerritoryNode,
  places: readonly { cts: string; arrondissement: string }[],
  populations: Readonly<Record<string, number>>,
): Record<string, number> {
  const members = new Map<string, Set<string>>();
  for (const p of places) {
    const unit = plan.unit(node, p);
    const set = members.get(unit) ?? new Set<string>();
    set.add(p.arrondissement);
    members.set(unit, set);
  }
  const result: Record<string, number> = {};
  for (const [unit, codes] of members) {
    result[unit] = [...codes].reduce((s, code) => s + (populations[code] ?? 0), 0);
  }
  return result;
}

/** Whether a place belongs to a territory. */
export function inNode(node: TerritoryNode, place: { cts: string; arrondissement: string }): boolean {
  switch (node.kind) {
    case "region":
      return true;
    case "cts":
      return place.cts === node.code;
    case "arrondissement":
      return place.arrondissement === node.code;
    case "part":
      return place.cts === node.cts && place.arrondissement === node.arrondissement;
  }
}

/** Kept counts of a consultation's places: the input of every published ranking. */
export interface PlaceCounts {
  method: Method;
  proposals: readonly string[];
  params?: TallyParams;
  /** Ballots per place (the region's places, or at least those of the territory ranked). */
  places: readonly Place[];
  /** Counts per (proposal, place, cell), as aggregatesFromRows reads them plus the place's CTS. */
  rows: readonly (CountRow & { cts: string })[];
  /** INSEE population per arrondissement code (positive). */
  populations: Readonly<Record<string, number>>;
}

/**
 * A territory's ranking as it may be published: null when the plan withholds it; otherwise the
 * tally of its places, weighted (when asked) by the plan's units. The one function every page,
 * API answer and export ranks a territory with.
 */
export function publishedTally(
  plan: DisclosurePlan,
  node: TerritoryNode,
  counts: PlaceCounts,
  weighting: Weighting,
): TallyResult | null {
  if (!plan.published(node)) return null;
  return unitTally(plan, node, counts, weighting);
}

/** The tally of a territory's places grouped in the plan's units, withheld or not (tests, recounts). */
export function unitTally(
  plan: DisclosurePlan,
  node: TerritoryNode,
  counts: PlaceCounts,
  weighting: Weighting,
): TallyResult {
  const places = counts.places.filter((p) => p.ballots > 0 && inNode(node, p));
  const ballots: Record<string, number> = {};
  for (const p of places) {
    const unit = plan.unit(node, p);
    ballots[unit] = (ballots[unit] ?? 0) + p.ballots;
  }
  const rows: CountRow[] = [];
  for (const r of counts.rows) {
    const place = { cts: r.cts, arrondissement: r.arrondissement };
    if (inNode(node, place))
      rows.push({ proposal: r.proposal, arrondissement: plan.unit(node, place), cell: r.cell, count: r.count });
  }
  const aggregates = aggregatesFromRows({ method: counts.method, params: counts.params, ballots, rows });
  return tally({
    method: counts.method,
    proposals: counts.proposals,
    params: counts.params,
    weighting,
    populations: unitPopulations(plan, node, places, counts.populations),
    aggregates,
  } as Parameters<typeof tally>[0]);
}
