import { createHash } from "node:crypto";
import type { Adapter, DatabaseSession, DatabaseUser } from "lucia";
import type { Kysely } from "kysely";
import { CONTENT_VERSION_KEY, FIRST_CONTENT_VERSION } from "../../db/content-version";
import { PREPARED } from "../../db/dialect";
import type { Database, Role } from "../../db/schema";

/**
 * The key a session is stored under: the SHA-256 of its token. The token (lucia's session id)
 * lives only in the cookie, so a copy of the database or a backup opens no session; the token has
 * 125 random bits, so a plain hash needs no salt nor slowness.
 */
export function sessionKey(token: string): string {
  return createHash("sha256").update(token).digest("hex");
}

/**
 * lucia v3 has no Kysely adapter; this one keeps sessions in our `sessions` table, on either
 * dialect. User attributes carry the roles too, so one request reads them once. lucia hands it
 * the token; the table only ever sees `sessionKey(token)`. Sessions listed by `getUserSessions`
 * therefore carry keys, not tokens: they can be deleted, not turned into cookies.
 */
export class KyselyAdapter implements Adapter {
  /**
   * @param absoluteDays a session ends this long after it was created however active it is (the
   *   idle timeout is lucia's sliding expiry); an older one is deleted when it shows up.
   */
  constructor(
    private readonly db: Kysely<Database>,
    private readonly absoluteDays = 30,
  ) {}

  // Every request with a session cookie runs this: one query (a row per role) rather than two.
  // Nothing is cached in memory, so logging out or a password reset ends the session at once.
  // The same statement reads the content version every signed-in request needs next (the render
  // cache, the vote's kept consultation): one round trip fewer per request (issue 19).
  async getSessionAndUser(sessionId: string): Promise<[DatabaseSession | null, DatabaseUser | null]> {
    const rows = await this.db
      .selectFrom("sessions as s")
      .innerJoin("users as u", "u.id", "s.user_id")
      .leftJoin("user_roles as r", "r.user_id", "u.id")
      .select([
        "s.expires_at",
        "s.created_at as session_created_at",
        "u.id",
        "u.email",
        "u.email_verified_at",
        "u.commune_code",
        "u.display_name",
        "u.assurance_level",
        "r.role",
        "r.scope",
        (eb) => eb.selectFrom("app_state").select("value").where("key", "=", CONTENT_VERSION_KEY).as("content_version"),
      ])
      .where("s.id", "=", sessionKey(sessionId))
      .modifyEnd(PREPARED)
      .execute();
    const row = rows[0];
    if (!row) return [null, null];
    const absoluteEnd = new Date(row.session_created_at).getTime() + this.absoluteDays * 86_400_000;
    if (absoluteEnd <= Date.now()) {
      await this.deleteSession(sessionId);
      return [null, null];
    }
    const roles = rows.flatMap((r) => (r.role === null ? [] : [{ role: r.role, scope: r.scope ?? "" }]));
    return [
      {
        id: sessionId,
        userId: row.id,
        expiresAt: new Date(row.expires_at),
        attributes: { content_version: row.content_version ?? FIRST_CONTENT_VERSION },
      },
      {
        id: row.id,
        attributes: {
          email: row.email,
          email_verified_at: row.email_verified_at,
          commune_code: row.commune_code,
          display_name: row.display_name,
          assurance_level: row.assurance_level,
          roles: roles.map((r) => ({ role: r.role as Role, scope: r.scope })),
        },
      },
    ];
  }

  async getUserSessions(userId: string): Promise<DatabaseSession[]> {
    const rows = await this.db.selectFrom("sessions").selectAll().where("user_id", "=", userId).execute();
    return rows.map((r) => ({ id: r.id, userId: r.user_id, expiresAt: new Date(r.expires_at), attributes: {} }));
  }

  async setSession(session: DatabaseSession): Promise<void> {
    await this.db
      .insertInto("sessions")
      .values({
        id: sessionKey(session.id),
        user_id: session.userId,
        expires_at: session.expiresAt.toISOString(),
        created_at: new Date().toISOString(),
      })
      .execute();
  }

  async updateSessionExpiration(sessionId: string, expiresAt: Date): Promise<void> {
    await this.db
      .updateTable("sessions")
      .set({ expires_at: expiresAt.toISOString() })
      .where("id", "=", sessionKey(sessionId))
      .execute();
  }

  async deleteSession(sessionId: string): Promise<void> {
    await this.db.deleteFrom("sessions").where("id", "=", sessionKey(sessionId)).execute();
  }

  async deleteUserSessions(userId: string): Promise<void> {
    await this.db.deleteFrom("sessions").where("user_id", "=", userId).execute();
  }

  async deleteExpiredSessions(): Promise<void> {
    await this.db.deleteFrom("sessions").where("expires_at", "<=", new Date().toISOString()).execute();
  }
}
