import { describe, expect, it } from "vitest";
import { searchKey } from "../../db/search-key";
import { parseEnv, EnvError } from "../../app/platform/env.server";
import { requestOrigin } from "../../app/platform/origin.server";

describe("environment", () => {
  it("defaults to SQLite on 127.0.0.1:3000, no explicit outbox, plain-http cookies", () => {
    const env = parseEnv({});
    expect(env).toMatchObject({
      HOST: "127.0.0.1",
      PORT: 3000,
      PUBLIC_URL: "http://localhost:3000",
      EMAIL_OUTBOX: false,
      SESSION_COOKIE_SECURE: false,
    });
    expect(env.DATABASE_URL).toBeUndefined();
  });

  it("uses secure cookies behind https", () => {
    const env = parseEnv({ PUBLIC_URL: "https://priorites.example.fr/", SMTP_URL: "smtp://mail:25" });
    expect(env).toMatchObject({
      PUBLIC_URL: "https://priorites.example.fr",
      SESSION_COOKIE_SECURE: true,
    });
  });

  it("names the bad variable", () => {
    expect(() => parseEnv({ PORT: "abc" })).toThrow(EnvError);
    expect(() => parseEnv({ PORT: "abc" })).toThrow(/PORT/);
    expect(() => parseEnv({ DATABASE_URL: "mysql://x" })).toThrow(/DATABASE_URL/);
  });

  it("rate limits in memory, sessions 30 days, no proxy believed, unless told otherwise", () => {
    expect(parseEnv({})).toMatchObject({
      RATE_LIMIT_STORE: "memory",
      TRUST_PROXY: false,
      SESSION_ABSOLUTE_DAYS: 30,
      RATE_LIMIT_IP_FACTOR: 1,
    });
    expect(parseEnv({ TRUST_PROXY: "1" }).TRUST_PROXY).toBe(1);
    expect(parseEnv({ TRUST_PROXY: "loopback, 10.0.0.0/8" }).TRUST_PROXY).toEqual(["loopback", "10.0.0.0/8"]);
    expect(parseEnv({ RATE_LIMIT_STORE: "redis", REDIS_URL: "redis://127.0.0.1:6379" }).RATE_LIMIT_STORE).toBe("redis");
  });

  it("sizes the PostgreSQL pool and the render caches as told, within bounds", () => {
    expect(parseEnv({})).toMatchObject({
      DATABASE_POOL_SIZE: 10,
      RENDER_CACHE_PAGES: 500,
      RENDER_CACHE_SIGNED_IN: 1000,
    });
    expect(parseEnv({ DATABASE_POOL_SIZE: "4", RENDER_CACHE_SIGNED_IN: "4000" })).toMatchObject({
      DATABASE_POOL_SIZE: 4,
      RENDER_CACHE_SIGNED_IN: 4000,
    });
    expect(() => parseEnv({ DATABASE_POOL_SIZE: "0" })).toThrow(/DATABASE_POOL_SIZE/);
    expect(() => parseEnv({ RENDER_CACHE_SIGNED_IN: "-1" })).toThrow(/RENDER_CACHE_SIGNED_IN/);
  });

  it("refuses a shared rate-limit store without its connection", () => {
    expect(() => parseEnv({ RATE_LIMIT_STORE: "redis" })).toThrow(/REDIS_URL/);
    expect(() => parseEnv({ RATE_LIMIT_STORE: "postgres" })).toThrow(/DATABASE_URL/);
    expect(() => parseEnv({ RATE_LIMIT_STORE: "fichier" })).toThrow(/RATE_LIMIT_STORE/);
    expect(() => parseEnv({ DATABASE_SCHEMA: "Robert'); drop" })).toThrow(/DATABASE_SCHEMA/);
  });
});

describe("searchKey", () => {
  it("folds accents, case, punctuation and Saint/Sainte abbreviations", () => {
    expect(searchKey("Saint-Lô")).toBe("saint lo");
    expect(searchKey("ST LO")).toBe("saint lo");
    expect(searchKey("Sainte-Mère-Église")).toBe("sainte mere eglise");
    expect(searchKey("L'Haÿ-les-Roses")).toBe("l hay les roses");
    expect(searchKey("Œuilly")).toBe("oeuilly");
    expect(searchKey("100% _x_")).toBe("100 x");
  });
});

describe("requestOrigin", () => {
  it("prefers Origin, falls back to Referer, else null", () => {
    expect(requestOrigin({ origin: "http://a.fr", referer: "http://b.fr/x" })).toBe("http://a.fr");
    expect(requestOrigin({ referer: "http://b.fr/x?y" })).toBe("http://b.fr");
    expect(requestOrigin({ referer: "pas une url" })).toBeNull();
    expect(requestOrigin({})).toBeNull();
  });
});
