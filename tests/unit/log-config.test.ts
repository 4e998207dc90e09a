import { describe, expect, it } from "vitest";
import { EnvError, parseEnv } from "../../app/platform/env.server";
import { loggedPath } from "../../app/platform/log.server";

describe("request log configuration", () => {
  it("LOG_LEVEL: info by default, silent under NODE_ENV=test, a bad value names the variable", () => {
    expect(parseEnv({}).LOG_LEVEL).toBe("info");
    expect(parseEnv({ NODE_ENV: "test" }).LOG_LEVEL).toBe("silent");
    expect(parseEnv({ NODE_ENV: "test", LOG_LEVEL: "debug" }).LOG_LEVEL).toBe("debug");
    expect(() => parseEnv({ LOG_LEVEL: "bavard" })).toThrow(EnvError);
    expect(() => parseEnv({ LOG_LEVEL: "bavard" })).toThrow(/LOG_LEVEL/);
    expect(parseEnv({}).SHUTDOWN_TIMEOUT_MS).toBe(10_000);
  });

  it("logs paths without their query string", () => {
    expect(loggedPath("/verification?token=abc")).toBe("/verification");
    expect(loggedPath("/reinitialisation?token=abc&x=1")).toBe("/reinitialisation");
    expect(loggedPath("/consultations/x/vote.data")).toBe("/consultations/x/vote.data");
    expect(loggedPath(undefined)).toBe("/");
    expect(loggedPath(`/${"a".repeat(400)}`)).toHaveLength(301);
  });
});
