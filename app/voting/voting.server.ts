import type { Kysely } from "kysely";
import { PREPARED } from "../../db/dialect";
import type { Database, Theme } from "../../db/schema";
import type { SessionUser } from "../identity/session.server";
import { meetsLevel } from "../identity/assurance";
import {
  getMyBallot,
  readMethodParams,
  neverVotes,
  refusal,
  CONSULTATION_COLUMNS,
  type ConsultationRow,
  type Voter,
} from "../ballots/ballots.server";
import { VersionedCache } from "../platform/versioned-cache.server";
import { locateCommuneAt, type Place } from "../territories/territories.server";
import type { Grade, Method } from "../tally/types";
import type { VotedProposal } from "./vote-intents.server";

// What the pages need to show the vote: who may vote and why not, and the resident's own ballot
// with proposal slugs and titles instead of ids.

export function toVoter(user: SessionUser): Voter {
  return {
    id: user.id,
    emailVerified: user.emailVerified,
    communeCode: user.communeCode,
    assuranceLevel: user.assuranceLevel,
    roles: user.roles,
  };
}

/** A published consultation with what the vote checks, or null. */
export async function findConsultationForVote(db: Kysely<Database>, slug: string) {
  return (
    (await db
      .selectFrom("consultations")
      .select([...CONSULTATION_COLUMNS, "title"])
      .where("slug", "=", slug)
      .where("status", "!=", "draft")
      .executeTakeFirst()) ?? null
  );
}

// The consultation and its proposals change only with the content version (catalogue load, phase
// change): every vote needs them, so they are kept per version instead of read per vote.
const consultationsForVote = new VersionedCache<Awaited<ReturnType<typeof findConsultationForVote>>>(100);
const proposalsByConsultation = new VersionedCache<Map<string, VotedProposal & { position: number }>>(100);

export function findConsultationForVoteAt(db: Kysely<Database>, version: string, slug: string) {
  return consultationsForVote.get(version, slug, () => findConsultationForVote(db, slug));
}

/** Every proposal of a consultation by slug, kept per content version. Do not modify the map. */
export function consultationProposalsAt(db: Kysely<Database>, version: string, consultationId: string) {
  return proposalsByConsultation.get(version, consultationId, async () => {
    const rows = await db
      .selectFrom("proposals")
      .select(["id", "slug", "title", "position"])
      .where("consultation_id", "=", consultationId)
      .execute();
    return new Map(rows.map((r) => [r.slug, r]));
  });
}

/** Where a user lives, as the vote rules read it (one lookup per request, kept per version). */
export function placeOf(db: Kysely<Database>, version: string, user: SessionUser): Promise<Place | null> {
  return locateCommuneAt(db, version, user.communeCode);
}

/** Why this user, living at `place`, cannot vote in this consultation now (null: they can). */
export function voteRefusal(consultation: ConsultationRow, user: SessionUser, place: Place | null, now = new Date()) {
  return refusal(
    consultation,
    toVoter(user),
    place && { regionCode: place.region.code, ctsCode: place.cts?.code ?? null },
    now,
  );
}

/**
 * The consultation's proposals named by `slugs`, by slug (slugs of other consultations are
 * absent), and the ids of all its proposals (what a ballot may cite).
 */
