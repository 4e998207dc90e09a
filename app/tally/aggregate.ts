// Ballots → kept counts. Every input goes through here, so a malformed ballot or count is refused
// in one place, and the ranking code only ever sees a dense table of counts.
import {
  DEFAULT_K,
  DEFAULT_QUORUM,
  GRADES,
  TallyInputError,
  type Aggregates,
  type ArrondissementCounts,
  type Ballot,
  type Grade,
  type Method,
  type TallyOptions,
  type TallyParams,
} from "./types";

const GRADE_INDEX: ReadonlyMap<string, number> = new Map(GRADES.map((g, i) => [g, i]));

/**
 * The dense form the ranking works on. Arrondissements are sorted by code so that floating-point
 * sums are computed in the same order whatever the order of the ballots or of the aggregates.
 * `counts[(a * proposals.length + p) * cells + c]`.
 */
export type Dense = {
  method: Method;
  proposals: readonly string[];
  arrondissements: readonly string[];
  cells: number;
  ballots: Float64Array;
  counts: Float64Array;
};

export type Rules = { k: number; quorum: number };

export function readParams(params: TallyParams | undefined): Rules {
  const k = params?.k ?? DEFAULT_K;
  const quorum = params?.quorum ?? DEFAULT_QUORUM;
  if (!Number.isSafeInteger(k) || k < 1)
    throw new TallyInputError(`K doit être un entier positif (reçu ${String(k)}).`);
  if (!Number.isSafeInteger(quorum) || quorum < 0)
    throw new TallyInputError(`Le quorum doit être un entier positif ou nul (reçu ${String(quorum)}).`);
  return { k, quorum };
}

export function cellsFor(method: Method, k: number): number {
  return method === "approval" ? 1 : method === "majority_judgment" ? GRADES.length : k;
}

export function indexProposals(proposals: readonly string[]): Map<string, number> {
  const index = new Map<string, number>();
  proposals.forEach((id, i) => {
    if (typeof id !== "string") throw new TallyInputError("Identifiant de proposition invalide.");
    if (index.has(id)) throw new TallyInputError(`Proposition en double dans la liste : « ${id} ».`);
    index.set(id, i);
  });
  return index;
}

/**
 * Calls `visit(p * cells + c)` for each cell a ballot fills, after checking the ballot: a known
 * grade, no proposal twice, at most K selections or places. Ids outside `index` are skipped (the
 * caller ranks a list of proposals), but ranked places stay as cast: a proposal ranked second after
 * an unknown id still gets the second place's points.
 */
export function visitBallot(
  method: Method,
  ballot: Ballot,
  index: ReadonlyMap<string, number>,
  k: number,
  visit: (cell: number) => void,
): void {
  if (
    typeof ballot !== "object" ||
    ballot === null ||
    typeof ballot.arrondissement !== "string" ||
    ballot.arrondissement === ""
  ) {
    throw new TallyInputError("Bulletin sans arrondissement.");
  }
  const content = ballot.content as unknown;
  if (typeof content !== "object" || content === null) throw new TallyInputError("Bulletin sans contenu.");
  if (method === "majority_judgment") {
    const grades = (content as { grades?: unknown }).grades;
    if (typeof grades !== "object" || grades === null || Array.isArray(grades))
      throw new TallyInputError("Bulletin de jugement majoritaire sans mentions.");
    for (const [id, grade] of Object.entries(grades as Record<string, unknown>)) {
      const g = typeof grade === "string" ? GRADE_INDEX.get(grade) : undefined;
      if (g === undefined) throw new TallyInputError(`Mention inconnue : « ${String(grade)} ».`);
      const p = index.get(id);
      if (p !== undefined) visit(p * GRADES.length + g);
    }
    return;
  }
  const list =
    method === "approval" ? (content as { selections?: unknown }).selections : (content as { order?: unknown }).order;
  if (!Array.isArray(list))
    throw new TallyInputError(
      method === "approval" ? "Bulletin d’approbation sans sélection." : "Bulletin de classement sans ordre.",
    );
  if (list.length > k) throw new TallyInputError(`Bulletin avec ${list.length} propositions pour ${k} au plus.`);
  for (let i = 0; i < list.length; i++) {
    const id: unknown = list[i];
    if (typeof id !== "string") throw new TallyInputError("Identifiant de proposition invalide dans un bulletin.");
    for (let j = 0; j < i; j++)
      if (list[j] === id) throw new TallyInputError(`Proposition « ${id} » deux fois dans un bulletin.`);
    const p = index.get(id);
    if (p !== undefined) visit(method === "approval" ? p : p * k + i);
  }
}

