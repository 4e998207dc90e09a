import type { Kysely } from "kysely";
import type { Database, Role } from "../../db/schema";
import { createResident, grantRole, markEmailVerified } from "../../app/identity/users.server";
import type { Actor } from "../../app/comments/comments.server";

let n = 0;

/**
 * A verified resident of `commune` (Lisieux by default) with extra roles, as the session would
 * give it to a loader. `email` is set so tests can look for e-mails in the outbox.
 */
export async function makePerson(
  db: Kysely<Database>,
  commune = "14366",
  options: {
    verified?: boolean;
    displayName?: string;
    roles?: { role: Role; scope: string }[];
    resident?: boolean;
  } = {},
): Promise<Actor & { email: string }> {
  const email = `p${n++}-${Math.random().toString(36).slice(2, 8)}@exemple.fr`;
  const created = await createResident(db, { email, password: "une phrase de passe", communeCode: commune });
  if (!created.ok) throw new Error("setup");
  if (options.verified !== false) await markEmailVerified(db, created.userId);
  if (options.displayName)
    await db.updateTable("users").set({ display_name: options.displayName }).where("id", "=", created.userId).execute();
  const roles: { role: string; scope: string }[] = [];
  if (options.resident === false) {
    await db.deleteFrom("user_roles").where("user_id", "=", created.userId).execute();
  } else {
    roles.push({ role: "resident", scope: "" });
  }
  for (const r of options.roles ?? []) {
    await grantRole(db, created.userId, r.role, r.scope);
    roles.push(r);
  }
  return {
    id: created.userId,
    email,
    emailVerified: options.verified !== false,
    communeCode: commune,
    displayName: options.displayName ?? null,
    roles,
  };
}
