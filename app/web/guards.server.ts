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

/** The signed-in user if they hold `role`; a redirect to log in, or a 403 page, otherwise. */
export function requireRole(context: { auth: AuthContext }, request: Request, role: Role): SessionUser {
  const user = requireUser(context, request);
  if (!hasRole(user, role)) throw new Response(`Cette page est réservée ${ROLE_NAMES[role]}.`, { status: 403 });
  return user;
}
