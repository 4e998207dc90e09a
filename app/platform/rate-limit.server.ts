import { Redis } from "ioredis";
import {
  RateLimiterMemory,
  RateLimiterPostgres,
  RateLimiterRedis,
  RateLimiterRes,
  type RateLimiterAbstract,
} from "rate-limiter-flexible";
import { database } from "./db.server";
import { env } from "./env.server";
import { reportStoreError, reportStoreOk } from "./store-health.server";

// Every allowance of the site, in one table, counted in the store RATE_LIMIT_STORE names:
// memory (per process: right for one server), redis or postgres (shared by every app server, so
// N servers allow what one does). A refused attempt takes nothing from the allowance.

interface Rule {
  points: number;
  /** Seconds; the window starts at the first point taken. */
  duration: number;
  /** Keyed by the client's address: scaled by RATE_LIMIT_IP_FACTOR in tests. */
  perAddress?: boolean;
  /** What the person reads on a 429, given the wait ("3 minutes"). */
  message: (wait: string) => string;
}

export const RULES = {
  /** Sign-up forms posted from one address (residents and associations together). */
  signupPerAddress: {
    points: 20,
    duration: 3600,
    perAddress: true,
    message: (wait) =>
      `Trop d’inscriptions depuis votre connexion : réessayez dans ${wait}. Vos réponses sont conservées ci-dessous.`,
  },
  /**
   * Failed logins (and failed password confirmations) per account and network: a guesser is
   * stopped, while the owner signing in from another network is not locked out by them.
   */
  loginFailuresPerAccountNetwork: {
    points: 5,
    duration: 60,
    message: (wait) =>
      `Trop de tentatives de connexion pour ce compte depuis votre connexion. Réessayez dans ${wait}, ou choisissez un nouveau mot de passe avec « Mot de passe oublié ? ».`,
  },
  /** Failed logins from one network, whatever the e-mail tried (credential stuffing). */
  loginFailuresPerAddress: {
    points: 30,
    duration: 900,
    perAddress: true,
    message: (wait) => `Trop de tentatives de connexion depuis votre connexion. Réessayez dans ${wait}.`,
  },
  /** Password-reset e-mails asked for one address (counted whether or not it has an account). */
  passwordResetPerEmail: {
    points: 3,
    duration: 3600,
    message: (wait) =>
      `Plusieurs liens ont déjà été demandés pour cette adresse : consultez votre messagerie, ou réessayez dans ${wait}.`,
  },
  passwordResetPerAddress: {
    points: 20,
    duration: 3600,
    perAddress: true,
    message: (wait) => `Trop de demandes depuis votre connexion : réessayez dans ${wait}.`,
  },
  /** "Renvoyer le lien de confirmation", per account. */
  verificationResend: {
    points: 3,
    duration: 3600,
    message: (wait) =>
      `Trois liens de confirmation ont déjà été envoyés cette heure-ci : consultez votre messagerie (et les indésirables), ou réessayez dans ${wait}.`,
  },
  commentsBurst: {
    points: 10,
    duration: 600,
    message: (wait) => `Vous avez publié 10 commentaires en 10 minutes : attendez ${wait} avant d’en publier un autre.`,
  },
  commentsDaily: {
    points: 50,
    duration: 86_400,
    message: (wait) =>
      `Vous avez publié 50 commentaires aujourd’hui, le maximum : vous pourrez en publier d’autres dans ${wait}.`,
  },
  /**
   * Vote requests per resident. Generous: a person clicking through the proposals as fast as they
   * can stays far below it; a script replaying requests does not.
   */
  ballots: {
    points: 60,
    duration: 60,
    message: (wait) => `Trop de votes envoyés en une minute : celui-ci n’a pas été enregistré. Réessayez dans ${wait}.`,
  },
  /** The open-data API, per address. */
  apiPerAddress: {
    points: 120,
    duration: 60,
    perAddress: true,
    message: (wait) => `Trop de requêtes sur l’API depuis votre adresse : réessayez dans ${wait}.`,
  },
  /** Postal letters asked per account (each costs a stamp; a new one voids the previous). */
  postalLetters: {
    points: 3,
    duration: 30 * 86_400,
    message: (wait) =>
      `Vous avez déjà demandé trois courriers ces 30 derniers jours : attendez celui en cours, ou réessayez dans ${wait}.`,
  },
} satisfies Record<string, Rule>;

export type RuleName = keyof typeof RULES;

export const COMMENTS_PER_10_MINUTES = RULES.commentsBurst.points;
export const COMMENTS_PER_DAY = RULES.commentsDaily.points;

export type Allowance = { ok: true } | { ok: false; retryAfter: number; message: string };

/** Takes one point, or says how long to wait (and then takes nothing). */
export async function take(name: RuleName, key: string): Promise<Allowance> {
  const limiter = await limiterFor(name);
  try {
    await limiter.consume(key);
    return { ok: true };
  } catch (error) {
    if (!(error instanceof RateLimiterRes)) throw error;
    await limiter.reward(key);
    return refusedFor(name, error.msBeforeNext);
  }
}

/** Whether the allowance is spent, without taking anything (checked before the work it guards). */
export async function peek(name: RuleName, key: string): Promise<Allowance> {
  const limiter = await limiterFor(name);
  const res = await limiter.get(key);
  if (res && res.consumedPoints >= limiter.points) return refusedFor(name, res.msBeforeNext);
  return { ok: true };
}

/** Takes one point whatever is left (a failed login counts even past the limit). */
export async function charge(name: RuleName, key: string): Promise<void> {
  const limiter = await limiterFor(name);
  try {
    await limiter.consume(key);
  } catch (error) {
    if (!(error instanceof RateLimiterRes)) throw error;
  }
}