function denseFromBallots(method: Method, proposals: readonly string[], ballots: readonly Ballot[], k: number): Dense {
  const index = indexProposals(proposals);
  const cells = cellsFor(method, k);
  const codes = [...new Set(ballots.map((b) => b?.arrondissement))]
    .filter((c): c is string => typeof c === "string")
    .sort();
  const arrIndex = new Map(codes.map((c, i) => [c, i]));
  const stride = proposals.length * cells;
  const counts = new Float64Array(codes.length * stride);
  const perArr = new Float64Array(codes.length);
  for (const ballot of ballots) {
    const a = arrIndex.get(ballot?.arrondissement);
    if (a === undefined) throw new TallyInputError("Bulletin sans arrondissement.");
    perArr[a]! += 1;
    const base = a * stride;
    visitBallot(method, ballot, index, k, (cell) => {
      counts[base + cell]! += 1;
    });
  }
  return { method, proposals, arrondissements: codes, cells, ballots: perArr, counts };
}

const isCount = (n: unknown): n is number => typeof n === "number" && Number.isSafeInteger(n) && n >= 0;

function denseFromAggregates(method: Method, proposals: readonly string[], aggregates: Aggregates, k: number): Dense {
  if (aggregates.method !== method)
    throw new TallyInputError(`Agrégats de la méthode ${aggregates.method} pour un dépouillement ${method}.`);
  const cells = cellsFor(method, k);
  if (aggregates.cells !== cells)
    throw new TallyInputError(`Agrégats à ${aggregates.cells} cases par proposition, ${cells} attendues.`);
  const index = indexProposals(proposals);
  const codes = Object.keys(aggregates.arrondissements).sort();
  const stride = proposals.length * cells;
  const counts = new Float64Array(codes.length * stride);
  const perArr = new Float64Array(codes.length);
  codes.forEach((code, a) => {
    const entry = aggregates.arrondissements[code] as ArrondissementCounts;
    if (!isCount(entry?.ballots))
      throw new TallyInputError(`Nombre de bulletins invalide pour l’arrondissement ${code}.`);
    perArr[a] = entry.ballots;
    for (const [id, values] of Object.entries(entry.counts ?? {})) {
      const p = index.get(id);
      if (p === undefined) continue;
      if (!Array.isArray(values) || values.length !== cells || !values.every(isCount)) {
        throw new TallyInputError(`Comptes invalides pour « ${id} » dans l’arrondissement ${code}.`);
      }
      // A ballot fills at most one cell per proposal: more than `ballots` in all means corrupt counts.
      if (values.reduce((s, v) => s + v, 0) > entry.ballots) {
        throw new TallyInputError(`Plus de comptes que de bulletins pour « ${id} » dans l’arrondissement ${code}.`);
      }
      counts.set(values, (a * proposals.length + p) * cells);
    }
  });
  return { method, proposals, arrondissements: codes, cells, ballots: perArr, counts };
}

export function toDense(options: TallyOptions, rules: Rules): Dense {
  const { method, proposals } = options;
  if (options.ballots) return denseFromBallots(method, proposals, options.ballots, rules.k);
  if (options.aggregates) return denseFromAggregates(method, proposals, options.aggregates, rules.k);
  throw new TallyInputError("Ni bulletins ni agrégats à dépouiller.");
}

