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
