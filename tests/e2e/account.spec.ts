import {
  chooseCommune,
  expectSignupSent,
  expect,
  headerPlace,
  logIn,
  logOut,
  openMenu,
  PASSPHRASE,
  outboxMails,
  readLinkFromOutbox,
  signUp,
  test,
  uniqueEmail,
  waitForHydration,
} from "./helpers";

// The resident's account, end to end, through the production build: sign-up with the commune
// picker, e-mail confirmation, log out and in, password reset, and the refusals on the way.

test.describe("avec JavaScript", () => {
  test("inscription, confirmation de l’adresse, déconnexion puis connexion", async ({ page }) => {
    const email = uniqueEmail("parcours");

    await signUp(page, { email });
    await expect(page.getByRole("heading", { level: 1, name: "Mon compte" })).toBeVisible();
    await expect(page.getByText("À confirmer", { exact: true })).toBeVisible();

    const link = await readLinkFromOutbox(page, email, "/verification");
    await page.goto(link);
    await page.getByRole("button", { name: "Confirmer mon adresse" }).click();
    await expect(page.getByRole("heading", { level: 1, name: "Adresse confirmée" })).toBeVisible();

    await logOut(page);
    await expect(
      page.getByRole("banner").getByRole("link", { name: "Se connecter" }).filter({ visible: true }),
    ).toBeVisible();
    // Signed out for real: the account page now asks to log in.
    await page.goto("/mon-compte");
    await expect(page).toHaveURL(/\/connexion\?redirectTo=%2Fmon-compte$/);

    await logIn(page, { email });
    await expect(headerPlace(page)).toHaveText("Lisieux · arrondissement de Lisieux");
    const place = page.getByTestId("my-place");
    await expect(place).toContainText("Lisieux (14366)");
    await expect(place).toContainText("Lisieux (143)");
    await expect(place).toContainText("Calvados (14)");
    await expect(place).toContainText("CTS Calvados");
    await expect(page.getByText("Confirmée", { exact: true })).toBeVisible();

    await logOut(page);
    await expect(page.getByTestId("header-place")).toHaveCount(0);
  });

  test("sur un écran de 320 px, le menu donne la commune et la déconnexion", async ({ page }) => {
    await page.setViewportSize({ width: 320, height: 800 });
    const email = uniqueEmail("mobile");
    await signUp(page, { email });

    const banner = page.getByRole("banner");
    // The wide-screen tools are hidden at this width; the menu carries them.
    await expect(banner.getByRole("button", { name: "Se déconnecter" }).filter({ visible: true })).toHaveCount(0);
    const menu = await openMenu(page);
    await expect(menu.getByRole("link", { name: "Lisieux · arrondissement de Lisieux" })).toBeVisible();
    await menu.getByRole("button", { name: "Se déconnecter" }).click();
    await expect(page).toHaveURL(/\/\?deconnecte=1$/);

    await openMenu(page);
    await expect(menu.getByRole("link", { name: "Se connecter" })).toBeVisible();
    await menu.getByRole("link", { name: "Créer un compte" }).click();
    await expect(page.getByRole("heading", { level: 1, name: "Créer un compte" })).toBeVisible();
  });

  test("les résultats de la recherche de commune suivent la frappe", async ({ page }) => {
    await page.goto("/inscription");
    await waitForHydration(page);
    const searchBox = page.getByRole("searchbox", { name: "Nom de la commune ou code postal" });
    await searchBox.fill("14100");
    await expect(page.getByRole("radio", { name: /^Lisieux 14100/ })).toBeVisible();
    // No page load: the address is unchanged and the count is announced.
    await expect(page).toHaveURL(/\/inscription$/);
    // 14100 is the postal code of more than 20 communes: the count says so.
    await expect(
      page.getByRole("status").filter({ hasText: /communes? trouvées?|Plus de 20 communes/ }),
    ).not.toBeEmpty();
    await searchBox.fill("zzzqqq");
    await expect(page.getByText("Aucune commune ne correspond à « zzzqqq »")).toBeVisible();
  });

  // Finding 6 of the security probe: the form used to say « Un compte existe peut-être déjà ».
  test("une adresse déjà inscrite : même page qu’une nouvelle, et un e-mail à son titulaire", async ({
    page,
    otherPage: second,
  }) => {
    const email = uniqueEmail("doublon");
    await signUp(page, { email });

    await second.goto("/inscription");
    await waitForHydration(second);
    await second.getByRole("searchbox", { name: "Nom de la commune ou code postal" }).fill("Lisieux");
    await chooseCommune(second, /^Lisieux 14100/);
    await second.getByLabel("Adresse électronique").fill(email.toUpperCase());
    await second.getByLabel("Mot de passe").fill("une autre phrase de passe");
    await second.getByRole("button", { name: "Créer mon compte" }).click();
    await expectSignupSent(second, "/inscription");
    await expect(second.getByText("Un compte existe peut-être déjà")).toHaveCount(0);
    // The owner learns it from their mailbox, with the ways back into the account.
    const notice = outboxMails(email).filter((m) => m.subject.includes("Vous avez déjà un compte"));
    expect(notice).toHaveLength(1);
    expect(notice[0]!.body).toContain("/mot-de-passe-oublie");
  });

  // Finding 5 of the security probe.
  test("un mot de passe trop facile à deviner est refusé, avec la raison", async ({ page }) => {
    await page.goto("/inscription");
    await waitForHydration(page);
    await page.getByRole("searchbox", { name: "Nom de la commune ou code postal" }).fill("Lisieux");
    await chooseCommune(page, /^Lisieux 14100/);
    await page.getByLabel("Adresse électronique").fill(uniqueEmail("faible"));
    await page.getByLabel("Mot de passe").fill("Azertyuiop1");
    await page.getByRole("button", { name: "Créer mon compte" }).click();
    await expect(page.getByText(/Ce mot de passe est trop facile à deviner \(force estimée \d sur 4/)).toBeVisible();
    await expect(page).toHaveURL(/\/inscription$/);
    await expect(page.getByRole("radio", { name: /^Lisieux 14100/ })).toBeChecked();
  });

  // Finding 14 of the security probe.
  test("un nom public qui imite l’équipe ou mélange les alphabets est refusé", async ({ page }) => {
    await signUp(page, { email: uniqueEmail("nom") });
    const field = page.getByLabel("Nom public (facultatif)");
    const save = page.getByRole("button", { name: "Enregistrer mon nom public" });
    await field.fill("Modération");
    await save.click();
    await expect(page.getByText("Le nom public ne peut pas contenir « moderation »")).toBeVisible();
    await field.fill("Cаmille D.");
    await save.click();
    await expect(page.getByText("Le nom public mélange des alphabets")).toBeVisible();
    await field.fill("Ｃａｍｉｌｌｅ D.");
    await save.click();
    await expect(page.getByText("Votre nom public est désormais « Camille D. »")).toBeVisible();
  });

  test("un lien de confirmation ne sert qu’une fois", async ({ page }) => {
    const email = uniqueEmail("lien-reutilise");
    await signUp(page, { email });
    const link = await readLinkFromOutbox(page, email, "/verification");

    await page.goto(link);
    await page.getByRole("button", { name: "Confirmer mon adresse" }).click();
    await expect(page.getByRole("heading", { level: 1, name: "Adresse confirmée" })).toBeVisible();

    const again = await page.goto(link);
    expect(again?.status()).toBe(400);
    await expect(page.getByRole("heading", { level: 1, name: "Confirmation impossible" })).toBeVisible();
    await expect(page.getByRole("alert")).toContainText("Ce lien de confirmation a déjà servi.");
    await expect(page.getByRole("button", { name: "Confirmer mon adresse" })).toHaveCount(0);
  });

  test("mot de passe oublié : nouveau mot de passe, anciennes sessions fermées", async ({
    page,
    otherPage: second,
  }) => {
    const email = uniqueEmail("oubli");
    const newPassword = "cerf-volant prairie horizon 42";
    await signUp(page, { email });

    // Another browser, where the resident has forgotten the password.
    await second.goto("/connexion");
    await second.getByRole("link", { name: "Mot de passe oublié ?" }).click();
    await expect(second).toHaveURL(/\/mot-de-passe-oublie$/);
    await second.getByLabel("Adresse électronique de votre compte").fill(email);
    await second.getByRole("button", { name: "Recevoir un lien" }).click();
    await expect(second.getByRole("status").filter({ hasText: "Demande enregistrée" })).toBeVisible();

    const olderLink = await readLinkFromOutbox(second, email, "/reinitialisation");
    // A second request: the newer link is used, the older one must die with it (finding 4).
    await second.goto("/mot-de-passe-oublie");
    await second.getByLabel("Adresse électronique de votre compte").fill(email);
    await second.getByRole("button", { name: "Recevoir un lien" }).click();
    await expect(second.getByRole("status").filter({ hasText: "Demande enregistrée" })).toBeVisible();
    const link = await readLinkFromOutbox(second, email, "/reinitialisation");
    expect(link).not.toBe(olderLink);
    await second.goto(link);
    await expect(second.getByRole("heading", { level: 1, name: "Choisir un nouveau mot de passe" })).toBeVisible();
    await second.getByLabel("Nouveau mot de passe").fill(newPassword);
    await second.getByLabel("Confirmez le mot de passe").fill(newPassword);
    await second.getByRole("button", { name: "Enregistrer" }).click();
    await expect(second.getByRole("heading", { level: 1, name: "Mot de passe modifié" })).toBeVisible();
    // Success is not an error: the page it lands on answers 200 (issue 17, point 18).
    expect((await second.request.get(second.url())).status()).toBe(200);

    // The session opened at sign-up, in the first browser, is over.
    await page.goto("/mon-compte");
    await expect(page).toHaveURL(/\/connexion\?redirectTo=%2Fmon-compte$/);

    // The old password no longer works; the new one does.
    await second.goto("/connexion");
    await second.getByLabel("Adresse électronique").fill(email);
    await second.getByLabel("Mot de passe").fill(PASSPHRASE);
    await second.getByRole("button", { name: "Se connecter" }).click();
    await expect(second.getByRole("alert")).toContainText("Adresse électronique ou mot de passe incorrect.");
    await logIn(second, { email, password: newPassword });
    // Reaching the mailbox proved the address too.
    await expect(second.getByText("Confirmée", { exact: true })).toBeVisible();

    // The reset link is spent, and so is the older one.
    await second.goto(link);
    await expect(second.getByRole("alert")).toContainText("Ce lien a déjà servi.");
    await second.goto(olderLink);
    await expect(second.getByRole("alert")).toContainText("Ce lien a déjà servi.");
  });
});

test.describe("sans JavaScript", () => {
  test.use({ javaScriptEnabled: false });

  test("la recherche de commune recharge la page et l’inscription aboutit", async ({ page }) => {
    const email = uniqueEmail("sans-js");
    await page.goto("/inscription");
    await page.getByRole("searchbox", { name: "Nom de la commune ou code postal" }).fill("Lisieux");
    await page.getByRole("button", { name: "Rechercher" }).click();
    await expect(page).toHaveURL(/\/inscription\?q=Lisieux$/);
    await expect(page.getByRole("searchbox", { name: "Nom de la commune ou code postal" })).toHaveValue("Lisieux");
    await expect(page.getByRole("radiogroup", { name: "Communes trouvées" })).toBeVisible();

    await chooseCommune(page, /^Lisieux 14100/);
    await page.getByLabel("Adresse électronique").fill(email);
    await page.getByLabel("Mot de passe").fill(PASSPHRASE);
    await page.getByRole("button", { name: "Créer mon compte" }).click();
    await expectSignupSent(page, "/inscription");
    await logIn(page, { email });
    await expect(headerPlace(page)).toHaveText("Lisieux · arrondissement de Lisieux");

    // Logging out is a plain form POST too.
    await logOut(page);
  });
});
