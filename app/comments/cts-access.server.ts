import { hasRole, type SessionUser } from "../identity/session.server";

export type CtsSpaceAccess = { ok: true; user: SessionUser } | { ok: false; reason: "sign-in" | "not-cts-member" };

/**
 * A CTS's space (its comments, their exports) is for its members (role cts_member, scope = the
 * CTS code) and for administrators, checked on the server at every request.
 */
export function ctsSpaceAccess(user: SessionUser | null, ctsCode: string): CtsSpaceAccess {
  if (!user) return { ok: false, reason: "sign-in" };
  if (!hasRole(user, "cts_member", ctsCode) && !hasRole(user, "admin")) return { ok: false, reason: "not-cts-member" };
  return { ok: true, user };
}
