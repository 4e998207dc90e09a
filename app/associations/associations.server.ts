import { createHash, randomBytes, randomUUID } from "node:crypto";
import type { Kysely } from "kysely";
import type { AssociationStatus, Database } from "../../db/schema";
import { searchKey } from "../../db/search-key";
import { recordAudit } from "../audit/audit.server";
import { createAccount, isUniqueViolation, type CreateUserResult, type NewAccount } from "../identity/users.server";
import { sendEmail } from "../platform/email.server";
import { env } from "../platform/env.server";
import { consultationIsOpen } from "../catalogue/consultation-window";
import { CommentError } from "../comments/comments.server";
import { contributionListed, contributionShown } from "../comments/visibility.server";
import { formatDateTime } from "../ui/format";
import type { OrganisationId } from "../comments/identifiers";
import { PDF_MAX_BYTES, reviewState } from "../comments/labels";
import { logModeration } from "../moderation/moderation.server";

/** Creates an organisation's account: role "association" only, e-mail to verify, commune of its seat. */
export function createAssociationAccount(db: Kysely<Database>, input: NewAccount): Promise<CreateUserResult> {
  return createAccount(db, input, "association");
}

export interface TerritoryChoice {
  value: string;
  label: string;
}

/** The départements and the CTS territories that are not a whole département, by region, for the form. */
export async function territoryChoices(db: Kysely<Database>) {
  const [regions, departements, cts] = await Promise.all([
    db.selectFrom("regions").select(["code", "name"]).orderBy("name").execute(),
    db.selectFrom("departements").select(["code", "name", "region_code"]).orderBy("code").execute(),
    db.selectFrom("cts_territories").select(["code", "name", "region_code"]).orderBy("name").execute(),
  ]);
  const departementCodes = new Set(departements.map((d) => d.code));
  return regions.map((r) => ({
    code: r.code,
    name: r.name,
    departements: departements
      .filter((d) => d.region_code === r.code)
      .map((d): TerritoryChoice => ({ value: `departement:${d.code}`, label: `${d.name} (${d.code})` })),
    cts: cts
      .filter((t) => t.region_code === r.code && !departementCodes.has(t.code))
      .map((t): TerritoryChoice => ({ value: `cts:${t.code}`, label: `CTS ${t.name}` })),
  }));
}

export interface ApplicationInput {
  name: string;
  identifier: OrganisationId;
  agrement?: string | undefined;
  territories: string[];
  contactName: string;
  contactEmail: string;
  contactPhone?: string | undefined;
}

const RESERVED_SLUGS = new Set(["inscription", "nouvelle", "admin", "api"]);

async function uniqueSlug(db: Kysely<Database>, name: string, ownId: string | null): Promise<string> {
  const base = searchKey(name).trim().replace(/\s+/g, "-").slice(0, 60).replace(/-+$/, "") || "association";
  for (let attempt = 0; attempt < 5; attempt++) {
    const slug = attempt === 0 && !RESERVED_SLUGS.has(base) ? base : `${base}-${randomBytes(2).toString("hex")}`;
    const taken = await db.selectFrom("associations").select("id").where("slug", "=", slug).executeTakeFirst();
    if (!taken || taken.id === ownId) return slug;
  }
  return `${base}-${randomBytes(4).toString("hex")}`;
}

/**
 * Files (or files again, after a refusal) an association's application; it waits for an
 * administrator. A verified association cannot re-apply (its details are then changed by an
 * administrator). Territories must exist; the RNA / SIREN may not belong to another live application.
 */
