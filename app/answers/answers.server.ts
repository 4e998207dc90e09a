import { randomUUID } from "node:crypto";
import type { Kysely } from "kysely";
import type { AnswerStatus, Database } from "../../db/schema";
import { nodeOf, publishedCounts, territoryCounts } from "../ballots/results.server";
import { hasRole, type SessionUser } from "../identity/session.server";
import { findReportConsultation, findReportTerritory, type ReportConsultation } from "../reports/cts-report.server";
import type { AnswerInput } from "./forms";

// Answers of a CTS to the proposals of a consultation (issue 18). One answer per consultation ×
// CTS × proposal, each a chain of versions: members write drafts, the CTS publishes them together
// (publication.server.ts), residents see the newest published version and the history of the
// published ones. Before the first publication nobody outside the CTS and the administrators sees
// anything.

/** A refusal to show the person: the HTTP status and why, in French. Nothing was written. */
export class AnswerError extends Error {
  constructor(
    readonly status: 400 | 403 | 404 | 409,
    message: string,
  ) {
    super(message);
  }
}

export interface AnswerVersion {
  version: number;
  status: AnswerStatus;
  justification: string;
  planReference: string | null;
  planUrl: string | null;
  nextStep: string | null;
  answeredOn: string;
  dueOn: string | null;
  createdAt: string;
  publishedAt: string | null;
  author: string | null;
}

/** Members of the CTS (role cts_member, scope = its code) and administrators answer for it. */
export function mayAnswer(user: SessionUser | null, ctsCode: string): boolean {
  return hasRole(user, "cts_member", ctsCode) || hasRole(user, "admin");
}

/**
 * The consultation and the CTS territory an answer belongs to: unknown → 404; someone who does
 * not answer for this CTS → 403 (checked at every request, whatever the form says).
 */
export async function requireAnswerScope(
  db: Kysely<Database>,
  user: SessionUser | null,
  slug: string,
  ctsCode: string,
): Promise<{ consultation: ReportConsultation; territory: { code: string; name: string } }> {
  if (!mayAnswer(user, ctsCode)) {
    throw new AnswerError(
      403,
      "Seuls les membres de ce conseil territorial de santé et les administrateurs répondent pour lui.",
    );
  }
  const consultation = await findReportConsultation(db, slug);
  if (!consultation) throw new AnswerError(404, "Cette consultation n’existe pas.");
  const territory = await findReportTerritory(db, consultation, ctsCode);
  if (!territory)
    throw new AnswerError(404, "Ce territoire de CTS n’existe pas ou n’est pas concerné par cette consultation.");
  return { consultation, territory };
}

export async function findProposal(db: Kysely<Database>, consultationId: string, slug: string) {
  return (
    (await db
      .selectFrom("proposals")
      .select(["id", "slug", "title"])
      .where("consultation_id", "=", consultationId)
      .where("slug", "=", slug)
      .executeTakeFirst()) ?? null
  );
}

export interface RankedProposal {
  id: string;
  slug: string;
  title: string;
  /** Null when the territory has too few ballots to be ranked, or the proposal has no rank. */
  rank: number | null;
}

/**
 * A CTS's raw ranking (the tally engine on its kept counts), every proposal of the consultation
 * in rank order then catalogue order; no ranks below the small-group threshold.
 */
export async function ctsRanking(
  db: Kysely<Database>,
  consultation: Pick<ReportConsultation, "id" | "method" | "method_params" | "status">,
  ctsCode: string,
): Promise<{ ballots: number; rows: RankedProposal[] }> {
  const [counts, proposals] = await Promise.all([
    territoryCounts(db, consultation, { kind: "cts", code: ctsCode }),
    db
      .selectFrom("proposals")
      .select(["id", "slug", "title", "position"])
      .where("consultation_id", "=", consultation.id)
      .orderBy("position")
      .execute(),
  ]);
  // Through the disclosure plan, as every published ranking: a withheld CTS (under the threshold,
  // or withheld so that a small one cannot be found by subtraction) has no ranks; an open vote's
  // figures come from the live copy that moves in steps.
  const result = publishedCounts(counts, nodeOf({ kind: "cts", code: ctsCode }), "raw");
  const rankOf = new Map((result?.ranking ?? []).map((r) => [r.proposal, r.rank]));
  const rows = proposals.map((p) => ({ id: p.id, slug: p.slug, title: p.title, rank: rankOf.get(p.id) ?? null }));
  rows.sort((a, b) => (a.rank ?? Infinity) - (b.rank ?? Infinity));
  return { ballots: result?.ballots ?? 0, rows };
}

