import type { Page } from "@playwright/test";
import { axeViolations, checkPage } from "./axe-helpers";
import {
  chooseCommune,
  expect,
  expectSignupSent,
  logIn,
  PASSPHRASE,
  test,
  uniqueEmail,
  waitForHydration,
} from "./helpers";
import {
  PROPOSAL,
  PROPOSAL_SLUG,
  CONSULTATION,
  confirmEmail,
  countRows,
  grantRole,
  newResident,
  run,
  userId,
} from "./comment-helpers";

// Associations: an organisation account applies, an administrator verifies or refuses it, a
// verified association publishes contributions (with a PDF) in their own section.

const PDF = Buffer.from(
  "%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n2 0 obj << /Type /Pages /Kids [] /Count 0 >> endobj\n" +
    "trailer << /Root 1 0 R >>\n%%EOF\n",
);
let rna = 1_000_000 + Math.floor(Math.random() * 8_000_000);
const nextRna = () => `W14${String(rna++).padStart(7, "0")}`;

/** Creates an association account (commune of its seat: Caen) and confirms its address. */
async function associationAccount(page: Page): Promise<string> {
  const email = uniqueEmail("asso");
  await page.goto("/associations/inscription");
  await waitForHydration(page);
  await page.getByRole("searchbox", { name: "Nom de la commune ou code postal" }).fill("Caen");
  await chooseCommune(page, /^Caen 14000/);
  await page.getByLabel("Adresse électronique de l’association").fill(email);
  await page.getByLabel("Mot de passe").fill(PASSPHRASE);
  await page.getByRole("button", { name: "Créer le compte de l’association" }).click();
  await expectSignupSent(page, "/associations/inscription");
  await logIn(page, { email: email });
  await confirmEmail(page, email);
  return email;
}

async function apply(page: Page, { name, identifier = nextRna() }: { name: string; identifier?: string }) {
  await page.goto("/espace-association");
  await waitForHydration(page);
  await page.getByLabel("Nom de l’association").fill(name);
  await page.getByLabel("Numéro RNA ou SIREN").fill(identifier);
  await page.getByLabel(/Numéro d’agrément/).fill("2024-AG-14-003");
  const normandie = page.locator("details.ps-region").filter({ has: page.getByText("Normandie", { exact: true }) });
  if (!(await normandie.evaluate((d) => (d as HTMLDetailsElement).open)))
    await normandie.getByText("Normandie", { exact: true }).click();
  if (!(await page.getByRole("checkbox", { name: "Calvados (14)" }).isChecked()))
    await page.locator('label[for="territoire-departement-14"]').click();
  await page.getByLabel("Personne à contacter").fill("Claude Martin");
  await page.getByLabel("Adresse électronique du contact").fill("claude.martin@exemple.fr");
  await page.getByRole("button", { name: /Déposer (de nouveau )?la demande/ }).click();
}

async function asAdmin(page: Page) {
  const email = await newResident(page, { label: "admin-asso" });
  grantRole(email, "admin");
  return email;
}