export async function applyAsAssociation(
  db: Kysely<Database>,
  input: {
    user: { id: string; emailVerified: boolean; roles: readonly { role: string }[] };
    application: ApplicationInput;
    now?: Date;
  },
): Promise<{ id: string; slug: string }> {
  const { user, application } = input;
  if (!user.roles.some((r) => r.role === "association"))
    throw new CommentError("forbidden", "Seuls les comptes d’association peuvent déposer une demande.");
  if (!user.emailVerified)
    throw new CommentError("forbidden", "Confirmez d’abord l’adresse électronique du compte (lien reçu par e-mail).");
  const territories = [...new Set(application.territories)].map((t) => {
    const [kind, code] = t.split(":") as ["departement" | "cts", string];
    return { kind, code };
  });
  const depCodes = territories.filter((t) => t.kind === "departement").map((t) => t.code);
  const ctsCodes = territories.filter((t) => t.kind === "cts").map((t) => t.code);
  const [deps, cts] = await Promise.all([
    depCodes.length ? db.selectFrom("departements").select("code").where("code", "in", depCodes).execute() : [],
    ctsCodes.length ? db.selectFrom("cts_territories").select("code").where("code", "in", ctsCodes).execute() : [],
  ]);
  if (deps.length !== depCodes.length || cts.length !== ctsCodes.length)
    throw new CommentError("invalid", "Un des territoires choisis n’existe pas.");

  const existing = await db
    .selectFrom("associations")
    .select(["id", "status", "slug"])
    .where("user_id", "=", user.id)
    .executeTakeFirst();
  if (existing?.status === "verified") throw new CommentError("conflict", "Votre association est déjà vérifiée.");
  const now = (input.now ?? new Date()).toISOString();
  const id = existing?.id ?? randomUUID();
  const slug = await uniqueSlug(db, application.name, existing?.id ?? null);
  const values = {
    slug,
    name: application.name,
    identifier_kind: application.identifier.kind,
    identifier: application.identifier.value,
    agrement: application.agrement ?? null,
    contact_name: application.contactName,
    contact_email: application.contactEmail,
    contact_phone: application.contactPhone ?? null,
    status: "pending" as const,
    refusal_reason: null,
    decided_by: null,
    decided_at: null,
    updated_at: now,
  };
  try {
    await db.transaction().execute(async (trx) => {
      if (existing) {
        await trx
          .updateTable("associations")
          .set(values)
          .where("id", "=", id)
          .where("status", "!=", "verified")
          .execute();
        await trx.deleteFrom("association_territories").where("association_id", "=", id).execute();
      } else {
        await trx
          .insertInto("associations")
          .values({ id, user_id: user.id, created_at: now, ...values })
          .execute();
      }
      await trx
        .insertInto("association_territories")
        .values(territories.map((t) => ({ association_id: id, kind: t.kind, code: t.code })))
        .execute();
    });
  } catch (error) {
    if (isUniqueViolation(error)) {
      throw new CommentError(
        "conflict",
        "Une association portant ce numéro RNA ou SIREN est déjà inscrite ou en cours de vérification.",
      );
    }
    throw error;
  }
  return { id, slug };
}

/** Territories of associations, labelled ("Calvados (14)", "CTS Rouen-Elbeuf"). */
async function territoryLabels(db: Kysely<Database>, associationIds: string[]) {
  if (associationIds.length === 0)
    return new Map<string, { kind: "departement" | "cts"; code: string; label: string }[]>();
  const rows = await db
    .selectFrom("association_territories as t")
    .leftJoin("departements as d", (j) => j.onRef("d.code", "=", "t.code").on("t.kind", "=", "departement"))
    .leftJoin("cts_territories as c", (j) => j.onRef("c.code", "=", "t.code").on("t.kind", "=", "cts"))
    .select(["t.association_id", "t.kind", "t.code", "d.name as departement_name", "c.name as cts_name"])
    .where("t.association_id", "in", associationIds)
    .orderBy("t.kind", "desc")
    .orderBy("t.code")
    .execute();
  const map = new Map<string, { kind: "departement" | "cts"; code: string; label: string }[]>();
  for (const r of rows) {
    const label =
      r.kind === "departement" ? `${r.departement_name ?? r.code} (${r.code})` : `CTS ${r.cts_name ?? r.code}`;
    map.set(r.association_id, [...(map.get(r.association_id) ?? []), { kind: r.kind, code: r.code, label }]);
  }
  return map;
}

