import type { Kysely } from "kysely";
import type { Database, ProposalKind, ProposalLevel, Theme } from "../../db/schema";
import type { PROPOSAL_SORTS } from "./filters";
import { VersionedCache } from "../platform/versioned-cache.server";
import { searchPatterns } from "./search";

export async function listConsultations(db: Kysely<Database>) {
  const rows = await db
    .selectFrom("consultations as c")
    .innerJoin("regions as r", "r.code", "c.region_code")
    .leftJoin("cts_territories as t", "t.code", "c.cts_code")
    .select((eb) => [
      "c.id",
      "c.slug",
      "c.title",
      "c.description",
      "c.method",
      "c.status",
      "c.opens_at",
      "c.closes_at",
      "r.name as region_name",
      "t.name as cts_name",
      eb
        .selectFrom("proposals as p")
        .whereRef("p.consultation_id", "=", "c.id")
        .select(eb.fn.countAll<number>().as("n"))
        .as("proposal_count"),
    ])
    .where("c.status", "!=", "draft")
    .orderBy("c.position")
    .orderBy("c.title")
    .execute();
  return rows.map((r) => ({ ...r, proposal_count: Number(r.proposal_count) }));
}

/** Any consultation, drafts included (administration); null when there is none of this slug. */
export async function findConsultationForAdmin(db: Kysely<Database>, slug: string) {
  const consultation = await db
    .selectFrom("consultations")
    .select(["id", "slug", "title", "method", "status", "opens_at", "closes_at", "live_results", "min_assurance_level"])
    .where("slug", "=", slug)
    .executeTakeFirst();
  return consultation ?? null;
}

/** Every consultation, drafts included, with its region and ballots cast (the administration's home). */
export async function listConsultationsForAdmin(db: Kysely<Database>) {
  const rows = await db
    .selectFrom("consultations as c")
    .innerJoin("regions as r", "r.code", "c.region_code")
    .select((eb) => [
      "c.slug",
      "c.title",
      "c.method",
      "c.status",
      "c.region_code",
      "r.name as region_name",
      eb
        .selectFrom("ballot_totals as t")
        .whereRef("t.consultation_id", "=", "c.id")
        .select((sub) => sub.fn.sum<number>("t.ballots").as("n"))
        .as("ballots"),
    ])
    .orderBy("c.position")
    .execute();
  return rows.map((c) => ({ ...c, ballots: Number(c.ballots ?? 0) }));
}

export async function getConsultation(db: Kysely<Database>, slug: string) {
  const consultation = await db
    .selectFrom("consultations as c")
    .innerJoin("regions as r", "r.code", "c.region_code")
    .leftJoin("cts_territories as t", "t.code", "c.cts_code")
    .selectAll("c")
    .select(["r.name as region_name", "t.name as cts_name"])
    .where("c.slug", "=", slug)
    .where("c.status", "!=", "draft")
    .executeTakeFirst();
  if (!consultation) return null;
  const [themes, workshops] = await Promise.all([
    db
      .selectFrom("proposals")
      .select(["theme", "secondary_theme", (eb) => eb.fn.countAll<number>().as("n")])
      .where("consultation_id", "=", consultation.id)
      .groupBy(["theme", "secondary_theme"])
      .execute(),
    db
      .selectFrom("workshops as w")
      .leftJoin("arrondissements as a", "a.code", "w.arrondissement_code")
      .leftJoin("departements as d", "d.code", "w.departement_code")
      .select([
        "w.slug",
        "w.place",
        "w.date",
        "w.participants",
        "a.name as arrondissement_name",
        "d.name as departement_name",
        "w.departement_code",
      ])
      .where("w.consultation_id", "=", consultation.id)
      .orderBy("w.position")
      .execute(),
  ]);
  // An entry with a second theme is counted, and found by the filter, under both.
  const themeCounts: Partial<Record<Theme, number>> = {};
  for (const t of themes) {
    for (const theme of [t.theme, t.secondary_theme]) {
      if (theme) themeCounts[theme] = (themeCounts[theme] ?? 0) + Number(t.n);
    }
  }
  return { consultation, themeCounts, workshops };
}

