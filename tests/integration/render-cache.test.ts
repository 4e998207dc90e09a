import { changeCommune } from "../../app/ballots/commune-change.server";
import type { ChildProcess } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { connect, type DatabaseHandle } from "../../db/connect";
import { importCtsRules } from "../../db/territories/cts-import";
import { loadCatalogue, readCatalogueFiles } from "../../app/catalogue/catalogue-load.server";
import { advanceConsultation } from "../../app/ballots/lifecycle.server";
import { changeBallot } from "../../app/ballots/ballots.server";
import { sessionKey } from "../../app/identity/kysely-adapter.server";

import { phaseChangeAfter } from "../../app/voting/voting.server";
import { createVoters } from "../../bench/fixtures";
import { startServer, stopServer } from "../../bench/http";
import { copyLoadedSqlite } from "../support/databases";

// The anonymous consultation page is kept in memory by the server (app/platform/render-cache.server.ts).
// Each input of the page is changed here through the real domain function, from another process
// (as a CLI command or a second server would), and the next request must show the change.

const root = path.resolve(import.meta.dirname, "../..");
const PORT = "3198";
const base = `http://localhost:${PORT}`;
const NORMANDIE = "normandie-cnr-sante-2022";
const page = `/consultations/${NORMANDIE}`;

async function get(url: string, cookie?: string) {
  const response = await fetch(`${base}${url}`, { headers: cookie ? { Cookie: cookie } : {} });
  const html = await response.text();
  const nonces = [...new Set([...html.matchAll(/nonce="([^"]+)"/g)].map((m) => m[1]!))];
  const cspNonce = /'nonce-([^']+)'/.exec(response.headers.get("content-security-policy") ?? "")?.[1] ?? null;
  // Each response has its own CSP nonce: pages are compared without it.
  return {
    status: response.status,
    hit: response.headers.get("x-render-cache") === "hit",
    body: html.replace(/nonce="[^"]+"/g, 'nonce=""'),
    nonces,
    cspNonce,
  };
}

