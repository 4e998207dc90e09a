import { createHash, randomUUID } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import type { Kysely } from "kysely";
import type { BallotMethod, ConsultationStatus, Database } from "../../db/schema";
import { consultationFileSchema, type ConsultationFile } from "./catalogue-schema";
import { GLOSSARY } from "./glossary";
import { proposalSearchText } from "./search";
import { bumpContentVersion } from "../../db/content-version";
import { carryOverMerged } from "./catalogue-merge.server";

export const CATALOGUE_DIR = path.resolve("db/catalogue");

// Bump when what the loader derives from the files (search text…) changes, to reload them all.
const LOADER_VERSION = "3";

/**
 * How each shipped consultation starts, the first time it is loaded: every method can be tried
 * from a fresh start. Later loads never change a consultation's method or phase (its rules are
 * locked once it opens; administrators own them).
 */
const INITIAL_SETUP: Record<string, { method: BallotMethod; status: ConsultationStatus; position: number }> = {
  "normandie-cnr-sante-2022": { method: "approval", status: "open", position: 1 },
  "nouvelle-aquitaine-cnr-sante-2022": { method: "majority_judgment", status: "open", position: 2 },
  "centre-val-de-loire-cnr-sante-2022": { method: "approval", status: "open", position: 3 },
  "yvelines-cts78-cnr-sante-2022": { method: "ranked", status: "open", position: 4 },
};

export class CatalogueError extends Error {}

export interface CatalogueFile {
  name: string;
  content: string;
}

export function readCatalogueFiles(dir = CATALOGUE_DIR): CatalogueFile[] {
  return fs
    .readdirSync(dir)
    .filter((f) => f.endsWith(".json"))
    .sort()
    .map((name) => ({ name, content: fs.readFileSync(path.join(dir, name), "utf8") }));
}

/** Parses every file first; the first invalid entry stops everything, named by file, entry and field. */
export function parseCatalogue(files: CatalogueFile[]): { name: string; hash: string; data: ConsultationFile }[] {
  return files.map(({ name, content }) => {
    let json: unknown;
    try {
      json = JSON.parse(content);
    } catch (error) {
      throw new CatalogueError(`${name} : JSON invalide (${(error as Error).message})`);
    }
    const parsed = consultationFileSchema.safeParse(json);
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      throw new CatalogueError(`${name} : ${describePath(json, issue.path)} : ${issue.message}`);
    }
    const data = parsed.data;
    const seen = new Set<string>();
    for (const [i, p] of data.proposals.entries()) {
      if (seen.has(p.slug)) throw new CatalogueError(`${name} : proposals[${i}] (« ${p.slug} ») : slug en double`);
      seen.add(p.slug);
    }
    const hash = createHash("sha256").update(LOADER_VERSION).update(content).digest("hex");
    return { name, hash, data };
  });
}

function describePath(json: unknown, issuePath: PropertyKey[]): string {
  // "proposals[12] (« slug-de-l-entree ») › sources[0] › mentions"
  const parts: string[] = [];
  let node: unknown = json;
  for (const key of issuePath) {
    if (typeof key === "number") {
      const item = Array.isArray(node) ? node[key] : undefined;
      const slug =
        item && typeof item === "object" && "slug" in item ? ` (« ${String((item as { slug: unknown }).slug)} »)` : "";
      parts[parts.length - 1] = `${parts[parts.length - 1] ?? ""}[${key}]${slug}`;
    } else {
      parts.push(String(key));
    }
    node = node && typeof node === "object" ? (node as Record<PropertyKey, unknown>)[key] : undefined;
  }
  return parts.join(" › ") || "(racine)";
}

export interface CatalogueLoadResult {
  consultations: { slug: string; proposals: number; changed: boolean }[];
}

/**
 * Loads the catalogue files into the database. Idempotent: an unchanged file is skipped, a
 * changed entry is updated in place (same id), an entry gone from its file is removed, nothing is
 * duplicated; an entry named in another's `replaces` first hands it its ballots, comments and
 * contributions (catalogue-merge.server.ts). Every file is validated before anything is written,
 * and all is one transaction.
 */
export async function loadCatalogue(
  db: Kysely<Database>,
  files: CatalogueFile[] = readCatalogueFiles(),
  onProgress: (line: string) => void = () => {},
): Promise<CatalogueLoadResult> {
  const parsed = parseCatalogue(files);
  const result: CatalogueLoadResult = { consultations: [] };
  await db.transaction().execute(async (trx) => {
    for (const { name, hash, data } of parsed) {
      const stateKey = `catalogue:${name}`;
      const state = await trx.selectFrom("app_state").select("value").where("key", "=", stateKey).executeTakeFirst();
      if (state?.value === hash) {
        result.consultations.push({ slug: data.slug, proposals: data.proposals.length, changed: false });
        continue;
      }
      onProgress(`${name} : ${data.proposals.length} propositions, ${data.workshops.length} ateliers`);
      await upsertConsultation(trx, data);
      await trx
        .insertInto("app_state")
        .values({ key: stateKey, value: hash })
        .onConflict((oc) => oc.column("key").doUpdateSet({ value: hash }))
        .execute();
      result.consultations.push({ slug: data.slug, proposals: data.proposals.length, changed: true });
    }
    if (result.consultations.some((c) => c.changed)) await bumpContentVersion(trx);
  });
  return result;
}

