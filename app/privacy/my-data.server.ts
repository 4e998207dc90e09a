import type { Kysely } from "kysely";
import { noticeDataOf } from "../answers/choices.server";
import type { Database } from "../../db/schema";
import { locateCommune } from "../territories/territories.server";

/**
 * Everything the platform holds about one person (RGPD art. 15 and 20), as one JSON document:
 * what « Mes données » downloads. Secrets are left out (password hash, session ids, e-mail token
 * hashes, the tokens inside e-mails), and so is what the platform does not hold: ballots of
 * closed consultations have no link to anyone any more.
 */
export async function collectMyData(db: Kysely<Database>, userId: string, now = new Date()) {
  const user = await db
    .selectFrom("users")
    .select(["id", "email", "email_verified_at", "commune_code", "display_name", "created_at", "updated_at"])
    .where("id", "=", userId)
    .executeTakeFirstOrThrow();
  const [place, roles, ballots, comments, useful, flags, sessions, tokens, emails, association, moderation] =
    await Promise.all([
      locateCommune(db, user.commune_code),
      db
        .selectFrom("user_roles")
        .select(["role", "scope", "created_at"])
        .where("user_id", "=", userId)
        .orderBy("created_at")
        .execute(),
      db
        .selectFrom("ballots as b")
        .innerJoin("consultations as c", "c.id", "b.consultation_id")
        .select([
          "c.id as consultation_id",
          "c.slug as consultation",
          "c.title",
          "c.method",
          "b.content",
          "b.arrondissement_code",
          "b.cts_code",
          "b.created_at",
          "b.updated_at",
        ])
        .where("b.user_id", "=", userId)
        .orderBy("b.created_at")
        .execute(),
      db
        .selectFrom("comments as m")
        .innerJoin("consultations as c", "c.id", "m.consultation_id")
        .innerJoin("proposals as p", "p.id", "m.proposal_id")
        .select([
          "m.id",
          "c.slug as consultation",
          "p.slug as proposition",
          "m.parent_id",
          "m.anonymous",
          "m.stance",
          "m.body",
          "m.arrondissement_code",
          "m.cts_code",
          "m.moderation",
          "m.hidden_reason",
          "m.review_requested_at",
          "m.review_message",
          "m.created_at",
          "m.edited_at",
          "m.deleted_at",
        ])
        .where("m.user_id", "=", userId)
        .orderBy("m.created_at")
        .execute(),
      db
        .selectFrom("comment_useful")
        .select(["comment_id", "created_at"])
        .where("user_id", "=", userId)
        .orderBy("created_at")
        .execute(),
      db
        .selectFrom("flags")
        .select(["target_kind", "target_id", "reason", "details", "created_at", "resolved_at", "resolution"])
        .where("reporter_id", "=", userId)
        .orderBy("created_at")
        .execute(),
      db
        .selectFrom("sessions")
        .select(["created_at", "expires_at"])
        .where("user_id", "=", userId)
        .orderBy("created_at")
        .execute(),
      db
        .selectFrom("email_tokens")
        .select(["kind", "created_at", "expires_at", "used_at"])
        .where("user_id", "=", userId)
        .orderBy("created_at")
        .execute(),
      db
        .selectFrom("outbox")
        .select(["subject", "body_text", "created_at"])
        .where("to_address", "=", user.email)
        .orderBy("created_at")
        .execute(),
      associationOf(db, userId),
      db
        .selectFrom("moderation_log")
        .select(["action", "target_kind", "target_id", "region_code", "reason", "note", "created_at"])
        .where("actor_id", "=", userId)
        .orderBy("created_at")
        .execute(),
    ]);

  // Ballots name proposals by id: give their slug and title too, so the file reads on its own.
  const proposalIds = ballots.flatMap((b) => proposalIdsIn(JSON.parse(b.content)));
  const proposals = proposalIds.length
    ? await db.selectFrom("proposals").select(["id", "slug", "title"]).where("id", "in", proposalIds).execute()
    : [];
  const byId = new Map(proposals.map((p) => [p.id, { slug: p.slug, titre: p.title }]));

  return {
    format: "priorites-sante/mes-donnees/1",
    genereLe: now.toISOString(),
    aSavoir: [
      "Ce fichier contient tout ce que la plateforme conserve à votre sujet.",
      "Votre mot de passe n’est conservé que sous forme d’empreinte (argon2id) : il n’apparaît pas ici.",
      "Les bulletins ne figurent que pour les consultations encore ouvertes : à la clôture d’une consultation, les bulletins perdent tout lien avec leur auteur (et leurs dates sont arrondies au jour) ; plus personne, pas même vous, ne peut retrouver le vôtre.",
      "Les liens envoyés par e-mail (confirmation, nouveau mot de passe) sont masqués.",
    ],
    compte: {
      id: user.id,
      email: user.email,
      emailConfirmeLe: user.email_verified_at,
      nomPublic: user.display_name,
      creeLe: user.created_at,
      modifieLe: user.updated_at,
    },
    territoire: place
      ? {
          commune: { code: place.commune.code, nom: place.commune.name },
          arrondissement: { code: place.arrondissement.code, nom: place.arrondissement.name },
          departement: { code: place.departement.code, nom: place.departement.name },
          region: { code: place.region.code, nom: place.region.name },
          cts: place.cts ? { code: place.cts.code, nom: place.cts.name } : null,
        }
      : { commune: { code: user.commune_code } },
    roles: roles.map((r) => ({ role: r.role, portee: r.scope || null, depuis: r.created_at })),
    bulletins: ballots.map((b) => ({
      consultation: b.consultation,
      titre: b.title,
      methode: b.method,
      contenu: JSON.parse(b.content) as unknown,
      propositions: proposalIdsIn(JSON.parse(b.content)).map((id) => ({ id, ...byId.get(id) })),
      arrondissement: b.arrondissement_code,
      cts: b.cts_code,
      creeLe: b.created_at,
      modifieLe: b.updated_at,
    })),
    // Kept only for a person who asked to be told of the CTS's answers (app/answers/choices.server.ts).
    reponsesDesCts: await noticeDataOf(db, userId),
    commentaires: comments.map((c) => ({
      id: c.id,
      consultation: c.consultation,
      proposition: c.proposition,
      reponseA: c.parent_id,
      signature: c.anonymous ? "anonyme" : "nom public",
      position: c.stance,
      texte: c.deleted_at ? null : c.body,
      arrondissement: c.arrondissement_code,
      cts: c.cts_code,
      moderation: c.moderation,
      motifMasquage: c.hidden_reason,
      reexamenDemandeLe: c.review_requested_at,
      messageReexamen: c.review_message,
      creeLe: c.created_at,
      modifieLe: c.edited_at,
      supprimeLe: c.deleted_at,
    })),
    commentairesJugesUtiles: useful.map((u) => ({ commentaire: u.comment_id, le: u.created_at })),
    signalements: flags.map((r) => ({
      cible: r.target_kind,
      id: r.target_id,
      motif: r.reason,
      precisions: r.details,
      le: r.created_at,
      traiteLe: r.resolved_at,
      decision: r.resolution,
    })),
    association,
    actionsDeModeration: moderation,
    sessions: sessions.map((s) => ({ ouverteLe: s.created_at, expireLe: s.expires_at })),
    liensEnvoyes: tokens.map((t) => ({
      type: t.kind,
      creeLe: t.created_at,
      expireLe: t.expires_at,
      utiliseLe: t.used_at,
    })),
    emails: emails.map((e) => ({ objet: e.subject, texte: redactTokens(e.body_text), envoyeLe: e.created_at })),
  };
}

