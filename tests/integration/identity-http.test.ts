import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import SQLite from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { connect } from "../../db/connect";
import { migrateToLatest } from "../../db/migrate";
import { createEmailToken } from "../../app/identity/email-tokens.server";
import { createResident, markEmailVerified } from "../../app/identity/users.server";
import { RULES } from "../../app/platform/rate-limit.server";
import { postForm, sessionCookie, startServer, type RunningServer } from "../support/server";

// The identity pages over HTTP against the built server (SQLite; X-Forwarded-For believed from
// loopback, so each test can be its own network).

const PASSWORD = "une phrase de passe";
let n = 0;
const unique = (label: string) => `${label}-${Date.now().toString(36)}-${n++}@exemple.fr`;
const from = (ip: string) => ({ "X-Forwarded-For": ip });

/** The bypass list of finding 1 (open redirect after login). */
const BYPASSES = [
  "/\t/evil.example/x",
  "/\n/evil.example",
  "/\r\n/evil.example",
  "/\\evil.example",
  "\\\\evil.example",
  "/\\/evil.example",
  "//evil.example",
  "///evil.example",
  "/%2F/evil.example",
  "/%2F%2Fevil.example",
  "%2F%2Fevil.example",
  "//user@evil.example",
  "/@evil.example",
  "https://evil.example",
  "https:evil.example",
  "data:text/html,<script>alert(1)</script>",
  "javascript:alert(1)",
];

