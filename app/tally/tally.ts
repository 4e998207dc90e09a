import { readParams, toDense } from "./aggregate";
import { weightsFor } from "./exact";
import { explanation } from "./explanation";
import { bordaPoints, rankDense, type Core } from "./rank";
import {
  GRADES,
  type ApprovalRow,
  type MajorityJudgmentRow,
  type Method,
  type RankedRow,
  type RowByMethod,
  type TallyOptions,
  type TallyResult,
} from "./types";

/** Code-unit order: used only to list tied or unranked proposals in a stable order, never to rank. */
const byId = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/**
 * Ranks proposals from ballots or from kept counts, raw or population-weighted, by the rules of
 * docs/domain.md#tally. The one function every view, export and API ranks with.
 *
 * @example tally({ method: "approval", proposals: ["p1", "p2"], ballots, weighting: "population", populations })
 */
export function tally<M extends Method>(options: TallyOptions<M>): TallyResult<M> {
  const rules = readParams(options.params);
  const weighting = options.weighting ?? "raw";
  const dense = toDense(options as TallyOptions, rules);
  const weights = weightsFor(dense, weighting, options.populations);
  const core = rankDense(dense, weights, rules);
  let ballots = 0;
  for (const n of dense.ballots) ballots += n;
  const rows = buildRows(options.method, dense.proposals, core, weights.total);
  return {
    method: options.method,
    weighting,
    ballots,
    totalWeight: weights.total,
    k: rules.k,
    quorum: rules.quorum,
    ranking: orderRows(rows) as RowByMethod[M][],
    explanation: explanation(options.method, weighting, rules),
  };
}

type AnyRow = ApprovalRow | MajorityJudgmentRow | RankedRow;

function buildRows(method: Method, proposals: readonly string[], core: Core, total: number): AnyRow[] {
  const { sums, ranks, status } = core;
  const C = sums.cells;
  const cells = (arr: Float64Array, p: number) => Array.from(arr.subarray(p * C, p * C + C));
  const rows: AnyRow[] = proposals.map((proposal, p) => {
    const rank = ranks[p]! > 0 ? ranks[p]! : null;
    const base = { proposal, rank, status: status[p]! };
    if (method === "approval") {
      const weight = sums.weighted[p]!;
      return {
        ...base,
        score: total > 0 ? weight / total : 0,
        selections: sums.counts[p]!,
        weight,
      } satisfies ApprovalRow;
    }
    if (method === "ranked") {
      let pts = 0;
      for (let c = 0; c < C; c++) pts += bordaPoints(C, c) * sums.weighted[p * C + c]!;
      return {
        ...base,
        score: total > 0 ? pts / total : 0,
        points: pts,
        positions: cells(sums.counts, p),
      } satisfies RankedRow;
    }
    const counts = cells(sums.counts, p);
    const weighted = cells(sums.weighted, p);
    const grades = counts.reduce((s, v) => s + v, 0);
    const wTotal = weighted.reduce((s, v) => s + v, 0);
    const shares = weighted.map((v) => (wTotal > 0 ? v / wTotal : 0));
    const m = core.majority[p];
    return {
      ...base,
      majorityGrade: m ? GRADES[m.grade]! : null,
      gauge: m ? (m.plus ? "+" : "-") : null,
      p: m ? m.above / m.total : 0,
      q: m ? m.below / m.total : 0,
      grades,
      profile: { counts, shares },
    } satisfies MajorityJudgmentRow;
  });
  // Exactly tied proposals show the same figure: floats of equal rationals can differ in the last
  // bit (weighted), and "0.3333333333333333" next to "0.33333333333333337" would look like a tie break.
  const order = core.order;
  for (let i = 1; i < order.length; i++) {
    const prev = rows[order[i - 1]!]!;
    const row = rows[order[i]!]!;
    if (row.rank !== prev.rank) continue;
    if ("score" in row && "score" in prev) {
      row.score = prev.score;
      if ("weight" in row && "weight" in prev) row.weight = prev.weight;
      if ("points" in row && "points" in prev) row.points = prev.points;
    } else if ("gauge" in row && "gauge" in prev) {
      if (row.gauge === "+") row.p = prev.p;
      else row.q = prev.q;
    }
  }
  return rows;
}

function orderRows(rows: AnyRow[]): AnyRow[] {
  return rows.slice().sort((a, b) => {
    if (a.rank !== null && b.rank !== null) return a.rank - b.rank || byId(a.proposal, b.proposal);
    if (a.rank !== null) return -1;
    if (b.rank !== null) return 1;
    return byId(a.proposal, b.proposal);
  });
}
