import { expect, PASSPHRASE, test, waitForHydration } from "./helpers";
import { chooseRadio, CONSULTATION, countRows, newResident, PROPOSAL, publishComment, userId } from "./comment-helpers";

// « Mes données » : the download, then the account's deletion, as a resident does it.

test("télécharger mes données puis supprimer mon compte : bulletin retiré des comptes, commentaire effacé", async ({
  page,
}) => {
  const email = await newResident(page, { label: "rgpd", displayName: "Alix R." });
  const id = userId(email);

  // A vote in the open Normandie consultation, and a comment.
  await page.goto(`/consultations/${CONSULTATION}`);
  await waitForHydration(page);
  const toggle = page.getByRole("button", { name: /^Prioritaire/ }).first();
  await toggle.click();
  await expect(toggle).toHaveAttribute("aria-pressed", "true");
  await page.goto(PROPOSAL);
  await waitForHydration(page);
  await publishComment(page, { text: "Mon avis que je pourrai effacer plus tard.", signature: "nom" });
  const totalBefore = countRows(
    "select coalesce(sum(ballots), 0) as n from ballot_totals t join consultations c on c.id = t.consultation_id where c.slug = ?",
    CONSULTATION,
  );

  // The download: a JSON attachment, never cached.
  await page.goto("/mon-compte");
  const section = page.getByRole("region", { name: "Mes données" });
  const [download] = await Promise.all([
    page.waitForEvent("download"),
    section.getByRole("link", { name: "Télécharger mes données" }).click(),
  ]);
  expect(download.suggestedFilename()).toMatch(/^priorites-sante-mes-donnees-\d{4}-\d{2}-\d{2}\.json$/);
  const mine = JSON.parse(await (await import("node:fs/promises")).readFile((await download.path())!, "utf8"));
  expect(mine.compte).toMatchObject({ id, email, nomPublic: "Alix R." });
  expect(mine.bulletins).toHaveLength(1);
  expect(mine.commentaires[0].texte).toBe("Mon avis que je pourrai effacer plus tard.");
  const direct = await page.request.get("/mon-compte/donnees.json");
  expect(direct.headers()["cache-control"]).toBe("no-store");
  expect(direct.headers()["content-disposition"]).toMatch(/^attachment;/);

  // The deletion: refused without the choice, then with a wrong password; nothing deleted.
  await section.getByRole("link", { name: "Supprimer mon compte" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Supprimer mon compte" })).toBeVisible();
  await waitForHydration(page);
  await page.getByLabel("Mot de passe").fill(PASSPHRASE);
  await page.getByRole("button", { name: "Supprimer définitivement mon compte" }).click();
  await expect(page.getByText("Choisissez ce que deviennent vos commentaires.")).toBeVisible();
  await chooseRadio(page, /^Supprimer mes commentaires/);
  await page.getByLabel("Mot de passe").fill("pas le bon mot de passe");
  await page.getByRole("button", { name: "Supprimer définitivement mon compte" }).click();
  await expect(page.getByText("Mot de passe incorrect.")).toBeVisible();
  expect(countRows("select count(*) as n from users where id = ?", id)).toBe(1);

  await page.getByLabel("Mot de passe").fill(PASSPHRASE);
  await page.getByRole("button", { name: "Supprimer définitivement mon compte" }).click();
  await expect(page).toHaveURL(/\/\?compte-supprime=1$/);
  await expect(page.getByText("Votre compte et les données qui s’y rattachaient ont été supprimés")).toBeVisible();

  expect(countRows("select count(*) as n from users where id = ?", id)).toBe(0);
  expect(countRows("select count(*) as n from sessions where user_id = ?", id)).toBe(0);
  expect(countRows("select count(*) as n from ballots where user_id = ?", id)).toBe(0);
  expect(
    countRows(
      "select coalesce(sum(ballots), 0) as n from ballot_totals t join consultations c on c.id = t.consultation_id where c.slug = ?",
      CONSULTATION,
    ),
  ).toBe(totalBefore - 1);
  expect(
    countRows("select count(*) as n from comments where body = ?", "Mon avis que je pourrai effacer plus tard."),
  ).toBe(0);

  // Signed out, and the address no longer logs in.
  await page.goto("/mon-compte");
  await expect(page).toHaveURL(/\/connexion\?redirectTo=/);
  await page.getByLabel("Adresse électronique").fill(email);
  await page.getByLabel("Mot de passe").fill(PASSPHRASE);
  await page.getByRole("button", { name: "Se connecter" }).click();
  await expect(page.getByText("Adresse électronique ou mot de passe incorrect.")).toBeVisible();
});

test("changer de mot de passe ferme les autres sessions, pas celle-ci", async ({ page, otherPage }) => {
  const email = await newResident(page, { label: "mdp" });
  // The same person signed in on a second browser.
  await otherPage.goto("/connexion");
  await otherPage.getByLabel("Adresse électronique").fill(email);
  await otherPage.getByLabel("Mot de passe").fill(PASSPHRASE);
  await otherPage.getByRole("button", { name: "Se connecter" }).click();
  await expect(otherPage).toHaveURL(/\/mon-compte$/);

  await page.goto("/mon-compte");
  const form = page.getByRole("region", { name: "Mon mot de passe" });
  await form.getByLabel("Mot de passe actuel", { exact: true }).fill("pas le bon");
  await form.getByLabel(/^Nouveau mot de passe/).fill("girouette coquelicot falaise");
  await form.getByLabel("Confirmez le nouveau mot de passe").fill("girouette coquelicot falaise");
  await form.getByRole("button", { name: "Changer mon mot de passe" }).click();
  await expect(page.getByText("Mot de passe actuel incorrect.")).toBeVisible();

  await form.getByLabel("Mot de passe actuel", { exact: true }).fill(PASSPHRASE);
  await form.getByLabel(/^Nouveau mot de passe/).fill("girouette coquelicot falaise");
  await form.getByLabel("Confirmez le nouveau mot de passe").fill("girouette coquelicot falaise");
  await form.getByRole("button", { name: "Changer mon mot de passe" }).click();
  await expect(page.getByText("Votre mot de passe est modifié. Vos autres sessions ont été fermées.")).toBeVisible();

  // This browser stays signed in (with a new session id); the other one is signed out.
  await page.goto("/mon-compte");
  await expect(page).toHaveURL(/\/mon-compte$/);
  await otherPage.goto("/mon-compte");
  await expect(otherPage).toHaveURL(/\/connexion\?redirectTo=/);
  expect(countRows("select count(*) as n from sessions where user_id = ?", userId(email))).toBe(1);
});
