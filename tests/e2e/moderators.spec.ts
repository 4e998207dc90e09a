import { checkPage } from "./axe-helpers";
import { expect, outboxMails, test } from "./helpers";
import { countRows, grantRole, newResident, postForm, userId } from "./comment-helpers";

// Issue 17, point 13: administrators give and take back the moderator role for a region from
// /admin/moderateurs (with and without JavaScript); the person is told by e-mail, reaches the
// moderation queue, then no longer; every change is in the security journal; administrators
// moderate without the role; anyone else gets a 403.

const PAGE = "/admin/moderateurs";

test("an administrator gives the moderator role for a region and takes it back; the person's access follows", async ({
  page,
  otherPage,
  browser,
}) => {
  test.setTimeout(90_000);
  const admin = await newResident(page, { label: "admin-moderateurs" });
  grantRole(admin, "admin");
  const person = await newResident(otherPage, { label: "future-moderatrice" });
  const personId = userId(person);
  const moderatorRoles = () =>
    countRows("select count(*) as n from user_roles where user_id = ? and role = 'moderator'", personId);

  // Not an administrator: the page and its form are refused, and nothing is written.
  expect((await otherPage.goto("/moderation"))?.status()).toBe(403);
  expect((await otherPage.goto(PAGE))?.status()).toBe(403);
  const forged = await postForm(otherPage, PAGE, { intent: "grant", email: person, region: "28" });
  expect(forged.status()).toBe(403);
  expect(moderatorRoles()).toBe(0);

  // The administration's home leads to the page.
  await page.goto("/admin");
  await page.getByRole("link", { name: /^Modérateurs/ }).click();
  await expect(page).toHaveURL(new RegExp(`${PAGE}$`));
  await expect(page.getByRole("heading", { level: 1, name: "Modérateurs" })).toBeVisible();

  // Without JavaScript: a refusal keeps the form and says why, then the role is given.
  const noScript = await browser.newContext({ javaScriptEnabled: false });
  try {
    await noScript.addCookies(await page.context().cookies());
    const plain = await noScript.newPage();
    await plain.goto(PAGE);
    const grant = async (email: string) => {
      await plain.getByLabel("Adresse électronique du compte de la personne").fill(email);
      await plain.getByLabel("Région à modérer").selectOption({ label: "Normandie" });
      await plain.getByRole("button", { name: "Donner le rôle de modérateur·rice" }).click();
    };
    await grant("personne-inconnue@exemple.fr");
    await expect(plain.getByText("Aucun compte pour personne-inconnue@exemple.fr")).toBeVisible();
    await expect(plain.getByLabel("Adresse électronique du compte de la personne")).toHaveValue(
      "personne-inconnue@exemple.fr",
    );
    await grant(person);
    await expect(
      plain.getByText("Rôle de modérateur·rice donné ; la personne en est informée par e-mail."),
    ).toBeVisible();
    await expect(plain.getByTestId("moderator-row").filter({ hasText: person })).toContainText("Normandie");
    await grant(person);
    await expect(plain.getByText(`${person} est déjà modérateur·rice pour la région Normandie.`)).toBeVisible();
  } finally {
    await noScript.close();
  }
  expect(moderatorRoles()).toBe(1);
  const [told] = outboxMails(person);
  expect(told?.subject).toBe("Vous êtes modérateur·rice pour la région Normandie — Priorités Santé");
  expect(told?.body).toMatch(/\/moderation /);

  // The person now reaches the moderation queue of Normandie.
  expect((await otherPage.goto("/moderation"))?.status()).toBe(200);
  await expect(otherPage.getByRole("heading", { level: 1, name: "Modération" })).toBeVisible();
  await expect(otherPage.getByText(/Région : Normandie\./)).toBeVisible();

  // The page with a moderator listed: no axe violation, no sideways scroll at 320 px.
  await page.goto(PAGE);
  await checkPage(page);
  await page.setViewportSize({ width: 1280, height: 800 });

  // With JavaScript: the row's button takes the role back.
  await page.getByRole("button", { name: `Retirer la modération de la région Normandie à ${person}` }).click();
  await expect(
    page.getByText("Rôle de modérateur·rice retiré ; la personne en est informée par e-mail."),
  ).toBeVisible();
  await expect(page.getByTestId("moderator-row").filter({ hasText: person })).toHaveCount(0);
  expect(moderatorRoles()).toBe(0);
  expect(outboxMails(person)[0]?.subject).toBe(
    "Vous n’êtes plus modérateur·rice pour la région Normandie — Priorités Santé",
  );
  expect((await otherPage.goto("/moderation"))?.status()).toBe(403);
  const again = await postForm(page, PAGE, { intent: "remove", email: person, region: "28" });
  expect(again.status()).toBe(409);
  expect(await again.text()).toContain(`${person} n’est pas modérateur·rice pour la région Normandie.`);

  const empty = await postForm(page, PAGE, {});
  expect(empty.status()).toBe(400);
  expect(await empty.text()).toContain("Demande incomplète : choisissez une action.");

  // Both changes are in the security journal, with the administrator as author.
  expect(
    countRows(
      "select count(*) as n from audit_events where kind = 'role_change' and user_id = ? and detail like ?",
      userId(admin),
      `%moderator (28)%${personId}%`,
    ),
  ).toBe(2);

  // An administrator moderates every region without the role.
  expect((await page.goto("/moderation"))?.status()).toBe(200);
  await expect(page.getByText(/Toutes les régions \(administrateur\)\./)).toBeVisible();
});