export type MyData = Awaited<ReturnType<typeof collectMyData>>;

async function associationOf(db: Kysely<Database>, userId: string) {
  const association = await db
    .selectFrom("associations")
    .select([
      "id",
      "slug",
      "name",
      "identifier_kind",
      "identifier",
      "agrement",
      "contact_name",
      "contact_email",
      "contact_phone",
      "status",
      "refusal_reason",
      "decided_at",
      "created_at",
      "updated_at",
    ])
    .where("user_id", "=", userId)
    .executeTakeFirst();
  if (!association) return null;
  const [territories, contributions] = await Promise.all([
    db
      .selectFrom("association_territories")
      .select(["kind", "code"])
      .where("association_id", "=", association.id)
      .execute(),
    db
      .selectFrom("contributions as c")
      .innerJoin("proposals as p", "p.id", "c.proposal_id")
      .leftJoin("contribution_files as f", "f.contribution_id", "c.id")
      .select([
        "c.id",
        "p.slug as proposition",
        "c.title",
        "c.body",
        "c.published_at",
        "c.moderation",
        "c.created_at",
        "c.updated_at",
        "c.deleted_at",
        "f.filename",
        "f.size",
        "f.sha256",
      ])
      .where("c.association_id", "=", association.id)
      .orderBy("c.created_at")
      .execute(),
  ]);
  return {
    ...association,
    territoires: territories,
    // The PDFs themselves are downloaded from the association's space; here their fingerprint.
    contributions: contributions.map(({ filename, size, sha256, ...c }) => ({
      ...c,
      piece: filename ? { nom: filename, octets: size, sha256 } : null,
    })),
  };
}

function proposalIdsIn(content: unknown): string[] {
  const c = content as { selections?: string[]; order?: string[]; grades?: Record<string, string> };
  return c.selections ?? c.order ?? Object.keys(c.grades ?? {});
}

/** E-mailed links carry one-time tokens: a downloaded file must not be a way to use them. */
function redactTokens(text: string): string {
  return text.replace(/token=[A-Za-z0-9_-]+/g, "token=[masqué]");
}