function aggregatesOf<M extends Method>(dense: Dense): Aggregates<M> {
  const { proposals, cells } = dense;
  const arrondissements: Record<string, ArrondissementCounts> = {};
  dense.arrondissements.forEach((code, a) => {
    const counts: Record<string, number[]> = {};
    proposals.forEach((id, p) => {
      const start = (a * proposals.length + p) * cells;
      const values = Array.from(dense.counts.subarray(start, start + cells));
      if (values.some((v) => v > 0)) counts[id] = values;
    });
    arrondissements[code] = { ballots: dense.ballots[a]!, counts };
  });
  return { method: dense.method as M, cells, arrondissements };
}

/**
 * Kept counts from ballots (what the database maintains as ballots are cast), for the given
 * proposals. Only proposals with a non-zero cell are listed per arrondissement.
 *
 * @example aggregateBallots("approval", ["p1", "p2"], [{ arrondissement: "141", content: { selections: ["p1"] } }])
 * // → { method: "approval", cells: 1, arrondissements: { "141": { ballots: 1, counts: { p1: [1] } } } }
 */
export function aggregateBallots<M extends Method>(
  method: M,
  proposals: readonly string[],
  ballots: readonly Ballot<M>[],
  params?: TallyParams,
): Aggregates<M> {
  const { k } = readParams(params);
  return aggregatesOf<M>(denseFromBallots(method, proposals, ballots, k));
}

export type CountRow = {
  proposal: string;
  arrondissement: string;
  /** approval: 0; majority_judgment: the grade (or its index in GRADES); ranked: the place, 1 … K. */
  cell: number | Grade;
  count: number;
};

/**
 * Kept counts from database rows: one row per (proposal, arrondissement, cell) and the number of
 * ballots per arrondissement. Rows for the same key add up.
 *
 * @example aggregatesFromRows({ method: "ranked", params: { k: 3 }, ballots: { "141": 2 },
 *   rows: [{ proposal: "p1", arrondissement: "141", cell: 1, count: 2 }] })
 */
export function aggregatesFromRows<M extends Method>(input: {
  method: M;
  params?: TallyParams;
  ballots: Readonly<Record<string, number>>;
  rows: Iterable<CountRow>;
}): Aggregates<M> {
  const { method } = input;
  const { k } = readParams(input.params);
  const cells = cellsFor(method, k);
  const arrondissements: Record<string, { ballots: number; counts: Record<string, number[]> }> = {};
  for (const [code, n] of Object.entries(input.ballots)) {
    if (!isCount(n)) throw new TallyInputError(`Nombre de bulletins invalide pour l’arrondissement ${code}.`);
    arrondissements[code] = { ballots: n, counts: {} };
  }
  for (const row of input.rows) {
    const entry = arrondissements[row.arrondissement];
    if (!entry)
      throw new TallyInputError(`Comptes pour l’arrondissement ${row.arrondissement}, sans nombre de bulletins.`);
    const c =
      method === "approval"
        ? row.cell === 0
          ? 0
          : -1
        : method === "majority_judgment"
          ? typeof row.cell === "string"
            ? (GRADE_INDEX.get(row.cell) ?? -1)
            : row.cell
          : typeof row.cell === "number"
            ? row.cell - 1
            : -1;
    if (!Number.isInteger(c) || c < 0 || c >= cells)
      throw new TallyInputError(`Case inconnue « ${String(row.cell)} » pour « ${row.proposal} ».`);
    if (!isCount(row.count)) throw new TallyInputError(`Compte invalide pour « ${row.proposal} ».`);
    const values = (entry.counts[row.proposal] ??= new Array<number>(cells).fill(0));
    values[c]! += row.count;
  }
  return { method, cells, arrondissements };
}
