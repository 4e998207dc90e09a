import { randomUUID } from "node:crypto";
import { connect } from "../../db/connect";
import { changeBallot } from "../../app/ballots/ballots.server";
import { axeViolations, checkPage, NARROW } from "./axe-helpers";
import { chooseCommune, expect, signInDirectly, test, waitForHydration } from "./helpers";
import { database, grantRole, userId } from "./comment-helpers";

// Issue 14: one voice per territory (the confirmation step a resident reads before moving) and
// the administrators' signals page.

const NORMANDIE = "normandie-cnr-sante-2022";

test("a resident who moves to another region is told first which open vote will be withdrawn (320 px)", async ({
  page,
}) => {
  await page.setViewportSize(NARROW);
  const email = await signInDirectly(page, { label: "demenage" });
  const id = userId(email);
  const handle = await connect({ sqliteFile: process.env.E2E_SQLITE_FILE! });
  try {
    const proposal = await handle.db
      .selectFrom("proposals")
      .innerJoin("consultations", "consultations.id", "proposals.consultation_id")
      .select("proposals.id")
      .where("consultations.slug", "=", NORMANDIE)
      .orderBy("proposals.position")
      .executeTakeFirstOrThrow();
    const user = await handle.db
      .selectFrom("users")
      .select("commune_code")
      .where("id", "=", id)
      .executeTakeFirstOrThrow();
    await changeBallot(
      handle.db,
      {
        consultationSlug: NORMANDIE,
        voter: { id, emailVerified: true, communeCode: user.commune_code, roles: [{ role: "resident", scope: "" }] },
      },
      () => ({ selections: [proposal.id] }),
    );
  } finally {
    await handle.close();
  }

  await page.goto("/mon-compte?q=Bordeaux");
  await waitForHydration(page);
  await chooseCommune(page, /^Bordeaux 330/);
  await page.getByRole("button", { name: "Enregistrer ma nouvelle commune" }).click();
  const confirm = page.getByTestId("commune-confirm");
  await expect(confirm).toContainText("Confirmer : Bordeaux (Nouvelle-Aquitaine)");
  await expect(confirm).toContainText("C’est une autre région que la vôtre");
  await expect(page.getByTestId("commune-confirm-withdrawn")).toContainText("Normandie");
  expect(await axeViolations(page), "axe on the confirmation step").toEqual([]);
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(NARROW.width);
  // Nothing changed yet.
  await expect(page.getByTestId("my-place")).toContainText("Lisieux");

  await confirm.getByRole("button", { name: "Confirmer le changement de commune" }).click();
  await expect(
    page.getByText(/Votre commune est désormais Bordeaux .* Votre vote a été retiré de : .*Normandie/),
  ).toBeVisible();
  await expect(page.getByTestId("my-place")).toContainText("Bordeaux");
  const db = database(true);
  try {
    expect(db.prepare("select count(*) as n from ballots where user_id = ?").get(id)).toEqual({ n: 0 });
  } finally {
    db.close();
  }

  // A second change of region at once is refused, with the reason.
  await page.goto("/mon-compte?q=Orléans");
  await waitForHydration(page);
  await chooseCommune(page, /^Orléans 450/);
  await page.getByRole("button", { name: "Enregistrer ma nouvelle commune" }).click();
  await expect(page.getByRole("alert")).toContainText("un seul changement de région est possible tous les 90 jours");
});

test("an administrator reads the signals, with their figures, from /admin (1280 px)", async ({ page }) => {
  await page.setViewportSize({ width: 1280, height: 900 });
  const admin = await signInDirectly(page, { label: "admin-signaux" });
  grantRole(admin, "admin");
  // Six accounts made from one network within the hour (as sign-ups record it: a keyed hash).
  const network = `test-${randomUUID()}`;
  const db = database();
  try {
    const now = new Date().toISOString();
    const insert = db.prepare(
      "insert into users (id, email, email_canonical, password_hash, email_verified_at, commune_code, display_name, created_at, updated_at, signup_network) values (?, ?, ?, 'x', null, '14366', null, ?, ?, ?)",
    );
    for (let i = 0; i < 6; i++) {
      const email = `rafale-${i}-${randomUUID().slice(0, 8)}@exemple.fr`;
      insert.run(randomUUID(), email, email, now, now, network);
    }
  } finally {
    db.close();
  }
  await page.goto("/admin");
  await page.getByRole("link", { name: /^Signaux/ }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Signaux" })).toBeVisible();
  await expect(page.getByTestId("signal-network").filter({ hasText: `réseau ${network.slice(0, 8)}` })).toContainText(
    "6",
  );
  await expect(page.getByText("rien n’est supprimé ni bloqué automatiquement")).toBeVisible();
  await checkPage(page);
});
