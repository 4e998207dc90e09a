import { expect, test } from "@playwright/test";
import { axeViolations } from "./axe-helpers";

const expectNoAxeViolations = async (page: Parameters<typeof axeViolations>[0]) =>
  expect(await axeViolations(page)).toEqual([]);

// A resident signs in with FranceConnect (the local provider started beside the app), creates
// an account in their commune, and « Mon compte » shows the level « Identité ». At 320 px.

test.use({ viewport: { width: 320, height: 800 } });

test("a resident signs in with FranceConnect and reaches « Identité »", async ({ page }) => {
  await page.goto("/connexion");
  await expectNoAxeViolations(page);
  await page.getByRole("button", { name: /S’identifier avec FranceConnect/ }).click();
  // The provider's development login form: any login and password.
  await page.locator('input[name="login"]').fill(`e2e-${Date.now()}`);
  await page.locator('input[name="password"]').fill("x");
  await page.locator('button[type="submit"]').click();
  await expect(page.getByRole("heading", { name: "Votre identité FranceConnect" })).toBeVisible();
  await expectNoAxeViolations(page);
  await page.getByLabel("Nom de la commune ou code postal").fill("Rouen");
  await page.getByRole("button", { name: "Rechercher" }).click();
  // DSFR draws the radio under its label: the label is what people click.
  await page.locator('label[for="commune-76540"]').click();
  await page.getByRole("button", { name: "Créer mon compte" }).click();
  await expect(page.getByTestId("assurance-level")).toContainText("Identité (FranceConnect)");
  await expectNoAxeViolations(page);
});
