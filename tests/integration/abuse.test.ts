import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import SQLite from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { RULES } from "../../app/platform/rate-limit.server";
import { postForm, sessionCookie, startServer, type RunningServer } from "../support/server";

// Abuse over HTTP against the built server with the shipped limits (memory store, one process,
// no TRUST_PROXY): each case gets a 429 with Retry-After and a French message, or a quiet 400,
// and nothing is written. The store shared by several servers is tested in two-servers.test.ts.

const NORMANDIE = "normandie-cnr-sante-2022";
const PASSWORD = "tilleul lanterne boussole marée";
let n = 0;
const email = (label: string) => `${label}-${Date.now().toString(36)}-${n++}@exemple.fr`;

describe("abuse cases over HTTP (built server, SQLite, shipped limits)", () => {
  let server: RunningServer;
  let dir: string;
  let file: string;
  const db = () => new SQLite(file, { timeout: 5000 });
  const users = (address: string) => {
    const h = db();
    try {
      return (h.prepare("select count(*) as n from users where email = ?").get(address) as { n: number }).n;
    } finally {
      h.close();
    }
  };

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "ps-abuse-"));
    file = path.join(dir, "abuse.sqlite");
    server = await startServer({ sqliteFile: file, loadData: true });
  }, 180_000);
  afterAll(async () => {
    await server?.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it("verification resend: 3 an hour per account, then 429 with Retry-After", async () => {
    const address = email("renvoi");
    const signup = await postForm(server, "/inscription", { email: address, password: PASSWORD, commune: "14366" });
    expect(signup.status).toBe(302);
    // Signing up opens no session (it answers alike for a taken address): log in.
    const cookie = sessionCookie(await postForm(server, "/connexion", { email: address, password: PASSWORD }));
    for (let i = 0; i < RULES.verificationResend.points; i++) {
      expect((await postForm(server, "/mon-compte", { intent: "resend" }, { Cookie: cookie })).status).toBe(200);
    }
    const refused = await postForm(server, "/mon-compte", { intent: "resend" }, { Cookie: cookie });
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get("Retry-After"))).toBeGreaterThan(0);
    expect(await refused.text()).toContain("Trois liens de confirmation ont déjà été envoyés");
  });

  it("ballots: 60 quick votes all count, the 61st in the minute gets a 429 and changes nothing", async () => {
    const address = email("votes");
    expect(
      (await postForm(server, "/inscription", { email: address, password: PASSWORD, commune: "14366" })).status,
    ).toBe(302);
    const cookie = sessionCookie(await postForm(server, "/connexion", { email: address, password: PASSWORD }));
    const h = db();
    const proposals = h
      .prepare(
        "select p.slug from proposals p join consultations c on c.id = p.consultation_id where c.slug = ? order by p.position limit 2",
      )
      .all(NORMANDIE) as { slug: string }[];
    h.prepare("update users set email_verified_at = ? where email = ?").run(new Date().toISOString(), address);
    h.close();
    const vote = (intent: string, proposal: string) =>
      postForm(
        server,
        `/consultations/${NORMANDIE}/vote`,
        { intent, proposal: proposal, reply: "data" },
        { Cookie: cookie },
      );
    // A person clicking on and off as fast as the server answers: every click is taken.
    for (let i = 0; i < RULES.ballots.points; i++) {
      const response = await vote(i % 2 === 0 ? "approve" : "unapprove", proposals[0]!.slug);
      expect(response.status, `vote ${i + 1}`).toBe(200);
    }
    const refused = await vote("approve", proposals[1]!.slug);
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get("Retry-After"))).toBeGreaterThan(0);
    expect(await refused.text()).toContain("Trop de votes envoyés en une minute : celui-ci n’a pas été enregistré.");
    const check = db();
    const ballots = check
      .prepare("select b.content from ballots b join users u on u.id = b.user_id where u.email = ?")
      .all(address);
    check.close();
    // 60 toggles end unapproved: no ballot, and the refused 61st added none.
    expect(ballots).toEqual([]);
  });

  it("sign-up: a filled honeypot gets a quiet 400 and writes nothing", async () => {
    const address = email("automate");
    const response = await postForm(server, "/inscription", {
      email: address,
      password: PASSWORD,
      commune: "14366",
      site_web: "https://promo.example",
    });
    expect(response.status).toBe(400);
    const html = await response.text();
    expect(html).toContain("L’inscription n’a pas pu être enregistrée. Réessayez dans quelques minutes.");
    // Nothing says which field gave it away, and the trap's value is not sent back.
    expect(html).not.toContain("promo.example");
    expect(users(address)).toBe(0);
  });

  it("sign-up: a disposable address is refused with a clear message (residents and associations)", async () => {
    for (const page of ["/inscription", "/associations/inscription"]) {
      const response = await postForm(server, page, {
        email: `quelquun${n++}@yopmail.com`,
        password: PASSWORD,
        commune: "14366",
      });
      expect(response.status).toBe(400);
      expect(await response.text()).toContain("Les adresses électroniques jetables ne sont pas acceptées");
    }
  });

  it("sign-up per address: 20 forms an hour, then 429 with the form kept; X-Forwarded-For is not believed", async () => {
    // Earlier tests posted 5 sign-up forms from this address (2 accounts, the honeypot, 2 disposable).
    const already = 5;
    for (let i = already; i < RULES.signupPerAddress.points; i++) {
      expect(
        (await postForm(server, "/inscription", { email: "pas-une-adresse", password: "x", commune: "14366" })).status,
      ).toBe(400);
    }
    const kept = email("bloque");
    const refused = await postForm(server, "/inscription", { email: kept, password: PASSWORD, commune: "14366" });
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get("Retry-After"))).toBeGreaterThan(3000);
    const html = await refused.text();
    expect(html).toContain("Trop d’inscriptions depuis votre connexion");
    expect(html).toContain(`value="${kept}"`);
    expect(html).not.toContain(PASSWORD);
    expect(users(kept)).toBe(0);
    // Without TRUST_PROXY, a forged header changes nothing.
    const forged = await postForm(
      server,
      "/associations/inscription",
      { email: email("forge"), password: PASSWORD, commune: "14366" },
      { "X-Forwarded-For": "203.0.113.7" },
    );
    expect(forged.status).toBe(429);
  });

  it("login per account and network: 5 failures a minute, then 429 even with the right password", async () => {
    const address = email("cible");
    for (let i = 0; i < RULES.loginFailuresPerAccountNetwork.points; i++) {
      const failed = await postForm(server, "/connexion", { email: address, password: `mauvais ${i}` });
      expect(failed.status).toBe(400);
      expect(await failed.text()).toContain("Adresse électronique ou mot de passe incorrect.");
    }
    const refused = await postForm(server, "/connexion", { email: address, password: PASSWORD });
    expect(refused.status).toBe(429);
    const retry = Number(refused.headers.get("Retry-After"));
    expect(retry).toBeGreaterThan(0);
    expect(retry).toBeLessThanOrEqual(60);
    expect(await refused.text()).toContain("Trop de tentatives de connexion pour ce compte depuis votre connexion.");
  });

  it("login per address: 30 failures in 15 minutes across many e-mails, then 429", async () => {
    // The 5 failures above came from this address too.
    for (let i = RULES.loginFailuresPerAccountNetwork.points; i < RULES.loginFailuresPerAddress.points; i++) {
      expect(
        (await postForm(server, "/connexion", { email: email("balayage"), password: "mauvais mot de passe" })).status,
      ).toBe(400);
    }
    const refused = await postForm(server, "/connexion", {
      email: email("balayage"),
      password: "mauvais mot de passe",
    });
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get("Retry-After"))).toBeGreaterThan(0);
    expect(await refused.text()).toContain("Trop de tentatives de connexion depuis votre connexion.");
  });

  it("password reset: 3 links an hour per e-mail (account or not), then 429", async () => {
    const address = email("oubli");
    for (let i = 0; i < RULES.passwordResetPerEmail.points; i++) {
      const sent = await postForm(server, "/mot-de-passe-oublie", { email: address });
      expect(sent.status).toBe(200);
      expect(await sent.text()).toContain("Si un compte existe avec cette adresse");
    }
    const refused = await postForm(server, "/mot-de-passe-oublie", { email: address });
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get("Retry-After"))).toBeGreaterThan(0);
    const html = await refused.text();
    expect(html).toContain("Plusieurs liens ont déjà été demandés pour cette adresse");
    expect(html).toContain(`value="${address}"`);
  });

  it("open-data API: 120 requests a minute per address, then a JSON 429", async () => {
    const url = `${server.url}/api/v1/consultations/${NORMANDIE}/results?territory=region:28`;
    for (let i = 0; i < RULES.apiPerAddress.points; i++) {
      const response = await fetch(url);
      // While the consultation is open the API answers 403 to the public: counted all the same.
      expect(response.status).toBe(403);
      await response.arrayBuffer();
    }
    const refused = await fetch(url);
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get("Retry-After"))).toBeGreaterThan(0);
    expect(await refused.json()).toEqual({
      error: expect.stringContaining("Trop de requêtes sur l’API depuis votre adresse"),
    });
  });
});