/** The association of an account (any status), with its territories; null before any application. */
export async function getAccountAssociation(db: Kysely<Database>, userId: string) {
  const association = await db.selectFrom("associations").selectAll().where("user_id", "=", userId).executeTakeFirst();
  if (!association) return null;
  const territories = (await territoryLabels(db, [association.id])).get(association.id) ?? [];
  return { association, territories };
}

/** Applications for administrators: pending first (oldest first), then the others. */
export async function listAssociationsForAdmin(db: Kysely<Database>) {
  const rows = await db
    .selectFrom("associations as a")
    .innerJoin("users as u", "u.id", "a.user_id")
    .selectAll("a")
    .select(["u.email as account_email", "u.email_verified_at"])
    .orderBy((eb) => eb.case().when("a.status", "=", "pending").then(0).else(1).end())
    .orderBy("a.updated_at")
    .limit(500)
    .execute();
  const territories = await territoryLabels(
    db,
    rows.map((r) => r.id),
  );
  return rows.map((r) => ({
    ...r,
    territories: territories.get(r.id) ?? [],
    updatedLabel: formatDateTime(r.updated_at),
  }));
}

/**
 * An administrator verifies or refuses an application (a refusal needs a reason); the association
 * is told by e-mail, and the decision is logged with the moderation actions.
 */
export async function decideAssociation(
  db: Kysely<Database>,
  input: {
    associationId: string;
    admin: { id: string; email: string };
    decision: "verify" | "refuse";
    reason?: string;
    now?: Date;
  },
): Promise<void> {
  const now = (input.now ?? new Date()).toISOString();
  const row = await db
    .selectFrom("associations as a")
    .innerJoin("users as u", "u.id", "a.user_id")
    .select(["a.id", "a.name", "a.slug", "a.status", "u.email"])
    .where("a.id", "=", input.associationId)
    .executeTakeFirst();
  if (!row) throw new CommentError("not-found", "Association introuvable.");
  if (row.status !== "pending") throw new CommentError("conflict", "Cette demande a déjà été traitée.");
  if (input.decision === "refuse" && !input.reason) throw new CommentError("invalid", "Indiquez le motif du refus.");
  const status: AssociationStatus = input.decision === "verify" ? "verified" : "refused";
  await db.transaction().execute(async (trx) => {
    const result = await trx
      .updateTable("associations")
      .set({
        status,
        refusal_reason: input.decision === "refuse" ? input.reason! : null,
        decided_by: input.admin.id,
        decided_at: now,
        updated_at: now,
      })
      .where("id", "=", row.id)
      .where("status", "=", "pending")
      .executeTakeFirst();
    if (Number(result.numUpdatedRows) !== 1) throw new CommentError("conflict", "Cette demande a déjà été traitée.");
    await logModeration(trx, {
      actor: { id: input.admin.id, label: input.admin.email },
      action: input.decision === "verify" ? "association_verified" : "association_refused",
      targetKind: "association",
      targetId: row.id,
      regionCode: null,
      reason: input.decision === "refuse" ? input.reason! : null,
      now,
    });
  });
  await recordAudit(db, {
    kind: "moderation",
    userId: input.admin.id,
    detail: `association ${row.id} ${input.decision === "verify" ? "vérifiée" : "refusée"}`,
  });
  const space = `${env().PUBLIC_URL}/espace-association`;
  await sendEmail(db, {
    to: row.email,
    subject:
      input.decision === "verify"
        ? "Votre association est vérifiée — Priorités Santé"
        : "Votre demande d’inscription n’a pas été acceptée — Priorités Santé",
    text:
      input.decision === "verify"
        ? `Bonjour,\n\nL’association « ${row.name} » est vérifiée : elle peut désormais publier des contributions sur les propositions des consultations de ses territoires.\n\n${space}\n\n— Priorités Santé`
        : `Bonjour,\n\nLa demande d’inscription de l’association « ${row.name} » n’a pas été acceptée.\n\nMotif : ${input.reason}\n\n` +
          `Vous pouvez corriger votre demande et la déposer de nouveau :\n${space}\n\n— Priorités Santé`,
  });
}

