import type { Locator } from "@playwright/test";
import SQLite from "better-sqlite3";
import { axeViolations, checkPage, NARROW, overflow } from "./axe-helpers";
import { commentWith, newResident, publishComment } from "./comment-helpers";
import { expect, openMenu, PASSPHRASE, signInDirectly, test, uniqueEmail, waitForHydration } from "./helpers";

// The rough edges residents, associations and administrators met (issue 17, points 3 to 8, 12, 18).

function grantRole(email: string, role: string) {
  const db = new SQLite(process.env.E2E_SQLITE_FILE!, { fileMustExist: true, timeout: 5000 });
  try {
    const user = db.prepare("select id from users where email = ?").get(email) as { id: string };
    db.prepare("insert into user_roles (user_id, role, scope, created_at) values (?, ?, '', ?)").run(
      user.id,
      role,
      new Date().toISOString(),
    );
  } finally {
    db.close();
  }
}

test("point 12: the CTS invitation form speaks of the invited person's address, not the admin's", async ({ page }) => {
  test.slow();
  const email = await signInDirectly(page, { label: "admin-invite" });
  grantRole(email, "admin");
  await page.goto("/admin/cts");
  await waitForHydration(page);
  await page.getByRole("button", { name: "Envoyer l’invitation" }).click();
  const field = page.getByLabel("Adresse électronique de la personne à inviter");
  await expect(page.getByText("Indiquez l’adresse électronique de la personne à inviter.")).toBeVisible();
  await expect(page.getByText("Indiquez votre adresse électronique.")).toHaveCount(0);
  await field.fill("pas-une-adresse");
  await field.blur();
  await expect(page.getByText("Adresse électronique invalide (exemple : nom@domaine.fr).")).toBeVisible();
  expect(await axeViolations(page)).toEqual([]);
});

const NORMANDIE = "normandie-cnr-sante-2022";
const PROPOSAL = `/consultations/${NORMANDIE}/propositions/developper-les-dispositifs-d-aller-vers-en-prevention`;

/** How far `box` sticks out of `frame` on the right, in CSS pixels (0: it fits). */
async function overhang(box: Locator, frame: Locator): Promise<number> {
  const [inner, outer] = await Promise.all([box.boundingBox(), frame.boundingBox()]);
  return Math.max(0, Math.round(inner!.x + inner!.width - (outer!.x + outer!.width)));
}

test.describe("point 3, on a 320 px phone", () => {
  test.use({ viewport: NARROW });

  test("the proposal list's numbers are on screen, page 2 going on from 21", async ({ page }) => {
    await page.goto(`/consultations/${NORMANDIE}?page=2`);
    const numbers = page.getByTestId("proposal-number");
    await expect(numbers.first()).toHaveText("N° 21");
    const box = await numbers.first().boundingBox();
    expect(box!.x).toBeGreaterThanOrEqual(0);
    // No list marker drawn outside the cards (the DSFR's, cut off by the screen's edge).
    const markers = await page
      .locator("main ol.ps-plain-list > li")
      .first()
      .evaluate((li) => getComputedStyle(li, "::marker").content);
    expect(markers).toBe("none");
    await checkPage(page);
  });

  test("the reply box stays inside its comment's frame", async ({ page, otherPage }) => {
    test.slow();
    await otherPage.setViewportSize(NARROW);
    await newResident(page, { label: "cadre", displayName: "Dominique P." });
    await page.goto(PROPOSAL);
    await waitForHydration(page);
    const text = `Une permanence par mois ne suffit pas à Vimoutiers. ${Date.now()}`;
    await publishComment(page, { text, signature: "nom" });
    await newResident(otherPage, { label: "reponse-cadre" });
    await otherPage.goto(PROPOSAL);
    await waitForHydration(otherPage);
    const comment = commentWith(otherPage, text);
    await comment.getByText("Répondre", { exact: true }).click();
    const box = comment.getByLabel("Votre réponse à Dominique P.");
    await expect(box).toBeVisible();
    expect(await overhang(box, comment)).toBe(0);
    expect(await overhang(comment.getByTestId("reply-disclosure"), comment)).toBe(0);
    const { scrollWidth } = await overflow(otherPage);
    expect(scrollWidth).toBeLessThanOrEqual(NARROW.width);
    expect(await axeViolations(otherPage)).toEqual([]);
  });

  test("a resident of Évreux reads « arrondissement d’Évreux »", async ({ page }) => {
    await signInDirectly(page, { label: "evreux", search: "Évreux", commune: /^Évreux 27000/ });
    const menu = await openMenu(page);
    await expect(menu.getByRole("link", { name: "Évreux · arrondissement d’Évreux" })).toBeVisible();
    await expect(page.getByText("arrondissement de Évreux")).toHaveCount(0);
  });

  test("the commune search says when more than 20 communes match", async ({ page }) => {
    await page.goto("/inscription");
    await waitForHydration(page);
    const search = page.getByRole("searchbox", { name: "Nom de la commune ou code postal" });
    await search.fill("saint");
    await expect(page.getByTestId("commune-more")).toHaveText(
      "Plus de 20 communes : précisez votre saisie (nom plus complet ou code postal).",
    );
    await expect(page.getByRole("radiogroup", { name: "Communes trouvées" }).getByRole("radio")).toHaveCount(20);
    await search.fill("Lisieux");
    await expect(page.getByRole("radio", { name: /^Lisieux 14100/ })).toBeVisible();
    await expect(page.getByTestId("commune-more")).toHaveCount(0);
    expect(await axeViolations(page)).toEqual([]);
  });

  test("without JavaScript too, the search says there are more", async ({ browser }) => {
    const context = await browser.newContext({ javaScriptEnabled: false, viewport: NARROW });
    const page = await context.newPage();
    await page.goto(`${test.info().project.use.baseURL}/inscription?q=saint`);
    await expect(page.getByTestId("commune-more")).toBeVisible();
    await context.close();
  });
});

