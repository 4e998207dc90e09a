import { readFile } from "node:fs/promises";
import SQLite from "better-sqlite3";
import { parse } from "csv-parse/sync";
import { expect, test, type Browser } from "@playwright/test";
import { axeViolations } from "./axe-helpers";
import { signInDirectly } from "./helpers";

// The two proofs of residence a person meets in a browser: a code by postal letter (the resident
// asks at 320 px, an administrator exports the letters, the resident types the code) and a
// confirmation at a counter by an authorised agent (1280 px).

// Three people signed in per test, on a loaded 2-core machine: more than the default 30 s.
test.describe.configure({ timeout: 90_000 });

function grant(email: string, role: string, scope = "") {
  const db = new SQLite(process.env.E2E_SQLITE_FILE!, { fileMustExist: true, timeout: 5000 });
  try {
    const { id } = db.prepare("select id from users where email = ?").get(email) as { id: string };
    db.prepare("insert into user_roles (user_id, role, scope, created_at) values (?, ?, ?, ?)").run(
      id,
      role,
      scope,
      new Date().toISOString(),
    );
  } finally {
    db.close();
  }
}

async function newPage(browser: Browser, width: number) {
  const context = await browser.newContext({ viewport: { width, height: 900 }, locale: "fr-FR" });
  return context.newPage();
}

test("a resident asks for a letter, an administrator exports it, the code gives « Résidence »", async ({ browser }) => {
  const resident = await newPage(browser, 320);
  await signInDirectly(resident, { label: "courrier" });
  await resident.locator("#residence").getByLabel("Nom et prénom du destinataire").fill("Camille Courrier");
  await resident.locator("#residence").getByLabel("Numéro et voie").fill("3 rue de la Gare");
  await resident.locator("#residence").getByLabel("Code postal").fill("14100");
  await resident.getByRole("button", { name: "Demander un code par courrier" }).click();
  await expect(resident.getByText(/Votre demande est enregistrée/)).toBeVisible();
  expect(await axeViolations(resident)).toEqual([]);

  const admin = await newPage(browser, 1280);
  const adminEmail = await signInDirectly(admin, { label: "admin-courriers" });
  grant(adminEmail, "admin");
  await admin.goto("/admin/courriers");
  expect(await axeViolations(admin)).toEqual([]);
  const [download] = await Promise.all([
    admin.waitForEvent("download"),
    admin.getByRole("button", { name: "Exporter pour un routeur (CSV)" }).click(),
  ]);
  const rows = parse((await readFile((await download.path())!, "utf8")).replace(/^\uFEFF/, ""), {
    delimiter: ";",
    columns: true,
  }) as Record<string, string>[];
  const letter = rows.find((r) => r.destinataire === "Camille Courrier")!;
  expect(letter).toMatchObject({ adresse_ligne_1: "3 rue de la Gare", code_postal: "14100" });

  await resident.goto("/mon-compte");
  // A wrong code first: refused with the tries left, nothing lost.
  await resident.getByLabel("Code reçu par courrier").fill("ZZZZ2222");
  await resident.getByRole("button", { name: "Valider mon code" }).click();
  await expect(resident.getByText(/reste 4 essais/).first()).toBeVisible();
  await resident.getByLabel("Code reçu par courrier").fill(letter.code!);
  await resident.getByRole("button", { name: "Valider mon code" }).click();
  await expect(resident.getByText(/Votre résidence est confirmée/)).toBeVisible();
  await expect(resident.getByTestId("assurance-level")).toContainText("Résidence");
});

test("an agent confirms a person of their département at the counter, and no one outside it", async ({ browser }) => {
  const person = await newPage(browser, 320);
  const personEmail = await signInDirectly(person, { label: "guichet-personne" });
  const outsider = await newPage(browser, 320);
  const outsiderEmail = await signInDirectly(outsider, {
    label: "guichet-ailleurs",
    search: "Rouen",
    commune: /^Rouen 76/,
  });

  const agent = await newPage(browser, 1280);
  const agentEmail = await signInDirectly(agent, { label: "agent" });
  grant(agentEmail, "counter_agent", "14");
  await agent.goto("/guichet");
  expect(await axeViolations(agent)).toEqual([]);
  await agent.getByLabel("Adresse électronique de la personne").fill(outsiderEmail);
  await agent.getByRole("button", { name: "Chercher" }).click();
  await expect(agent.getByText("Aucune personne de votre territoire n’a cette adresse électronique.")).toBeVisible();

  await agent.getByLabel("Adresse électronique de la personne").fill(personEmail);
  await agent.getByRole("button", { name: "Chercher" }).click();
  await expect(agent.getByTestId("counter-person")).toContainText("Lisieux");
  await agent.getByText(/J’ai vérifié une pièce d’identité/).click();
  await agent.getByRole("button", { name: "Confirmer la résidence en personne" }).click();
  await expect(agent.getByText(/est confirmé·e en personne pour Lisieux/)).toBeVisible();
  expect(await axeViolations(agent)).toEqual([]);

  await person.goto("/mon-compte");
  await expect(person.getByTestId("assurance-level")).toContainText("Guichet");
});