export async function findProposalsBySlug(
  db: Kysely<Database>,
  version: string,
  consultationId: string,
  slugs: readonly string[],
) {
  const all = await consultationProposalsAt(db, version, consultationId);
  const named = new Map<string, VotedProposal>();
  for (const slug of slugs) {
    const found = all.get(slug);
    if (found) named.set(slug, found);
  }
  return { named, ids: new Set([...all.values()].map((p) => p.id)) };
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

/**
 * Everything about a resident's ballot that a page shows, as one string ("" without a ballot):
 * two equal stamps mean the same ballot view. One query, on the (consultation, user) index.
 */
export async function ballotStamp(db: Kysely<Database>, consultationId: string, userId: string): Promise<string> {
  const row = await db
    .selectFrom("ballots")
    .select(["content", "arrondissement_code", "cts_code", "created_at", "updated_at"])
    .where("consultation_id", "=", consultationId)
    .where("user_id", "=", userId)
    // Read at every signed-in visit of a kept page.
    .modifyEnd(PREPARED)
    .executeTakeFirst();
  return row
    ? JSON.stringify([row.content, row.arrondissement_code, row.cts_code, row.created_at, row.updated_at])
    : "";
}

/** Names of the places a ballot is counted in, kept per content version (a few hundred rows). */
const placeNames = new VersionedCache<{
  arrondissements: Map<string, string>;
  cts: Map<string, string>;
  departements: Map<string, string>;
}>(2);

function placeNamesAt(db: Kysely<Database>, version: string) {
  return placeNames.get(version, "all", async () => {
    const [arrondissements, cts, departements] = await Promise.all([
      db.selectFrom("arrondissements").select(["code", "name"]).execute(),
      db.selectFrom("cts_territories").select(["code", "name"]).execute(),
      db.selectFrom("departements").select(["code", "name"]).execute(),
    ]);
    const byCode = (rows: { code: string; name: string }[]) => new Map(rows.map((r) => [r.code, r.name]));
    return { arrondissements: byCode(arrondissements), cts: byCode(cts), departements: byCode(departements) };
  });
}

/**
 * A resident's ballot as "Mon vote" shows it, or null when they have not voted. One query for the
 * ballot; proposal titles and place names come from what is kept for this content version.
 */
export async function readMyBallot(
  db: Kysely<Database>,
  version: string,
  consultationId: string,
  userId: string,
): Promise<BallotView | null> {
  const ballot = await getMyBallot(db, consultationId, userId);
  if (!ballot) return null;
  const content = ballot.content;
  const ids =
    "selections" in content
      ? [...content.selections]
      : "grades" in content
        ? Object.keys(content.grades)
        : [...content.order];
  const [proposals, names] = await Promise.all([
    consultationProposalsAt(db, version, consultationId),
    placeNamesAt(db, version),
  ]);
  const byId = new Map([...proposals.values()].map((p) => [p.id, p]));
  const arrondissementName = names.arrondissements.get(ballot.arrondissement_code);
  const arrondissement = arrondissementName
    ? { code: ballot.arrondissement_code, name: arrondissementName }
    : undefined;
  const ctsName = names.cts.get(ballot.cts_code);
  const cts = ctsName ? { code: ballot.cts_code, name: ctsName } : undefined;
  // A commune without a CTS territory counts in its département's (see changeBallot).
  const departementName = names.departements.get(ballot.cts_code);
  const departement = departementName ? { name: departementName } : undefined;
  // The consultation's order for approval and majority judgment (a changed grade does not move
  // the proposal under the resident's focus), the resident's order for ranked.
  const entries = ids.flatMap((id) => {
    const p = byId.get(id);
    if (!p) return [];
    return [
      {
        slug: p.slug,
        title: p.title,
        position: p.position,
        ...("grades" in content ? { grade: content.grades[id] } : {}),
      },
    ];
  });
  if (!("order" in content)) entries.sort((a, b) => a.position - b.position);
  return {
    entries: entries.map(({ position: _position, ...entry }) => entry),
    arrondissement: arrondissement ?? { code: ballot.arrondissement_code, name: ballot.arrondissement_code },
    territory: cts
      ? { code: cts.code, name: `CTS ${cts.name}` }
      : { code: ballot.cts_code, name: departement?.name ?? ballot.cts_code },
    createdAt: ballot.created_at,
    updatedAt: ballot.updated_at,
  };
}

/**
 * The next moment after `now` at which the vote opens or closes by the clock (the page changes
 * then with no write to the database), or null when no such date is ahead.
 */
export function phaseChangeAfter(
  consultation: Pick<ConsultationRow, "opens_at" | "closes_at">,
  now: Date,
): Date | null {
  const iso = now.toISOString();
  const ahead = [consultation.opens_at, consultation.closes_at].filter((d): d is string => !!d && d > iso).sort();
  return ahead.length ? new Date(ahead[0]!) : null;
}

/**
 * A verified resident living where any consultation asks (the place is passed alongside), at the
 * highest level: only the phase can refuse them.
 */
const ANY_RESIDENT: Voter = {
  id: "",
  emailVerified: true,
  communeCode: "",
  assuranceLevel: "in_person",
  roles: [{ role: "resident", scope: "" }],
};

export type VotingState =
  | { kind: "anonymous"; method: Method; k: number; loginHref: string }
  | {
      kind: "refused";
      method: Method;
      k: number;
      reason: string;
      unverified: boolean;
      /** The refusal is the consultation's minimum level: « Mon compte » lists the ways up. */
      belowLevel?: boolean;
      ballot: BallotView | null;
      /** An account that never votes (association, CTS member): pages show it no voting notice. */
      bystander: boolean;
    }
  | { kind: "open"; method: Method; k: number; ballot: BallotView | null };

/**
 * Everything a page needs to show the vote for this person: the method and K, and either why they
 * cannot vote (shown once per page) or their ballot. `returnTo` is where logging in brings them back.
 */
export async function readVoting(
  db: Kysely<Database>,
  version: string,
  consultation: ConsultationRow,
  user: SessionUser | null,
  returnTo: string,
): Promise<VotingState> {
  const { method, k } = readMethodParams(consultation.method, consultation.method_params);
  if (!user) {
    // Logging in is no use before the vote opens or after it closes: say that instead. The phase
    // is what refuses a resident of the consultation's own territory.
    const phase = refusal(
      consultation,
      ANY_RESIDENT,
      { regionCode: consultation.region_code, ctsCode: consultation.cts_code },
      new Date(),
    );
    if (phase) return { kind: "refused", method, k, reason: phase, unverified: false, ballot: null, bystander: false };
    return { kind: "anonymous", method, k, loginHref: `/connexion?redirectTo=${encodeURIComponent(returnTo)}` };
  }
  const [place, ballot] = await Promise.all([
    placeOf(db, version, user),
    readMyBallot(db, version, consultation.id, user.id),
  ]);
  const reason = voteRefusal(consultation, user, place);
  if (reason) {
    const bystander = neverVotes(user);
    const belowLevel = !meetsLevel(user.assuranceLevel, consultation.min_assurance_level);
    return {
      kind: "refused",
      method,
      k,
      reason,
      unverified: !user.emailVerified && !bystander,
      belowLevel,
      ballot,
      bystander,
    };
  }
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

/** How far a resident has gone through a majority-judgment ballot, and where to take it up again. */
export interface GradingProgress {
  graded: number;
  total: number;
  /** Per theme (a proposal counts in its theme and its secondary theme, as the theme filter lists it). */
  themes: Partial<Record<Theme, { graded: number; total: number }>>;
  /** The first proposal without a grade, theme by theme in the report's order: its page in its theme. */
  next: { slug: string; theme: Theme; page: number } | null;
}

/**
 * The way through 178 proposals: counts of graded proposals overall and per theme, and the first
 * proposal left without a grade, with the page of its theme's list (`?theme=…&page=…`) it is on.
 */
export async function gradingProgress(
  db: Kysely<Database>,
  consultationId: string,
  ballot: BallotView | null,
  pageSize: number,
): Promise<GradingProgress> {
  const proposals = await db
    .selectFrom("proposals")
    .select(["slug", "theme", "secondary_theme", "position"])
    .where("consultation_id", "=", consultationId)
    .orderBy("position")
    .execute();
  const graded = new Set((ballot?.entries ?? []).filter((e) => e.grade).map((e) => e.slug));
  const themes: GradingProgress["themes"] = {};
  const lists = new Map<Theme, string[]>();
  for (const p of proposals) {
    for (const theme of new Set([p.theme, p.secondary_theme].filter((t): t is Theme => t !== null))) {
      const counts = (themes[theme] ??= { graded: 0, total: 0 });
      counts.total += 1;
      if (graded.has(p.slug)) counts.graded += 1;
      const list = lists.get(theme) ?? [];
      list.push(p.slug);
      lists.set(theme, list);
    }
  }
  let next: GradingProgress["next"] = null;
  for (const [theme, slugs] of lists) {
    const index = slugs.findIndex((slug) => !graded.has(slug));
    if (index >= 0) {
      next = { slug: slugs[index]!, theme, page: Math.floor(index / pageSize) + 1 };
      break;
    }
  }
  return {
    graded: proposals.filter((p) => graded.has(p.slug)).length,
    total: proposals.length,
    themes,
    next,
  };
}
