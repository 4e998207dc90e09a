import type { Page, TestInfo } from "@playwright/test";
import { connect } from "../../db/connect";
import { generateDemoBallots } from "../../app/ballots/demo-ballots.server";
import { formatBytes } from "../../app/ui/download-link";
import { checkPage, NARROW } from "./axe-helpers";
import { grantRole, run } from "./comment-helpers";
import { expect, signInDirectly, test, waitForHydration } from "./helpers";

// Issue 17, points 1, 2 and 9: the published results on a phone lead with the resident's own
// territory's first ten, drawn with their rank intervals; the participation is a map with its
// legend and a table; long tables are behind disclosures that work without JavaScript; the CTS
// report opens with its summary; every download says its format and size. Both pages are
// screenshotted at 320 and 1280 px and attached to the report, with their heights.

const NORMANDIE = "normandie-cnr-sante-2022";
const RESULTS = `/consultations/${NORMANDIE}/resultats`;
const REPORT = `/cts/76-rouen-elbeuf/rapports/${NORMANDIE}`;
const DESKTOP = { width: 1280, height: 800 };

test.describe.configure({ mode: "serial", timeout: 180_000 });

test.beforeAll(async () => {
  const handle = await connect({ sqliteFile: process.env.E2E_SQLITE_FILE! });
  try {
    await generateDemoBallots(handle.db, { consultationSlug: NORMANDIE, count: 1500, seed: 61 });
  } finally {
    await handle.close();
  }
  // Published as an administrator would leave it (the kept counts are what a closed vote reads).
  run("update consultations set status = 'results_published' where slug = ?", NORMANDIE);
});

test.afterAll(() => run("update consultations set status = 'open' where slug = ?", NORMANDIE));

/** The page's full height, screenshotted whole and attached to the report with it. */
async function shoot(page: Page, testInfo: TestInfo, name: string): Promise<number> {
  await page.evaluate(() => document.fonts.ready);
  const height = await page.evaluate(() => document.documentElement.scrollHeight);
  await testInfo.attach(`${name} (${height} px)`, {
    body: await page.screenshot({ fullPage: true }),
    contentType: "image/png",
  });
  return height;
}

test("a resident of Rouen on a phone sees their CTS's and arrondissement's first ten first, then the map", async ({
  page,
  browser,
}, testInfo) => {
  await signInDirectly(page, { label: "resultats-rouen", search: "Rouen", commune: /^Rouen 76000/ });
  await page.setViewportSize(NARROW);
  await page.goto(RESULTS);
  const main = page.locator("main");
  // The first section after the title is the resident's CTS, then their arrondissement.
  const headings = main.getByRole("heading", { level: 2 });
  await expect(headings.nth(0)).toHaveText("Les 10 premières priorités — Rouen-Elbeuf (CTS)");
  await expect(headings.nth(1)).toHaveText("Les 10 premières priorités — Rouen (arrondissement)");
  const chart = page.getByRole("figure", { name: /Classement brut \(un bulletin = une voix\)/ }).first();
  await expect(chart).toBeVisible();
  // Within the first screen of a 320 × 800 phone.
  const box = (await chart.boundingBox())!;
  expect(box.y, "the first-ten chart starts within the first screen").toBeLessThan(NARROW.height - 100);

  // The chart's first ten are the CTS's (the open-data API says the same), each with its interval.
  const api = await page.request.get(`/api/v1/consultations/${NORMANDIE}/results?territory=cts:76-rouen-elbeuf`);
  const ranking = ((await api.json()) as { ranking: { title: string; rank: number | null }[] }).ranking;
  const rows = chart.getByRole("listitem");
  const firstTen = ranking.filter((r) => r.rank !== null && r.rank <= 10);
  await expect(rows).toHaveCount(firstTen.length);
  await expect(rows.first()).toContainText(firstTen[0]!.title);
  // Rank intervals are computed behind the first view (which draws ranks alone): a later one has them.
  const whisker = chart.getByRole("img", { name: /^Rang 1, intervalle du \d+e au \d+e rang$/ }).first();
  await expect(async () => {
    if (!(await whisker.isVisible())) await page.reload();
    await expect(whisker).toBeVisible({ timeout: 1_000 });
  }).toPass({ timeout: 60_000 });
  await expect(page.getByText(/Chaque point est le rang d’une proposition/).first()).toBeVisible();

  // No heading twice; the full tables are there, closed until asked for.
  const texts = await main.getByRole("heading").allTextContents();
  expect(new Set(texts).size, `repeated headings: ${texts.join(" | ")}`).toBe(texts.length);
  const raw = page.getByRole("table", { name: "Classement brut" });
  await expect(raw).toBeHidden();
  await page.getByText(/^Classements complets \(100 propositions, brut et pondéré\)$/).click();
  await expect(raw).toBeVisible();
  await expect(raw.locator("tbody tr")).toHaveCount(100);
  await expect(page.getByRole("figure", { name: /Rang brut et rang pondéré/ })).toBeVisible();

  // Participation: a map of the five départements with its legend, and the table; no tile grid.
  const map = page.getByRole("img", { name: /^Participation par département en Normandie/ });
  await expect(map).toBeVisible();
  await expect(map.locator("path")).toHaveCount(5);
  await expect(page.getByRole("list", { name: "Légende" }).getByRole("listitem").first()).toHaveText(
    /^\s*de [\d,]+\s%\sà moins de [\d,]+\s%$/,
  );
  await expect(page.getByRole("table", { name: "Participation par département" }).locator("tbody tr")).toHaveCount(5);
  await expect(page.getByText(/Aucune carte des arrondissements n’est publiée dans un paquet maintenu/)).toBeVisible();
  await expect(page.getByText("une ligne par département")).toHaveCount(0);
  await expect(page.getByRole("img", { name: /Bulletins cumulés par jour/ })).toBeVisible();

  // The dataset link says its format, and its size once known (measured behind the first page
  // that showed it, or from the file served): the size is the file's.
  const dataset = page.getByRole("link", { name: /^Télécharger le jeu de données \(CSV(, .+)?\)$/ });
  const file = await page.request.get((await dataset.getAttribute("href"))!);
  await page.reload();
  await expect(dataset).toHaveAccessibleName(
    `Télécharger le jeu de données (CSV, ${formatBytes((await file.body()).length)})`,
  );

  await checkPage(page);
  await page.setViewportSize(NARROW);
  await shoot(page, testInfo, "résultats, habitant de Rouen, 320 px");

  // Anonymous, without JavaScript: the region's first ten lead, the disclosures open, and the
  // territory form (a GET) shows another territory's.
  const context = await browser.newContext({ javaScriptEnabled: false, viewport: NARROW });
  const plain = await context.newPage();
  await plain.goto(RESULTS);
  await expect(plain.locator("main").getByRole("heading", { level: 2 }).first()).toHaveText(
    "Les 10 premières priorités — Normandie (région)",
  );
  const anonymous = await shoot(plain, testInfo, "résultats, anonyme, 320 px");
  console.log(`results page at 320 px: ${anonymous} px`);
  expect(anonymous, "results page height at 320 px").toBeLessThan(15_000);
  await plain.getByText(/^Participation par arrondissement \(\d+ arrondissements\)$/).click();
  await expect(plain.getByRole("table", { name: "Participation par arrondissement" })).toBeVisible();
  await plain.getByLabel("Voir les priorités d’un autre territoire").selectOption({ label: "CTS Dieppe" });
  await plain.getByRole("button", { name: "Afficher" }).click();
  await expect(plain).toHaveURL(/territoire=cts%3A76-dieppe/);
  await expect(plain.locator("main").getByRole("heading", { level: 2 }).first()).toHaveText(
    "Les 10 premières priorités — Dieppe (CTS)",
  );
  await plain.setViewportSize(DESKTOP);
  await plain.goto(RESULTS);
  console.log(`results page at 1280 px: ${await shoot(plain, testInfo, "résultats, anonyme, 1280 px")} px`);
  await context.close();
});