describe("render cache of the anonymous consultation page", () => {
  let dir: string;
  let h: DatabaseHandle;
  let server: ChildProcess;
  let session: string;
  let signedInElsewhere: string;

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "ps-render-"));
    const file = path.join(dir, "app.sqlite");
    copyLoadedSqlite(file);
    h = await connect({ sqliteFile: file });
    session = (await createVoters(h.db, "28", 1))[0]!;
    signedInElsewhere = (await createVoters(h.db, "28", 1))[0]!;
    server = await startServer(root, {
      PORT,
      PUBLIC_URL: base,
      SQLITE_FILE: file,
      SKIP_TERRITORY_LOAD: "true",
      SHUTDOWN_READY_DELAY_MS: "0",
    });
  });
  afterAll(async () => {
    if (server) await stopServer(server);
    await h?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it("serves the second anonymous visit from memory, byte for byte", async () => {
    const first = await get(page);
    const second = await get(page);
    expect(first.status).toBe(200);
    expect(first.hit).toBe(false);
    expect(second.hit).toBe(true);
    expect(second.body).toBe(first.body);
  });

  it("gives every kept page the CSP nonce of its own response", async () => {
    await get(page);
    const a = await get(page);
    const b = await get(page);
    expect(a.hit && b.hit).toBe(true);
    for (const r of [a, b]) {
      expect(r.cspNonce).not.toBeNull();
      expect(r.nonces).toEqual([r.cspNonce]);
    }
    expect(a.cspNonce).not.toBe(b.cspNonce);
  });

  it("serves the files of public/ and looks only paths with an extension up on disk", async () => {
    const icon = await fetch(`${base}/favicon.ico`);
    expect(icon.status).toBe(200);
    expect(icon.headers.get("cache-control")).toBe("public, max-age=3600");
    const script = await fetch(`${base}/dsfr/dsfr.module.min.js`);
    expect(script.status).toBe(200);
    await script.arrayBuffer();
    // A folder of public/ is not a page: no redirect into it (express.static gave a 301 to /dsfr/).
    const folder = await fetch(`${base}/dsfr`, { redirect: "manual" });
    expect(folder.status).toBe(404);
    expect(await folder.text()).toContain("Page non trouvée");
  });

  it("a resident's own page is kept for them, and rendered anew when their ballot, account or session changes", async () => {
    const cookie = `ps_session=${session}`;
    const user = await h.db
      .selectFrom("sessions")
      .innerJoin("users", "users.id", "sessions.user_id")
      .select(["users.id", "users.commune_code", "users.email"])
      .where("sessions.id", "=", sessionKey(session))
      .executeTakeFirstOrThrow();
    const voter = {
      id: user.id,
      emailVerified: true,
      communeCode: user.commune_code,
      roles: [{ role: "resident", scope: "" }],
    };
    // A request that extends the session sets a new cookie, and such a response is not kept:
    // one request first, so that the next one is kept whatever the session's age.
    await get(page, cookie);
    const first = await get(page, cookie);
    expect(first.body).toContain(user.email);
    const second = await get(page, cookie);
    expect(second.hit).toBe(true);
    expect(second.body).toBe(first.body);
    // Another resident never gets it.
    const [other] = await createVoters(h.db, "28", 1);
    const theirs = await get(page, `ps_session=${other}`);
    expect(theirs.hit).toBe(false);
    expect(theirs.body).not.toContain(user.email);

    // A vote, cast through the domain function from another process.
    const pressed = (body: string) => (body.match(/aria-pressed="true"/g) ?? []).length;
    expect(pressed(second.body)).toBe(0);
    const proposal = await h.db
      .selectFrom("proposals")
      .innerJoin("consultations", "consultations.id", "proposals.consultation_id")
      .select("proposals.id")
      .where("consultations.slug", "=", NORMANDIE)
      .orderBy("proposals.position")
      .executeTakeFirstOrThrow();
    await changeBallot(h.db, { consultationSlug: NORMANDIE, voter }, () => ({ selections: [proposal.id] }));
    const voted = await get(page, cookie);
    expect(voted.hit).toBe(false);
    expect(pressed(voted.body)).toBe(1);
    expect((await get(page, cookie)).hit).toBe(true);

    // A change of commune (account), through the domain function.
    await changeCommune(h.db, user.id, "76540");
    const after = await get(page, cookie);
    expect(after.hit).toBe(false);
    expect(after.body).toContain("Rouen");

    // Logging out ends the session at once: the same cookie gets an anonymous page.
    await h.db.deleteFrom("sessions").where("id", "=", sessionKey(session)).execute();
    const loggedOut = await get(page, cookie);
    expect(loggedOut.hit).toBe(false);
    expect(loggedOut.body).not.toContain(user.email);
  });

  it("never serves the anonymous page to a signed-in resident, nor to a visitor with a vote confirmation", async () => {
    await get(page);
    const signedIn = await get(page, `ps_session=${signedInElsewhere}`);
    expect(signedIn.hit).toBe(false);
    expect(signedIn.body).toContain("Mon vote");
    expect((await get(page)).body).not.toContain("Mon vote");
    expect((await get(page, "ps_vote_flash=x")).hit).toBe(false);
  });

  it("a catalogue reload that changes a title shows at the next request", async () => {
    expect((await get(page)).hit).toBe(true);
    const files = readCatalogueFiles().map((f) => {
      if (!f.content.includes(`"slug": "${NORMANDIE}"`)) return f;
      const data = JSON.parse(f.content) as { title: string; proposals: { title: string }[] };
      data.title = "Normandie : titre changé par le test";
      data.proposals[0]!.title = "Première proposition, titre changé par le test";
      return { ...f, content: JSON.stringify(data, null, 2) };
    });
    await loadCatalogue(h.db, files);
    const after = await get(page);
    expect(after.hit).toBe(false);
    expect(after.body).toContain("Normandie : titre changé par le test");
    expect(after.body).toContain("Première proposition, titre changé par le test");
  });

  it("after a CTS import the page is rendered anew (it names territories)", async () => {
    expect((await get(page)).hit).toBe(true);
    const result = await importCtsRules(
      h.db,
      "niveau,code,cts,nom_cts\narrondissement,762,76-test-cache,Test du cache\n",
    );
    expect(result.ok).toBe(true);
    expect((await get(page)).hit).toBe(false);
  });

  it("closing the consultation shows at the next request", async () => {
    const before = await get(page);
    expect(before.body).toContain(">Ouverte<");
    expect((await get(page)).hit).toBe(true);
    await advanceConsultation(h.db, NORMANDIE, "closed");
    const after = await get(page);
    expect(after.hit).toBe(false);
    expect(after.body).toContain(">Close<");
    expect(after.body).not.toContain(">Ouverte<");
    expect(after.body).toContain("Le vote est clos pour cette consultation.");
  });

  it("a filtered page is its own entry", async () => {
    const all = await get(`${page}?theme=access`);
    const again = await get(`${page}?theme=access`);
    expect(again.hit).toBe(true);
    expect(again.body).toBe(all.body);
    expect((await get(`${page}?page=2`)).hit).toBe(false);
  });
});

