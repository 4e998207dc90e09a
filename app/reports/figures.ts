// How a ranking row reads, in the page, the CSV, the XLSX and the PDF alike. No server code here:
// the report page's components use it too.
import { GRADE_LABELS, GRADES, SMALL_GROUP_THRESHOLD, type Method, type RowByMethod, type TallyResult } from "../tally";

export type AnyRow = RowByMethod[Method];

const percent = new Intl.NumberFormat("fr-FR", { style: "percent", maximumFractionDigits: 1 });
const decimal = new Intl.NumberFormat("fr-FR", { maximumFractionDigits: 2 });

export function formatPercent(share: number): string {
  return percent.format(share);
}

const rate = new Intl.NumberFormat("fr-FR", { style: "percent", maximumSignificantDigits: 2 });

/**
 * A participation rate: two significant digits, so small rates stay apart ("0,045 %" and
 * "0,12 %", where one decimal would print "0 %" and "0,1 %" for both).
 */
export function formatRate(share: number): string {
  return rate.format(share);
}

export function formatDecimal(n: number): string {
  return decimal.format(n);
}

const round = (n: number, digits: number) => Math.round(n * 10 ** digits) / 10 ** digits;

/** The row's result in words: "42,5 % des bulletins", "Très prioritaire +", "3,2 points par bulletin". */
export function rowFigure(method: Method, row: AnyRow): string {
  if (row.status === "no_ballots") return "aucun bulletin";
  if (method === "approval") return `${formatPercent((row as RowByMethod["approval"]).score)} des bulletins`;
  if (method === "ranked") return `${formatDecimal((row as RowByMethod["ranked"]).score)} points par bulletin`;
  const mj = row as RowByMethod["majority_judgment"];
  if (!mj.majorityGrade) return "pas assez d’avis";
  return `${GRADE_LABELS[mj.majorityGrade]} ${mj.gauge === "+" ? "+" : "−"}`;
}

/** The method's figures as spreadsheet columns: numbers stay numbers. */
export function figureColumns(method: Method, weighted: boolean): string[] {
  const w = weighted ? " (pondérée)" : "";
  if (method === "approval") return [`Part des bulletins qui la retiennent${w} (%)`, "Bulletins qui la retiennent"];
  if (method === "ranked") return [`Points par bulletin${w}`, `Points${weighted ? " pondérés" : ""}`];
  return ["Mention majoritaire", `Part d’avis meilleurs${w} (%)`, `Part d’avis moins bons${w} (%)`, "Nombre d’avis"];
}

export function figureValues(method: Method, row: AnyRow): (string | number)[] {
  if (method === "approval") {
    const r = row as RowByMethod["approval"];
    return [round(r.score * 100, 2), r.selections];
  }
  if (method === "ranked") {
    const r = row as RowByMethod["ranked"];
    return [round(r.score, 4), round(r.points, 2)];
  }
  const r = row as RowByMethod["majority_judgment"];
  return [
    r.majorityGrade ? GRADE_LABELS[r.majorityGrade] : "pas assez d’avis",
    round(r.p * 100, 2),
    round(r.q * 100, 2),
    r.grades,
  ];
}

export interface Segment {
  label: string;
  count: number;
  share: number;
}

/**
 * How a proposal's ballots split, for a stacked bar: the grade profile (majority judgment), the
 * places given (ranked), or for and not (approval).
 */
export function distribution(method: Method, row: AnyRow, ballots: number, k: number): Segment[] {
  if (method === "approval") {
    const r = row as RowByMethod["approval"];
    const share = ballots ? r.selections / ballots : 0;
    return [
      { label: "La retiennent", count: r.selections, share },
      { label: "Ne la retiennent pas", count: ballots - r.selections, share: ballots ? 1 - share : 0 },
    ];
  }
  if (method === "ranked") {
    const r = row as RowByMethod["ranked"];
    const placed = r.positions.reduce((a, b) => a + b, 0);
    return [
      ...Array.from({ length: k }, (_, i) => ({
        label: i === 0 ? "1re place" : `${i + 1}e place`,
        count: r.positions[i] ?? 0,
        share: ballots ? (r.positions[i] ?? 0) / ballots : 0,
      })),
      { label: "Non classée", count: ballots - placed, share: ballots ? (ballots - placed) / ballots : 0 },
    ];
  }
  const r = row as RowByMethod["majority_judgment"];
  return GRADES.map((g, i) => ({
    label: GRADE_LABELS[g],
    count: r.profile.counts[i] ?? 0,
    share: r.grades ? (r.profile.counts[i] ?? 0) / r.grades : 0,
  }));
}

/** The first `n` ranks of a ranking (ties included), or nothing under the small-group threshold. */
export function firstPriorities(result: TallyResult, title: (id: string) => string, n = 3) {
  if (result.ballots < SMALL_GROUP_THRESHOLD) return [];
  return result.ranking
    .filter((r) => r.rank !== null && r.rank <= n)
    .map((r) => ({ rank: r.rank!, title: title(r.proposal), figure: rowFigure(result.method, r) }));
}