function versionView(row: {
  version: number;
  status: AnswerStatus;
  justification: string;
  plan_reference: string | null;
  plan_url: string | null;
  next_step: string | null;
  answered_on: string;
  due_on: string | null;
  created_at: string;
  published_at: string | null;
  author: string | null;
}): AnswerVersion {
  return {
    version: row.version,
    status: row.status,
    justification: row.justification,
    planReference: row.plan_reference,
    planUrl: row.plan_url,
    nextStep: row.next_step,
    answeredOn: row.answered_on,
    dueOn: row.due_on,
    createdAt: row.created_at,
    publishedAt: row.published_at,
    author: row.author,
  };
}

function versionsQuery(db: Kysely<Database>) {
  return db
    .selectFrom("cts_answer_versions as v")
    .leftJoin("users as u", "u.id", "v.author_id")
    .select([
      "v.answer_id",
      "v.version",
      "v.status",
      "v.justification",
      "v.plan_reference",
      "v.plan_url",
      "v.next_step",
      "v.answered_on",
      "v.due_on",
      "v.created_at",
      "v.published_at",
      "u.email as author",
    ]);
}

/** One answer as its CTS's members see it: every version, drafts included, newest first. */
export async function answerForEditing(
  db: Kysely<Database>,
  ids: { consultationId: string; ctsCode: string; proposalId: string },
): Promise<{ version: number; publishedVersion: number | null; versions: AnswerVersion[] } | null> {
  const answer = await db
    .selectFrom("cts_answers")
    .select(["id", "version", "published_version"])
    .where("consultation_id", "=", ids.consultationId)
    .where("cts_code", "=", ids.ctsCode)
    .where("proposal_id", "=", ids.proposalId)
    .executeTakeFirst();
  if (!answer) return null;
  const rows = await versionsQuery(db).where("v.answer_id", "=", answer.id).orderBy("v.version", "desc").execute();
  return { version: answer.version, publishedVersion: answer.published_version, versions: rows.map(versionView) };
}

export type SaveOutcome =
  { ok: true; version: number } | { ok: false; conflict: { version: number; current: AnswerVersion } };

/**
 * Saves a new draft version of an answer, if nobody saved one since the editor opened it
 * (`baseVersion`, 0 for a new answer). Otherwise nothing is written and the newest version is
 * returned, so the second editor sees the first's text and keeps their own in the form.
 */
export async function saveAnswer(
  db: Kysely<Database>,
  input: {
    consultationId: string;
    ctsCode: string;
    proposalId: string;
    authorId: string;
    value: AnswerInput;
    now?: Date;
  },
): Promise<SaveOutcome> {
  const now = (input.now ?? new Date()).toISOString();
  const { value } = input;
  const outcome = await db.transaction().execute(async (trx): Promise<SaveOutcome | { answerId: string }> => {
    const existing = await trx
      .selectFrom("cts_answers")
      .select(["id", "version"])
      .where("consultation_id", "=", input.consultationId)
      .where("cts_code", "=", input.ctsCode)
      .where("proposal_id", "=", input.proposalId)
      .executeTakeFirst();
    let answerId: string;
    let version: number;
    if (!existing) {
      if (value.baseVersion !== 0) throw new AnswerError(409, "Cette réponse a changé : rechargez la page.");
      answerId = randomUUID();
      version = 1;
      const inserted = await trx
        .insertInto("cts_answers")
        .values({
          id: answerId,
          consultation_id: input.consultationId,
          proposal_id: input.proposalId,
          cts_code: input.ctsCode,
          version,
          published_version: null,
          created_at: now,
          updated_at: now,
        })
        .onConflict((oc) => oc.columns(["consultation_id", "cts_code", "proposal_id"]).doNothing())
        .returning("id")
        .executeTakeFirst();
      // Another editor created it between our read and our write.
      if (!inserted) return { answerId: "" };
    } else {
      if (existing.version !== value.baseVersion) return { answerId: existing.id };
      // The version check in the WHERE makes it hold even between two servers.
      const updated = await trx
        .updateTable("cts_answers")
        .set({ version: existing.version + 1, updated_at: now })
        .where("id", "=", existing.id)
        .where("version", "=", value.baseVersion)
        .executeTakeFirst();
      if (Number(updated.numUpdatedRows) !== 1) return { answerId: existing.id };
      answerId = existing.id;
      version = existing.version + 1;
    }
    await trx
      .insertInto("cts_answer_versions")
      .values({
        answer_id: answerId,
        version,
        status: value.status,
        justification: value.justification,
        plan_reference: value.planReference,
        plan_url: value.planUrl,
        next_step: value.nextStep,
        answered_on: value.answeredOn,
        due_on: value.dueOn,
        author_id: input.authorId,
        created_at: now,
        publication_id: null,
        published_at: null,
      })
      .execute();
    return { ok: true, version };
  });
  if ("ok" in outcome) return outcome;
  const current = await answerForEditing(db, input);
  if (!current) throw new AnswerError(409, "Cette réponse a changé : rechargez la page.");
  return { ok: false, conflict: { version: current.version, current: current.versions[0]! } };
}

