import { RateLimiterMemory, RateLimiterRes } from "rate-limiter-flexible";

/** Failed logins allowed per e-mail address per minute; the next attempt gets a 429. */
export const LOGIN_FAILURES_PER_MINUTE = 5;

const loginFailures = new RateLimiterMemory({ points: LOGIN_FAILURES_PER_MINUTE, duration: 60 });

/** Seconds to wait before trying this e-mail again, or 0 when a login attempt is allowed. */
export async function loginRetryAfter(email: string): Promise<number> {
  const res = await loginFailures.get(email);
  if (res && res.consumedPoints >= LOGIN_FAILURES_PER_MINUTE) return Math.ceil(res.msBeforeNext / 1000);
  return 0;
}

export async function recordLoginFailure(email: string): Promise<void> {
  try {
    await loginFailures.consume(email);
  } catch (error) {
    if (!(error instanceof RateLimiterRes)) throw error;
  }
}

export async function clearLoginFailures(email: string): Promise<void> {
  await loginFailures.delete(email);
}

/** Comments (and replies) a resident may post: at most 10 per 10 minutes and 50 per day. */
export const COMMENTS_PER_10_MINUTES = 10;
export const COMMENTS_PER_DAY = 50;

const commentBurst = new RateLimiterMemory({ keyPrefix: "comments-10min", points: COMMENTS_PER_10_MINUTES, duration: 600 });
const commentDaily = new RateLimiterMemory({ keyPrefix: "comments-day", points: COMMENTS_PER_DAY, duration: 86_400 });

export type Allowance = { ok: true } | { ok: false; retryAfter: number; message: string };

/**
 * Takes one comment from the resident's allowance, or says how long to wait (nothing taken).
 * Called just before writing; `refundComment` gives the point back when the write is refused.
 */
export async function takeCommentAllowance(userId: string): Promise<Allowance> {
  try {
    await commentBurst.consume(userId);
  } catch (error) {
    if (!(error instanceof RateLimiterRes)) throw error;
    // A refused attempt takes nothing.
    await commentBurst.reward(userId);
    const retryAfter = Math.ceil(error.msBeforeNext / 1000);
    return {
      ok: false,
      retryAfter,
      message: `Vous avez publié ${COMMENTS_PER_10_MINUTES} commentaires en 10 minutes : attendez ${waitLabel(retryAfter)} avant d’en publier un autre.`,
    };
  }
  try {
    await commentDaily.consume(userId);
  } catch (error) {
    await commentBurst.reward(userId);
    if (!(error instanceof RateLimiterRes)) throw error;
    await commentDaily.reward(userId);
    const retryAfter = Math.ceil(error.msBeforeNext / 1000);
    return {
      ok: false,
      retryAfter,
      message: `Vous avez publié ${COMMENTS_PER_DAY} commentaires aujourd’hui, le maximum : vous pourrez en publier d’autres dans ${waitLabel(retryAfter)}.`,
    };
  }
  return { ok: true };
}

export async function refundComment(userId: string): Promise<void> {
  await Promise.all([commentBurst.reward(userId), commentDaily.reward(userId)]);
}

function waitLabel(seconds: number): string {
  if (seconds < 60) return `${seconds} seconde${seconds > 1 ? "s" : ""}`;
  const minutes = Math.ceil(seconds / 60);
  if (minutes < 120) return `${minutes} minute${minutes > 1 ? "s" : ""}`;
  return `${Math.ceil(minutes / 60)} heures`;
}