describe("identity pages over HTTP (built server, SQLite)", () => {
  let server: RunningServer;
  let dir: string;
  let file: string;
  const sqlite = <T>(query: string, ...params: unknown[]): T[] => {
    const h = new SQLite(file, { timeout: 5000 });
    try {
      return h.prepare(query).all(...params) as T[];
    } finally {
      h.close();
    }
  };
  let owner: { id: string; email: string };
  let resetToken: string;
  let spentToken: string;

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "ps-identity-"));
    file = path.join(dir, "identity.sqlite");
    const handle = await connect({ sqliteFile: file });
    await migrateToLatest(handle.db);
    await handle.db.insertInto("regions").values({ code: "28", name: "Normandie" }).execute();
    await handle.db.insertInto("departements").values({ code: "14", name: "Calvados", region_code: "28" }).execute();
    await handle.db
      .insertInto("arrondissements")
      .values({ code: "143", name: "Lisieux", departement_code: "14", region_code: "28", population: 1 })
      .execute();
    await handle.db
      .insertInto("communes")
      .values({
        code: "14366",
        name: "Lisieux",
        kind: "commune",
        parent_code: null,
        arrondissement_code: "143",
        departement_code: "14",
        region_code: "28",
        population: 1,
        postal_codes: "14100",
        search_name: "lisieux",
      })
      .execute();
    const email = unique("titulaire");
    const created = await createResident(handle.db, { email, password: PASSWORD, communeCode: "14366" });
    if (!created.ok) throw new Error("setup");
    await markEmailVerified(handle.db, created.userId);
    owner = { id: created.userId, email };
    resetToken = await createEmailToken(handle.db, created.userId, "reset_password");
    const other = await createResident(handle.db, { email: unique("oubli"), password: PASSWORD, communeCode: "14366" });
    if (!other.ok) throw new Error("setup");
    spentToken = await createEmailToken(handle.db, other.userId, "reset_password");
    await handle.close();
    server = await startServer({ sqliteFile: file, env: { TRUST_PROXY: "loopback" } });
  }, 180_000);
  afterAll(async () => {
    await server?.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const logIn = async (email: string, ip: string, extra: Record<string, string> = {}) =>
    postForm(server, "/connexion", { email, password: PASSWORD, ...extra }, from(ip));
  const offSite = (location: string | null) => new URL(location ?? "", server.url).origin !== server.url;

  // Finding 1 of the security probe.
  it("never redirects off-site after the login form, whatever redirectTo holds (bypass list)", async () => {
    for (const target of BYPASSES) {
      const response = await logIn(owner.email, "203.0.113.10", { redirectTo: target });
      expect(response.status, JSON.stringify(target)).toBe(302);
      const location = response.headers.get("Location");
      expect(offSite(location), `${JSON.stringify(target)} → ${location}`).toBe(false);
      expect(location!.startsWith("//") || location!.startsWith("/\\"), JSON.stringify(location)).toBe(false);
    }
  });

  it("never redirects off-site when a signed-in person opens /connexion?redirectTo=… (bypass list)", async () => {
    const cookie = sessionCookie(await logIn(owner.email, "203.0.113.11"));
    for (const target of BYPASSES) {
      const response = await fetch(`${server.url}/connexion?redirectTo=${encodeURIComponent(target)}`, {
        headers: { Cookie: cookie },
        redirect: "manual",
      });
      expect(response.status, JSON.stringify(target)).toBe(302);
      const location = response.headers.get("Location");
      expect(offSite(location), `${JSON.stringify(target)} → ${location}`).toBe(false);
    }
    const kept = await fetch(`${server.url}/connexion?redirectTo=${encodeURIComponent("/consultations?x=1")}`, {
      headers: { Cookie: cookie },
      redirect: "manual",
    });
    expect(kept.headers.get("Location")).toBe("/consultations?x=1");
  });

  // Finding 6 of the security probe.
  it("answers a sign-up with an existing address exactly as one with a new address (both forms)", async () => {
    for (const [page, sent] of [
      ["/inscription", "/inscription?envoye=1"],
      ["/associations/inscription", "/associations/inscription?envoye=1"],
    ] as const) {
      const answers = [];
      for (const email of [unique("nouvelle"), owner.email]) {
        const response = await postForm(
          server,
          page,
          { email, password: "une autre phrase de passe", commune: "14366" },
          from(`198.51.100.${n++}`),
        );
        answers.push({
          status: response.status,
          location: response.headers.get("Location"),
          cookie: response.headers.getSetCookie().length,
          body: await response.text(),
        });
      }
      expect(answers[0]).toEqual(answers[1]);
      expect(answers[0]).toMatchObject({ status: 302, location: sent, cookie: 0 });
    }
    const page = await (await fetch(`${server.url}/inscription?envoye=1`)).text();
    expect(page).toContain("Vérifiez votre messagerie");
    const mails = sqlite<{ subject: string }>("select subject from outbox where to_address = ?", owner.email);
    expect(mails.map((m) => m.subject)).toEqual([
      "Vous avez déjà un compte — Priorités Santé",
      "Vous avez déjà un compte — Priorités Santé",
    ]);
  });

  it("refuses a weak password at sign-up with the server's French reason (no JavaScript needed)", async () => {
    const response = await postForm(
      server,
      "/inscription",
      { email: unique("faible"), password: "motdepasse1", commune: "14366" },
      from("198.51.100.200"),
    );
    expect(response.status).toBe(400);
    expect(await response.text()).toContain("Ce mot de passe est trop facile à deviner");
  });

  // Issue 17, point 18: the page said "Mot de passe modifié" under an HTTP 400.
  it("answers a successful password reset with a redirect to a 200 page that says so", async () => {
    const newPassword = "une toute autre phrase de passe";
    const posted = await postForm(
      server,
      "/reinitialisation",
      { token: spentToken, password: newPassword, confirm: newPassword },
      from("198.51.100.201"),
    );
    expect(posted.status).toBe(303);
    const landing = await fetch(new URL(posted.headers.get("Location") ?? "", server.url));
    expect(landing.status).toBe(200);
    const html = await landing.text();
    expect(html).toContain("Mot de passe modifié");
    expect(html).not.toContain(spentToken);
    // The spent link still says it is spent, as a refusal.
    const again = await fetch(`${server.url}/reinitialisation?token=${spentToken}`);
    expect(again.status).toBe(400);
    expect(await again.text()).toContain("Ce lien a déjà servi.");
  });

  // Finding 10 of the security probe.
  it("serves the token pages with Cache-Control: no-store and Referrer-Policy: no-referrer", async () => {
    for (const url of [
      `/reinitialisation?token=${resetToken}`,
      "/reinitialisation?token=inconnu",
      "/verification?token=inconnu",
      "/invitation-cts?token=inconnu",
    ]) {
      const response = await fetch(server.url + url);
      expect(response.headers.get("Cache-Control"), url).toBe("no-store");
      expect(response.headers.get("Referrer-Policy"), url).toBe("no-referrer");
    }
    const posted = await postForm(server, "/verification", { token: "inconnu" });
    expect(posted.headers.get("Referrer-Policy")).toBe("no-referrer");
    // Other pages keep the site's policy.
    expect((await fetch(`${server.url}/connexion`)).headers.get("Referrer-Policy")).toBe(
      "strict-origin-when-cross-origin",
    );
  });

  // Finding 7 of the security probe, over HTTP.
  it("five wrong passwords from one network do not lock the owner out from another", async () => {
    const email = unique("verrou");
    await postForm(server, "/inscription", { email, password: PASSWORD, commune: "14366" }, from("198.51.100.150"));
    for (let i = 0; i < RULES.loginFailuresPerAccountNetwork.points; i++) {
      expect((await postForm(server, "/connexion", { email, password: `essai ${i}` }, from("192.0.2.66"))).status).toBe(
        400,
      );
    }
    const guesser = await logIn(email, "192.0.2.66");
    expect(guesser.status).toBe(429);
    expect(await guesser.text()).toContain("« Mot de passe oublié ? »");
    expect((await logIn(email, "203.0.113.99")).status).toBe(302);
    // And the locked network can still ask for a reset link.
    const forgot = await postForm(server, "/mot-de-passe-oublie", { email }, from("192.0.2.66"));
    expect(forgot.status).toBeLessThan(400);
    expect(
      sqlite("select 1 from outbox where to_address = ? and subject like 'Réinitialisation%'", email),
    ).toHaveLength(1);
  });

  // Finding 9 of the security probe: these left no line in the journal.
  it("journals a successful login, the my-data download and the account's deletion, without secrets", async () => {
    const email = unique("journal");
    await postForm(server, "/inscription", { email, password: PASSWORD, commune: "14366" }, from("198.51.100.151"));
    const cookie = sessionCookie(await logIn(email, "100.64.7.40"));
    const download = await fetch(`${server.url}/mon-compte/donnees.json`, {
      headers: { Cookie: cookie, ...from("100.64.7.40") },
    });
    expect(download.status).toBe(200);
    const deleted = await postForm(
      server,
      "/mon-compte/suppression",
      { password: PASSWORD, comments: "supprimer" },
      { Cookie: cookie, ...from("100.64.7.40") },
    );
    expect(deleted.status).toBe(302);
    const lines = sqlite<{ kind: string; user_id: string | null; detail: string; ip: string }>(
      "select kind, user_id, detail, ip from audit_events where kind in ('login', 'data_export', 'account_deleted') and ip = '100.64.7.0' order by created_at",
    );
    expect(lines.map((l) => l.kind)).toEqual(["login", "data_export", "account_deleted"]);
    // The account is gone; the journal keeps no link to it.
    expect(lines.every((l) => l.user_id === null)).toBe(true);
    const text = JSON.stringify(lines);
    expect(text).not.toContain(email);
    expect(text).not.toContain(PASSWORD);
  });
});
