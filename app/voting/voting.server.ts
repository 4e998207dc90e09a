import type { Kysely } from "kysely";
import type { Database } from "../../db/schema";
import type { SessionUser } from "../auth/session.server";
import { getMyBallot, readMethodParams, refusal, type Voter } from "../ballots/ballots.server";
import { locateCommune } from "../territories/territories.server";
import type { Grade, Method } from "../tally/types";
import type { VotedProposal } from "./vote-intents.server";

// What the pages need to show the vote: who may vote and why not, and the resident's own ballot
// with proposal slugs and titles instead of ids.

type ConsultationForVote = Pick<
  Database["consultations"],
  "id" | "slug" | "region_code" | "cts_code" | "method" | "method_params" | "status" | "opens_at" | "closes_at"
>;

export function toVoter(user: SessionUser): Voter {
  return { id: user.id, emailVerified: user.emailVerified, communeCode: user.communeCode, roles: user.roles };
}

/** A published consultation with what the vote checks, or null. */
export async function findConsultationForVote(db: Kysely<Database>, slug: string) {
  return (
    (await db
      .selectFrom("consultations")
      .select(["id", "slug", "title", "region_code", "cts_code", "method", "method_params", "status", "opens_at", "closes_at"])
      .where("slug", "=", slug)
      .where("status", "!=", "brouillon")
      .executeTakeFirst()) ?? null
  );
}

/** Why this user cannot vote in this consultation now (null: they can). */
export async function voteRefusal(db: Kysely<Database>, consultation: ConsultationForVote, user: SessionUser, now = new Date()) {
  const place = await locateCommune(db, user.communeCode);
  return refusal(consultation, toVoter(user), place && { regionCode: place.region.code, ctsCode: place.cts?.code ?? null }, now);
}

/** The consultation's proposals named by `slugs`, by slug; slugs of other consultations are absent. */
export async function findProposalsBySlug(db: Kysely<Database>, consultationId: string, slugs: readonly string[]) {
  const unique = [...new Set(slugs)];
  const rows = unique.length
    ? await db
        .selectFrom("proposals")
        .select(["id", "slug", "title"])
        .where("consultation_id", "=", consultationId)
        .where("slug", "in", unique)
        .execute()
    : [];
  return new Map<string, VotedProposal>(rows.map((r) => [r.slug, r]));
}

export interface BallotEntry {
  slug: string;
  title: string;
  /** Majority judgment only. */
  grade?: Grade;
}

export interface BallotView {
  /** Approval and majority judgment: in the consultation's order; ranked: the resident's order. */
  entries: BallotEntry[];
  arrondissement: { code: string; name: string };
  territory: { code: string; name: string };
  createdAt: string;
  updatedAt: string;
}

/** A resident's ballot as "Mon vote" shows it, or null when they have not voted. */
export async function readMyBallot(db: Kysely<Database>, consultationId: string, userId: string): Promise<BallotView | null> {
  const ballot = await getMyBallot(db, consultationId, userId);
  if (!ballot) return null;
  const content = ballot.content;
  const ids = "selections" in content ? [...content.selections] : "grades" in content ? Object.keys(content.grades) : [...content.order];
  const [proposals, arrondissement, cts, departement] = await Promise.all([
    ids.length
      ? db
          .selectFrom("proposals")
          .select(["id", "slug", "title", "position"])
          .where("consultation_id", "=", consultationId)
          .where("id", "in", ids)
          .execute()
      : Promise.resolve([]),
    db.selectFrom("arrondissements").select(["code", "name"]).where("code", "=", ballot.arrondissement_code).executeTakeFirst(),
    db.selectFrom("cts_territories").select(["code", "name"]).where("code", "=", ballot.cts_code).executeTakeFirst(),
    // A commune without a CTS territory counts in its département's (see changeBallot).
    db.selectFrom("departements").select(["code", "name"]).where("code", "=", ballot.cts_code).executeTakeFirst(),
  ]);
  const byId = new Map(proposals.map((p) => [p.id, p]));
  // The consultation's order for approval and majority judgment (a changed grade does not move
  // the proposal under the resident's focus), the resident's order for ranked.
  const entries = ids.flatMap((id) => {
    const p = byId.get(id);
    if (!p) return [];
    return [{ slug: p.slug, title: p.title, position: p.position, ...("grades" in content ? { grade: content.grades[id] } : {}) }];
  });
  if (!("order" in content)) entries.sort((a, b) => a.position - b.position);
  return {
    entries: entries.map(({ position: _position, ...entry }) => entry),
    arrondissement: arrondissement ?? { code: ballot.arrondissement_code, name: ballot.arrondissement_code },
    territory: cts ? { code: cts.code, name: `CTS ${cts.name}` } : { code: ballot.cts_code, name: departement?.name ?? ballot.cts_code },
    createdAt: ballot.created_at,
    updatedAt: ballot.updated_at,
  };
}

/** A verified resident living where any consultation asks (the place is passed alongside). */
const ANY_RESIDENT: Voter = { id: "", emailVerified: true, communeCode: "", roles: [{ role: "resident", scope: "" }] };

export type VotingState =
  | { kind: "anonymous"; method: Method; k: number; loginHref: string }
  | { kind: "refused"; method: Method; k: number; reason: string; unverified: boolean; ballot: BallotView | null }
  | { kind: "open"; method: Method; k: number; ballot: BallotView | null };

/**
 * Everything a page needs to show the vote for this person: the method and K, and either why they
 * cannot vote (shown once per page) or their ballot. `returnTo` is where logging in brings them back.
 */
export async function readVoting(
  db: Kysely<Database>,
  consultation: ConsultationForVote,
  user: SessionUser | null,
  returnTo: string,
): Promise<VotingState> {
  const { method, k } = readMethodParams(consultation.method, consultation.method_params);
  if (!user) {
    // Logging in is no use before the vote opens or after it closes: say that instead. The phase
    // is what refuses a resident of the consultation's own territory.
    const phase = refusal(consultation, ANY_RESIDENT, { regionCode: consultation.region_code, ctsCode: consultation.cts_code }, new Date());
    if (phase) return { kind: "refused", method, k, reason: phase, unverified: false, ballot: null };
    return { kind: "anonymous", method, k, loginHref: `/connexion?redirectTo=${encodeURIComponent(returnTo)}` };
  }
  const [reason, ballot] = await Promise.all([voteRefusal(db, consultation, user), readMyBallot(db, consultation.id, user.id)]);
  if (reason) return { kind: "refused", method, k, reason, unverified: !user.emailVerified, ballot };
  return { kind: "open", method, k, ballot };
}

/**
 * Where a vote sent without JavaScript returns: the page it came from (its filters and page kept)
 * when that page belongs to the same consultation, else the consultation's page.
 */
export function voteReturnPath(request: Request, consultationSlug: string): string {
  const home = `/consultations/${consultationSlug}`;
  const referer = request.headers.get("Referer");
  if (!referer) return home;
  let from: URL;
  try {
    from = new URL(referer);
  } catch {
    return home;
  }
  if (from.host !== new URL(request.url).host) return home;
  if (from.pathname !== home && !from.pathname.startsWith(`${home}/`)) return home;
  if (from.pathname === `${home}/vote`) return home;
  return `${from.pathname}${from.search}`;
}
