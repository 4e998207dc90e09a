import type { Kysely } from "kysely";
import type { Database } from "../../db/schema";
import type { AuthContext } from "~/identity/session.server";
import { ctsSpaceAccess, type CtsSpaceAccess } from "~/comments/cts-access.server";
import { ctsReportAccess, regionResultsAccess, type ReportDenial } from "~/reports/report-access.server";
import type { RefusalCode } from "~/platform/refusal";
import { signInRedirect } from "./guards.server";

// The domain decides who may read what and says why not; this file alone turns its decisions into
// HTTP: a redirect to sign in, a 403 or a 404 with the reason in French.

type Denial = ReportDenial | Extract<CtsSpaceAccess, { ok: false }>["reason"];

const DENIALS: Record<Exclude<Denial, "sign-in">, { status: 403 | 404; message: string }> = {
  "unknown-consultation": { status: 404, message: "Cette consultation n’existe pas." },
  "unknown-territory": {
    status: 404,
    message: "Ce territoire de CTS n’existe pas ou n’est pas concerné par cette consultation.",
  },
  "not-cts-member": {
    status: 403,
    message: "Cette page est réservée aux membres de ce conseil territorial de santé.",
  },
  "cts-results-unpublished": {
    status: 403,
    message:
      "Avant leur publication, les résultats de ce territoire sont réservés aux membres de son conseil territorial de santé et aux administrateurs.",
  },
  "region-results-unpublished": {
    status: 403,
    message: "Les résultats de cette consultation ne sont pas encore publiés.",
  },
};

/** The HTTP status of a domain refusal (`Refusal.code`). */
export const REFUSAL_STATUS: Record<RefusalCode, 400 | 403 | 404 | 409 | 429> = {
  invalid: 400,
  forbidden: 403,
  "not-found": 404,
  conflict: 409,
  "too-many": 429,
};

/** The value the domain found, or a thrown 404 with `message` when it found none. */
export function orNotFound<T>(value: T | null | undefined, message: string): T {
  if (value === null || value === undefined) throw new Response(message, { status: 404 });
  return value;
}

/** The granted decision, or the thrown response for a denial (sign-in redirect, 403, 404). */
export function granted<D extends { ok: true } | { ok: false; reason: Denial }>(
  decision: D,
  request: Request,
): Extract<D, { ok: true }> {
  if (decision.ok) return decision as Extract<D, { ok: true }>;
  if (decision.reason === "sign-in") throw signInRedirect(request);
  const { status, message } = DENIALS[decision.reason];
  throw new Response(message, { status });
}

/** A CTS's space: its members and administrators; the signed-in user. */
export function requireCtsAccess(context: { auth: AuthContext }, request: Request, ctsCode: string) {
  return granted(ctsSpaceAccess(context.auth.user, ctsCode), request).user;
}

/** A CTS report's consultation and territory, once the reader may see them (see ctsReportAccess). */
export async function requireCtsReport(
  db: Kysely<Database>,
  context: { auth: AuthContext },
  request: Request,
  params: { code?: string; slug?: string },
) {
  const access = granted(
    await ctsReportAccess(db, context.auth.user, { code: params.code ?? "", slug: params.slug ?? "" }),
    request,
  );
  return { consultation: access.consultation, territory: access.territory, user: context.auth.user };
}

/** The region view's consultation, once the reader may see it (see regionResultsAccess). */
export async function requireRegionResults(
  db: Kysely<Database>,
  context: { auth: AuthContext },
  request: Request,
  slug: string | undefined,
) {
  const access = granted(await regionResultsAccess(db, context.auth.user, slug ?? ""), request);
  return { consultation: access.consultation, user: context.auth.user };
}
