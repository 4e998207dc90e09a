import { randomBytes } from "node:crypto";
import { Redis } from "ioredis";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { connect, type DatabaseHandle } from "../../db/connect";
import { createResident, grantRole, markEmailVerified } from "../../app/identity/users.server";
import { generateDemoBallots } from "../../app/ballots/demo-ballots.server";
import { verifyCounts } from "../../app/ballots/results.server";
import { RULES } from "../../app/platform/rate-limit.server";
import { postForm, sessionCookie, startServer, type RunningServer } from "../support/server";

// Two app processes (`node build/index.js`) on one PostgreSQL schema, sharing nothing in memory:
// one ballot per resident whichever server takes the votes (even both at once), kept counts equal
// to a recount, a session made on one valid on the other, rate limits counted once for both
// through the shared store, pages kept in one server's render cache renewed by an administrator's
// change made on the other, and the same rank intervals (same tally version) served by both. Runs when TEST_DATABASE_URL is set (like tests/support/databases.ts),
// with the PostgreSQL store, and with Redis too when TEST_REDIS_URL is set.

const url = process.env.TEST_DATABASE_URL;
const redisUrl = process.env.TEST_REDIS_URL;
// Without PostgreSQL the suite reports this file's leg as skipped rather than running nothing.
const legs: { store: "postgres" | "redis" }[] = [
  { store: "postgres" },
  ...(redisUrl ? [{ store: "redis" as const }] : []),
];

const NORMANDIE = "normandie-cnr-sante-2022";
const PASSWORD = "tilleul lanterne boussole marée";
const RESIDENTS = 16;
const CTS = "76-rouen-elbeuf";
const REPORT = `/cts/${CTS}/rapports/${NORMANDIE}`;