describe("render cache sizes (RENDER_CACHE_SIGNED_IN)", () => {
  const port = "3197";
  let dir: string;
  let h: DatabaseHandle;
  let server: ChildProcess;

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "ps-render-size-"));
    const file = path.join(dir, "app.sqlite");
    copyLoadedSqlite(file);
    h = await connect({ sqliteFile: file });
    server = await startServer(root, {
      PORT: port,
      PUBLIC_URL: `http://localhost:${port}`,
      SQLITE_FILE: file,
      SKIP_TERRITORY_LOAD: "true",
      SHUTDOWN_READY_DELAY_MS: "0",
      RENDER_CACHE_SIGNED_IN: "2",
    });
  });
  afterAll(async () => {
    if (server) await stopServer(server);
    await h?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it("keeps the pages of as many residents as it is told, and drops the oldest beyond", async () => {
    const sessions = await createVoters(h.db, "28", 3);
    const visit = async (session: string) => {
      const response = await fetch(`http://localhost:${port}${page}`, { headers: { Cookie: `ps_session=${session}` } });
      await response.arrayBuffer();
      return response.headers.get("x-render-cache") === "hit";
    };
    const [a, b, c] = sessions as [string, string, string];
    // The first visit renders (and may extend the session, which is not kept); the second is kept.
    for (const s of [a, b]) {
      await visit(s);
      await visit(s);
    }
    expect(await visit(a)).toBe(true);
    expect(await visit(b)).toBe(true);
    // A third resident's page pushes the oldest (a's) out.
    await visit(c);
    await visit(c);
    expect(await visit(c)).toBe(true);
    expect(await visit(a)).toBe(false);
  });
});

describe("phaseChangeAfter: where the page changes by the clock", () => {
  const now = new Date("2026-11-23T12:00:00.000Z");
  it("is the next opening or closing date ahead, or null", () => {
    expect(
      phaseChangeAfter(
        { opens_at: "2026-11-24T00:00:00.000Z", closes_at: "2026-12-01T00:00:00.000Z" },
        now,
      )?.toISOString(),
    ).toBe("2026-11-24T00:00:00.000Z");
    expect(
      phaseChangeAfter(
        { opens_at: "2026-11-01T00:00:00.000Z", closes_at: "2026-12-01T00:00:00.000Z" },
        now,
      )?.toISOString(),
    ).toBe("2026-12-01T00:00:00.000Z");
    expect(
      phaseChangeAfter({ opens_at: "2026-11-01T00:00:00.000Z", closes_at: "2026-11-02T00:00:00.000Z" }, now),
    ).toBeNull();
    expect(phaseChangeAfter({ opens_at: null, closes_at: null }, now)).toBeNull();
  });
});