/** Gives one point back (the guarded write was refused for another reason). */
export async function refund(name: RuleName, key: string): Promise<void> {
  await (await limiterFor(name)).reward(key);
}

export async function clear(name: RuleName, key: string): Promise<void> {
  await (await limiterFor(name)).delete(key);
}

/** The Retry-After header of a refusal. */
export function retryHeaders(refused: { retryAfter: number }): HeadersInit {
  return { "Retry-After": String(refused.retryAfter) };
}

function refusedFor(name: RuleName, msBeforeNext: number): Allowance {
  const retryAfter = Math.max(1, Math.ceil(msBeforeNext / 1000));
  return { ok: false, retryAfter, message: RULES[name].message(waitLabel(retryAfter)) };
}

function waitLabel(seconds: number): string {
  // Up to a minute and a half in seconds: "60 secondes" says the login wait more exactly than "1 minute".
  if (seconds <= 90) return `${seconds} seconde${seconds > 1 ? "s" : ""}`;
  const minutes = Math.ceil(seconds / 60);
  if (minutes < 120) return `${minutes} minute${minutes > 1 ? "s" : ""}`;
  return `${Math.ceil(minutes / 60)} heures`;
}

// — Comments (two allowances taken together) —

/**
 * Takes one comment from the resident's allowances (10 per 10 minutes, 50 a day), or says how long
 * to wait (nothing taken). `refundComment` gives it back when the write is refused.
 */
export async function takeCommentAllowance(userId: string): Promise<Allowance> {
  const burst = await take("commentsBurst", userId);
  if (!burst.ok) return burst;
  const daily = await take("commentsDaily", userId);
  if (!daily.ok) await refund("commentsBurst", userId);
  return daily;
}

export async function refundComment(userId: string): Promise<void> {
  await Promise.all([refund("commentsBurst", userId), refund("commentsDaily", userId)]);
}

// — The store —

const limiters = new Map<RuleName, Promise<RateLimiterAbstract>>();
let redis: Promise<Redis> | undefined;
let postgresTable: Promise<void> | undefined;
/** One table for every rule on PostgreSQL (keys carry the rule's prefix); made by the library. */
const RATE_LIMIT_TABLE = "rate_limits";

function limiterFor(name: RuleName): Promise<RateLimiterAbstract> {
  let limiter = limiters.get(name);
  if (!limiter) {
    limiter = createLimiter(name);
    limiters.set(name, limiter);
    // A failed creation (store unreachable) is retried at the next request.
    limiter.catch(() => limiters.delete(name));
  }
  return limiter;
}

async function createLimiter(name: RuleName): Promise<RateLimiterAbstract> {
  const config = env();
  const rule: Rule = RULES[name];
  const options = {
    keyPrefix: `${config.RATE_LIMIT_PREFIX}:${name}`,
    points: rule.perAddress ? rule.points * config.RATE_LIMIT_IP_FACTOR : rule.points,
    duration: rule.duration,
  };
  if (config.RATE_LIMIT_STORE === "memory") return new RateLimiterMemory(options);
  // If the shared store fails, each process counts on its own rather than refusing everyone.
  const insuranceLimiter = new RateLimiterMemory(options);
  if (config.RATE_LIMIT_STORE === "redis") {
    return new RateLimiterRedis({ ...options, storeClient: await redisClient(config.REDIS_URL!), insuranceLimiter });
  }
  const handle = database();
  if (!handle.pgPool) throw new Error("RATE_LIMIT_STORE=postgres demande DATABASE_URL");
  const shared = {
    ...options,
    storeClient: handle.pgPool,
    storeType: "pool",
    tableName: RATE_LIMIT_TABLE,
    schemaName: handle.schema,
    insuranceLimiter,
  };
  postgresTable ??= new Promise<void>((resolve, reject) => {
    new RateLimiterPostgres(shared, (error?: unknown) => (error ? reject(error) : resolve()));
  }).catch((error: unknown) => {
    postgresTable = undefined;
    throw error;
  });
  await postgresTable;
  return new RateLimiterPostgres({ ...shared, tableCreated: true });
}

/**
 * One connection per process, shared by every rule; every caller waits for the first attempt.
 * While Redis is unreachable or stalled (connection open, no reply), a call fails after
 * REDIS_TIMEOUT_MS and the insurance limiter answers: requests never hang on Redis, and a command
 * that timed out only moves a counter if it ever runs. The episode is logged once, with its cause.
 */
function redisClient(url: string): Promise<Redis> {
  redis ??= (async () => {
    const timeout = env().REDIS_TIMEOUT_MS;
    // No offline queue: while Redis is unreachable, calls fail at once instead of waiting for it.
    const client = new Redis(url, {
      enableOfflineQueue: false,
      maxRetriesPerRequest: 1,
      lazyConnect: true,
      commandTimeout: timeout,
      connectTimeout: Math.max(timeout, 1000),
    });
    client.on("error", (error: unknown) => reportStoreError("Redis", error));
    client.on("ready", () => reportStoreOk("Redis"));
    // Command timeouts raise no 'error' event: each command's outcome is watched instead.
    const send = client.sendCommand.bind(client);
    client.sendCommand = (command, stream) => {
      command.promise.then(
        () => reportStoreOk("Redis"),
        (error: unknown) => reportStoreError("Redis", error),
      );
      return send(command, stream);
    };
    await client.connect().catch(() => undefined);
    return client;
  })();
  return redis;
}