test.describe("point 6: the sign-up form shows the password's strength", () => {
  test.use({ viewport: NARROW });

  test("as it is typed, from the server's estimate", async ({ page }) => {
    await page.goto("/inscription");
    await waitForHydration(page);
    await page.getByLabel("Adresse électronique").fill("marie.dupont@exemple.fr");
    const password = page.getByLabel("Mot de passe");
    const meter = page.getByTestId("password-meter");
    await password.pressSequentially("motdepasse1", { delay: 20 });
    await expect(meter).toContainText("Ce mot de passe est trop facile à deviner");
    await password.fill(PASSPHRASE);
    await expect(meter).toContainText("il convient");
    expect(await axeViolations(page)).toEqual([]);
    // The estimator stays on the server: no zxcvbn dictionary in what the browser loaded.
    const scripts = await page.evaluate(() =>
      performance
        .getEntriesByType("resource")
        .map((e) => e.name)
        .filter((n) => n.endsWith(".js")),
    );
    for (const src of scripts) {
      const body = await (await page.request.get(src)).text();
      expect(body, src).not.toContain("zxcvbn");
    }
  });

  test("without JavaScript, the server's message comes with the refused form", async ({ browser }) => {
    const context = await browser.newContext({ javaScriptEnabled: false, viewport: NARROW });
    const page = await context.newPage();
    await page.goto(`${test.info().project.use.baseURL}/inscription?q=Lisieux`);
    await page.locator('label[for$="-14366"]').click();
    await page.getByLabel("Adresse électronique").fill(uniqueEmail("faible"));
    await page.getByLabel("Mot de passe").fill("motdepasse1");
    await page.getByRole("button", { name: "Créer mon compte" }).click();
    await expect(page.getByText(/Ce mot de passe est trop facile à deviner/)).toBeVisible();
    await context.close();
  });
});

test.describe("point 5: majority judgment a resident can finish", () => {
  const AQUITAINE = "nouvelle-aquitaine-cnr-sante-2022";

  test("the rule first, the progress, and a way back to the first proposal left to grade — without JavaScript", async ({
    browser,
  }) => {
    test.slow();
    const context = await browser.newContext({ javaScriptEnabled: false, viewport: NARROW });
    const page = await context.newPage();
    const base = test.info().project.use.baseURL!;
    await page.goto(`${base}/`);
    await signInDirectly(page, { label: "mj-guide", search: "Bordeaux", commune: /^Bordeaux 330/ });
    await page.goto(`${base}/consultations/${AQUITAINE}`);
    const guide = page.getByTestId("grading-guide");
    await expect(guide).toContainText("Une proposition sans mention ne compte pas dans votre vote");
    const progress = page.getByTestId("grading-progress");
    await expect(progress).toHaveText(/^0 sur \d+ évaluée$/);
    const total = Number(/sur (\d+)/.exec((await progress.textContent())!)![1]);
    expect(total).toBeGreaterThan(20);

    // "Commencer" leads to the first proposal of the first theme, on its page.
    await page.getByTestId("grading-next").click();
    await expect(page).toHaveURL(/\?theme=[a-z]+&page=1#vote-/);
    const first = new URL(page.url()).hash.slice("#vote-".length);
    const theme = new URL(page.url()).searchParams.get("theme")!;
    const card = page.locator(`li#vote-${first}`);
    await card.getByLabel(/^Mention/).selectOption({ label: "Prioritaire" });
    await card.getByRole("button", { name: /^Enregistrer la mention/ }).click();
    await expect(card.getByTestId(`grade-${first}`)).toHaveText("Votre mention : Prioritaire");

    // Coming back to the consultation: 1 graded, and "Reprendre" goes to the next one.
    await page.goto(`${base}/consultations/${AQUITAINE}`);
    await expect(progress).toHaveText(`1 sur ${total} évaluée`);
    const next = page.getByTestId("grading-next");
    await expect(next).toContainText("Reprendre");
    expect(await next.getAttribute("href")).not.toContain(`#vote-${first}`);
    expect(await next.getAttribute("href")).toContain(`theme=${theme}`);
    // The theme's tag counts what is graded in it.
    await expect(page.locator(`a.fr-tag[href*="theme=${theme}"]`)).toContainText(/\(1\/\d+ évaluées\)/);
    const { scrollWidth } = await overflow(page);
    expect(scrollWidth).toBeLessThanOrEqual(NARROW.width);
    await context.close();
  });

  test("the guide passes axe at 320 px", async ({ page }) => {
    await page.setViewportSize(NARROW);
    await signInDirectly(page, { label: "mj-axe", search: "Bordeaux", commune: /^Bordeaux 330/ });
    await page.goto(`/consultations/${AQUITAINE}`);
    await expect(page.getByTestId("grading-guide")).toBeVisible();
    await checkPage(page);
  });
});
