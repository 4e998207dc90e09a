import { Lucia, TimeSpan } from "lucia";
import type { Kysely } from "kysely";
import type { AssuranceLevel, Database, Role } from "../../db/schema";
import { KyselyAdapter } from "./kysely-adapter.server";

export interface AuthOptions {
  secureCookie: boolean;
  idleDays: number;
  /** Days after sign-in when a session ends, however active. */
  absoluteDays: number;
}

export function createLucia(db: Kysely<Database>, options: AuthOptions) {
  return new Lucia(new KyselyAdapter(db, options.absoluteDays), {
    // Sliding expiry: lucia extends a session used in its second half.
    sessionExpiresIn: new TimeSpan(options.idleDays, "d"),
    sessionCookie: {
      // The __Host- prefix binds the cookie to this host and requires Secure and Path=/.
      name: options.secureCookie ? "__Host-ps_session" : "ps_session",
      attributes: { secure: options.secureCookie, sameSite: "lax" },
    },
    getSessionAttributes: (a) => ({ contentVersion: a.content_version }),
    getUserAttributes: (a) => ({
      email: a.email,
      emailVerified: a.email_verified_at !== null,
      communeCode: a.commune_code,
      displayName: a.display_name,
      assuranceLevel: a.assurance_level,
      roles: a.roles,
    }),
  });
}

export type AppLucia = ReturnType<typeof createLucia>;

declare module "lucia" {
  interface Register {
    Lucia: AppLucia;
    /** Read with the session, not stored with it (KyselyAdapter.getSessionAndUser). */
    DatabaseSessionAttributes: { content_version?: string };
    DatabaseUserAttributes: {
      email: string;
      email_verified_at: string | null;
      /** null for an account that lives nowhere in particular (an administrator made by admin:create). */
      commune_code: string | null;
      display_name: string | null;
      assurance_level: AssuranceLevel;
      roles: { role: Role; scope: string }[];
    };
  }
}
