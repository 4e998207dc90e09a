import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createVoters } from "../../bench/fixtures";
import { verifyCounts } from "../../app/ballots/results.server";
import { connect } from "../../db/connect";
import { startServer, type RunningServer } from "../support/server";
import { copyLoadedSqlite } from "../support/databases";
import { sessionKey } from "../../app/identity/kysely-adapter.server";

// The crash test: residents vote over HTTP (single-fetch POSTs, as the page sends them with
// JavaScript) while the production server is killed with SIGKILL — no shutdown, no flush. After a
// restart on the same SQLite file, every vote the server acknowledged is there, each resident has
// at most one ballot, and the kept counts equal a recount from the ballots.

const CONSULTATION = "normandie-cnr-sante-2022";
const RESIDENTS = 120;
const CONCURRENCY = 16;

describe("SIGKILL during voting (SQLite)", () => {
  let dir: string;
  let file: string;
  let sessions: string[];
  let userBySession: Map<string, string>;
  let slugs: string[];
  let idBySlug: Map<string, string>;
  let consultationId: string;

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "ps-crash-"));
    file = path.join(dir, "crash.sqlite");
    copyLoadedSqlite(file);
    const handle = await connect({ sqliteFile: file });
    sessions = await createVoters(handle.db, "28", RESIDENTS);
    const rows = await handle.db.selectFrom("sessions").select(["id", "user_id"]).execute();
    const userByKey = new Map(rows.map((r) => [r.id, r.user_id]));
    userBySession = new Map(sessions.map((token) => [token, userByKey.get(sessionKey(token))!]));
    const proposals = await handle.db
      .selectFrom("proposals")
      .innerJoin("consultations", "consultations.id", "proposals.consultation_id")
      .select(["proposals.id", "proposals.slug", "consultations.id as consultation"])
      .where("consultations.slug", "=", CONSULTATION)
      .orderBy("proposals.position")
      .limit(5)
      .execute();
    slugs = proposals.map((p) => p.slug);
    idBySlug = new Map(proposals.map((p) => [p.slug, p.id]));
    consultationId = proposals[0]!.consultation;
    await handle.close();
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it("every acknowledged vote survives, one ballot per resident, counts equal a recount", async () => {
    let server: RunningServer = await startServer({ sqliteFile: file });
    // Per resident: the proposals the server acknowledged, and the one whose answer never came.
    const acknowledged = new Map<string, string[]>();
    const unanswered = new Map<string, string>();
    let answers = 0;
    let refusals = 0;
    let killed = false;
    let sample = "";

    const vote = async (session: string, slug: string): Promise<"ok" | "refused" | "lost"> => {
      try {
        const response = await fetch(`${server.url}/consultations/${CONSULTATION}/vote.data`, {
          method: "POST",
          headers: {
            Origin: server.url,
            Cookie: `ps_session=${session}`,
            "Content-Type": "application/x-www-form-urlencoded",
          },
          body: `intent=approve&proposal=${slug}&reply=data`,
        });
        const body = await response.text();
        sample ||= `${response.status} ${body}`;
        return response.status === 200 && body.includes("Proposition ajoutée") ? "ok" : "refused";
      } catch {
        return "lost"; // the connection died with the server: never acknowledged
      }
    };

    // Each resident adds the five proposals one after the other; CONCURRENCY residents at a time.
    let next = 0;
    const worker = async () => {
      while (!killed && next < sessions.length) {
        const session = sessions[next++]!;
        const user = userBySession.get(session)!;
        acknowledged.set(user, []);
        for (const slug of slugs) {
          if (killed) return;
          const result = await vote(session, slug);
          if (result === "ok") {
            acknowledged.get(user)!.push(slug);
            answers++;
          } else if (result === "refused") {
            refusals++;
          } else {
            unanswered.set(user, slug);
            return;
          }
        }
      }
    };
    const workers = Array.from({ length: CONCURRENCY }, worker);
    // Kill once a good number of votes went through, with requests still in flight.
    while (answers < 150) {
      if (next >= sessions.length) throw new Error("the load ended before the kill");
      await new Promise((r) => setTimeout(r, 5));
    }
    killed = true;
    server.child.kill("SIGKILL");
    expect(await server.exited).toBe("SIGKILL");
    await Promise.all(workers);
    expect(refusals, `refusals (first answer: ${sample})`).toBe(0);
    expect(answers).toBeGreaterThanOrEqual(150);
    // The kill did cut requests in progress (otherwise this test would prove little).
    expect(unanswered.size).toBeGreaterThan(0);

    // Restart on the same file: SQLite replays its WAL; the server must come up ready.
    server = await startServer({ sqliteFile: file });
    try {
      expect((await fetch(`${server.url}/readyz`)).status).toBe(200);
      const handle = await connect({ sqliteFile: file });
      try {
        const ballots = await handle.db
          .selectFrom("ballots")
          .select(["user_id", "content"])
          .where("consultation_id", "=", consultationId)
          .execute();
        const stored = new Map<string, string[]>();
        for (const b of ballots) {
          expect(stored.has(b.user_id!), `two ballots for ${b.user_id}`).toBe(false);
          stored.set(b.user_id!, (JSON.parse(b.content) as { selections: string[] }).selections);
        }
        let checked = 0;
        for (const [user, slugsAcked] of acknowledged) {
          const selections = new Set(stored.get(user) ?? []);
          const expected = slugsAcked.map((s) => idBySlug.get(s)!);
          // Every acknowledged choice is there…
          for (const id of expected) expect(selections.has(id), `acknowledged vote of ${user} lost`).toBe(true);
          // …and nothing else but, possibly, the one whose answer the kill cut off.
          const maybe = unanswered.get(user);
          const allowed = new Set([...expected, ...(maybe ? [idBySlug.get(maybe)!] : [])]);
          for (const id of selections) expect(allowed.has(id), `unexpected choice in ${user}'s ballot`).toBe(true);
          checked += expected.length;
        }
        expect(checked).toBe(answers);
        const committedUnanswered = [...unanswered].filter(([user, slug]) =>
          stored.get(user)?.includes(idBySlug.get(slug)!),
        ).length;
        console.log(
          `crash : ${answers} votes acquittés, tous présents ; ${unanswered.size} requêtes coupées par le SIGKILL ` +
            `(${committedUnanswered} enregistrées quand même, ${unanswered.size - committedUnanswered} non) ; ${stored.size} bulletins`,
        );
        expect(await verifyCounts(handle.db, consultationId)).toEqual([]);
      } finally {
        await handle.close();
      }
    } finally {
      server.child.kill("SIGTERM");
      await server.exited;
    }
  });
});
