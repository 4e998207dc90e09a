import { z } from "zod";

const booleanFlag = z
  .enum(["true", "false", "1", "0", "yes", "no"])
  .transform((v) => v === "true" || v === "1" || v === "yes");

const envSchema = z
  .object({
    NODE_ENV: z.enum(["development", "production", "test"]).default("production"),
    HOST: z.string().min(1).default("127.0.0.1"),
    PORT: z.coerce.number().int().min(1).max(65535).default(3000),
    /** Public address of the site, used in e-mailed links and for the Origin check. */
    PUBLIC_URL: z.url({ protocol: /^https?$/ }).optional(),
    /** postgres://… selects PostgreSQL; unset uses the SQLite file below. */
    DATABASE_URL: z
      .string()
      .regex(/^postgres(ql)?:\/\//, "DATABASE_URL doit commencer par postgres:// ou postgresql://")
      .optional(),
    /** PostgreSQL schema holding the tables (created if missing); unset: the connection's default. */
    DATABASE_SCHEMA: z
      .string()
      .regex(/^[a-z_][a-z0-9_]{0,62}$/, "DATABASE_SCHEMA : lettres minuscules, chiffres et _")
      .optional(),
    SQLITE_FILE: z.string().min(1).default("./data/priorites-sante.sqlite"),
    SQLITE_BUSY_TIMEOUT_MS: z.coerce.number().int().min(0).max(60_000).default(5000),
    /**
     * PostgreSQL: a statement is cancelled by the server after this long (its transaction rolls
     * back); the client drops a connection whose answer is a second later than that (stalled network).
     */
    DATABASE_STATEMENT_TIMEOUT_MS: z.coerce.number().int().min(100).max(600_000).default(5000),
    /**
     * PostgreSQL: connections each server process keeps (its pool). The database's
     * max_connections must cover every process's pool plus its rank-interval worker's (docs/capacity.md).
     */
    DATABASE_POOL_SIZE: z.coerce.number().int().min(1).max(500).default(10),
    /** PostgreSQL: how long a request waits for a connection before its 503. */
    DATABASE_CONNECT_TIMEOUT_MS: z.coerce.number().int().min(100).max(60_000).default(3000),
    /** smtp://user:pass@host:port; unset keeps e-mails in the outbox table. */
    SMTP_URL: z
      .string()
      .regex(/^smtps?:\/\//, "SMTP_URL doit commencer par smtp:// ou smtps://")
      .optional(),
    MAIL_FROM: z.string().min(3).default("Priorités Santé <ne-pas-repondre@priorites-sante.localhost>"),
    /**
     * Production without SMTP_URL: e-mails (sign-in and reset links) stay in the outbox table. The
     * server refuses to start unless this says so explicitly (README, « E-mail and the outbox »).
     */
    EMAIL_OUTBOX: booleanFlag.default(false),
    SESSION_COOKIE_SECURE: booleanFlag.optional(),
    SESSION_IDLE_DAYS: z.coerce.number().int().min(1).max(90).default(30),
    /** A session ends this many days after sign-in, however active (counted from sessions.created_at). */
    SESSION_ABSOLUTE_DAYS: z.coerce.number().int().min(1).max(365).default(30),
    /** Where rate-limit counters live: memory (per process), redis (REDIS_URL) or postgres (DATABASE_URL). */
    RATE_LIMIT_STORE: z.enum(["memory", "redis", "postgres"]).default("memory"),
    REDIS_URL: z
      .string()
      .regex(/^rediss?:\/\//, "REDIS_URL doit commencer par redis:// ou rediss://")
      .optional(),
    /** Redis: how long a command (and a connection attempt) may take before the in-process counters answer. */
    REDIS_TIMEOUT_MS: z.coerce.number().int().min(50).max(60_000).default(500),
    /** Prefix of the counters' keys in the shared store (several deployments, or test runs, on one Redis). */
    RATE_LIMIT_PREFIX: z
      .string()
      .regex(/^[A-Za-z0-9_-]{1,40}$/)
      .default("ps"),
    /**
     * Multiplies every per-address allowance. Only for tests, where every browser comes from
     * 127.0.0.1; leave it at 1 in production.
     */
    RATE_LIMIT_IP_FACTOR: z.coerce.number().int().min(1).max(100_000).default(1),
    /**
     * Which proxies to believe about the client's address (X-Forwarded-For), as Express's
     * `trust proxy`: a number of hops (1 behind one load balancer) or a comma-separated list of
     * addresses or subnets (loopback, 10.0.0.0/8). Unset: the socket's address is the client's.
     */
    TRUST_PROXY: z
      .string()
      .regex(
        /^(\d{1,2}|[0-9A-Za-z.:/_-]+(\s*,\s*[0-9A-Za-z.:/_-]+)*)$/,
        "TRUST_PROXY : un nombre de relais ou une liste d'adresses",
      )
      .optional(),
    /** Skip loading the real territories on start (for tests that load a small fixture). */
    SKIP_TERRITORY_LOAD: booleanFlag.default(false),
    /** Skip loading the proposal catalogue on start (it is loaded by npm run catalogue:load too). */
    SKIP_CATALOGUE_LOAD: booleanFlag.default(false),
    /** Request log level (pino); defaults to info, or silent when NODE_ENV=test (vitest). */
    LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).optional(),
    /** Append the request log to this file instead of standard output. */
    LOG_FILE: z.string().min(1).optional(),
    /** How long a SIGTERM waits for requests in progress before closing them. */
    SHUTDOWN_TIMEOUT_MS: z.coerce.number().int().min(0).max(120_000).default(10_000),
    /**
     * After a SIGTERM, /readyz answers 503 this long while the server still serves, so the load
     * balancer stops sending traffic before the listener closes (a few of its polling intervals).
     */
    SHUTDOWN_READY_DELAY_MS: z.coerce.number().int().min(0).max(120_000).default(5000),
    /** Serve /bench/insert, the benchmarks' minimal action (never in production). */
    BENCH_BASELINE: booleanFlag.default(false),
    /** Keep reference data and anonymous pages in memory (off: the benchmarks' uncached baseline). */
    CONTENT_CACHE: booleanFlag.default(true),
    /** Rendered anonymous pages kept in memory (one per address with its query string). */
    RENDER_CACHE_PAGES: z.coerce.number().int().min(0).max(1_000_000).default(500),
    /** Rendered signed-in pages kept in memory (one per resident and address), about 60 KB each. */
    RENDER_CACHE_SIGNED_IN: z.coerce.number().int().min(0).max(1_000_000).default(1000),
    /**
     * FranceConnect (OpenID Connect): the provider's issuer address (its discovery document is
     * read from it), and this site's client id and secret. All three or none: unset, no
     * FranceConnect button and its pages answer 404.
     */
    FRANCECONNECT_ISSUER: z.url({ protocol: /^https?$/ }).optional(),
    FRANCECONNECT_CLIENT_ID: z.string().min(1).optional(),
    FRANCECONNECT_CLIENT_SECRET: z.string().min(1).optional(),
    /** Where the provider sends the person back; defaults to PUBLIC_URL + /franceconnect/retour. */
    FRANCECONNECT_REDIRECT_URI: z.url({ protocol: /^https?$/ }).optional(),
    /** acr_values asked of the provider (FranceConnect: eidas1); unset, none asked. */
    FRANCECONNECT_ACR_VALUES: z.string().min(1).optional(),
    /** How long one call to the provider may take before the person is told to come back later. */
    FRANCECONNECT_TIMEOUT_MS: z.coerce.number().int().min(100).max(60_000).default(5000),
  })
  .superRefine((env, ctx) => {
    if (env.RATE_LIMIT_STORE === "redis" && !env.REDIS_URL) {
      ctx.addIssue({
        code: "custom",
        path: ["REDIS_URL"],
        message: "RATE_LIMIT_STORE=redis demande REDIS_URL (redis://hôte:6379)",
      });
    }
    if (env.RATE_LIMIT_STORE === "postgres" && !env.DATABASE_URL) {
      ctx.addIssue({
        code: "custom",
        path: ["DATABASE_URL"],
        message: "RATE_LIMIT_STORE=postgres demande DATABASE_URL (PostgreSQL)",
      });
    }
    const fc = [env.FRANCECONNECT_ISSUER, env.FRANCECONNECT_CLIENT_ID, env.FRANCECONNECT_CLIENT_SECRET];
    if (fc.some(Boolean) && !fc.every(Boolean)) {
      ctx.addIssue({
        code: "custom",
        path: ["FRANCECONNECT_ISSUER"],
        message:
          "FranceConnect demande FRANCECONNECT_ISSUER, FRANCECONNECT_CLIENT_ID et FRANCECONNECT_CLIENT_SECRET ensemble",
      });
    }
  })
  .transform((env) => {
    const publicUrl = env.PUBLIC_URL ?? `http://localhost:${env.PORT}`;
    const secure = env.SESSION_COOKIE_SECURE ?? publicUrl.startsWith("https://");
    return {
      ...env,
      PUBLIC_URL: publicUrl.replace(/\/$/, ""),
      SESSION_COOKIE_SECURE: secure,
      LOG_LEVEL: env.LOG_LEVEL ?? (env.NODE_ENV === "test" ? "silent" : "info"),
      TRUST_PROXY: trustProxy(env.TRUST_PROXY),
      FRANCECONNECT_REDIRECT_URI:
        env.FRANCECONNECT_REDIRECT_URI ?? `${publicUrl.replace(/\/$/, "")}/franceconnect/retour`,
    };
  });

/** Express's `trust proxy` value: false (the socket address), a hop count, or a list of subnets. */
function trustProxy(value: string | undefined): false | number | string[] {
  if (!value || value === "false" || value === "0") return false;
  if (/^\d+$/.test(value)) return Number(value);
  return value.split(",").map((part) => part.trim());
}

export type Env = z.infer<typeof envSchema>;

/** Parses the environment once; a bad value stops the server with a message naming the variable. */
export function parseEnv(source: Record<string, string | undefined> = process.env): Env {
  const result = envSchema.safeParse(source);
  if (!result.success) {
    const lines = result.error.issues.map((i) => `  - ${i.path.join(".")} : ${i.message}`);
    throw new EnvError(`Configuration invalide :\n${lines.join("\n")}`);
  }
  return result.data;
}

export class EnvError extends Error {}

let cached: Env | undefined;
export function env(): Env {
  cached ??= parseEnv();
  return cached;
}

/** For commands only (site-address.server.ts): the address the server recorded, when the shell has no PUBLIC_URL. */
export function adoptPublicUrl(url: string): void {
  cached = { ...env(), PUBLIC_URL: url.replace(/\/$/, "") };
}
