import type { Kysely } from "kysely";
import type { Database } from "../../db/schema";
import { GRADES, type ContentByMethod, type Method } from "../tally/types";

// What is kept of a ballot for a person who asked to be told what became of their priorities.
// Closing a consultation removes the ballots' user link for good; to tell them afterwards we keep,
// for them only, the territory their ballot counted in and the proposals they chose (not their
// grades or order). Turning the wish off, or deleting the account, removes it.

/** The proposals a ballot chose: approved, ranked, or graded in the two best grades. */
export function chosenProposals(content: ContentByMethod[Method]): string[] {
  if ("selections" in content) return [...content.selections];
  if ("order" in content) return [...content.order];
  const best = new Set<string>(GRADES.slice(0, 2));
  return Object.entries(content.grades)
    .filter(([, grade]) => best.has(grade))
    .map(([id]) => id);
}

export async function wantsNotices(db: Kysely<Database>, userId: string): Promise<boolean> {
  const row = await db
    .selectFrom("answer_notice_optins")
    .select("user_id")
    .where("user_id", "=", userId)
    .executeTakeFirst();
  return !!row;
}

/**
 * Called by ballot casting, inside its transaction: for a person who asked to be told, keeps (or
 * replaces, or on withdrawal removes) what their notice will need; for anyone else, nothing.
 */
export async function keepNoticeChoices(
  trx: Kysely<Database>,
  input: {
    consultationId: string;
    userId: string;
    ctsCode: string;
    content: ContentByMethod[Method] | null;
    now: string;
  },
): Promise<void> {
  if (!(await wantsNotices(trx, input.userId))) return;
  if (!input.content) {
    await trx
      .deleteFrom("answer_notice_choices")
      .where("consultation_id", "=", input.consultationId)
      .where("user_id", "=", input.userId)
      .execute();
    return;
  }
  const proposalIds = JSON.stringify(chosenProposals(input.content));
  await trx
    .insertInto("answer_notice_choices")
    .values({
      consultation_id: input.consultationId,
      user_id: input.userId,
      cts_code: input.ctsCode,
      proposal_ids: proposalIds,
      updated_at: input.now,
    })
    .onConflict((oc) =>
      oc
        .columns(["consultation_id", "user_id"])
        .doUpdateSet({ cts_code: input.ctsCode, proposal_ids: proposalIds, updated_at: input.now }),
    )
    .execute();
}

/**
 * Turns the wish to be told on or off. On: the person's ballots still linked to them (vote not
 * closed) are kept at once, so asking after voting works too. Off: everything kept for it goes.
 */
export async function setNoticeWish(db: Kysely<Database>, userId: string, on: boolean, now = new Date()) {
  const iso = now.toISOString();
  await db.transaction().execute(async (trx) => {
    // A new version of the person's row: a vote written at once (changeBallot) that read the wish
    // before this change is decided again, and one that locked the row first is seen below.
    await trx.updateTable("users").set({ updated_at: iso }).where("id", "=", userId).execute();
    if (!on) {
      await trx.deleteFrom("answer_notice_optins").where("user_id", "=", userId).execute();
      await trx.deleteFrom("answer_notice_choices").where("user_id", "=", userId).execute();
      return;
    }
    await trx
      .insertInto("answer_notice_optins")
      .values({ user_id: userId, created_at: iso })
      .onConflict((oc) => oc.column("user_id").doNothing())
      .execute();
    const ballots = await trx
      .selectFrom("ballots")
      .select(["consultation_id", "cts_code", "content"])
      .where("user_id", "=", userId)
      .execute();
    for (const b of ballots) {
      await keepNoticeChoices(trx, {
        consultationId: b.consultation_id,
        userId,
        ctsCode: b.cts_code,
        content: JSON.parse(b.content) as ContentByMethod[Method],
        now: iso,
      });
    }
  });
}

/** What is kept for the notices, as the person's own data file gives it (right of access). */
export async function noticeDataOf(db: Kysely<Database>, userId: string) {
  const [optin, choices, sent] = await Promise.all([
    db.selectFrom("answer_notice_optins").select("created_at").where("user_id", "=", userId).executeTakeFirst(),
    db
      .selectFrom("answer_notice_choices as c")
      .innerJoin("consultations as k", "k.id", "c.consultation_id")
      .select(["k.slug", "c.cts_code", "c.proposal_ids", "c.updated_at"])
      .where("c.user_id", "=", userId)
      .execute(),
    db
      .selectFrom("answer_notices_sent as s")
      .innerJoin("cts_answer_publications as p", "p.id", "s.publication_id")
      .innerJoin("consultations as k", "k.id", "p.consultation_id")
      .select(["k.slug", "p.cts_code", "p.number", "s.sent_at"])
      .where("s.user_id", "=", userId)
      .execute(),
  ]);
  return {
    demandeLe: optin?.created_at ?? null,
    choixGardes: choices.map((c) => ({
      consultation: c.slug,
      cts: c.cts_code,
      propositions: JSON.parse(c.proposal_ids) as string[],
      modifieLe: c.updated_at,
    })),
    emailsEnvoyes: sent.map((s) => ({ consultation: s.slug, cts: s.cts_code, publication: s.number, le: s.sent_at })),
  };
}
