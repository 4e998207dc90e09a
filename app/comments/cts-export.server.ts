import { stringify } from "csv-stringify/sync";
import type { Kysely } from "kysely";
import type { Database, Stance } from "../../db/schema";
import { env } from "../platform/env.server";
import { authorLabel } from "./comments.server";
import { formatDateTime } from "../ui/format";
import { STANCE_LABELS } from "./labels";
import { commentShown, contributionShown } from "./visibility.server";

/**
 * What a CTS member exports for their territory and one consultation: the shown comments written
 * from the territory (hidden, pending and deleted ones left out) and the published contributions
 * of the associations working there. Authors by display name only (or "un·e habitant·e"): no
 * e-mail, no account id.
 */
export interface CtsExport {
  consultation: { slug: string; title: string };
  cts: { code: string; name: string };
  generatedAt: string;
  comments: {
    id: string;
    type: "commentaire" | "réponse";
    inReplyTo: string | null;
    proposal: string;
    proposalTitle: string;
    stance: Stance | null;
    text: string;
    author: string;
    arrondissement: string;
    arrondissementName: string | null;
    publishedAt: string;
    edited: boolean;
    useful: number;
  }[];
  contributions: {
    id: string;
    proposal: string;
    proposalTitle: string;
    title: string;
    text: string;
    association: string;
    attachment: string | null;
    publishedAt: string;
  }[];
}

/** The CTS territory if it belongs to the consultation's region (and is its CTS, for a CTS consultation); else null. */
export async function ctsForConsultation(db: Kysely<Database>, ctsCode: string, consultationSlug: string) {
  const row = await db
    .selectFrom("consultations as c")
    .innerJoin("cts_territories as t", "t.region_code", "c.region_code")
    .select(["c.id", "c.slug", "c.title", "c.cts_code", "t.code as cts", "t.name as cts_name"])
    .where("c.slug", "=", consultationSlug)
    .where("c.status", "!=", "draft")
    .where("t.code", "=", ctsCode)
    .executeTakeFirst();
  if (!row || (row.cts_code && row.cts_code !== ctsCode)) return null;
  return row;
}

/** The départements a CTS territory touches, from the commune → CTS rules. */
async function ctsDepartements(db: Kysely<Database>, ctsCode: string): Promise<string[]> {
  const [deps, arrs, communes] = await Promise.all([
    db
      .selectFrom("cts_rules")
      .select("code")
      .where("cts_code", "=", ctsCode)
      .where("level", "=", "departement")
      .execute(),
    db
      .selectFrom("cts_rules as r")
      .innerJoin("arrondissements as a", "a.code", "r.code")
      .select("a.departement_code as code")
      .where("r.cts_code", "=", ctsCode)
      .where("r.level", "=", "arrondissement")
      .execute(),
    db
      .selectFrom("cts_rules as r")
      .innerJoin("communes as c", "c.code", "r.code")
      .select("c.departement_code as code")
      .where("r.cts_code", "=", ctsCode)
      .where("r.level", "=", "commune")
      .execute(),
  ]);
  return [...new Set([...deps, ...arrs, ...communes].map((r) => r.code))];
}

/**
 * A CTS's comments in one consultation: the shown ones written from the territory (see
 * visibility.server.ts). The one definition behind the CTS comments page's count, the CTS report's
 * counts and the export.
 */
export function ctsComments(db: Kysely<Database>, consultationId: string, ctsCode: string) {
  return db
    .selectFrom("comments as c")
    .where("c.consultation_id", "=", consultationId)
    .where("c.cts_code", "=", ctsCode)
    .where(commentShown("c"));
}

/** A CTS's contributions in one consultation: the shown ones of associations working in the territory. */
export async function ctsContributions(db: Kysely<Database>, consultationId: string, ctsCode: string) {
  const departements = await ctsDepartements(db, ctsCode);
  return db
    .selectFrom("contributions as c")
    .innerJoin("associations as a", "a.id", "c.association_id")
    .where("c.consultation_id", "=", consultationId)
    .where(contributionShown("c"))
    .where((eb) =>
      eb.exists(
        eb
          .selectFrom("association_territories as t")
          .select("t.code")
          .whereRef("t.association_id", "=", "a.id")
          .where((w) =>
            w.or([
              w.and([w("t.kind", "=", "cts"), w("t.code", "=", ctsCode)]),
              ...(departements.length
                ? [w.and([w("t.kind", "=", "departement"), w("t.code", "in", departements)])]
                : []),
            ]),
          ),
      ),
    );
}