test("the CTS report opens with its summary, keeps long tables closed, and its exports say format and size", async ({
  page,
}, testInfo) => {
  const member = await signInDirectly(page, { label: "rapport-rouen", search: "Rouen", commune: /^Rouen 76000/ });
  grantRole(member, "cts_member", "76-rouen-elbeuf");
  await page.setViewportSize(DESKTOP);
  await page.goto(REPORT);
  await waitForHydration(page);
  const rawChart = page.getByRole("figure", { name: "Les 10 premières du classement brut" });
  const weightedChart = page.getByRole("figure", { name: "Les 10 premières du classement pondéré" });
  await expect(rawChart).toBeVisible();
  await expect(weightedChart).toBeVisible();
  // Side by side, and within the first two screens at 1280 px.
  const [a, b] = [(await rawChart.boundingBox())!, (await weightedChart.boundingBox())!];
  expect(Math.abs(a.y - b.y)).toBeLessThan(2);
  expect(a.y).toBeLessThan(2 * DESKTOP.height);
  // Where raw and weighted disagree: said in a sentence, drawn when some proposal moves.
  await expect(page.getByRole("heading", { name: "Brut ou pondéré : ce qui change" })).toBeVisible();
  await expect(
    page.getByText(/placent les 10 premières propositions aux mêmes rangs|n’ont pas le même rang dans les deux/),
  ).toBeVisible();
  for (const name of ["Classement brut", "Rang par arrondissement", "Détail par proposition"])
    await expect(page.getByRole("table", { name })).toBeHidden();

  // Every export link names its format and size ("environ" when measured on an older export); a
  // PDF or XLSX never exported has its size once measured behind the page, never during it.
  for (const [name, format, size] of [
    ["Télécharger le rapport pour la réunion", "PDF", "?"],
    ["Télécharger les tableaux", "Tableur \\(XLSX\\)", "?"],
    ["Télécharger les tableaux", "CSV", ""],
    ["Télécharger les données", "JSON", ""],
  ])
    await expect(
      page.getByRole("link", { name: new RegExp(`^${name} \\(${format}(, (environ )?[\\d,]+ (Ko|Mo))${size}\\)$`) }),
    ).toBeVisible();
  // Once the PDF of this tally version is served, its link gives that file's exact size.
  const pdfLink = page.getByRole("link", { name: /^Télécharger le rapport pour la réunion \(PDF/ });
  const pdf = await page.request.get((await pdfLink.getAttribute("href"))!);
  await page.reload();
  await expect(pdfLink).toHaveAccessibleName(
    `Télécharger le rapport pour la réunion (PDF, ${formatBytes((await pdf.body()).length)})`,
  );
  const csvLink = page.getByRole("link", { name: /^Télécharger les tableaux \(CSV/ });
  const csv = await page.request.get((await csvLink.getAttribute("href"))!);
  await expect(csvLink).toHaveAccessibleName(
    `Télécharger les tableaux (CSV, ${formatBytes((await csv.body()).length)})`,
  );

  const desktop = await shoot(page, testInfo, "rapport du CTS Rouen-Elbeuf, 1280 px");
  console.log(`report page at 1280 px: ${desktop} px`);
  expect(desktop, "report page height at 1280 px").toBeLessThan(12_000);
  await checkPage(page);
  await page.setViewportSize(NARROW);
  console.log(`report page at 320 px: ${await shoot(page, testInfo, "rapport du CTS Rouen-Elbeuf, 320 px")} px`);
});
