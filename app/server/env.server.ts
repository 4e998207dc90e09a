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
    /** smtp://user:pass@host:port; unset keeps e-mails in the outbox table. */
    SMTP_URL: z.string().regex(/^smtps?:\/\//, "SMTP_URL doit commencer par smtp:// ou smtps://").optional(),
    MAIL_FROM: z.string().min(3).default("Priorités Santé <ne-pas-repondre@priorites-sante.localhost>"),
    /** Show /dev/outbox. Defaults to on when no SMTP server is configured. */
    DEV_OUTBOX: booleanFlag.optional(),
    SESSION_COOKIE_SECURE: booleanFlag.optional(),
    SESSION_IDLE_DAYS: z.coerce.number().int().min(1).max(90).default(30),
    /** Skip loading the real territories on start (for tests that load a small fixture). */
    SKIP_TERRITORY_LOAD: booleanFlag.default(false),
    /** Skip loading the proposal catalogue on start (it is loaded by npm run catalogue:load too). */
    SKIP_CATALOGUE_LOAD: booleanFlag.default(false),
    /** Serve /bench/insert, the benchmarks' minimal action (never in production). */
    BENCH_BASELINE: booleanFlag.default(false),
    /** Keep reference data and anonymous pages in memory (off: the benchmarks' uncached baseline). */
    CONTENT_CACHE: booleanFlag.default(true),
  })
  .transform((env) => {
    const publicUrl = env.PUBLIC_URL ?? `http://localhost:${env.PORT}`;
    const secure = env.SESSION_COOKIE_SECURE ?? publicUrl.startsWith("https://");
    return {
      ...env,
      PUBLIC_URL: publicUrl.replace(/\/$/, ""),
      SESSION_COOKIE_SECURE: secure,
      DEV_OUTBOX: env.DEV_OUTBOX ?? !env.SMTP_URL,
    };
  });

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
