import { randomBytes, randomUUID } from "node:crypto";
import type { Insertable, Kysely } from "kysely";
import type { Database } from "../db/schema";
import { sessionKey } from "../app/identity/kysely-adapter.server";

/**
 * Verified residents spread over a region's communes, each with a live session, written straight
 * into the database (a benchmark measures voting, not signing up). Returns their session tokens (the cookie's value).
 */
export async function createVoters(db: Kysely<Database>, regionCode: string, count: number): Promise<string[]> {
  const communes = await db
    .selectFrom("communes")
    .select("code")
    .where("region_code", "=", regionCode)
    .where("kind", "=", "commune")
    .orderBy("population", "desc")
    .limit(200)
    .execute();
  const now = new Date().toISOString();
  // As a session just created or extended (SESSION_IDLE_DAYS, 30): the first request of the
  // benchmark does not have to extend it.
  const expires = new Date(Date.now() + 30 * 24 * 3600 * 1000).toISOString();
  const sessions: string[] = [];
  for (let start = 0; start < count; start += 500) {
    const users: Insertable<Database["users"]>[] = [];
    const roles: Database["user_roles"][] = [];
    const rows: Database["sessions"][] = [];
    for (let i = start; i < Math.min(count, start + 500); i++) {
      const id = randomUUID();
      const email = `bench-${i}-${id.slice(0, 8)}@exemple.fr`;
      users.push({
        id,
        email,
        email_canonical: email,
        region_changed_at: null,
        signup_network: null,
        // Never used to log in: sessions are made directly.
        password_hash: "bench",
        email_verified_at: now,
        commune_code: communes[i % communes.length]!.code,
        display_name: null,
        created_at: now,
        updated_at: now,
      });
      roles.push({ user_id: id, role: "resident", scope: "", created_at: now });
      const session = randomBytes(20).toString("hex");
      // Stored by its hash, as the adapter does; the token goes to the caller's cookie.
      rows.push({ id: sessionKey(session), user_id: id, expires_at: expires, created_at: now });
      sessions.push(session);
    }
    await db.transaction().execute(async (trx) => {
      await trx.insertInto("users").values(users).execute();
      await trx.insertInto("user_roles").values(roles).execute();
      await trx.insertInto("sessions").values(rows).execute();
    });
  }
  return sessions;
}

/** A user holding `role` (scope: a CTS code, a region…) with a live session; returns the session token. */
export async function createMember(
  db: Kysely<Database>,
  role: Database["user_roles"]["role"],
  scope: string,
  communeCode: string,
): Promise<string> {
  const now = new Date().toISOString();
  const id = randomUUID();
  const session = randomBytes(20).toString("hex");
  await db.transaction().execute(async (trx) => {
    await trx
      .insertInto("users")
      .values({
        id,
        email: `bench-${role}-${id.slice(0, 8)}@exemple.fr`,
        password_hash: "bench",
        email_verified_at: now,
        commune_code: communeCode,
        display_name: null,
        created_at: now,
        updated_at: now,
      })
      .execute();
    await trx.insertInto("user_roles").values({ user_id: id, role, scope, created_at: now }).execute();
    await trx
      .insertInto("sessions")
      .values({
        id: sessionKey(session),
        user_id: id,
        expires_at: new Date(Date.now() + 7 * 24 * 3600 * 1000).toISOString(),
        created_at: now,
      })
      .execute();
  });
  return session;
}
