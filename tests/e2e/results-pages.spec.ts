import { connect } from "../../db/connect";
import { generateDemoBallots } from "../../app/ballots/demo-ballots.server";
import { grantRole, run } from "./comment-helpers";
import { expect, signInDirectly, test } from "./helpers";

const NORMANDIE = "normandie-cnr-sante-2022";
const REPORT = `/cts/76-rouen-elbeuf/rapports/${NORMANDIE}`;

test.describe.configure({ mode: "serial", timeout: 180_000 });

test.beforeAll(async () => {
  const handle = await connect({ sqliteFile: process.env.E2E_SQLITE_FILE! });
  try {
    await generateDemoBallots(handle.db, { consultationSlug: NORMANDIE, count: 1500, seed: 61 });
  } finally {
    await handle.close();
  }
});

test("measure", async ({ page }) => {
  run("update consultations set status = 'results_published' where slug = ?", NORMANDIE);
  try {
    await page.setViewportSize({ width: 320, height: 800 });
    await page.goto(`/consultations/${NORMANDIE}/resultats`);
    console.log("results anon 320", await page.evaluate(() => document.documentElement.scrollHeight));
    await page.setViewportSize({ width: 1280, height: 800 });
    console.log("results anon 1280", await page.evaluate(() => document.documentElement.scrollHeight));
    const admin = await signInDirectly(page, { label: "measure", search: "Rouen", commune: /^Rouen 76000/ });
    grantRole(admin, "cts_member", "76-rouen-elbeuf");
    await page.goto(REPORT);
    console.log("report 1280", await page.evaluate(() => document.documentElement.scrollHeight));
    await page.setViewportSize({ width: 320, height: 800 });
    console.log("report 320", await page.evaluate(() => document.documentElement.scrollHeight));
    const pdf = await page.request.get(`${REPORT}/export/pdf`);
    expect(pdf.status()).toBe(200);
    console.log("pdf bytes", (await pdf.body()).length);
  } finally {
    run("update consultations set status = 'open' where slug = ?", NORMANDIE);
  }
});