/** Verified associations, for the public list. */
export async function listVerifiedAssociations(db: Kysely<Database>) {
  const rows = await db
    .selectFrom("associations as a")
    .select((eb) => [
      "a.id",
      "a.slug",
      "a.name",
      "a.agrement",
      eb
        .selectFrom("contributions as c")
        .whereRef("c.association_id", "=", "a.id")
        .where(contributionShown("c"))
        .select(eb.fn.countAll<number>().as("n"))
        .as("contributions"),
    ])
    .where("a.status", "=", "verified")
    .orderBy("a.name")
    .execute();
  const territories = await territoryLabels(
    db,
    rows.map((r) => r.id),
  );
  return rows.map((r) => ({
    ...r,
    contributions: Number(r.contributions ?? 0),
    territories: territories.get(r.id) ?? [],
  }));
}

/** A verified association's public page: who it is and its published contributions. */
export async function getAssociationPage(db: Kysely<Database>, slug: string) {
  const association = await db
    .selectFrom("associations")
    .select(["id", "slug", "name", "identifier_kind", "identifier", "agrement", "decided_at"])
    .where("slug", "=", slug)
    .where("status", "=", "verified")
    .executeTakeFirst();
  if (!association) return null;
  const territories = (await territoryLabels(db, [association.id])).get(association.id) ?? [];
  const contributions = await db
    .selectFrom("contributions as c")
    .innerJoin("proposals as p", "p.id", "c.proposal_id")
    .innerJoin("consultations as k", "k.id", "c.consultation_id")
    .leftJoin("contribution_files as f", "f.contribution_id", "c.id")
    .select([
      "c.id",
      "c.title",
      "c.body",
      "c.moderation",
      "c.hidden_reason",
      "c.published_at",
      "p.slug as proposal_slug",
      "p.title as proposal_title",
      "k.slug as consultation_slug",
      "k.title as consultation_title",
      "f.id as file_id",
      "f.filename",
      "f.size",
    ])
    .where("c.association_id", "=", association.id)
    .where(contributionListed("c"))
    .orderBy("c.published_at", "desc")
    .execute();
  return {
    association,
    territories,
    contributions: contributions.map((c) => {
      const visible = c.moderation === "visible";
      return {
        ...c,
        body: visible ? c.body : "",
        title: visible ? c.title : "",
        file_id: visible ? c.file_id : null,
        publishedLabel: formatDateTime(c.published_at!),
      };
    }),
  };
}

// — Contributions —

export interface Upload {
  filename: string;
  bytes: Uint8Array;
  /** The upload was cut at the size limit: refuse it, whatever it holds. */
  tooLarge?: boolean;
}

/** Checks an upload is a PDF by its content (%PDF- at the start), whatever its name or declared type. */
export function checkPdf(upload: Upload): string | null {
  if (upload.tooLarge || upload.bytes.byteLength > PDF_MAX_BYTES) return "Le fichier dépasse 5 Mo.";
  if (upload.bytes.byteLength === 0) return "Le fichier est vide.";
  const head = Buffer.from(upload.bytes.subarray(0, 5)).toString("latin1");
  if (head !== "%PDF-")
    return "Ce fichier n’est pas un PDF : seuls les fichiers PDF sont acceptés. Enregistrez votre document au format PDF (menu « Exporter » ou « Imprimer » de votre logiciel).";
  return null;
}

/** A file name safe for a Content-Disposition header and a download: ASCII letters, digits, dot, dash. */
export function safeFilename(name: string): string {
  const base = name
    .normalize("NFD")
    .replace(/[\u0300-\u036f]/g, "")
    .replace(/\.pdf$/i, "")
    .replace(/[^A-Za-z0-9._-]+/g, "-")
    .replace(/^[.-]+|[.-]+$/g, "")
    .slice(0, 80);
  return `${base || "contribution"}.pdf`;
}

