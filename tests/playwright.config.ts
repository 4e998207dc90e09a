import path from "node:path";
import { fileURLToPath } from "node:url";
import { defineConfig, devices } from "@playwright/test";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const port = Number(process.env.E2E_PORT ?? 3100);
// Set once in the runner and inherited by the workers, so tests can read the server's database.
process.env.E2E_SQLITE_FILE ??= path.join(root, "tests/.tmp", `e2e-${process.pid}.sqlite`);
const sqliteFile = process.env.E2E_SQLITE_FILE;

export default defineConfig({
  testDir: path.join(root, "tests/e2e"),
  outputDir: path.join(root, "test-results"),
  fullyParallel: false,
  workers: 1,
  retries: 0,
  reporter: process.env.CI ? [["list"]] : [["list"]],
  timeout: 30_000,
  use: {
    baseURL: `http://localhost:${port}`,
    trace: "retain-on-failure",
    locale: "fr-FR",
  },
  projects: [
    {
      name: "chromium",
      use: {
        ...devices["Desktop Chrome"],
        // Debian's Chromium: browser downloads are not possible (nor wanted) here.
        launchOptions: {
          executablePath: "/usr/bin/chromium",
          args: [
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
          ],
        },
      },
    },
  ],
  webServer: {
    // The production build (tests/run-all.mjs builds it first), on a fresh SQLite file.
    command: `mkdir -p tests/.tmp && rm -f ${sqliteFile}* && node build/index.js`,
    cwd: root,
    url: `http://localhost:${port}/`,
    reuseExistingServer: false,
    timeout: 120_000,
    stdout: "ignore",
    stderr: "pipe",
    env: {
      NODE_ENV: "production",
      PORT: String(port),
      HOST: "127.0.0.1",
      PUBLIC_URL: `http://localhost:${port}`,
      SQLITE_FILE: sqliteFile,
      EMAIL_OUTBOX: "true",
      SHUTDOWN_READY_DELAY_MS: "0",
      // Every browser of the suite comes from 127.0.0.1: per-address allowances (sign-ups, failed
      // logins, API) scaled up so they do not add up across tests. Per-account ones stay as shipped.
      RATE_LIMIT_IP_FACTOR: "1000",
    },
  },
});