export type ProposalSort = (typeof PROPOSAL_SORTS)[number];

export interface ProposalFilters {
  theme?: Theme | undefined;
  level?: ProposalLevel | undefined;
  kind?: ProposalKind | undefined;
  q?: string | undefined;
  sort: ProposalSort;
  page: number;
  pageSize: number;
}

/** One page of a consultation's proposals, filtered and sorted; the page is clamped to those that exist. */
export async function listProposals(db: Kysely<Database>, consultationId: string, filters: ProposalFilters) {
  let query = db.selectFrom("proposals").where("consultation_id", "=", consultationId);
  const theme = filters.theme;
  if (theme) query = query.where((eb) => eb.or([eb("theme", "=", theme), eb("secondary_theme", "=", theme)]));
  if (filters.level) query = query.where("level", "=", filters.level);
  if (filters.kind) query = query.where("kind", "=", filters.kind);
  const patterns = filters.q ? searchPatterns(filters.q) : [];
  for (const pattern of patterns) query = query.where("search_text", "like", pattern);
  // Something was typed but nothing searchable is left ("%", "-"): that matches nothing, not everything.
  if (filters.q?.trim() && patterns.length === 0) query = query.where("id", "is", null);

  const { total } = await query.select((eb) => eb.fn.countAll<number>().as("total")).executeTakeFirstOrThrow();
  const count = Number(total);
  const pageCount = Math.max(1, Math.ceil(count / filters.pageSize));
  const page = Math.min(Math.max(1, filters.page), pageCount);

  let ordered = query.select([
    "id",
    "slug",
    "title",
    "summary",
    "theme",
    "secondary_theme",
    "level",
    "kind",
    "mentions",
    "position",
  ]);
  if (filters.sort === "mentions") {
    // Proposals without a printed count come last, in source order.
    ordered = ordered
      .orderBy((eb) => eb.case().when("mentions", "is", null).then(1).else(0).end())
      .orderBy("mentions", "desc");
  } else if (filters.sort === "alpha") {
    ordered = ordered.orderBy("search_text");
  }
  const items = await ordered
    .orderBy("position")
    .limit(filters.pageSize)
    .offset((page - 1) * filters.pageSize)
    .execute();
  return { items, total: count, page, pageCount, requestedPage: filters.page };
}

/** A proposal's id, slug and title in this consultation, or null (a slug of another consultation). */
export async function findProposalTitle(db: Kysely<Database>, consultationId: string, slug: string) {
  const proposal = await db
    .selectFrom("proposals")
    .select(["id", "slug", "title"])
    .where("consultation_id", "=", consultationId)
    .where("slug", "=", slug)
    .executeTakeFirst();
  return proposal ?? null;
}

export async function getProposal(db: Kysely<Database>, consultationId: string, slug: string) {
  const proposal = await db
    .selectFrom("proposals")
    .selectAll()
    .where("consultation_id", "=", consultationId)
    .where("slug", "=", slug)
    .executeTakeFirst();
  if (!proposal) return null;
  const [sources, departementCounts, verbatims, related] = await Promise.all([
    db
      .selectFrom("proposal_sources as s")
      .leftJoin("departements as d", "d.code", "s.departement_code")
      .select([
        "s.file",
        "s.section",
        "s.mentions",
        "s.departement_code",
        "s.workshops",
        "s.theme",
        "d.name as departement_name",
      ])
      .where("s.proposal_id", "=", proposal.id)
      .orderBy("s.position")
      .execute(),
    db
      .selectFrom("proposal_departement_counts as c")
      .leftJoin("departements as d", "d.code", "c.departement_code")
      .select(["c.departement_code", "c.mentions", "c.section", "d.name as departement_name"])
      .where("c.proposal_id", "=", proposal.id)
      .orderBy("c.mentions", "desc")
      .orderBy("c.departement_code")
      .execute(),
    db
      .selectFrom("proposal_verbatims")
      .select("text")
      .where("proposal_id", "=", proposal.id)
      .orderBy("position")
      .execute(),
    relatedProposals(db, proposal),
  ]);
  const workshopSlugs = [...new Set(sources.flatMap((s) => (s.workshops ? s.workshops.split(" ") : [])))];
  const workshops = workshopSlugs.length
    ? await db
        .selectFrom("workshops")
        .select(["slug", "place", "date"])
        .where("consultation_id", "=", consultationId)
        .where("slug", "in", workshopSlugs)
        .orderBy("position")
        .execute()
    : [];
  return { proposal, sources, departementCounts, verbatims: verbatims.map((v) => v.text), related, workshops };
}