async function accountAssociation(db: Kysely<Database>, user: { id: string; roles: readonly { role: string }[] }) {
  if (!user.roles.some((r) => r.role === "association"))
    throw new CommentError("forbidden", "Seuls les comptes d’association publient des contributions.");
  const association = await db
    .selectFrom("associations")
    .select(["id", "status", "name"])
    .where("user_id", "=", user.id)
    .executeTakeFirst();
  if (!association)
    throw new CommentError("forbidden", "Déposez d’abord la demande d’inscription de votre association.");
  return association;
}

/** Whether an association works in a region (one of its départements or CTS territories is there). */
async function worksInRegion(db: Kysely<Database>, associationId: string, regionCode: string): Promise<boolean> {
  const row = await db
    .selectFrom("association_territories as t")
    .leftJoin("departements as d", (j) => j.onRef("d.code", "=", "t.code").on("t.kind", "=", "departement"))
    .leftJoin("cts_territories as c", (j) => j.onRef("c.code", "=", "t.code").on("t.kind", "=", "cts"))
    .select("t.code")
    .where("t.association_id", "=", associationId)
    .where((eb) => eb.or([eb("d.region_code", "=", regionCode), eb("c.region_code", "=", regionCode)]))
    .executeTakeFirst();
  return !!row;
}

/**
 * Saves an association's contribution on a proposal, as a draft or published (verified
 * associations only, consultation open, proposal in a region the association works in), with an
 * optional PDF checked by content. One transaction: the contribution and its file, or nothing.
 */
export async function saveContribution(
  db: Kysely<Database>,
  input: {
    user: { id: string; roles: readonly { role: string }[] };
    proposalId: string;
    title: string;
    body: string;
    publish: boolean;
    file?: Upload | undefined;
    now?: Date;
  },
): Promise<{ id: string; published: boolean }> {
  const now = input.now ?? new Date();
  const association = await accountAssociation(db, input.user);
  if (input.publish && association.status !== "verified") {
    throw new CommentError(
      "forbidden",
      "Votre association n’est pas encore vérifiée : vous pouvez enregistrer un brouillon, pas publier.",
    );
  }
  const consultation = await db
    .selectFrom("proposals as p")
    .innerJoin("consultations as c", "c.id", "p.consultation_id")
    .select(["c.id", "c.region_code", "c.status", "c.opens_at", "c.closes_at"])
    .where("p.id", "=", input.proposalId)
    .where("c.status", "!=", "draft")
    .executeTakeFirst();
  if (!consultation) throw new CommentError("not-found", "Cette proposition n’existe pas.");
  if (!consultationIsOpen(consultation, now))
    throw new CommentError("forbidden", "La consultation est close : on ne peut plus y contribuer.");
  if (!(await worksInRegion(db, association.id, consultation.region_code))) {
    throw new CommentError(
      "forbidden",
      "Cette consultation concerne une région où votre association n’indique aucun territoire d’action.",
    );
  }
  if (input.file) {
    const problem = checkPdf(input.file);
    if (problem) throw new CommentError("invalid", problem);
  }
  const id = randomUUID();
  const iso = now.toISOString();
  await db.transaction().execute(async (trx) => {
    await trx
      .insertInto("contributions")
      .values({
        id,
        consultation_id: consultation.id,
        proposal_id: input.proposalId,
        association_id: association.id,
        title: input.title,
        body: input.body,
        published_at: input.publish ? iso : null,
        moderation: "visible",
        hidden_reason: null,
        review_requested_at: null,
        review_message: null,
        reviewed_at: null,
        created_at: iso,
        updated_at: iso,
        deleted_at: null,
      })
      .execute();
    if (input.file) {
      const bytes = Buffer.from(input.file.bytes);
      await trx
        .insertInto("contribution_files")
        .values({
          id: randomUUID(),
          contribution_id: id,
          filename: safeFilename(input.file.filename),
          size: bytes.byteLength,
          sha256: createHash("sha256").update(bytes).digest("hex"),
          content: bytes,
          created_at: iso,
        })
        .execute();
    }
  });
  return { id, published: input.publish };
}

