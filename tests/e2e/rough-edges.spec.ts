import SQLite from "better-sqlite3";
import { axeViolations, checkPage, NARROW } from "./axe-helpers";
import { expect, signInDirectly, test, waitForHydration } from "./helpers";

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
