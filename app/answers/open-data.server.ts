import type { Kysely } from "kysely";
import type { ConsultationStatus, Database } from "../../db/schema";
import { Refusal } from "../platform/refusal";
import { publishedAnswers } from "./answers.server";
import { ANSWER_STATUS_LABELS } from "./labels";

/** A refusal to give answers: unknown consultation, answers not public yet, bad parameter. */
export class OpenDataError extends Refusal {}

/** Answers are public once the consultation's results are: never before, drafts never. */
export function answersArePublic(consultation: { status: ConsultationStatus }): boolean {
  return consultation.status === "results_published";
}

/**
 * Open data: every published answer of a consultation (optionally one CTS's), each with the
 * history of its earlier published versions. Only once the consultation's results are published;
 * drafts never.
 */
export async function answersDocument(db: Kysely<Database>, input: { slug: string; cts: string | null }) {
  const consultation = await db
    .selectFrom("consultations")
    .select(["id", "slug", "title", "status"])
    .where("slug", "=", input.slug)
    .where("status", "!=", "draft")
    .executeTakeFirst();
  if (!consultation) throw new OpenDataError("not-found", "Cette consultation n’existe pas.");
  if (!answersArePublic(consultation))
    throw new OpenDataError(
      "not-found",
      "Les résultats de cette consultation ne sont pas encore publiés : pas de réponses.",
    );
  if (input.cts !== null && !/^[0-9A-Za-z-]{1,40}$/.test(input.cts))
    throw new OpenDataError("invalid", "Paramètre cts invalide : un code de CTS, par exemple cts=14.");
  const [answers, proposals] = await Promise.all([
    publishedAnswers(db, { consultationId: consultation.id, ...(input.cts ? { ctsCode: input.cts } : {}) }),
    db
      .selectFrom("proposals")
      .select(["id", "slug", "title", "position"])
      .where("consultation_id", "=", consultation.id)
      .orderBy("position")
      .execute(),
  ]);
  const version = (v: NonNullable<ReturnType<typeof answers.get>>[number]["current"]) => ({
    version: v.version,
    status: v.status,
    statusLabel: ANSWER_STATUS_LABELS[v.status],
    justification: v.justification,
    planReference: v.planReference,
    planUrl: v.planUrl,
    nextStep: v.nextStep,
    answeredOn: v.answeredOn,
    dueOn: v.dueOn,
    publishedAt: v.publishedAt,
  });
  const rows = proposals.flatMap((p) =>
    (answers.get(p.id) ?? []).map((a) => ({
      cts: { code: a.ctsCode, name: a.ctsName },
      proposal: { slug: p.slug, title: p.title },
      ...version(a.current),
      history: a.history.map(version),
    })),
  );
  return {
    consultation: consultation.slug,
    title: consultation.title,
    generatedAt: new Date().toISOString(),
    statuses: ANSWER_STATUS_LABELS,
    answers: rows,
  };
}

/** The same answers as CSV rows (current versions), header first. */
export function answersCsvRows(document: Awaited<ReturnType<typeof answersDocument>>): (string | number)[][] {
  return [
    [
      "consultation",
      "cts_code",
      "cts",
      "proposition",
      "titre",
      "statut",
      "libelle_statut",
      "justification",
      "reference_plan",
      "lien_plan",
      "prochaine_etape",
      "date_reponse",
      "echeance",
      "publiee_le",
      "version",
    ],
    ...document.answers.map((a) => [
      document.consultation,
      a.cts.code,
      a.cts.name,
      a.proposal.slug,
      a.proposal.title,
      a.status,
      a.statusLabel,
      a.justification,
      a.planReference ?? "",
      a.planUrl ?? "",
      a.nextStep ?? "",
      a.answeredOn,
      a.dueOn ?? "",
      a.publishedAt ?? "",
      a.version,
    ]),
  ];
}