/** Publishes a draft (verified association, consultation still open). */
export async function publishDraft(
  db: Kysely<Database>,
  input: { user: { id: string; roles: readonly { role: string }[] }; contributionId: string; now?: Date },
): Promise<void> {
  const now = input.now ?? new Date();
  const association = await accountAssociation(db, input.user);
  if (association.status !== "verified")
    throw new CommentError("forbidden", "Votre association n’est pas encore vérifiée : elle ne peut pas publier.");
  const row = await db
    .selectFrom("contributions as c")
    .innerJoin("consultations as k", "k.id", "c.consultation_id")
    .select(["c.id", "c.association_id", "c.published_at", "c.deleted_at", "k.status", "k.opens_at", "k.closes_at"])
    .where("c.id", "=", input.contributionId)
    .executeTakeFirst();
  if (!row || row.deleted_at) throw new CommentError("not-found", "Brouillon introuvable.");
  if (row.association_id !== association.id)
    throw new CommentError("forbidden", "Ce brouillon n’est pas celui de votre association.");
  if (row.published_at) return;
  if (!consultationIsOpen(row, now))
    throw new CommentError("forbidden", "La consultation est close : ce brouillon ne peut plus être publié.");
  await db
    .updateTable("contributions")
    .set({ published_at: now.toISOString(), updated_at: now.toISOString() })
    .where("id", "=", row.id)
    .where("published_at", "is", null)
    .execute();
}

/** Withdraws one's contribution (draft or published): its text and file are erased. */
export async function deleteContribution(
  db: Kysely<Database>,
  input: { user: { id: string; roles: readonly { role: string }[] }; contributionId: string; now?: Date },
): Promise<void> {
  const association = await accountAssociation(db, input.user);
  const row = await db
    .selectFrom("contributions")
    .select(["id", "association_id", "deleted_at"])
    .where("id", "=", input.contributionId)
    .executeTakeFirst();
  if (!row) throw new CommentError("not-found", "Contribution introuvable.");
  if (row.association_id !== association.id)
    throw new CommentError("forbidden", "Cette contribution n’est pas celle de votre association.");
  if (row.deleted_at) return;
  const iso = (input.now ?? new Date()).toISOString();
  await db.transaction().execute(async (trx) => {
    await trx
      .updateTable("contributions")
      .set({ title: "", body: "", deleted_at: iso, updated_at: iso })
      .where("id", "=", row.id)
      .execute();
    await trx.deleteFrom("contribution_files").where("contribution_id", "=", row.id).execute();
    await trx
      .updateTable("flags")
      .set({ resolved_at: iso, resolution: "dismissed" })
      .where("target_kind", "=", "contribution")
      .where("target_id", "=", row.id)
      .where("resolved_at", "is", null)
      .execute();
  });
}

/** An association's own contributions (drafts and published), for its space. */
export async function listOwnContributions(db: Kysely<Database>, associationId: string) {
  const rows = await db
    .selectFrom("contributions as c")
    .innerJoin("proposals as p", "p.id", "c.proposal_id")
    .innerJoin("consultations as k", "k.id", "c.consultation_id")
    .leftJoin("contribution_files as f", "f.contribution_id", "c.id")
    .select([
      "c.id",
      "c.title",
      "c.published_at",
      "c.moderation",
      "c.hidden_reason",
      "c.created_at",
      "k.status",
      "k.opens_at",
      "k.closes_at",
      "p.slug as proposal_slug",
      "p.title as proposal_title",
      "k.slug as consultation_slug",
      "f.filename",
    ])
    .where("c.association_id", "=", associationId)
    .where("c.deleted_at", "is", null)
    .orderBy("c.created_at", "desc")
    .execute();
  const now = new Date();
  return rows.map((r) => ({
    id: r.id,
    title: r.title,
    published: r.published_at !== null,
    moderation: r.moderation,
    hiddenReason: r.hidden_reason,
    createdLabel: formatDateTime(r.created_at),
    open: consultationIsOpen(r, now),
    proposalSlug: r.proposal_slug,
    proposalTitle: r.proposal_title,
    consultationSlug: r.consultation_slug,
    filename: r.filename,
  }));
}

