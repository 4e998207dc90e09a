import type { Kysely } from "kysely";
import type { AnswerStatus, Database } from "../../db/schema";
import { publishedAnswers } from "./answers.server";
import { ANSWER_STATUS_LABELS } from "./labels";

/** A CTS's published answer as its report and exports carry it. */
export interface ReportAnswer {
  status: AnswerStatus;
  statusLabel: string;
  justification: string;
  planReference: string | null;
  planUrl: string | null;
  nextStep: string | null;
  answeredOn: string;
  dueOn: string | null;
  publishedAt: string | null;
  version: number;
}

/**
 * The CTS's published answers by proposal id (drafts never: the report becomes public with the
 * results). Empty before the CTS publishes.
 */
export async function reportAnswers(
  db: Kysely<Database>,
  consultationId: string,
  ctsCode: string,
): Promise<Record<string, ReportAnswer>> {
  const answers = await publishedAnswers(db, { consultationId, ctsCode });
  const out: Record<string, ReportAnswer> = {};
  for (const [proposalId, list] of answers) {
    const a = list[0]!.current;
    out[proposalId] = {
      status: a.status,
      statusLabel: ANSWER_STATUS_LABELS[a.status],
      justification: a.justification,
      planReference: a.planReference,
      planUrl: a.planUrl,
      nextStep: a.nextStep,
      answeredOn: a.answeredOn,
      dueOn: a.dueOn,
      publishedAt: a.publishedAt,
      version: a.version,
    };
  }
  return out;
}

/** The report with its CTS's published answers attached (for the page and every export). */
export async function withAnswers<R extends { territory: { code: string } }>(
  db: Kysely<Database>,
  report: R,
  consultationId: string,
): Promise<R & { answers: Record<string, ReportAnswer> }> {
  return { ...report, answers: await reportAnswers(db, consultationId, report.territory.code) };
}
