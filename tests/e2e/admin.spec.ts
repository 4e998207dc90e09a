import SQLite from "better-sqlite3";
import { expect, signUp, test, uniqueEmail } from "./helpers";

// Administration of paper ballots. The role is granted straight in the server's database, as
// `npm run admin:create` would; roles are read at every request.
function grantAdmin(email: string) {
  const db = new SQLite(process.env.E2E_SQLITE_FILE!, { fileMustExist: true, timeout: 5000 });
  const user = db.prepare("select id from users where email = ?").get(email) as { id: string };
  db.prepare("insert into user_roles (user_id, role, scope, created_at) values (?, 'admin', '', ?)").run(
    user.id,
    new Date().toISOString(),
  );
  db.close();
}

function paperBallots() {
  const db = new SQLite(process.env.E2E_SQLITE_FILE!, { readonly: true, fileMustExist: true });
  const row = db.prepare("select count(*) as n from ballots where channel = 'paper'").get() as { n: number };
  db.close();
  return row.n;
}

const PAGE = "/admin/consultations/normandie-cnr-sante-2022/bulletins-papier";

test("an administrator imports paper ballots: a bad file is refused whole, a good one counts", async ({ page }) => {
  const email = uniqueEmail("admin");
  await signUp(page, { email });
  grantAdmin(email);
  await page.goto("/admin");
  await page
    .getByRole("row", { name: /Normandie/ })
    .getByRole("link", { name: "Bulletins papier" })
    .click();
  await expect(page).toHaveURL(PAGE);
  await expect(page.getByRole("heading", { level: 1, name: "Bulletins papier" })).toBeVisible();
  const before = paperBallots();

  const upload = async (name: string, content: string) => {
    await page
      .getByLabel(/Fichier CSV des bulletins/)
      .setInputFiles({ name, mimeType: "text/csv", buffer: Buffer.from(content) });
    await page.getByRole("button", { name: "Importer les bulletins" }).click();
  };
  await upload(
    "mauvais.csv",
    "arrondissement,selections\n143,ameliorer-l-information-sur-les-dispositifs-d-installation-existants\n999,x\n143,inconnue\n",
  );
  await expect(page.getByRole("alert")).toContainText("Aucun bulletin importé : 2 erreurs");
  await expect(page.getByRole("alert")).toContainText("Ligne 3");
  await expect(page.getByRole("alert")).toContainText("Ligne 4");
  expect(paperBallots()).toBe(before);

  await upload(
    "bons.csv",
    "arrondissement;selections\n143;ameliorer-l-information-sur-les-dispositifs-d-installation-existants\n761;creer-plus-de-structures-d-exercice-coordonne-cpts-psla-msp-cds-esp\n",
  );
  await expect(page.getByText("2 bulletins papier importés")).toBeVisible();
  expect(paperBallots()).toBe(before + 2);
});

test("the paper-ballot page lists every error of a file, unreadable lines included, and leaves blank ballots out", async ({
  page,
}) => {
  const email = uniqueEmail("admin");
  await signUp(page, { email });
  grantAdmin(email);
  await page.goto(PAGE);
  // What the file may hold is on the page: the size limit, the separator, blank ballots.
  await expect(page.getByText(/5 Mo au plus/)).toBeVisible();
  await expect(page.getByText(/Un bulletin blanc \(aucune proposition\) n’est pas compté/)).toBeVisible();
  const before = paperBallots();
  const upload = async (name: string, content: string) => {
    await page
      .getByLabel(/Fichier CSV des bulletins/)
      .setInputFiles({ name, mimeType: "text/csv", buffer: Buffer.from(content) });
    await page.getByRole("button", { name: "Importer les bulletins" }).click();
  };
  const good = "ameliorer-l-information-sur-les-dispositifs-d-installation-existants";
  await upload(
    "illisible.csv",
    `arrondissement,selections\n143\n143,"${good}\n999,${good}\n143,${good},${good}\n143,inconnue\n`,
  );
  const alert = page.getByRole("alert");
  await expect(alert).toContainText("Aucun bulletin importé : 5 erreurs");
  await expect(alert.getByRole("listitem")).toHaveText([
    /^Ligne 2 : 1 colonne au lieu de 2/,
    /^Ligne 3 : guillemet ouvert jamais fermé/,
    /^Ligne 4 : Arrondissement inconnu/,
    /^Ligne 5 : 3 colonnes au lieu de 2/,
    /^Ligne 6 : Proposition inconnue/,
  ]);
  expect(paperBallots()).toBe(before);

  await upload("blancs.csv", `arrondissement,selections\n143,${good}\n141,\n`);
  await expect(page.getByText("1 bulletin papier importé")).toBeVisible();
  await expect(
    page.getByText("1 bulletin blanc non compté : un bulletin sans proposition n’est pas un vote."),
  ).toBeVisible();
  expect(paperBallots()).toBe(before + 1);

  // Majority judgment: the grades' codes and French labels are listed.
  await page.goto("/admin/consultations/nouvelle-aquitaine-cnr-sante-2022/bulletins-papier");
  await expect(page.getByText(/« Très prioritaire »/)).toBeVisible();
  await expect(page.getByText(/tres_prioritaire/)).toBeVisible();
});

test("the paper-ballot page is for administrators only", async ({ page, request }) => {
  const anonymous = await request.get(PAGE, { maxRedirects: 0 });
  expect(anonymous.status()).toBe(302);
  expect(anonymous.headers()["location"]).toContain("/connexion?redirectTo=");
  await signUp(page, { email: uniqueEmail("pas-admin") });
  const response = await page.goto(PAGE);
  expect(response?.status()).toBe(403);
  await expect(page.getByText("réservée aux administrateurs")).toBeVisible();
});