/** A proposal's published contributions, for its page (hidden ones keep their place, without text). */
export async function listContributionsForProposal(db: Kysely<Database>, proposalId: string, viewerId: string | null) {
  const rows = await db
    .selectFrom("contributions as c")
    .innerJoin("associations as a", "a.id", "c.association_id")
    .leftJoin("contribution_files as f", "f.contribution_id", "c.id")
    .select([
      "c.id",
      "c.title",
      "c.body",
      "c.moderation",
      "c.hidden_reason",
      "c.published_at",
      "c.review_requested_at",
      "c.reviewed_at",
      "a.id as association_id",
      "a.user_id as association_user_id",
      "a.name as association_name",
      "a.slug as association_slug",
      "a.agrement",
      "f.id as file_id",
      "f.filename",
      "f.size",
    ])
    .where("c.proposal_id", "=", proposalId)
    .where(contributionListed("c"))
    .orderBy("c.published_at", "desc")
    .execute();
  const territories = await territoryLabels(db, [...new Set(rows.map((r) => r.association_id))]);
  const reported =
    viewerId && rows.length
      ? new Set(
          (
            await db
              .selectFrom("flags")
              .select("target_id")
              .where("reporter_id", "=", viewerId)
              .where("target_kind", "=", "contribution")
              .where(
                "target_id",
                "in",
                rows.map((r) => r.id),
              )
              .execute()
          ).map((r) => r.target_id),
        )
      : new Set<string>();
  return rows.map((r) => {
    const mine = viewerId !== null && r.association_user_id === viewerId;
    const readable = r.moderation === "visible" || mine;
    return {
      id: r.id,
      title: readable ? r.title : "",
      body: readable ? r.body : "",
      state: r.moderation,
      hiddenReason: r.moderation === "hidden" ? r.hidden_reason : null,
      publishedLabel: formatDateTime(r.published_at!),
      association: {
        name: r.association_name,
        slug: r.association_slug,
        agrement: r.agrement,
        territories: (territories.get(r.association_id) ?? []).map((t) => t.label),
      },
      file: readable && r.file_id ? { id: r.file_id, filename: r.filename!, size: Number(r.size) } : null,
      mine,
      flaggedByMe: reported.has(r.id),
      canReview: mine && r.moderation === "hidden" && r.review_requested_at === null,
      review: r.moderation === "hidden" ? reviewState(r) : "none",
    };
  });
}

/**
 * A contribution's PDF, if it may be served: its contribution is published and shown, or the
 * viewer is its association.
 */
export async function getAttachment(db: Kysely<Database>, fileId: string, viewerId: string | null) {
  const row = await db
    .selectFrom("contribution_files as f")
    .innerJoin("contributions as c", "c.id", "f.contribution_id")
    .innerJoin("associations as a", "a.id", "c.association_id")
    .select([
      "f.filename",
      "f.size",
      "f.sha256",
      "f.content",
      "c.published_at",
      "c.moderation",
      "c.deleted_at",
      "a.user_id",
    ])
    .where("f.id", "=", fileId)
    .executeTakeFirst();
  if (!row || row.deleted_at) return null;
  const mine = viewerId !== null && row.user_id === viewerId;
  if (!mine && (row.published_at === null || row.moderation !== "visible")) return null;
  return { filename: row.filename, sha256: row.sha256, content: Buffer.from(row.content) };
}
