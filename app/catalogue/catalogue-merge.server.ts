import type { Kysely } from "kysely";
import type { BallotChannel, Database } from "../../db/schema";
import type { BallotContent } from "../ballots/ballot-content";
import { applyChanges, type CellChange } from "../ballots/ballots.server";

/**
 * A ballot's content once the entries `into` maps are merged (old id → the id it was merged into),
 * each proposal counted once: a resident who had selected both keeps one selection; in a ranking
 * the merged entry keeps its best place; a grade already given to the kept entry stays, otherwise
 * the merged entry's grade moves to it. Null when nothing changes.
 */
export function mergeContent(content: BallotContent, into: ReadonlyMap<string, string>): BallotContent | null {
  const to = (id: string) => into.get(id) ?? id;
  if ("selections" in content) {
    if (!content.selections.some((id) => into.has(id))) return null;
    return { selections: [...new Set(content.selections.map(to))].sort() };
  }
  if ("order" in content) {
    if (!content.order.some((id) => into.has(id))) return null;
    return { order: [...new Set(content.order.map(to))] };
  }
  if (!Object.keys(content.grades).some((id) => into.has(id))) return null;
  const grades: Record<string, (typeof content.grades)[string]> = {};
  for (const [id, grade] of Object.entries(content.grades)) if (!into.has(id)) grades[id] = grade;
  for (const [id, grade] of Object.entries(content.grades)) if (into.has(id)) grades[to(id)] ??= grade;
  return { grades: Object.fromEntries(Object.entries(grades).sort(([a], [b]) => (a < b ? -1 : 1))) };
}

/**
 * Moves what residents attached to merged entries onto the entries they were merged into, before
 * the merged entries are deleted: ballots (rewritten with `mergeContent`, the kept counts changed
 * by the same write path as a vote, so they stay equal to a recount) and comments and association
 * contributions (which would otherwise go with the deleted entry). Runs inside the catalogue load's
 * transaction.
 */
export async function carryOverMerged(
  db: Kysely<Database>,
  consultationId: string,
  into: ReadonlyMap<string, string>,
): Promise<{ ballots: number; comments: number; contributions: number }> {
  if (into.size === 0) return { ballots: 0, comments: 0, contributions: 0 };
  const ballots = await db
    .selectFrom("ballots")
    .select(["id", "content", "channel", "arrondissement_code", "cts_code"])
    .where("consultation_id", "=", consultationId)
    .orderBy("id")
    .execute();
  const changes = new Map<BallotChannel, CellChange[]>();
  let changed = 0;
  for (const ballot of ballots) {
    const before = JSON.parse(ballot.content) as BallotContent;
    const after = mergeContent(before, into);
    if (!after) continue;
    const where = { arrondissement: ballot.arrondissement_code, cts: ballot.cts_code };
    const list = changes.get(ballot.channel) ?? [];
    list.push({ where, content: before, sign: -1 }, { where, content: after, sign: 1 });
    changes.set(ballot.channel, list);
    await db
      .updateTable("ballots")
      .set({ content: JSON.stringify(after) })
      .where("id", "=", ballot.id)
      .execute();
    changed++;
  }
  for (const [channel, list] of changes) await applyChanges(db, consultationId, channel, list);
  let comments = 0;
  let contributions = 0;
  for (const [from, to] of into) {
    const c = await db
      .updateTable("comments")
      .set({ proposal_id: to })
      .where("proposal_id", "=", from)
      .executeTakeFirst();
    comments += Number(c.numUpdatedRows);
    const k = await db
      .updateTable("contributions")
      .set({ proposal_id: to })
      .where("proposal_id", "=", from)
      .executeTakeFirst();
    contributions += Number(k.numUpdatedRows);
  }
  return { ballots: changed, comments, contributions };
}
