import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { connect } from "../../db/connect";
import { createResident, grantRole, markEmailVerified } from "../../app/identity/users.server";
import { copyLoadedSqlite } from "../support/databases";
import { postForm, sessionCookie, startServer, type RunningServer } from "../support/server";

// Finding 1 of issue 14: the outbox held live reset links and was public in production.
// The built server, on a copy of the loaded fixture (SQLite).

const PASSWORD = "une phrase de passe";
const STRONG = "Lanterne-violette-92-ornithorynque";

async function prepare(file: string) {
  copyLoadedSqlite(file);
  const handle = await connect({ sqliteFile: file });
  const people: Record<string, string> = {};
  for (const who of ["resident", "admin"]) {
    const email = `${who}-${Date.now().toString(36)}@exemple.fr`;
    const created = await createResident(handle.db, { email, password: PASSWORD, communeCode: "14366" });
    if (!created.ok) throw new Error("setup");
    await markEmailVerified(handle.db, created.userId);
    if (who === "admin") await grantRole(handle.db, created.userId, "admin");
    people[who] = email;
  }
  await handle.close();
  return people as { resident: string; admin: string };
}

describe.skipIf(!fs.existsSync(path.resolve(import.meta.dirname, "../../build/index.js")))("the outbox", () => {
  let dir: string;
  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "ps-outbox-"));
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  describe("production with EMAIL_OUTBOX=1", () => {
    let server: RunningServer;
    let people: { resident: string; admin: string };
    beforeAll(async () => {
      const file = path.join(dir, "production.sqlite");
      people = await prepare(file);
      server = await startServer({ sqliteFile: file, env: { LOG_LEVEL: "info" } });
      // A reset link waits in the outbox, as after « mot de passe oublié » for the administrator.
      const reset = await postForm(server, "/mot-de-passe-oublie", { email: people.admin });
      expect(reset.status).toBeLessThan(400);
    }, 180_000);
    afterAll(() => server?.stop());

    const signedIn = async (email: string) =>
      sessionCookie(await postForm(server, "/connexion", { email, password: PASSWORD }));

    it("warns at start that no e-mail leaves", () => {
      expect(server.output()).toMatch(/ATTENTION : production sans SMTP_URL \(EMAIL_OUTBOX=1\)/);
    });

    it("answers 404 to an anonymous visitor, even from this machine, and to a resident", async () => {
      const anonymous = await fetch(`${server.url}/dev/outbox`);
      expect(anonymous.status).toBe(404);
      expect(await anonymous.text()).not.toContain("/reinitialisation?token=");
      const resident = await fetch(`${server.url}/dev/outbox`, {
        headers: { Cookie: await signedIn(people.resident) },
      });
      expect(resident.status).toBe(404);
      expect(await resident.text()).not.toContain("/reinitialisation?token=");
    });

    it("shows the e-mails to an administrator", async () => {
      const admin = await fetch(`${server.url}/dev/outbox`, { headers: { Cookie: await signedIn(people.admin) } });
      expect(admin.status).toBe(200);
      expect(await admin.text()).toContain("/reinitialisation?token=");
    });
  });

  describe("development (npm start): the machine itself reads it", () => {
    let server: RunningServer;
    beforeAll(async () => {
      const file = path.join(dir, "development.sqlite");
      await prepare(file);
      server = await startServer({ sqliteFile: file, env: { NODE_ENV: "development", EMAIL_OUTBOX: "false" } });
    }, 180_000);
    afterAll(() => server?.stop());

    it("starts without SMTP_URL nor EMAIL_OUTBOX and says where the e-mails are", () => {
      expect(server.output()).toContain("/dev/outbox, lisible depuis cette machine");
    });

    it("shows the verification link of a sign-up to a request from this machine, not through a proxy", async () => {
      const email = `nouvelle-${Date.now().toString(36)}@exemple.fr`;
      const signup = await postForm(server, "/inscription", { email, password: STRONG, commune: "14366" });
      expect(signup.status).toBe(302);
      const local = await fetch(`${server.url}/dev/outbox`);
      expect(local.status).toBe(200);
      const page = await local.text();
      expect(page).toContain(email);
      expect(page).toMatch(/\/verification\?token=[A-Za-z0-9_-]+/);
      const relayed = await fetch(`${server.url}/dev/outbox`, { headers: { "X-Forwarded-For": "203.0.113.7" } });
      expect(relayed.status).toBe(404);
    });
  });
});