/** A CTS territory by code, or null. */
export async function findCtsTerritory(db: Kysely<Database>, code: string) {
  return (
    (await db
      .selectFrom("cts_territories")
      .select(["code", "name", "region_code"])
      .where("code", "=", code)
      .executeTakeFirst()) ?? null
  );
}

/**
 * The consultations a CTS sees (its region's, or its own; drafts left out), each with how many
 * comments and contributions its export holds.
 */
export async function ctsConsultationsWithCounts(db: Kysely<Database>, cts: { code: string; region_code: string }) {
  const consultations = await db
    .selectFrom("consultations as c")
    .select(["c.id", "c.slug", "c.title", "c.status"])
    .where("c.region_code", "=", cts.region_code)
    .where("c.status", "!=", "draft")
    .where((eb) => eb.or([eb("c.cts_code", "is", null), eb("c.cts_code", "=", cts.code)]))
    .orderBy("c.position")
    .execute();
  return Promise.all(
    consultations.map(async ({ id, ...c }) => {
      const [comments, contributions] = await Promise.all([
        ctsComments(db, id, cts.code)
          .select((eb) => eb.fn.countAll<number>().as("n"))
          .executeTakeFirstOrThrow(),
        (await ctsContributions(db, id, cts.code))
          .select((eb) => eb.fn.countAll<number>().as("n"))
          .executeTakeFirstOrThrow(),
      ]);
      return { ...c, comments: Number(comments.n), contributions: Number(contributions.n) };
    }),
  );
}

export async function buildCtsExport(
  db: Kysely<Database>,
  input: { ctsCode: string; consultationSlug: string; now?: Date },
): Promise<CtsExport | null> {
  const scope = await ctsForConsultation(db, input.ctsCode, input.consultationSlug);
  if (!scope) return null;
  const comments = await ctsComments(db, scope.id, input.ctsCode)
    .innerJoin("proposals as p", "p.id", "c.proposal_id")
    .leftJoin("users as u", "u.id", "c.user_id")
    .leftJoin("arrondissements as a", "a.code", "c.arrondissement_code")
    .select((eb) => [
      "c.id",
      "c.parent_id",
      "c.user_id",
      "c.anonymous",
      "u.display_name",
      "c.stance",
      "c.body",
      "c.arrondissement_code",
      "a.name as arrondissement_name",
      "c.created_at",
      "c.edited_at",
      "p.slug as proposal_slug",
      "p.title as proposal_title",
      "p.position",
      eb
        .selectFrom("comment_useful as cu")
        .whereRef("cu.comment_id", "=", "c.id")
        .select(eb.fn.countAll<number>().as("n"))
        .as("useful"),
    ])
    .orderBy("p.position")
    .orderBy("c.created_at")
    .orderBy("c.id")
    .execute();

  const contributions = await (
    await ctsContributions(db, scope.id, input.ctsCode)
  )
    .innerJoin("proposals as p", "p.id", "c.proposal_id")
    .leftJoin("contribution_files as f", "f.contribution_id", "c.id")
    .select([
      "c.id",
      "c.title",
      "c.body",
      "c.published_at",
      "a.name as association_name",
      "p.slug as proposal_slug",
      "p.title as proposal_title",
      "f.id as file_id",
    ])
    .orderBy("p.position")
    .orderBy("c.published_at")
    .orderBy("c.id")
    .execute();

  const base = env().PUBLIC_URL;
  return {
    consultation: { slug: scope.slug, title: scope.title },
    cts: { code: scope.cts, name: scope.cts_name },
    generatedAt: (input.now ?? new Date()).toISOString(),
    comments: comments.map((c) => ({
      id: c.id,
      type: c.parent_id ? "réponse" : "commentaire",
      inReplyTo: c.parent_id,
      proposal: c.proposal_slug,
      proposalTitle: c.proposal_title,
      stance: c.stance,
      text: c.body,
      author: authorLabel(c),
      arrondissement: c.arrondissement_code,
      arrondissementName: c.arrondissement_name,
      publishedAt: c.created_at,
      edited: c.edited_at !== null,
      useful: Number(c.useful),
    })),
    contributions: contributions.map((c) => ({
      id: c.id,
      proposal: c.proposal_slug,
      proposalTitle: c.proposal_title,
      title: c.title,
      text: c.body,
      association: c.association_name,
      attachment: c.file_id ? `${base}/pieces-jointes/${c.file_id}` : null,
      publishedAt: c.published_at!,
    })),
  };
}

