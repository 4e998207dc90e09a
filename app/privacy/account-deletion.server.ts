import type { Kysely } from "kysely";
import { lockRow } from "../../db/dialect";
import type { Database } from "../../db/schema";
import { withdrawAllBallots } from "../ballots/ballots.server";
import { tombstoneComments } from "../comments/comments.server";

/** What happens to the person's comments: erased (tombstones), or kept as « participant supprimé ». */
export type CommentChoice = "supprimer" | "anonymiser";

export interface DeletionSummary {
  ballotsWithdrawn: number;
  ballotsDetached: number;
  commentsErased: number;
  commentsKept: number;
}

/** What the confirmation page announces: the ballots that will be withdrawn, the comments to decide on. */
export async function deletionPreview(
  db: Kysely<Database>,
  userId: string,
): Promise<{ ballots: number; comments: number }> {
  const [ballots, comments] = await Promise.all([
    db
      .selectFrom("ballots")
      .select((eb) => eb.fn.countAll<number>().as("n"))
      .where("user_id", "=", userId)
      .executeTakeFirstOrThrow(),
    db
      .selectFrom("comments")
      .select((eb) => eb.fn.countAll<number>().as("n"))
      .where("user_id", "=", userId)
      .where("deleted_at", "is", null)
      .executeTakeFirstOrThrow(),
  ]);
  // pg returns count(*) as a string.
  return { ballots: Number(ballots.n), comments: Number(comments.n) };
}

/** Shown in the moderation log where the person's address was. */
export const DELETED_ACCOUNT_LABEL = "compte supprimé";

/**
 * Deletes an account and what hangs on it, in one transaction (all or nothing), under a lock on
 * the person so no ballot of theirs can be cast meanwhile:
 * - ballots of open consultations withdrawn, the kept counts following (a recount still agrees);
 * - comments erased as their author would, or kept without any link to the person;
 * - useful marks, flags raised, sessions, e-mail tokens, roles, association and its
 *   contributions removed (the schema's ON DELETE CASCADE), the moderation log's name for the
 *   person replaced;
 * - the user row deleted.
 * E-mails already kept in the outbox (development only) are removed too.
 */
export async function deleteAccount(
  db: Kysely<Database>,
  input: { userId: string; comments: CommentChoice; now?: Date },
): Promise<DeletionSummary> {
  const now = input.now ?? new Date();
  const iso = now.toISOString();
  return db.transaction().execute(async (trx) => {
    await lockRow(trx, "users", input.userId);
    const user = await trx
      .selectFrom("users")
      .select(["id", "email"])
      .where("id", "=", input.userId)
      .executeTakeFirst();
    if (!user) throw new Error("Compte introuvable.");

    const ballots = await withdrawAllBallots(trx, user.id, now);

    const comments = await trx
      .selectFrom("comments")
      .select(["id", "deleted_at"])
      .where("user_id", "=", user.id)
      .execute();
    const live = comments.filter((c) => c.deleted_at === null).map((c) => c.id);
    if (input.comments === "supprimer") {
      await tombstoneComments(trx, live, iso);
    } else {
      // Kept as written, signed « participant supprimé » (authorLabel: no user left); never again
      // under a public name, should the link be restored from a backup by mistake.
      await trx.updateTable("comments").set({ anonymous: 1 }).where("user_id", "=", user.id).execute();
    }
    await trx.updateTable("comments").set({ user_id: null }).where("user_id", "=", user.id).execute();

    await trx.deleteFrom("comment_useful").where("user_id", "=", user.id).execute();
    await trx.deleteFrom("flags").where("reporter_id", "=", user.id).execute();
    await trx
      .updateTable("moderation_log")
      .set({ actor_id: null, actor_label: DELETED_ACCOUNT_LABEL })
      .where("actor_id", "=", user.id)
      .execute();
    await trx.deleteFrom("outbox").where("to_address", "=", user.email).execute();
    await trx.deleteFrom("sessions").where("user_id", "=", user.id).execute();
    await trx.deleteFrom("email_tokens").where("user_id", "=", user.id).execute();
    await trx.deleteFrom("user_roles").where("user_id", "=", user.id).execute();
    // The association row and its contributions and files go by ON DELETE CASCADE; flags on
    // those contributions have no foreign key, so they go here rather than dangle.
    const contributions = await trx
      .selectFrom("contributions as c")
      .innerJoin("associations as a", "a.id", "c.association_id")
      .select("c.id")
      .where("a.user_id", "=", user.id)
      .execute();
    if (contributions.length) {
      await trx
        .deleteFrom("flags")
        .where("target_kind", "=", "contribution")
        .where(
          "target_id",
          "in",
          contributions.map((c) => c.id),
        )
        .execute();
    }
    await trx.deleteFrom("users").where("id", "=", user.id).execute();
    return {
      ballotsWithdrawn: ballots.withdrawn,
      ballotsDetached: ballots.detached,
      commentsErased: input.comments === "supprimer" ? live.length : 0,
      commentsKept: input.comments === "anonymiser" ? live.length : 0,
    };
  });
}