async function upsertConsultation(db: Kysely<Database>, data: ConsultationFile): Promise<void> {
  const now = new Date().toISOString();
  const setup = INITIAL_SETUP[data.slug] ?? {
    method: "approval" as const,
    status: "draft" as const,
    position: 100,
  };
  await db
    .insertInto("consultations")
    .values({
      id: randomUUID(),
      slug: data.slug,
      region_code: data.region,
      cts_code: data.cts,
      title: data.title,
      description: data.description,
      source_file: data.sourceFile,
      method: setup.method,
      method_params: "{}",
      status: setup.status,
      opens_at: null,
      closes_at: null,
      position: setup.position,
      created_at: now,
      updated_at: now,
    })
    .onConflict((oc) =>
      oc.column("slug").doUpdateSet({
        region_code: data.region,
        cts_code: data.cts,
        title: data.title,
        description: data.description,
        source_file: data.sourceFile,
        updated_at: now,
      }),
    )
    .execute();
  const { id: consultationId } = await db
    .selectFrom("consultations")
    .select("id")
    .where("slug", "=", data.slug)
    .executeTakeFirstOrThrow();

  await db
    .deleteFrom("workshops")
    .where("consultation_id", "=", consultationId)
    .where("slug", "not in", ["", ...data.workshops.map((w) => w.slug)])
    .execute();
  for (const [position, w] of data.workshops.entries()) {
    const values = {
      place: w.place,
      arrondissement_code: w.arrondissement,
      departement_code: w.departement,
      date: w.date,
      participants: w.participants,
      participants_by_category: w.participantsByCategory ? JSON.stringify(w.participantsByCategory) : null,
      position,
    };
    await db
      .insertInto("workshops")
      .values({ id: randomUUID(), consultation_id: consultationId, slug: w.slug, ...values })
      .onConflict((oc) => oc.columns(["consultation_id", "slug"]).doUpdateSet(values))
      .execute();
  }

  for (const [position, p] of data.proposals.entries()) {
    const values = {
      title: p.title,
      summary: p.summary,
      text: p.text,
      theme: p.theme,
      secondary_theme: p.secondaryTheme,
      source_wording: p.sourceWording,
      level: p.level,
      kind: p.kind,
      group_slug: p.group,
      position,
      // A merged entry printed under several themes was mentioned under each: its mentions add up.
      mentions: regionalMentions(p),
      search_text: proposalSearchText([p.title, p.summary, p.text], GLOSSARY),
      updated_at: now,
    };
    await db
      .insertInto("proposals")
      .values({ id: randomUUID(), consultation_id: consultationId, slug: p.slug, ...values })
      .onConflict((oc) => oc.columns(["consultation_id", "slug"]).doUpdateSet(values))
      .execute();
    const { id: proposalId } = await db
      .selectFrom("proposals")
      .select("id")
      .where("consultation_id", "=", consultationId)
      .where("slug", "=", p.slug)
      .executeTakeFirstOrThrow();
    // The children have no identity of their own: replace them.
    await db.deleteFrom("proposal_sources").where("proposal_id", "=", proposalId).execute();
    await db.deleteFrom("proposal_departement_counts").where("proposal_id", "=", proposalId).execute();
    await db.deleteFrom("proposal_verbatims").where("proposal_id", "=", proposalId).execute();
    if (p.sources.length) {
      await db
        .insertInto("proposal_sources")
        .values(
          p.sources.map((s, i) => ({
            proposal_id: proposalId,
            position: i,
            file: s.file,
            section: s.section,
            mentions: s.mentions,
            departement_code: s.departement,
            workshops: s.workshops.join(" "),
            theme: s.theme,
          })),
        )
        .execute();
    }
    if (p.departementCounts.length) {
      // One row per département: a merged entry's counts under its several themes add up.
      const byDepartement = new Map<string, { mentions: number; section: string }>();
      for (const d of p.departementCounts) {
        const row = byDepartement.get(d.departement);
        if (row) row.mentions += d.mentions;
        else byDepartement.set(d.departement, { mentions: d.mentions, section: d.section });
      }
      await db
        .insertInto("proposal_departement_counts")
        .values(
          [...byDepartement].map(([departement, d]) => ({
            proposal_id: proposalId,
            departement_code: departement,
            mentions: d.mentions,
            section: d.section,
          })),
        )
        .execute();
    }
    if (p.verbatims.length) {
      await db
        .insertInto("proposal_verbatims")
        .values(p.verbatims.map((text, i) => ({ proposal_id: proposalId, position: i, text })))
        .execute();
    }
  }

  // Entries merged into another: what residents attached to them moves before they are removed.
  const kept = new Set(data.proposals.map((p) => p.slug));
  const ids = new Map(
    (
      await db.selectFrom("proposals").select(["id", "slug"]).where("consultation_id", "=", consultationId).execute()
    ).map((r) => [r.slug, r.id]),
  );
  const into = new Map<string, string>();
  for (const p of data.proposals) {
    for (const old of p.replaces) {
      const from = ids.get(old);
      const to = ids.get(p.slug);
      if (from && to && !kept.has(old)) into.set(from, to);
    }
  }
  await carryOverMerged(db, consultationId, into);
  await db
    .deleteFrom("proposals")
    .where("consultation_id", "=", consultationId)
    .where("slug", "not in", ["", ...kept])
    .execute();
}

function regionalMentions(p: ConsultationFile["proposals"][number]): number | null {
  const counts = p.sources.filter((s) => s.mentions !== null && s.departement === null).map((s) => s.mentions ?? 0);
  return counts.length ? counts.reduce((a, b) => a + b, 0) : null;
}
