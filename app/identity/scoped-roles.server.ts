import type { Kysely } from "kysely";
import type { Database } from "../../db/schema";
import { sendEmail } from "../platform/email.server";
import { env } from "../platform/env.server";
import { Refusal } from "../platform/refusal";
import { findUserByEmail, grantRole, revokeRole } from "./users.server";

// The roles given person by person for one territory, by an administrator (page or command):
// moderators for a region, counter agents (guichet) for a département. Both follow one rule: an
// existing account, a known territory, journaled (role_change), the person told by e-mail.

export type ScopedRole = "moderator" | "counter_agent";

interface ScopedRoleRules {
  /** The role's name in a sentence: « Ana est … pour la région Normandie ». */
  title: string;
  /** The refusal for a code that names no territory. */
  unknown: (code: string) => string;
  /** « la région Normandie », « le département Calvados (14) ». */
  place: (name: string, code: string) => string;
  territoryName: (db: Kysely<Database>, code: string) => Promise<string | undefined>;
  /** What the role opens, where, told in the e-mail. */
  granted: (place: string) => string;
  revoked: (place: string) => string;
  space: string;
}

export const SCOPED_ROLES: Record<ScopedRole, ScopedRoleRules> = {
  moderator: {
    title: "modérateur·rice",
    unknown: (code) =>
      `Région inconnue : « ${code} » (code INSEE de région attendu, par exemple 28 pour la Normandie).`,
    place: (name) => `la région ${name}`,
    territoryName: async (db, code) =>
      (await db.selectFrom("regions").select("name").where("code", "=", code).executeTakeFirst())?.name,
    granted: (place) =>
      `Un administrateur de Priorités Santé vous a confié la modération de ${place} : vous examinez les commentaires ` +
      `et contributions signalés dans ses consultations (masquer avec un motif, rétablir, classer les signalements ` +
      `sans suite, répondre aux demandes de réexamen). Chaque décision est journalisée et son auteur en est informé.`,
    revoked: (place) =>
      `Un administrateur de Priorités Santé vous a retiré la modération de ${place} : sa file de modération ne vous ` +
      `est plus ouverte. Vos décisions passées restent au journal de modération.`,
    space: "/moderation",
  },
  counter_agent: {
    title: "agent de guichet",
    unknown: (code) => `Département inconnu : « ${code} » (exemples : 76, 2A, 971).`,
    place: (name, code) => `le département ${name} (${code})`,
    territoryName: async (db, code) =>
      (await db.selectFrom("departements").select("name").where("code", "=", code).executeTakeFirst())?.name,
    granted: (place) =>
      `Un administrateur de Priorités Santé vous a habilité·e comme agent de guichet pour ${place} : vous y confirmez ` +
      `en personne, pièces à l’appui, la commune de résidence des habitants.`,
    revoked: (place) =>
      `Un administrateur de Priorités Santé vous a retiré l’habilitation d’agent de guichet pour ${place} : le guichet ` +
      `de ce département ne vous est plus ouvert. Les confirmations déjà faites restent valables.`,
    space: "/guichet",
  },
};

export interface ScopedRoleChange {
  email: string;
  role: ScopedRole;
  scope: string;
  /** Who decides, for the journal: an administrator's id, or null from the command line. */
  by: { id: string | null; label: string };
}

export interface ScopedRoleResult {
  userId: string;
  email: string;
  /** « la région Normandie ». */
  place: string;
}

async function resolve(db: Kysely<Database>, change: ScopedRoleChange) {
  const rules = SCOPED_ROLES[change.role];
  const scope = change.scope.trim();
  const name = await rules.territoryName(db, scope);
  if (!name) throw new Refusal("invalid", rules.unknown(scope));
  const typed = change.email.trim();
  const user = await findUserByEmail(db, typed);
  if (!user) throw new Refusal("not-found", `Aucun compte pour ${typed} : la personne doit d’abord s’inscrire.`);
  return { rules, scope, user, place: rules.place(name, scope) };
}

/**
 * Gives `role` for one territory to the account of `email` (found as sign-in finds it), journals
 * it and tells the person by e-mail. Refused in French: unknown account (not-found), unknown
 * territory (invalid), already held (conflict).
 */
export async function grantScopedRole(db: Kysely<Database>, change: ScopedRoleChange): Promise<ScopedRoleResult> {
  const { rules, scope, user, place } = await resolve(db, change);
  if (!(await grantRole(db, user.id, change.role, scope, change.by)))
    throw new Refusal("conflict", `${user.email} est déjà ${rules.title} pour ${place}.`);
  await sendEmail(db, {
    to: user.email,
    subject: `Vous êtes ${rules.title} pour ${place} — Priorités Santé`,
    text:
      `Bonjour,\n\n${rules.granted(place)}\n\nVotre espace : ${env().PUBLIC_URL}${rules.space} (connectez-vous avec ce compte).\n\n` +
      `Si vous n’attendiez pas ce message, signalez-le à l’équipe de Priorités Santé.\n\n— Priorités Santé`,
  });
  return { userId: user.id, email: user.email, place };
}

/** Takes `role` for one territory back, journaled, the person told. Refused as above, or when not held (conflict). */
export async function revokeScopedRole(db: Kysely<Database>, change: ScopedRoleChange): Promise<ScopedRoleResult> {
  const { rules, scope, user, place } = await resolve(db, change);
  if (!(await revokeRole(db, user.id, change.role, scope, change.by)))
    throw new Refusal("conflict", `${user.email} n’est pas ${rules.title} pour ${place}.`);
  await sendEmail(db, {
    to: user.email,
    subject: `Vous n’êtes plus ${rules.title} pour ${place} — Priorités Santé`,
    text: `Bonjour,\n\n${rules.revoked(place)}\n\n— Priorités Santé`,
  });
  return { userId: user.id, email: user.email, place };
}

export interface ModeratorRow {
  userId: string;
  email: string;
  regionCode: string;
  regionName: string;
  since: string;
}

/** The moderators, by region (regions by name, then addresses), for the administrators' page. */
export async function listModerators(db: Kysely<Database>): Promise<ModeratorRow[]> {
  const rows = await db
    .selectFrom("user_roles as r")
    .innerJoin("users as u", "u.id", "r.user_id")
    .innerJoin("regions as g", "g.code", "r.scope")
    .select(["u.id", "u.email", "g.code", "g.name", "r.created_at"])
    .where("r.role", "=", "moderator")
    .orderBy("g.name")
    .orderBy("u.email")
    .execute();
  return rows.map((r) => ({
    userId: r.id,
    email: r.email,
    regionCode: r.code,
    regionName: r.name,
    since: r.created_at,
  }));
}
