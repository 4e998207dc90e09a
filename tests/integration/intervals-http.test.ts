import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { generateDemoBallots } from "../../app/ballots/demo-ballots.server";
import { connect } from "../../db/connect";
import { copyLoadedSqlite } from "../support/databases";
import { startServer, type RunningServer } from "../support/server";

// The server's own path (build/index.js, the interval worker thread): a results page asked
// before any rank interval exists is answered at once without them, saying they are being
// computed; once the worker has finished, the same page shows them with their tally version.

const NORMANDIE = "normandie-cnr-sante-2022";
const PAGE = `/consultations/${NORMANDIE}/resultats`;

/** The page's HTML without React's markers between text pieces. */
const page = async (server: RunningServer) =>
  (await (await fetch(server.url + PAGE)).text()).replaceAll("<!-- -->", "");

describe("rank intervals behind the results page (SQLite, real server)", () => {
  let dir: string;
  let server: RunningServer;

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "ps-intervals-"));
    const file = path.join(dir, "app.sqlite");
    copyLoadedSqlite(file);
    const handle = await connect({ sqliteFile: file });
    await generateDemoBallots(handle.db, { consultationSlug: NORMANDIE, count: 600, seed: 5 });
    // Published: the page is public (the phase change itself is tested elsewhere).
    await handle.db
      .updateTable("consultations")
      .set({ status: "results_published" })
      .where("slug", "=", NORMANDIE)
      .execute();
    await handle.close();
    server = await startServer({ sqliteFile: file });
  }, 180_000);

  afterAll(async () => {
    await server?.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it("renders at once without intervals ('en cours de calcul'), then with them and their version", async () => {
    const first = await page(server);
    expect(first).toContain("Résultats en Normandie");
    expect(first).toContain("Intervalles de rang en cours de calcul");
    // No interval column in the rankings while there is none to show.
    expect(first).not.toContain(">Intervalle</th>");
    expect(first).toContain(">Rang</th>");

    let later = first;
    for (let i = 0; i < 300 && later.includes("Intervalles de rang en cours de calcul"); i++) {
      await new Promise((resolve) => setTimeout(resolve, 200));
      later = await page(server);
    }
    expect(later).not.toContain("Intervalles de rang en cours de calcul");
    expect(later).toContain(">Intervalle</th>");
    expect(later).toMatch(/Intervalles de rang calculés sur cette version du décompte \(n° \d+\), le /);
    expect(later).toMatch(/<td>\d+–\d+<\/td>/);
  }, 120_000);
});
