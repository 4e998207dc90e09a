import type { Session, User } from "lucia";
import type { Request as ExpressRequest, Response as ExpressResponse, NextFunction } from "express";
import type { Role } from "../../db/schema";
import { db } from "../platform/db.server";
import { env } from "../platform/env.server";
import { createLucia, type AppLucia } from "./lucia.server";

export type SessionUser = User;

export interface AuthContext {
  user: SessionUser | null;
  session: Session | null;
}

declare module "@remix-run/node" {
  interface AppLoadContext {
    auth: AuthContext;
  }
}

let lucia: AppLucia | undefined;
function auth(): AppLucia {
  const e = env();
  lucia ??= createLucia(db(), {
    secureCookie: e.SESSION_COOKIE_SECURE,
    idleDays: e.SESSION_IDLE_DAYS,
    absoluteDays: e.SESSION_ABSOLUTE_DAYS,
  });
  return lucia;
}

/**
 * Express middleware: reads the session cookie once per request, refreshes or clears it as lucia
 * says, and leaves the result in res.locals.auth for the Remix load context.
 */
export async function sessionMiddleware(req: ExpressRequest, res: ExpressResponse, next: NextFunction) {
  try {
    const lucia = auth();
    const sessionId = lucia.readSessionCookie(req.headers.cookie ?? "");
    let context: AuthContext = { user: null, session: null };
    if (sessionId) {
      const { session, user } = await lucia.validateSession(sessionId);
      if (session?.fresh) res.append("Set-Cookie", lucia.createSessionCookie(session.id).serialize());
      if (!session) res.append("Set-Cookie", lucia.createBlankSessionCookie().serialize());
      context = { user, session };
    }
    res.locals.auth = context;
    next();
  } catch (error) {
    next(error);
  }
}

/** Starts a new session (a new id at every login) and returns its Set-Cookie header. */
export async function startSession(userId: string): Promise<string> {
  const session = await auth().createSession(userId, {});
  return auth().createSessionCookie(session.id).serialize();
}

/** Ends this session and returns the Set-Cookie header that clears the cookie. */
export async function endSession(context: AuthContext): Promise<string> {
  if (context.session) await auth().invalidateSession(context.session.id);
  return auth().createBlankSessionCookie().serialize();
}

/** Ends every session of a user (after a password reset, or the account's deletion). */
export async function endAllSessions(userId: string): Promise<void> {
  await auth().invalidateUserSessions(userId);
}

/**
 * Ends every session of a user and starts a fresh one for this browser (after a password change:
 * whoever knew the old password is signed out, the person changing it is not). Returns its
 * Set-Cookie header.
 */
export async function renewSessionAlone(userId: string): Promise<string> {
  await endAllSessions(userId);
  return startSession(userId);
}

export function hasRole(user: SessionUser | null, role: Role, scope?: string): boolean {
  return !!user?.roles.some((r) => r.role === role && (scope === undefined || r.scope === scope));
}
