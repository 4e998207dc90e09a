import type { Kysely } from "kysely";
import type { Database } from "../../db/schema";
import { type AuthContext } from "~/identity/session.server";
import { requireUser } from "./guards.server";
import { canReadResults } from "../ballots/results-api.server";
import { findReportConsultation, findReportTerritory } from "../reports/cts-report.server";

/**
 * The consultation and CTS territory of a report route, once the reader may see them: unknown
 * consultation or territory → 404; before publication, anonymous → sign-in, anyone but an
 * administrator or a member of this CTS → 403. After publication, everyone (the rankings are public).
 */
export async function requireCtsReport(
  db: Kysely<Database>,
  context: { auth: AuthContext },
  request: Request,
  params: { code?: string; slug?: string },
) {
  const consultation = await findReportConsultation(db, params.slug ?? "");
  if (!consultation) throw new Response("Cette consultation n’existe pas.", { status: 404 });
  const territory = await findReportTerritory(db, consultation, params.code ?? "");
  if (!territory)
    throw new Response("Ce territoire de CTS n’existe pas ou n’est pas concerné par cette consultation.", {
      status: 404,
    });
  const user = consultation.status === "results_published" ? context.auth.user : requireUser(context, request);
  if (
    !(await canReadResults(db, user, consultation, {
      kind: "cts",
      code: territory.code,
      regionCode: consultation.region_code,
    }))
  ) {
    throw new Response(
      "Avant leur publication, les résultats de ce territoire sont réservés aux membres de son conseil territorial de santé et aux administrateurs.",
      { status: 403 },
    );
  }
  return { consultation, territory, user };
}

/** The region view: administrators at any time, everyone once results are published. */
export async function requireRegionResults(
  db: Kysely<Database>,
  context: { auth: AuthContext },
  request: Request,
  slug: string | undefined,
) {
  const consultation = await findReportConsultation(db, slug ?? "");
  if (!consultation) throw new Response("Cette consultation n’existe pas.", { status: 404 });
  // Live results for everyone only where the administrators turned them on, while the vote is open.
  const open =
    consultation.status === "results_published" || (consultation.status === "open" && consultation.live_results === 1);
  const user = open ? context.auth.user : requireUser(context, request);
  if (
    !open &&
    !(await canReadResults(db, user, consultation, {
      kind: "region",
      code: consultation.region_code,
      regionCode: consultation.region_code,
    }))
  ) {
    throw new Response("Les résultats de cette consultation ne sont pas encore publiés.", { status: 403 });
  }
  return { consultation, user };
}
