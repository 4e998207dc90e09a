import path from "node:path";
import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");

export default defineConfig({
  root,
  resolve: { alias: { "~": path.join(root, "app") } },
  test: {
    include: ["tests/unit/**/*.test.ts", "tests/integration/**/*.test.ts", "app/**/*.test.ts", "db/**/*.test.ts"],
    environment: "node",
    // The integration tests' shared fixture (migrated database, territories, catalogue), built once.
    globalSetup: ["tests/support/fixture-setup.ts"],
    // Keep the 2 cores busy but not oversubscribed.
    maxWorkers: 2,
    testTimeout: 30_000,
    hookTimeout: 120_000,
  },
});
