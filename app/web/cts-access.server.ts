import { hasRole } from "~/identity/session.server";
import { requireUser } from "./guards.server";
import type { AuthContext } from "../identity/session.server";

/**
 * A CTS's comments and exports are for its members (role cts_member, scope = CTS code) and for
 * administrators; anyone else gets a 403, checked on the server at every request.
 */
export function requireCtsAccess(context: { auth: AuthContext }, request: Request, ctsCode: string) {
  const user = requireUser(context, request);
  if (!hasRole(user, "cts_member", ctsCode) && !hasRole(user, "admin")) {
    throw new Response("Cette page est réservée aux membres de ce conseil territorial de santé.", { status: 403 });
  }
  return user;
}