test("an association applies, is verified, and publishes a contribution with a PDF", async ({ page, otherPage }) => {
  // The longest path of the suite (sign-up, login, confirmation, application, verification, two
  // contributions): past the default 30 s on a loaded machine.
  test.slow();
  const email = await associationAccount(page);
  const name = `Association des usagers du Pays d’Auge ${Date.now()}`;

  // A SIREN with a wrong check digit is refused with a message; then the application goes through.
  await page.goto("/espace-association");
  await waitForHydration(page);
  await page.getByLabel("Numéro RNA ou SIREN").fill("732 829 321");
  await page.getByLabel("Numéro RNA ou SIREN").blur();
  await expect(
    page.getByText("Ce numéro SIREN n’est pas valide (sa clé de contrôle ne correspond pas) : vérifiez-le."),
  ).toBeVisible();
  await apply(page, { name });
  await expect(page.getByText("Votre demande est enregistrée")).toBeVisible();
  await expect(page.getByTestId("association-status")).toHaveText("En attente de vérification");

  // Before verification: a draft, not a publication.
  await page.goto(PROPOSAL);
  await expect(page.getByTestId("comment-refusal")).toHaveText(/Les associations publient des contributions/);
  await page.getByRole("link", { name: "Rédiger une contribution de votre association" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(`Contribution de ${name}`);
  await expect(page.getByRole("button", { name: "Publier la contribution" })).toHaveCount(0);
  await page.getByLabel("Titre").fill("Brouillon avant vérification");
  await page.getByLabel("Texte de la contribution").fill("Un texte préparé avant que l’ARS ne vérifie l’association.");
  await page.getByRole("button", { name: "Enregistrer comme brouillon" }).click();
  await expect(page).toHaveURL(/\/espace-association\?brouillon=1$/);
  await expect(page.getByTestId("own-contribution")).toContainText("Brouillon");
  await page.goto(PROPOSAL);
  await expect(page.getByTestId("contribution")).toHaveCount(
    countRows(
      "select count(*) as n from contributions c join proposals p on p.id = c.proposal_id where p.slug = ? and c.published_at is not null and c.deleted_at is null",
      PROPOSAL_SLUG,
    ),
  );

  // An administrator verifies it; the association is told by e-mail.
  await asAdmin(otherPage);
  await otherPage.goto("/admin");
  await otherPage.getByRole("link", { name: "Vérification des associations" }).click();
  const pending = otherPage.getByTestId("pending-association").filter({ hasText: name });
  await expect(pending).toContainText("2024-AG-14-003");
  await expect(pending).toContainText("Calvados (14)");
  await expect(pending).toContainText("Claude Martin, claude.martin@exemple.fr");
  await pending.getByRole("button", { name: "Vérifier l’association" }).click();
  await expect(otherPage.getByText("Association vérifiée ; elle en a été informée par e-mail.")).toBeVisible();
  await otherPage.goto("/dev/outbox");
  await expect(otherPage.getByTestId("outbox-email").filter({ hasText: email }).first()).toContainText(
    "Votre association est vérifiée",
  );

  // The draft is published from the space, and a new contribution with a PDF from the proposal.
  await page.goto("/espace-association");
  await expect(page.getByTestId("association-status")).toHaveText("Association vérifiée");
  await page
    .getByTestId("own-contribution")
    .filter({ hasText: "Brouillon avant vérification" })
    .getByRole("button", { name: "Publier" })
    .click();
  await expect(page.getByText("La contribution est publiée.")).toBeVisible();
  await page.goto(`/espace-association/contribuer/${CONSULTATION}/${PROPOSAL_SLUG}`);
  await waitForHydration(page);
  await page.getByLabel("Titre").fill("Notre étude sur l’aller-vers");
  await page
    .getByLabel("Texte de la contribution")
    .fill("Nos bénévoles ont accompagné 120 personnes en 2025.\nLe détail est dans l’étude jointe.");
  await page
    .getByLabel(/Pièce jointe/)
    .setInputFiles({ name: "étude aller-vers.pdf", mimeType: "application/pdf", buffer: PDF });
  await page.getByRole("button", { name: "Publier la contribution" }).click();
  await expect(page).toHaveURL(new RegExp(`${PROPOSAL}\\?publiee=[^#]+#contribution-`));

  const section = page.locator("#contributions");
  await expect(section.getByRole("heading", { level: 2, name: "Contributions des associations" })).toBeVisible();
  const contribution = section.getByTestId("contribution").filter({ hasText: "Notre étude sur l’aller-vers" });
  await expect(contribution.getByText("Association vérifiée")).toBeVisible();
  await expect(contribution.getByTestId("contribution-association")).toHaveText(name);
  await expect(contribution).toContainText("Territoires : Calvados (14)");
  await expect(section.getByTestId("contribution").filter({ hasText: "Brouillon avant vérification" })).toHaveCount(1);
  const download = contribution.getByRole("link", { name: /Télécharger la pièce jointe/ });
  await expect(download).toContainText("etude-aller-vers.pdf");
  const response = await page.request.get((await download.getAttribute("href"))!);
  expect(response.status()).toBe(200);
  expect(response.headers()["content-type"]).toBe("application/pdf");
  expect(response.headers()["content-disposition"]).toBe('attachment; filename="etude-aller-vers.pdf"');
  expect(response.headers()["x-content-type-options"]).toBe("nosniff");
  expect(response.headers()["content-security-policy"]).toContain("sandbox");
  expect(Buffer.compare(await response.body(), PDF)).toBe(0);

  // Its page lists its contributions.
  await contribution.getByTestId("contribution-association").click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(name);
  await expect(page.getByTestId("association-contribution")).toHaveCount(2);
  await expect(page.getByText("Agrément « usagers du système de santé » : 2024-AG-14-003")).toBeVisible();
  await page.goto("/associations");
  await expect(page.getByTestId("association").filter({ hasText: name })).toContainText("2 contributions");
  // The contact is for administrators only.
  await expect(page.getByText("claude.martin@exemple.fr")).toHaveCount(0);
});

test("a refused association gets the reason by e-mail and may apply again; the admin page is for administrators", async ({
  page,
  otherPage,
}) => {
  const email = await associationAccount(page);
  const name = `Collectif à vérifier ${Date.now()}`;
  await apply(page, { name });
  await expect(page.getByText("Votre demande est enregistrée")).toBeVisible();

  const forbidden = await page.goto("/admin/associations");
  expect(forbidden?.status()).toBe(403);

  await asAdmin(otherPage);
  await otherPage.goto("/admin/associations");
  const pending = otherPage.getByTestId("pending-association").filter({ hasText: name });
  await pending.getByText("Refuser…").click();
  await pending.getByLabel("Motif du refus").fill("Le numéro RNA indiqué appartient à une autre association.");
  await pending.getByRole("button", { name: "Refuser la demande" }).click();
  await expect(otherPage.getByText("Demande refusée ; le motif a été envoyé par e-mail.")).toBeVisible();
  await otherPage.goto("/dev/outbox");
  const mail = otherPage.getByTestId("outbox-email").filter({ hasText: email }).first();
  await expect(mail).toContainText("n’a pas été acceptée");
  await expect(mail).toContainText("Motif : Le numéro RNA indiqué appartient à une autre association.");
  await otherPage.goto("/admin/moderation");
  await expect(otherPage.getByTestId("log-entry").filter({ hasText: "Association refusée" }).first()).toContainText(
    "Le numéro RNA indiqué",
  );

  await page.goto("/espace-association");
  await expect(page.getByTestId("association-status")).toHaveText("Demande refusée");
  await expect(page.getByText("Le numéro RNA indiqué appartient à une autre association.")).toBeVisible();
  await apply(page, { name: `${name} (corrigé)` });
  await expect(page.getByTestId("association-status")).toHaveText("En attente de vérification");
});

test("a PDF that is really HTML and a 6 MB file are refused; nothing is stored", async ({ page }) => {
  const email = await associationAccount(page);
  await apply(page, { name: `Association aux pièces jointes ${Date.now()}` });
  await expect(page.getByText("Votre demande est enregistrée")).toBeVisible();
  run("update associations set status = 'verified' where user_id = ?", userId(email));
  const before = countRows("select count(*) as n from contributions");

  await page.goto(`/espace-association/contribuer/${CONSULTATION}/${PROPOSAL_SLUG}`);
  await waitForHydration(page);
  const fill = async (file: { name: string; mimeType: string; buffer: Buffer }) => {
    await page.getByLabel("Titre").fill("Une pièce jointe douteuse");
    await page.getByLabel("Texte de la contribution").fill("Le texte de la contribution est correct.");
    await page.getByLabel(/Pièce jointe/).setInputFiles(file);
    await page.getByRole("button", { name: "Publier la contribution" }).click();
  };
  await fill({
    name: "rapport.pdf",
    mimeType: "application/pdf",
    buffer: Buffer.from("<!doctype html><html><body><script>alert(1)</script></body></html>"),
  });
  await expect(
    page.getByText(
      /Ce fichier n’est pas un PDF : seuls les fichiers PDF sont acceptés\. Enregistrez votre document au format PDF/,
    ),
  ).toBeVisible();
  await expect(page.getByRole("main")).not.toContainText("%PDF");
  // The text typed is kept; the file must be chosen again.
  await expect(page.getByLabel("Titre")).toHaveValue("Une pièce jointe douteuse");

  const big = Buffer.concat([Buffer.from("%PDF-1.7\n"), Buffer.alloc(6 * 1024 * 1024, 0x20)]);
  await fill({ name: "gros.pdf", mimeType: "application/pdf", buffer: big });
  await expect(page.getByText("Le fichier dépasse 5 Mo.")).toBeVisible();
  expect(countRows("select count(*) as n from contributions")).toBe(before);
  expect(countRows("select count(*) as n from contribution_files")).toBe(
    countRows("select count(*) as n from contribution_files f join contributions c on c.id = f.contribution_id"),
  );
});

// Issue 17, points 7 and 8.
test("a PDF named rapport=v2.pdf is published; the association is told so where it lands, with no voting notice", async ({
  page,
}) => {
  test.slow();
  const email = await associationAccount(page);
  await apply(page, { name: `Association au signe égal ${Date.now()}` });
  await expect(page.getByText("Votre demande est enregistrée")).toBeVisible();
  run("update associations set status = 'verified' where user_id = ?", userId(email));

  await page.goto(`/espace-association/contribuer/${CONSULTATION}/${PROPOSAL_SLUG}`);
  await waitForHydration(page);
  const title = "Rapport version 2";
  const body = "Le rapport joint reprend nos observations de terrain ; sa deuxième version corrige les chiffres.";
  // A refusal keeps what was typed, whatever the file's name.
  await page.getByLabel("Titre").fill(title);
  await page.getByLabel("Texte de la contribution").fill(body);
  await page
    .getByLabel(/Pièce jointe/)
    .setInputFiles({ name: "notes=v1; brouillon.pdf", mimeType: "application/pdf", buffer: Buffer.from("<html>") });
  await page.getByRole("button", { name: "Publier la contribution" }).click();
  await expect(page.getByText(/Ce fichier n’est pas un PDF/)).toBeVisible();
  await expect(page.getByLabel("Titre")).toHaveValue(title);
  await expect(page.getByLabel("Texte de la contribution")).toHaveValue(body);
  expect(await axeViolations(page)).toEqual([]);

  await page
    .getByLabel(/Pièce jointe/)
    .setInputFiles({ name: "rapport=v2.pdf", mimeType: "application/pdf", buffer: PDF });
  const [response] = await Promise.all([
    page.waitForResponse((r) => r.request().method() === "POST" && r.url().includes("/espace-association/contribuer/")),
    page.getByRole("button", { name: "Publier la contribution" }).click(),
  ]);
  expect(response.status()).toBeLessThan(400);
  await expect(page).toHaveURL(new RegExp(`${PROPOSAL}\\?publiee=[^#]+#contribution-`));
  const contribution = page.getByTestId("contribution").filter({ hasText: title });
  await expect(contribution.getByRole("status")).toHaveText(
    "Votre contribution est publiée : la voici telle que tout le monde la lit. Revenir à votre espace",
  );
  await expect(contribution.getByRole("link", { name: /Télécharger la pièce jointe/ })).toContainText("rapport-v2.pdf");
  await expect(page.getByText("Vous ne pouvez pas voter ici")).toHaveCount(0);
  await expect(page.getByRole("heading", { name: "Votre vote" })).toHaveCount(0);
  const landing = page.url();
  await checkPage(page);

  // The consultation's page shows no residents' voting notice to the association either.
  await page.goto(`/consultations/${CONSULTATION}`);
  await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
  await expect(page.getByText("Vous ne pouvez pas voter ici")).toHaveCount(0);
  // The same address opened by someone else confirms nothing.
  const stranger = await page.context().browser()!.newPage();
  await stranger.goto(landing);
  await expect(stranger.getByTestId("contribution").filter({ hasText: title })).toBeVisible();
  await expect(stranger.getByText("Votre contribution est publiée")).toHaveCount(0);
  await stranger.close();
});
