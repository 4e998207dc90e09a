import type { Kysely } from "kysely";
import type { Database } from "../../db/schema";
import { AnswerError, requireAnswerScope } from "~/answers/answers.server";
import type { AuthContext } from "~/identity/session.server";
import { requireUser } from "./guards.server";

/**
 * The consultation and CTS of an answers route, once the signed-in person answers for that CTS:
 * anonymous → sign-in; another CTS's member or a resident → 403; unknown → 404.
 */
export async function requireAnswering(
  db: Kysely<Database>,
  context: { auth: AuthContext },
  request: Request,
  params: { code?: string; slug?: string },
) {
  const user = requireUser(context, request);
  try {
    return { user, ...(await requireAnswerScope(db, user, params.slug ?? "", params.code ?? "")) };
  } catch (error) {
    throw answerResponse(error);
  }
}

/** An AnswerError as the page the person sees; anything else as it was. */
export function answerResponse(error: unknown): unknown {
  if (error instanceof AnswerError) return new Response(error.message, { status: error.status });
  return error;
}
