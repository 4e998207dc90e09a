import type { Kysely } from "kysely";
import type { ConsultationStatus, Database } from "../../db/schema";
import type { SessionUser } from "../identity/session.server";
import { canReadResults } from "../ballots/results-api.server";
import { findReportConsultation, findReportTerritory, type ReportConsultation } from "./cts-report.server";

/** Why a reader may not open a report; the routes layer turns each into a 404, a 403 or a sign-in. */
export type ReportDenial =
  | "unknown-consultation"
  | "unknown-territory"
  /** Not yet public and nobody is signed in: signing in may open it. */
  | "sign-in"
  | "cts-results-unpublished"
  | "region-results-unpublished";

export type ReportAccess<T> = ({ ok: true } & T) | { ok: false; reason: ReportDenial };

/**
 * Who may read a CTS report: unknown consultation (drafts included) or a territory it does not
 * cover → unknown; after publication everyone (the rankings are public); before it, administrators
 * and the members of this CTS only.
 */
export async function ctsReportAccess(
  db: Kysely<Database>,
  user: SessionUser | null,
  params: { code: string; slug: string },
): Promise<ReportAccess<{ consultation: ReportConsultation; territory: { code: string; name: string } }>> {
  const consultation = await findReportConsultation(db, params.slug);
  if (!consultation) return { ok: false, reason: "unknown-consultation" };
  const territory = await findReportTerritory(db, consultation, params.code);
  if (!territory) return { ok: false, reason: "unknown-territory" };
  if (consultation.status !== "results_published" && !user) return { ok: false, reason: "sign-in" };
  const ref = { kind: "cts" as const, code: territory.code, regionCode: consultation.region_code };
  if (!(await canReadResults(db, user, consultation, ref))) return { ok: false, reason: "cts-results-unpublished" };
  return { ok: true, consultation, territory };
}

/** Whether everyone may read the region view (the results page, the open dataset) in this phase. */
export function regionResultsArePublic(consultation: { status: ConsultationStatus; live_results: 0 | 1 }): boolean {
  return (
    consultation.status === "results_published" || (consultation.status === "open" && consultation.live_results === 1)
  );
}

/**
 * Who may read the region view: everyone once results are published, or while the vote is open
 * where the administrators turned live results on; administrators at any time.
 */
export async function regionResultsAccess(
  db: Kysely<Database>,
  user: SessionUser | null,
  slug: string,
): Promise<ReportAccess<{ consultation: ReportConsultation }>> {
  const consultation = await findReportConsultation(db, slug);
  if (!consultation) return { ok: false, reason: "unknown-consultation" };
  if (regionResultsArePublic(consultation)) return { ok: true, consultation };
  if (!user) return { ok: false, reason: "sign-in" };
  const ref = { kind: "region" as const, code: consultation.region_code, regionCode: consultation.region_code };
  if (!(await canReadResults(db, user, consultation, ref))) return { ok: false, reason: "region-results-unpublished" };
  return { ok: true, consultation };
}