/** Proposals under the same heading: the same group, or else the same source section. */
async function relatedProposals(
  db: Kysely<Database>,
  proposal: {
    id: string;
    consultation_id: string;
    group_slug: string | null;
    level: ProposalLevel | null;
    kind: ProposalKind;
  },
) {
  let query = db
    .selectFrom("proposals as p")
    .select(["p.slug", "p.title", "p.theme"])
    .where("p.consultation_id", "=", proposal.consultation_id)
    .where("p.id", "!=", proposal.id);
  if (proposal.group_slug) {
    query = query.where("p.group_slug", "=", proposal.group_slug);
  } else {
    query = query
      .where("p.group_slug", "is", null)
      .where("p.kind", "=", proposal.kind)
      .where((eb) => (proposal.level ? eb("p.level", "=", proposal.level) : eb("p.level", "is", null)))
      .where((eb) =>
        eb.exists(
          eb
            .selectFrom("proposal_sources as mine")
            .innerJoin("proposal_sources as theirs", (join) =>
              join.onRef("theirs.section", "=", "mine.section").onRef("theirs.file", "=", "mine.file"),
            )
            .where("mine.proposal_id", "=", proposal.id)
            .whereRef("theirs.proposal_id", "=", "p.id")
            .select("theirs.proposal_id"),
        ),
      );
  }
  return query.orderBy("p.position").limit(12).execute();
}

// What the consultation page reads from the catalogue, kept per content version (see
// db/content-version.ts: loading the catalogue, a phase change or a territory load changes it).
// The values are shared between requests: callers must not modify them.
const consultations = new VersionedCache<Awaited<ReturnType<typeof getConsultation>>>(100);
const lists = new VersionedCache<Awaited<ReturnType<typeof listProposals>>>(2000);
const facets = new VersionedCache<Awaited<ReturnType<typeof proposalFacets>>>(100);

export function getConsultationAt(db: Kysely<Database>, version: string, slug: string) {
  return consultations.get(version, slug, () => getConsultation(db, slug));
}

export function listProposalsAt(
  db: Kysely<Database>,
  version: string,
  consultationId: string,
  filters: ProposalFilters,
) {
  const key = JSON.stringify([
    consultationId,
    filters.theme,
    filters.level,
    filters.kind,
    filters.q,
    filters.sort,
    filters.page,
    filters.pageSize,
  ]);
  return lists.get(version, key, () => listProposals(db, consultationId, filters));
}

/** The levels and kinds a consultation's proposals use (the page offers only those as filters). */
export async function proposalFacets(db: Kysely<Database>, consultationId: string) {
  const rows = await db
    .selectFrom("proposals")
    .select(["level", "kind"])
    .distinct()
    .where("consultation_id", "=", consultationId)
    .execute();
  return {
    levels: [...new Set(rows.map((r) => r.level).filter((l): l is ProposalLevel => l !== null))],
    kinds: [...new Set(rows.map((r) => r.kind))] as ProposalKind[],
  };
}

export function proposalFacetsAt(db: Kysely<Database>, version: string, consultationId: string) {
  return facets.get(version, consultationId, () => proposalFacets(db, consultationId));
}
