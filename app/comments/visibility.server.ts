import { sql, type RawBuilder, type SqlBool } from "kysely";

/**
 * What moderation and deletion mean for what people see and what is counted, in one place: the
 * proposal page, the stance counts, the CTS comments page, the CTS report and the CTS export all
 * build on these conditions.
 *
 * - A comment or a contribution is *shown* when it is not deleted and its moderation state is
 *   "visible". One under review ("pending_review", hidden after three flags) or hidden by a
 *   moderator is *withheld*: the proposal page keeps its place (a placeholder, its author may ask
 *   for a review), no count and no export includes it.
 * - A reply goes with its parent: under a withheld parent it is withheld too (it would not make
 *   sense alone). Under a deleted parent it stays shown: the page keeps the parent's tombstone
 *   while it has replies.
 * - A contribution is shown once published, and only while its association is verified.
 *
 * Each function takes the alias the query gave the table (`comments as c` → "c").
 */

const ref = (alias: string, column: string) => sql.ref(`${alias}.${column}`);

/** The comment itself is neither deleted nor withheld (its parent not considered). */
export function commentItselfShown(alias: string): RawBuilder<SqlBool> {
  return sql<SqlBool>`(${ref(alias, "deleted_at")} is null and ${ref(alias, "moderation")} = 'visible')`;
}

/** The comment's parent, if it has one, is not withheld (deleted parents keep their replies). */
export function parentNotWithheld(alias: string): RawBuilder<SqlBool> {
  return sql<SqlBool>`(${ref(alias, "parent_id")} is null or exists (select 1 from comments as shown_parent where shown_parent.id = ${ref(alias, "parent_id")} and shown_parent.moderation = 'visible'))`;
}

/** Shown, counted and exported: the comment is shown and, for a reply, its parent is not withheld. */
export function commentShown(alias: string): RawBuilder<SqlBool> {
  return sql<SqlBool>`(${commentItselfShown(alias)} and ${parentNotWithheld(alias)})`;
}

/** Listed on the proposal page (with a placeholder when withheld): not deleted, parent not withheld. */
export function replyListed(alias: string): RawBuilder<SqlBool> {
  return sql<SqlBool>`(${ref(alias, "deleted_at")} is null and ${parentNotWithheld(alias)})`;
}

/** Listed on the proposal page (with a placeholder when withheld): published, not deleted. */
export function contributionListed(alias: string): RawBuilder<SqlBool> {
  return sql<SqlBool>`(${ref(alias, "published_at")} is not null and ${ref(alias, "deleted_at")} is null and exists (select 1 from associations as shown_association where shown_association.id = ${ref(alias, "association_id")} and shown_association.status = 'verified'))`;
}

/** Shown, counted and exported: listed and not withheld. */
export function contributionShown(alias: string): RawBuilder<SqlBool> {
  return sql<SqlBool>`(${contributionListed(alias)} and ${ref(alias, "moderation")} = 'visible')`;
}
