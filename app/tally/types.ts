// The tally engine's vocabulary. Nothing here imports anything: the engine is plain TypeScript so
// that every view, export and API ranks with the same functions (docs/domain.md#tally).

export const METHODS = ["approval", "majority_judgment", "ranked"] as const;
export type Method = (typeof METHODS)[number];

/** Majority-judgment grades, best → worst. Their index (0 = best) is the grade's cell in aggregates. */
export const GRADES = [
  "priorite_absolue",
  "tres_prioritaire",
  "prioritaire",
  "peu_prioritaire",
  "pas_prioritaire",
] as const;
export type Grade = (typeof GRADES)[number];

export const GRADE_LABELS: Readonly<Record<Grade, string>> = {
  priorite_absolue: "Priorité absolue",
  tres_prioritaire: "Très prioritaire",
  prioritaire: "Prioritaire",
  peu_prioritaire: "Peu prioritaire",
  pas_prioritaire: "Pas prioritaire",
};

export const DEFAULT_K = 5;
export const DEFAULT_QUORUM = 10;

export type ApprovalContent = { selections: readonly string[] };
export type MajorityJudgmentContent = { grades: Readonly<Record<string, Grade>> };
/** First = most important. */
export type RankedContent = { order: readonly string[] };

export interface ContentByMethod {
  approval: ApprovalContent;
  majority_judgment: MajorityJudgmentContent;
  ranked: RankedContent;
}

/** A ballot as the tally sees it: no voter, only the arrondissement it was cast from. */
export type Ballot<M extends Method = Method> = { arrondissement: string; content: ContentByMethod[M] };

export type Weighting = "raw" | "population";

/** A consultation's `method_params`: K (approval: most selections; ranked: places) and the MJ quorum. */
export type TallyParams = { k?: number; quorum?: number };

/**
 * Kept counts, so that a ranking costs proposals × arrondissements instead of ballots. For each
 * arrondissement: how many ballots were cast from it, and per proposal its **cells**:
 * - approval: `[ballots selecting it]`;
 * - majority_judgment: 5 cells, ballots giving each grade in `GRADES` order (best first);
 * - ranked: K cells, ballots putting it at place 1 … K.
 * A proposal absent from `counts` has only zeros. The database keeps one row per
 * (proposal, arrondissement, cell); `aggregatesFromRows` builds this shape from them.
 */
export type Aggregates<M extends Method = Method> = {
  method: M;
  /** Number of cells per proposal: 1, 5 or K. */
  cells: number;
  arrondissements: Readonly<Record<string, ArrondissementCounts>>;
};
export type ArrondissementCounts = { ballots: number; counts: Readonly<Record<string, readonly number[]>> };

type TallyCommon<M extends Method> = {
  method: M;
  /** The proposals to rank; ballot entries naming other ids are ignored. */
  proposals: readonly string[];
  params?: TallyParams;
  /** Default "raw". "population" needs `populations` for every arrondissement that has ballots. */
  weighting?: Weighting;
  /** INSEE municipal population per arrondissement code (positive integers). */
  populations?: Readonly<Record<string, number>>;
};

export type TallyOptions<M extends Method = Method> = TallyCommon<M> &
  ({ ballots: readonly Ballot<M>[]; aggregates?: never } | { aggregates: Aggregates<M>; ballots?: never });

/** The options of a tally without its input: what the bootstrap re-tallies with. */
export type TallyRules<M extends Method = Method> = TallyCommon<M>;

/**
 * - ranked: has a rank;
 * - not_enough_grades: majority judgment, fewer grades than the quorum ("pas assez d'avis");
 * - no_ballots: nothing to rank with (no ballot at all).
 */
export type RowStatus = "ranked" | "not_enough_grades" | "no_ballots";

export const STATUS_LABELS: Readonly<Record<RowStatus, string>> = {
  ranked: "classée",
  not_enough_grades: "pas assez d’avis",
  no_ballots: "aucun bulletin",
};

type RowBase = {
  proposal: string;
  /** 1 = first; exact ties share a rank (1, 2, 2, 4); null when unranked. */
  rank: number | null;
  status: RowStatus;
};

export type ApprovalRow = RowBase & {
  /** Share of ballots (raw) or of the total weight (weighted) selecting the proposal, 0…1. */
  score: number;
  /** Ballots selecting it (always a count, even when weighted). */
  selections: number;
  /** Weight of those ballots (= selections when raw). */
  weight: number;
};

export type MajorityJudgmentRow = RowBase & {
  majorityGrade: Grade | null;
  /** "+" when p > q, "-" otherwise; null without a majority grade. */
  gauge: "+" | "-" | null;
  /** Share of the proposal's grades strictly above / below its majority grade (weighted shares when weighted). */
  p: number;
  q: number;
  /** Number of grades the proposal received (the quorum counts these, never weight). */
  grades: number;
  /** Per grade, best first: counts of grades, and shares of the proposal's grades (weighted when weighted). */
  profile: { counts: number[]; shares: number[] };
};

export type RankedRow = RowBase & {
  /** Borda points per ballot (raw) or weighted points per unit of weight (weighted). */
  score: number;
  /** Total points (weighted points when weighted). */
  points: number;
  /** Ballots putting it at place 1 … K (counts). */
  positions: number[];
};

export interface RowByMethod {
  approval: ApprovalRow;
  majority_judgment: MajorityJudgmentRow;
  ranked: RankedRow;
}

export type TallyResult<M extends Method = Method> = {
  method: M;
  weighting: Weighting;
  /** Ballots counted (a count, also when weighted). */
  ballots: number;
  /** Σ weights: = ballots when raw; Σ population of the arrondissements that have ballots when weighted. */
  totalWeight: number;
  k: number;
  quorum: number;
  /** Ranked proposals by rank (tied ones by id, for display only), then unranked ones by id. */
  ranking: RowByMethod[M][];
  /** One French sentence saying how ranks were decided. */
  explanation: string;
};

/** Input the tally refuses to count (it would change the arithmetic silently otherwise). */
export class TallyInputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "TallyInputError";
  }
}
