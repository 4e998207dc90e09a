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
  // Each card carries the theme, as its first or its second theme.
  for (const card of await cards.all()) {
    await expect(card.locator(".fr-badge--blue-ecume", { hasText: "Prévention" })).toHaveCount(1);
  }
  const title = (await cards.first().getByRole("heading").textContent())!.trim();
  await cards.first().getByRole("link").click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(title);
  const source = page.getByTestId("source").first();
  // Provenance is the report, its ARS and its section, never a file name.
  await expect(source).toContainText("CNR Santé en Normandie : restitution régionale des 18 ateliers territoriaux");
  await expect(source).toContainText("ARS Normandie");
  await expect(source).not.toContainText(".txt");
  await expect(source).toContainText(/PRÉVENTION/i);
  // Normandie's report prints no counts, and the page says so rather than showing a number.
  await expect(source).toContainText("ne donne pas de nombre de citations");
});

test("a Nouvelle-Aquitaine proposal shows its mention count and the per-département table", async ({ page }) => {
  await page.goto("/consultations/nouvelle-aquitaine-cnr-sante-2022?sort=mentions");
  // The count is on the card itself, before the theme.
  await expect(page.locator("ol li .fr-card").first().getByTestId("mentions")).toHaveText(
    /Citée \d+ fois dans les ateliers/,
  );
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

test("short titles on cards, the source's full wording on the page, abbreviations explained on cards", async ({
  page,
}) => {
  await page.goto("/consultations/normandie-cnr-sante-2022?q=IPA");
  const cards = page.locator("ol li .fr-card");
  for (const heading of await cards.getByRole("heading").allTextContents()) {
    expect(heading.trim().length).toBeLessThanOrEqual(90);
  }
  await expect(cards.first().locator("abbr[title='infirmier en pratique avancée']")).toBeVisible();
  await page.goto(
    "/consultations/normandie-cnr-sante-2022/propositions/systematiser-la-cooperation-des-medecins-avec-les-infirmiers-en-pratique-avancee",
  );
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(
    "Systématiser la coopération des médecins avec les IPA ou les assistants médicaux",
  );
  await expect(page.getByTestId("source-wording")).toContainText(
    "Systématiser les coopérations entre médecins et infirmiers de pratiques avancées ou assistants médicaux, en prévoyant par exemple un engagement local des CPTS en ce sens",
  );
});

test("filtering on continuity also finds the unscheduled-care entries the report files under access", async ({
  page,
}) => {
  await page.goto("/consultations/nouvelle-aquitaine-cnr-sante-2022?theme=continuity&q=regulation");
  await expect(
    page
      .locator("ol li .fr-card")
      .getByRole("heading", { name: /régulation/ })
      .first(),
  ).toBeVisible();
  await expect(
    page.locator("ol li .fr-card", { hasText: "Améliorer la régulation des demandes de soins" }),
  ).toContainText("Accès aux soins");
});