export interface WorkspaceRow extends RankedProposal {
  /** The newest version, draft or not. */
  latest: AnswerVersion | null;
  publishedVersion: number | null;
  /** The newest version is not published yet. */
  pending: boolean;
}

/** The members' list: the CTS's ranking beside each proposal's answer, drafts included. */
export async function answerWorkspace(db: Kysely<Database>, consultation: ReportConsultation, ctsCode: string) {
  const [ranking, latest] = await Promise.all([
    ctsRanking(db, consultation, ctsCode),
    versionsQuery(db)
      .innerJoin("cts_answers as a", (j) => j.onRef("a.id", "=", "v.answer_id").onRef("a.version", "=", "v.version"))
      .select(["a.proposal_id", "a.published_version"])
      .where("a.consultation_id", "=", consultation.id)
      .where("a.cts_code", "=", ctsCode)
      .execute(),
  ]);
  const byProposal = new Map(latest.map((r) => [r.proposal_id, r]));
  const rows: WorkspaceRow[] = ranking.rows.map((p) => {
    const a = byProposal.get(p.id);
    return {
      ...p,
      latest: a ? versionView(a) : null,
      publishedVersion: a?.published_version ?? null,
      pending: !!a && a.version !== a.published_version,
    };
  });
  return { ballots: ranking.ballots, rows, pending: rows.filter((r) => r.pending).length };
}

/**
 * Answers whose due date has passed with no new version since: the CTS sees its follow-up
 * promises that are late. `today` is a YYYY-MM-DD date.
 */
export function pastDue(rows: readonly WorkspaceRow[], today: string) {
  return rows.filter(
    (r) => r.latest?.dueOn && r.latest.dueOn < today && r.latest.createdAt.slice(0, 10) <= r.latest.dueOn,
  );
}

export interface PublishedAnswer {
  ctsCode: string;
  ctsName: string;
  current: AnswerVersion;
  /** Earlier published versions, newest first. */
  history: AnswerVersion[];
}

/**
 * The published answers to proposals, each with the history of its published versions. Only for
 * consultations whose results are published: a CTS can publish only then, so this is a guard.
 */
export async function publishedAnswers(
  db: Kysely<Database>,
  filter: { proposalIds?: readonly string[]; consultationId?: string; ctsCode?: string },
): Promise<Map<string, PublishedAnswer[]>> {
  let query = versionsQuery(db)
    .innerJoin("cts_answers as a", "a.id", "v.answer_id")
    .innerJoin("consultations as c", "c.id", "a.consultation_id")
    .innerJoin("cts_territories as t", "t.code", "a.cts_code")
    .select(["a.proposal_id", "a.cts_code", "t.name as cts_name"])
    .where("c.status", "=", "results_published")
    .where("v.published_at", "is not", null);
  if (filter.proposalIds) {
    if (!filter.proposalIds.length) return new Map();
    query = query.where("a.proposal_id", "in", [...filter.proposalIds]);
  }
  if (filter.consultationId) query = query.where("a.consultation_id", "=", filter.consultationId);
  if (filter.ctsCode) query = query.where("a.cts_code", "=", filter.ctsCode);
  const rows = await query.orderBy("a.proposal_id").orderBy("a.cts_code").orderBy("v.version", "desc").execute();
  const out = new Map<string, PublishedAnswer[]>();
  for (const row of rows) {
    const list = out.get(row.proposal_id) ?? [];
    const last = list[list.length - 1];
    if (last && last.ctsCode === row.cts_code) last.history.push(versionView(row));
    else list.push({ ctsCode: row.cts_code, ctsName: row.cts_name, current: versionView(row), history: [] });
    out.set(row.proposal_id, list);
  }
  return out;
}

/** A proposal's published answers, the reader's own CTS first, then the others by name. */
export async function answersForProposalPage(db: Kysely<Database>, proposalId: string, readerCts: string | null) {
  const answers = (await publishedAnswers(db, { proposalIds: [proposalId] })).get(proposalId) ?? [];
  return answers
    .map((a) => ({ ...a, own: a.ctsCode === readerCts }))
    .sort((a, b) => (a.own === b.own ? a.ctsName.localeCompare(b.ctsName, "fr") : a.own ? -1 : 1));
}
