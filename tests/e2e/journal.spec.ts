import SQLite from "better-sqlite3";
import { request as http } from "@playwright/test";
import { expect, signUp, test, uniqueEmail } from "./helpers";

// The security journal, /admin/journal: refusals land there by themselves (the Express layer
// records every 403 and 429), administrators read and filter it, nobody else may.

function grant(email: string, role: string, scope = "") {
  const db = new SQLite(process.env.E2E_SQLITE_FILE!, { fileMustExist: true, timeout: 5000 });
  const user = db.prepare("select id from users where email = ?").get(email) as { id: string };
  db.prepare("insert into user_roles (user_id, role, scope, created_at) values (?, ?, ?, ?)").run(
    user.id,
    role,
    scope,
    new Date().toISOString(),
  );
  db.close();
}

test("a refused POST, a failed login and an export appear in the journal; administrators filter it, others get a 403", async ({
  page,
  baseURL,
}) => {
  // A cross-site POST (403) and a failed login, as a script would send them.
  const client = await http.newContext({ baseURL: baseURL! });
  expect(
    (
      await client.post("/inscription", {
        form: { email: "x@exemple.fr" },
        headers: { Origin: "https://ailleurs.example" },
      })
    ).status(),
  ).toBe(403);
  const login = await client.post("/connexion", {
    form: { email: uniqueEmail("inconnu"), password: "pas le bon mot de passe" },
    headers: { Origin: baseURL! },
  });
  expect(login.status()).toBe(400);
  await client.dispose();

  const email = uniqueEmail("journal");
  await signUp(page, { email });
  const refused = await page.goto("/admin/journal");
  expect(refused?.status()).toBe(403);
  await expect(page.getByText("réservée aux administrateurs")).toBeVisible();

  grant(email, "admin");
  // A CTS member's export is journalled too.
  grant(email, "cts_member", "14");
  const exported = await page.request.get("/cts/14/commentaires/normandie-cnr-sante-2022/export.csv");
  expect(exported.status()).toBe(200);
  await page.goto("/admin");
  await page.getByRole("link", { name: "Journal de sécurité" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Journal de sécurité" })).toBeVisible();
  const entries = page.getByTestId("audit-entry");
  await expect(
    entries.filter({ hasText: "POST refusé (403)" }).filter({ hasText: "/inscription" }).first(),
  ).toBeVisible();
  await expect(entries.filter({ hasText: "/admin/journal" }).first()).toContainText("Accès refusé (403)");

  await page.getByLabel("Type d’événement").selectOption("login_failed");
  await page.getByRole("button", { name: "Filtrer" }).click();
  await expect(page).toHaveURL(/\/admin\/journal\?type=login_failed$/);
  await expect(entries.first()).toContainText("Connexion échouée");
  await expect(entries.first()).toContainText("adresse inconnue");
  for (const row of await entries.all()) await expect(row).toContainText("Connexion échouée");
  // The address typed is never kept.
  await expect(page.getByText("@exemple.fr")).toHaveCount(0);

  await page.getByLabel("Type d’événement").selectOption("export");
  await page.getByRole("button", { name: "Filtrer" }).click();
  await expect(entries.first()).toContainText("commentaires normandie-cnr-sante-2022 du CTS 14 (CSV)");
});