describe.skipIf(!url).each(legs)("two servers on one PostgreSQL, rate limits in $store", ({ store }) => {
  const tag = randomBytes(4).toString("hex");
  const schema = `t2s_${process.pid}_${tag}`;
  const prefix = `ps-test-${tag}`;
  let a: RunningServer;
  let b: RunningServer;
  let h: DatabaseHandle;

  beforeAll(async () => {
    const env = {
      DATABASE_URL: url!,
      DATABASE_SCHEMA: schema,
      RATE_LIMIT_STORE: store,
      RATE_LIMIT_PREFIX: prefix,
      // This file is about integrity under concurrency, on a machine shared with the rest of the
      // suite: a request queued for a pooled connection longer than the shipped 3 s budget gets a
      // 503 by design (tests/integration/resilience.test.ts covers that); here it must not.
      DATABASE_CONNECT_TIMEOUT_MS: "30000",
      DATABASE_STATEMENT_TIMEOUT_MS: "30000",
      ...(store === "redis" ? { REDIS_URL: redisUrl! } : {}),
    };
    // One after the other: the first migrates the new schema and loads the data.
    a = await startServer({ env, loadData: true });
    b = await startServer({ env, loadData: true });
    h = await connect({ databaseUrl: url!, pgSchema: schema, pgPoolSize: 2 });
  }, 300_000);

  afterAll(async () => {
    await Promise.all([a?.stop(), b?.stop()]);
    await h?.close();
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    await client.query(`drop schema if exists ${schema} cascade`);
    await client.end();
    if (store === "redis") {
      const redis = new Redis(redisUrl!);
      const keys = await redis.keys(`${prefix}:*`);
      if (keys.length) await redis.del(...keys);
      await redis.quit();
    }
  });

  /** What the servers printed about errors, for a failure's message. */
  const serverErrors = () =>
    [a, b]
      .map((s) =>
        s
          .output()
          .split("\n")
          .filter((l) => /error|erreur/i.test(l))
          .slice(0, 5)
          .join("\n"),
      )
      .join("\n");

  /** A verified resident of `commune` holding `role`, logged in on `server`: their session cookie. */
  async function member(
    server: RunningServer,
    name: string,
    role: "admin" | "cts_member",
    scope: string,
    commune: string,
  ): Promise<string> {
    const email = `${name}-${tag}@exemple.fr`;
    const created = await createResident(h.db, { email, password: PASSWORD, communeCode: commune });
    if (!created.ok) throw new Error("setup");
    await markEmailVerified(h.db, created.userId);
    await grantRole(h.db, created.userId, role, scope);
    return logIn(server, email);
  }

  async function logIn(server: RunningServer, email: string): Promise<string> {
    const response = await postForm(server, "/connexion", { email, password: PASSWORD });
    expect(
      response.status,
      await response
        .clone()
        .text()
        .then((t) => t.slice(0, 200)),
    ).toBe(302);
    return sessionCookie(response);
  }

  it("a session made on one server is valid on the other, and a logout on one ends it on both", async () => {
    const email = `session-${tag}@exemple.fr`;
    const signup = await postForm(a, "/inscription", { email, password: PASSWORD, commune: "14366" });
    expect(signup.status).toBe(302);
    // Signing up opens no session (it answers alike for a taken address): log in on A.
    const cookie = sessionCookie(await postForm(a, "/connexion", { email, password: PASSWORD }));
    const onB = await fetch(`${b.url}/mon-compte`, { headers: { Cookie: cookie }, redirect: "manual" });
    expect(onB.status).toBe(200);
    expect(await onB.text()).toContain(email);
    expect((await postForm(b, "/deconnexion", {}, { Cookie: cookie })).status).toBe(302);
    const onA = await fetch(`${a.url}/mon-compte`, { headers: { Cookie: cookie }, redirect: "manual" });
    expect(onA.status).toBe(302);
    expect(onA.headers.get("location")).toMatch(/^\/connexion/);
  });

  it("ballots through both servers, the same resident on both at once: one ballot each, counts equal a recount", async () => {
    const consultation = await h.db
      .selectFrom("consultations")
      .select("id")
      .where("slug", "=", NORMANDIE)
      .executeTakeFirstOrThrow();
    const proposals = (
      await h.db
        .selectFrom("proposals")
        .select("slug")
        .where("consultation_id", "=", consultation.id)
        .orderBy("position")
        .limit(7)
        .execute()
    ).map((p) => p.slug);
    const residents: { id: string; cookie: string }[] = [];
    for (let i = 0; i < RESIDENTS; i++) {
      const email = `votant-${i}-${tag}@exemple.fr`;
      const created = await createResident(h.db, { email, password: PASSWORD, communeCode: i % 2 ? "14366" : "76540" });
      if (!created.ok) throw new Error("setup");
      await markEmailVerified(h.db, created.userId);
      residents.push({ id: created.userId, cookie: await logIn(i % 2 ? a : b, email) });
    }

    // Every resident approves 7 proposals (the cap is 5), each request sent to A or B in turn,
    // all at once; then each repeats its first approval on both servers at once.
    const started = Date.now();
    const accepted = new Map<string, Set<string>>();
    await Promise.all(
      residents.map(async (r, i) => {
        const answers = await Promise.all(
          proposals.map(async (slug, j) => {
            const server = (i + j) % 2 ? a : b;
            const response = await postForm(
              server,
              `/consultations/${NORMANDIE}/vote`,
              { intent: "approve", proposal: slug, reply: "data" },
              { Cookie: r.cookie },
            );
            await response.arrayBuffer();
            return { slug, status: response.status };
          }),
        );
        for (const answer of answers)
          expect([200, 400], `resident ${i}, ${answer.slug}\n${serverErrors()}`).toContain(answer.status);
        accepted.set(r.id, new Set(answers.filter((x) => x.status === 200).map((x) => x.slug)));
        const again = await Promise.all(
          [a, b].map((server) =>
            postForm(
              server,
              `/consultations/${NORMANDIE}/vote`,
              { intent: "approve", proposal: [...accepted.get(r.id)!][0]!, reply: "data" },
              { Cookie: r.cookie },
            ),
          ),
        );
        for (const response of again) expect(response.status).toBe(200);
      }),
    );
    const requests = RESIDENTS * (proposals.length + 2);
    console.log(`${store}: ${requests} vote requests through 2 servers in ${Date.now() - started} ms`);

    const rows = await h.db
      .selectFrom("ballots")
      .select(["user_id", "content"])
      .where("consultation_id", "=", consultation.id)
      .execute();
    const slugOf = new Map(
      (
        await h.db
          .selectFrom("proposals")
          .select(["id", "slug"])
          .where("consultation_id", "=", consultation.id)
          .execute()
      ).map((p) => [p.id, p.slug]),
    );
    for (const r of residents) {
      const mine = rows.filter((row) => row.user_id === r.id);
      expect(mine, "one ballot per resident").toHaveLength(1);
      const selected = (JSON.parse(mine[0]!.content) as { selections: string[] }).selections.map((id) =>
        slugOf.get(id),
      );
      // Exactly the approvals the servers acknowledged, never more than the cap.
      expect(new Set(selected)).toEqual(accepted.get(r.id));
      expect(selected.length).toBe(5);
    }
    expect(await verifyCounts(h.db, consultation.id)).toEqual([]);
  });

  it("rate limits are shared: failed logins split across both servers hit the limit at the configured total", async () => {
    const email = `cible-${tag}@exemple.fr`;
    const limit = RULES.loginFailuresPerAccountNetwork.points;
    for (let i = 0; i < limit; i++) {
      const response = await postForm(i % 2 ? b : a, "/connexion", { email, password: `mauvais ${i}` });
      expect(response.status, `failure ${i + 1}`).toBe(400);
    }
    // Each server saw only part of the failures: with per-process counters both would let this through.
    for (const server of [a, b]) {
      const refused = await postForm(server, "/connexion", { email, password: "encore un essai" });
      expect(refused.status).toBe(429);
      expect(Number(refused.headers.get("Retry-After"))).toBeGreaterThan(0);
      expect(await refused.text()).toContain("Trop de tentatives de connexion pour ce compte depuis votre connexion.");
    }
  });

  it("an administrator's change on one server shows on the other's next page, kept pages included", async () => {
    const admin = await member(a, "admin", "admin", "", "14118");
    const page = `/consultations/${NORMANDIE}`;
    const livePage = async (server: RunningServer) => {
      const response = await fetch(server.url + page);
      expect(response.status).toBe(200);
      return (await response.text()).includes("Résultats en direct");
    };
    const setLive = async (server: RunningServer, on: boolean) => {
      const response = await postForm(
        server,
        `/admin/consultations/${NORMANDIE}`,
        { intent: "live", live: on ? "1" : "0" },
        { Cookie: admin },
      );
      expect(
        response.status,
        await response
          .clone()
          .text()
          .then((t) => t.slice(0, 200)),
      ).toBe(200);
    };
    // Twice each, so that both servers hold the page in their render cache before the change.
    for (const server of [a, b, a, b]) expect(await livePage(server)).toBe(false);
    await setLive(a, true);
    expect(await livePage(b)).toBe(true);
    expect(await livePage(a)).toBe(true);
    // And back, from the other side.
    await setLive(b, false);
    expect(await livePage(a)).toBe(false);
    expect(await livePage(b)).toBe(false);
  });

  it("both servers serve the rank intervals of the same tally version, before and after new ballots", async () => {
    const cookie = await member(b, "cts", "cts_member", CTS, "76540");
    await generateDemoBallots(h.db, { consultationSlug: NORMANDIE, count: 2000, seed: 19 });

    /**
     * The report on one server once its intervals are those of its tally version: its version and
     * both ranking tables. Polls: the first computation may still be under way ("en cours de calcul",
     * or intervals of an older version, "datent de la version").
     */
    const settled = async (server: RunningServer, after: number) => {
      const deadline = Date.now() + 90_000;
      for (;;) {
        const response = await fetch(server.url + REPORT, { headers: { Cookie: cookie } });
        expect(response.status, server.output().slice(-2000)).toBe(200);
        const html = (await response.text()).replaceAll("<!-- -->", "");
        const version = Number(/version du décompte n°\s*(\d+)/.exec(html)?.[1]);
        const table = (id: string) => {
          const start = html.indexOf(`id="${id}"`);
          return start < 0 ? "" : html.slice(start, html.indexOf("</table>", start));
        };
        const tables = [table("classement-brut"), table("classement-pondere")];
        const ready =
          version > after &&
          !/en cours de calcul|datent de la version/.test(html) &&
          tables.every((t) => t.includes(">Intervalle<") && /<td>\d+–\d+<\/td>/.test(t));
        if (ready) return { version, tables };
        if (Date.now() > deadline) throw new Error(`${server.url}: intervals not settled (version ${version})`);
        await new Promise((r) => setTimeout(r, 500));
      }
    };
    const first = await Promise.all([settled(a, 0), settled(b, 0)]);
    expect(first[1].version).toBe(first[0].version);
    expect(first[1].tables).toEqual(first[0].tables);

    // New ballots (through the kept-count write path, as paper ballots or votes would be): both
    // servers move to the new version and serve the same new intervals.
    await generateDemoBallots(h.db, { consultationSlug: NORMANDIE, count: 500, seed: 20 });
    const next = await Promise.all([settled(a, first[0].version), settled(b, first[0].version)]);
    expect(next[1].version).toBe(next[0].version);
    expect(next[1].tables).toEqual(next[0].tables);
  }, 240_000);

  it("rank intervals: both servers answer at once, one computes, both show the same result", async () => {
    await generateDemoBallots(h.db, { consultationSlug: NORMANDIE, count: 200, seed: 11 });
    await h.db
      .updateTable("consultations")
      .set({ status: "results_published" })
      .where("slug", "=", NORMANDIE)
      .execute();
    type Doc = { rankIntervals: { version: number | null; computedAt: string | null; computing: boolean } | null };
    const read = async (server: RunningServer) => {
      const response = await fetch(`${server.url}/api/v1/consultations/${NORMANDIE}/results?territory=region:28`);
      expect(response.status).toBe(200);
      return ((await response.json()) as Doc).rankIntervals!;
    };
    // Asked of both at once before any exist: neither waits, both say they are being computed.
    const first = await Promise.all([read(a), read(b)]);
    expect(first.map((r) => r.version)).toEqual([null, null]);
    let stamps = first;
    for (let i = 0; i < 300 && stamps.some((s) => s.version === null); i++) {
      await new Promise((resolve) => setTimeout(resolve, 200));
      stamps = await Promise.all([read(a), read(b)]);
    }
    // One computation (its time, written by the server that made it), read by the other.
    expect(stamps[0]!.version).not.toBeNull();
    expect(stamps[1]!.computedAt).toBe(stamps[0]!.computedAt);
    expect(stamps[1]!.version).toBe(stamps[0]!.version);
    const rows = await h.db
      .selectFrom("rank_intervals")
      .select(["version", "computed_at", "claimed_by"])
      .where("territory", "=", "region:28")
      .where("weighting", "=", "raw")
      .execute();
    expect(rows).toEqual([{ version: stamps[0]!.version, computed_at: stamps[0]!.computedAt, claimed_by: null }]);
  }, 120_000);
});
