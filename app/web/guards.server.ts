import { redirect } from "@remix-run/node";
import type { Role } from "../../db/schema";
import { hasRole, type AuthContext, type SessionUser } from "~/identity/session.server";

// HTTP glue of the routes layer: the domain answers "who is this, what may they do"; these turn a
// missing session into a redirect to log in and a missing role into a 403 page.

/** The redirect to the sign-in page, coming back to this request's page afterwards. */
export function signInRedirect(request: Request): Response {
  const url = new URL(request.url);
  return redirect(`/connexion?redirectTo=${encodeURIComponent(url.pathname + url.search)}`);
}

export function requireUser(context: { auth: AuthContext }, request: Request): SessionUser {
  const user = context.auth.user;
  if (!user) throw signInRedirect(request);
  return user;
}

const ROLE_NAMES: Record<Role, string> = {
  resident: "aux habitants inscrits",
  association: "aux associations",
  cts_member: "aux membres de CTS",
  moderator: "aux modérateurs",
  admin: "aux administrateurs",
  counter_agent: "aux agents de guichet habilités",
};

/**
 * The signed-in user if they hold `role` (or one of the roles listed: the page is named after the
 * first); a redirect to log in, or a 403 page, otherwise.
 */
export function requireRole(
  context: { auth: AuthContext },
  request: Request,
  role: Role | readonly [Role, ...Role[]],
): SessionUser {
  const user = requireUser(context, request);
  const roles = typeof role === "string" ? [role] : role;
  if (!roles.some((r) => hasRole(user, r)))
    throw new Response(`Cette page est réservée ${ROLE_NAMES[roles[0]!]}.`, { status: 403 });
  return user;
}
