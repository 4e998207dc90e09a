import { z } from "zod";
import { GRADES, type ContentByMethod, type Method } from "../tally/types";

export type BallotContent = ContentByMethod[Method];

/** The rules a ballot's content must follow in one consultation. */
export interface BallotRules {
  method: Method;
  /** Approval: most selections; ranked: places. */
  k: number;
  /** The consultation's proposal ids. */
  proposals: ReadonlySet<string>;
}

export class BallotContentError extends Error {}

const ids = z.array(z.string().min(1).max(100)).max(500);
const schemas = {
  approval: z.object({ selections: ids }).strict(),
  majority_judgment: z.object({ grades: z.record(z.string().min(1).max(100), z.enum(GRADES)) }).strict(),
  ranked: z.object({ order: ids }).strict(),
};

/**
 * Checks a ballot's content against the consultation (method, K, its proposals) and returns it in
 * a canonical form (sorted selections, grades by id) so that the same vote is always the same
 * JSON. Throws BallotContentError with a French message.
 */
export function validateContent(rules: BallotRules, content: unknown): BallotContent {
  const parsed = schemas[rules.method].safeParse(content);
  if (!parsed.success) throw new BallotContentError("Bulletin illisible pour cette consultation.");
  const unknown = (id: string) => {
    if (!rules.proposals.has(id))
      throw new BallotContentError("Ce bulletin cite une proposition qui n’appartient pas à cette consultation.");
  };
  if (rules.method === "approval") {
    const { selections } = parsed.data as ContentByMethod["approval"];
    if (new Set(selections).size !== selections.length)
      throw new BallotContentError("Une proposition est choisie deux fois.");
    selections.forEach(unknown);
    if (selections.length > rules.k) {
      throw new BallotContentError(
        `Vous pouvez choisir au plus ${rules.k} priorités : retirez-en une avant d’en ajouter une autre.`,
      );
    }
    return { selections: [...selections].sort() };
  }
  if (rules.method === "majority_judgment") {
    const { grades } = parsed.data as ContentByMethod["majority_judgment"];
    Object.keys(grades).forEach(unknown);
    return { grades: Object.fromEntries(Object.entries(grades).sort(([a], [b]) => (a < b ? -1 : 1))) };
  }
  const { order } = parsed.data as ContentByMethod["ranked"];
  if (new Set(order).size !== order.length)
    throw new BallotContentError("Une proposition apparaît deux fois dans votre classement.");
  order.forEach(unknown);
  if (order.length > rules.k) throw new BallotContentError(`Vous pouvez classer au plus ${rules.k} propositions.`);
  return { order: [...order] };
}

/**
 * What a ballot counts as. An empty one (nothing selected, graded or ranked) is no ballot: online
 * it withdraws the resident's ballot, on paper it is a blank ballot left out of the counts, where
 * it would only lower every proposal's share. One rule for both channels (docs/domain.md).
 */
export function countedContent(content: BallotContent): BallotContent | null {
  const empty =
    "selections" in content
      ? content.selections.length === 0
      : "grades" in content
        ? Object.keys(content.grades).length === 0
        : content.order.length === 0;
  return empty ? null : content;
}

/** The kept-count cells a ballot adds to: [proposal, cell] pairs (see ballot_counts.cell). */
export function contentCells(content: BallotContent): [string, number][] {
  if ("selections" in content) return content.selections.map((id) => [id, 0]);
  if ("grades" in content) return Object.entries(content.grades).map(([id, grade]) => [id, GRADES.indexOf(grade)]);
  return content.order.map((id, i) => [id, i + 1]);
}