describe("client address behind a trusted proxy (TRUST_PROXY=loopback)", () => {
  let server: RunningServer;
  let dir: string;
  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "ps-proxy-"));
    server = await startServer({ sqliteFile: path.join(dir, "proxy.sqlite"), env: { TRUST_PROXY: "loopback" } });
  }, 180_000);
  afterAll(async () => {
    await server?.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it("counts per forwarded client: one client's limit does not block another behind the same proxy", async () => {
    const client = (ip: string) => ({ "X-Forwarded-For": ip });
    for (let i = 0; i < RULES.signupPerAddress.points; i++) {
      expect((await postForm(server, "/inscription", { email: "x" }, client("198.51.100.1"))).status).toBe(400);
    }
    expect((await postForm(server, "/inscription", { email: "x" }, client("198.51.100.1"))).status).toBe(429);
    expect((await postForm(server, "/inscription", { email: "x" }, client("198.51.100.2"))).status).toBe(400);
  });
});

describe("Redis unreachable (RATE_LIMIT_STORE=redis)", () => {
  let server: RunningServer;
  let dir: string;
  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "ps-noredis-"));
    server = await startServer({
      sqliteFile: path.join(dir, "noredis.sqlite"),
      // Nothing listens there.
      env: { RATE_LIMIT_STORE: "redis", REDIS_URL: "redis://127.0.0.1:1" },
    });
  }, 180_000);
  afterAll(async () => {
    await server?.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it("the site keeps working and each process still counts, in memory", async () => {
    const address = email("sans-redis");
    for (let i = 0; i < RULES.loginFailuresPerAccountNetwork.points; i++) {
      expect((await postForm(server, "/connexion", { email: address, password: "mauvais mot de passe" })).status).toBe(
        400,
      );
    }
    const refused = await postForm(server, "/connexion", { email: address, password: "mauvais mot de passe" });
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get("Retry-After"))).toBeGreaterThan(0);
  });
});
