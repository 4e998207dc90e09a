import { expect, test } from "@playwright/test";

// A newcomer on a phone looks for what the Normandie workshops proposed about prevention.
test.use({ viewport: { width: 375, height: 800 } });

test("browse Normandie → theme Prévention → a proposal, its source section and mention count", async ({ page }) => {
  await page.goto("/");
  await page
    .getByRole("link", { name: /Normandie/ })
    .first()
    .click();
  await expect(page.getByRole("heading", { level: 1, name: /Normandie/ })).toBeVisible();
  await page
    .getByRole("navigation", { name: "Propositions par thème" })
    .getByRole("link", { name: /Prévention/ })
    .click();
  await expect(page).toHaveURL(/theme=prevention/);
  await expect(page.getByTestId("result-count")).toContainText(/\d+ propositions correspondent/);
  const cards = page.locator("ol li .fr-card");
  await expect(cards.first()).toBeVisible();
  for (const badge of await page.locator("ol li .fr-card .fr-badge--blue-ecume").allTextContents()) {
    expect(badge).toBe("Prévention");
  }
  const title = (await cards.first().getByRole("heading").textContent())!.trim();
  await cards.first().getByRole("link").click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(title);
  const source = page.getByTestId("source").first();
  await expect(source).toContainText("004_6b0e1e4a41bafabe.txt");
  await expect(source).toContainText(/PRÉVENTION/i);
  // Normandie's report prints no counts, and the page says so rather than showing a number.
  await expect(source).toContainText("ne donne pas de nombre de citations");
});

test("a Nouvelle-Aquitaine proposal shows its mention count and the per-département table", async ({ page }) => {
  await page.goto("/consultations/nouvelle-aquitaine-cnr-sante-2022?sort=mentions");
  await page.locator("ol li .fr-card").first().getByRole("link").click();
  await expect(page.getByTestId("source-mentions")).toHaveText(/citée \d+ fois/);
  const table = page.getByRole("table", { name: /par département/ });
  await expect(table.getByRole("row")).not.toHaveCount(1);
  // The first use of "IPA" is explained in place.
  await expect(page.locator("abbr[title='infirmier en pratique avancée']").first()).toBeVisible();
});

test("search without accents, filters in the URL, without JavaScript", async ({ browser }) => {
  const context = await browser.newContext({ javaScriptEnabled: false, viewport: { width: 375, height: 800 } });
  const page = await context.newPage();
  await page.goto("/consultations/normandie-cnr-sante-2022");
  await page.getByLabel(/Rechercher/).fill("medecin traitant");
  await page.getByRole("button", { name: "Afficher les propositions" }).click();
  await expect(page).toHaveURL(/q=medecin\+traitant/);
  await expect(page.getByTestId("result-count")).toContainText(/\d+ propositions? correspond/);
  await expect(page.locator("ol li .fr-card").first()).toContainText(/médecin/i);
  await page.goto("/consultations/normandie-cnr-sante-2022?q=%3Cscript%3Ealert(1)%3C%2Fscript%3E");
  await expect(page.getByTestId("result-count")).toHaveText("Aucune proposition ne correspond à ces critères.");
  await context.close();
});

test("an out-of-range page is clamped with a message", async ({ page }) => {
  await page.goto("/consultations/normandie-cnr-sante-2022?page=40");
  await expect(page.getByText("La page 40 n’existe pas")).toBeVisible();
  await expect(page.getByRole("link", { name: "Page précédente" })).toBeVisible();
});
