import type { Kysely } from "kysely";
import type { AnswerStatus, Database } from "../../db/schema";
import { ctsRanking, publishedAnswers } from "./answers.server";
import { TOP_N } from "./labels";

export interface CtsFollowUp {
  code: string;
  name: string;
  /** Published answers, all proposals. */
  answered: number;
  /** Proposals in the CTS's first TOP_N (0 when too few ballots to rank). */
  top: number;
  /** Those proposals with their answer's status (null: no published answer). */
  topList: { slug: string; title: string; rank: number; status: AnswerStatus | null }[];
  /** Of those, with a published answer. */
  topAnswered: number;
  /** topAnswered / top; null without a ranking. */
  share: number | null;
  /** The first TOP_N that have no published answer yet (silence made visible). */
  unanswered: { slug: string; title: string; rank: number }[];
}

/** For each CTS a consultation covers: how many of its first ten priorities it has answered. */
export async function ctsFollowUp(db: Kysely<Database>, consultationId: string): Promise<CtsFollowUp[]> {
  const consultation = await db
    .selectFrom("consultations")
    .select(["id", "method", "method_params", "status", "region_code", "cts_code"])
    .where("id", "=", consultationId)
    .executeTakeFirstOrThrow();
  let territories = db
    .selectFrom("cts_territories")
    .select(["code", "name"])
    .where("region_code", "=", consultation.region_code);
  if (consultation.cts_code) territories = territories.where("code", "=", consultation.cts_code);
  const [list, answered] = await Promise.all([
    territories.orderBy("name").execute(),
    publishedAnswers(db, { consultationId }),
  ]);
  const byCts = new Map<string, Map<string, AnswerStatus>>();
  for (const [proposalId, answers] of answered) {
    for (const a of answers) {
      const map = byCts.get(a.ctsCode) ?? new Map<string, AnswerStatus>();
      map.set(proposalId, a.current.status);
      byCts.set(a.ctsCode, map);
    }
  }
  return Promise.all(
    list.map(async (t) => {
      const ranking = await ctsRanking(db, consultation, t.code);
      const own = byCts.get(t.code) ?? new Map<string, AnswerStatus>();
      const top = ranking.rows.filter((r) => r.rank !== null && r.rank <= TOP_N);
      const topAnswered = top.filter((r) => own.has(r.id)).length;
      return {
        code: t.code,
        name: t.name,
        answered: own.size,
        top: top.length,
        topList: top.map((r) => ({ slug: r.slug, title: r.title, rank: r.rank!, status: own.get(r.id) ?? null })),
        topAnswered,
        share: top.length ? topAnswered / top.length : null,
        unanswered: top.filter((r) => !own.has(r.id)).map((r) => ({ slug: r.slug, title: r.title, rank: r.rank! })),
      };
    }),
  );
}