/**
 * OWASP's rule against formula injection (CSV injection): a text cell that starts with = + - @,
 * a tab, a carriage return or a line feed gets a leading apostrophe, so a spreadsheet shows it as
 * text instead of evaluating it. The full-width = + - @ that some spreadsheets fold to ASCII are
 * treated the same. csv-stringify's `escape_formulas` option covers all of these but the line
 * feed, hence this function.
 */
export function neutraliseFormula(value: string): string {
  return /^[=+\-@\t\r\n\uFF1D\uFF0B\uFF0D\uFF20]/u.test(value) ? `'${value}` : value;
}

const CSV_COLUMNS = [
  "type",
  "id",
  "en_reponse_a",
  "proposition",
  "titre_proposition",
  "position",
  "titre",
  "texte",
  "auteur",
  "arrondissement",
  "nom_arrondissement",
  "publie_le",
  "modifie",
  "utile",
  "piece_jointe",
] as const;

/** The export as CSV: UTF-8 with BOM, ";" separated (what French spreadsheets open), every cell quoted, empty ones too. */
export function ctsExportCsv(data: CtsExport): string {
  type Cell = string | number;
  const rows: Cell[][] = [
    ...data.comments.map((c): Cell[] => [
      c.type,
      c.id,
      c.inReplyTo ?? "",
      c.proposal,
      c.proposalTitle,
      c.stance ? STANCE_LABELS[c.stance].toLowerCase() : "",
      "",
      c.text,
      c.author,
      c.arrondissement,
      c.arrondissementName ?? "",
      c.publishedAt,
      c.edited ? "oui" : "non",
      c.useful,
      "",
    ]),
    ...data.contributions.map((c): Cell[] => [
      "contribution",
      c.id,
      "",
      c.proposal,
      c.proposalTitle,
      "",
      c.title,
      c.text,
      c.association,
      "",
      "",
      c.publishedAt,
      "non",
      "",
      c.attachment ?? "",
    ]),
  ];
  return stringify(
    rows.map((row) => row.map((cell) => (typeof cell === "string" ? neutraliseFormula(cell) : cell))),
    {
      header: true,
      columns: [...CSV_COLUMNS],
      bom: true,
      delimiter: ";",
      quoted: true,
      quoted_empty: true,
      record_delimiter: "\r\n",
    },
  );
}

/** A name for the downloaded file: export-cts-14-normandie-cnr-sante-2022-2026-11-23.csv */
export function exportFilename(data: CtsExport, extension: "csv" | "json"): string {
  const safe = (s: string) => s.replace(/[^A-Za-z0-9-]+/g, "-");
  return `commentaires-cts-${safe(data.cts.code)}-${safe(data.consultation.slug)}-${data.generatedAt.slice(0, 10)}.${extension}`;
}

/** The export's lines for the preview page (the same data as the files). */
export function previewRows(data: CtsExport) {
  return [
    ...data.comments.map((c) => ({
      key: c.id,
      kind: c.type,
      proposalTitle: c.proposalTitle,
      stance: c.stance ? STANCE_LABELS[c.stance] : "",
      title: "",
      text: c.text,
      author: c.author,
      place: c.arrondissementName ? `${c.arrondissementName} (${c.arrondissement})` : c.arrondissement,
      date: formatDateTime(c.publishedAt),
    })),
    ...data.contributions.map((c) => ({
      key: c.id,
      kind: "contribution",
      proposalTitle: c.proposalTitle,
      stance: "",
      title: c.title,
      text: c.text,
      author: c.association,
      place: "",
      date: formatDateTime(c.publishedAt),
    })),
  ];
}
