import { randomUUID } from "node:crypto";
import type { Page } from "@playwright/test";
import { bumpContentVersion } from "../../db/content-version";
import { connect } from "../../db/connect";
import { generateDemoBallots } from "../../app/ballots/demo-ballots.server";
import { advanceConsultation } from "../../app/ballots/lifecycle.server";
import { checkPage } from "./axe-helpers";
import { grantRole } from "./comment-helpers";
import { expect, logOut, outboxMails, signInDirectly, test } from "./helpers";

// Issue 18: a Rouen-Elbeuf member drafts, publishes and amends the CTS's answers; a resident who
// voted in Lisieux and asked to be told gets one e-mail with the Calvados CTS's answers. The
// journey closes a consultation, so it runs on a copy of the Normandie one made for it (and
// removed afterwards): the other specs keep theirs open.

const SOURCE = "normandie-cnr-sante-2022";
const SLUG = "normandie-reponses-e2e";
const ROUEN = "76-rouen-elbeuf";
const CALVADOS = "14";

test.describe.configure({ mode: "serial", timeout: 120_000 });

let proposals: { slug: string; title: string }[] = [];

async function withDb<T>(work: (db: Awaited<ReturnType<typeof connect>>["db"]) => Promise<T>): Promise<T> {
  const handle = await connect({ sqliteFile: process.env.E2E_SQLITE_FILE! });
  try {
    return await work(handle.db);
  } finally {
    await handle.close();
  }
}

test.beforeAll(async () => {
  await withDb(async (db) => {
    const source = await db
      .selectFrom("consultations")
      .selectAll()
      .where("slug", "=", SOURCE)
      .executeTakeFirstOrThrow();
    const id = randomUUID();
    await db
      .insertInto("consultations")
      .values({
        ...source,
        id,
        slug: SLUG,
        title: "Consultation d’essai des réponses des CTS",
        status: "open",
        position: 999,
      })
      .execute();
    const rows = await db
      .selectFrom("proposals")
      .selectAll()
      .where("consultation_id", "=", source.id)
      .orderBy("position")
      .limit(12)
      .execute();
    await db
      .insertInto("proposals")
      .values(rows.map((p) => ({ ...p, id: randomUUID(), consultation_id: id })))
      .execute();
    proposals = rows.map((p) => ({ slug: p.slug, title: p.title }));
    await bumpContentVersion(db);
    await generateDemoBallots(db, { consultationSlug: SLUG, count: 600, seed: 18 });
  });
});

test.afterAll(async () => {
  await withDb(async (db) => {
    await db.deleteFrom("consultations").where("slug", "=", SLUG).execute();
    await bumpContentVersion(db);
  });
});

const editor = (cts: string, slug: string) => `/cts/${cts}/reponses/${SLUG}/${slug}`;

async function writeAnswer(page: Page, status: RegExp, justification: string) {
  await page.locator("label", { hasText: status }).click();
  await page.getByLabel("Justification publique").fill(justification);
  // The answer to the POST is awaited: a page left at once could cancel the submission.
  await Promise.all([
    page.waitForResponse((response) => response.request().method() === "POST"),
    page.getByRole("button", { name: "Enregistrer le brouillon" }).click(),
  ]);
}

async function publish(page: Page) {
  await page.locator("label", { hasText: /^Je publie, au nom du CTS/ }).click();
  await page.getByRole("button", { name: "Publier les réponses" }).click();
}

let residentEmail = "";

test("a Lisieux resident votes and asks to be told, from the ballot page (off by default)", async ({ page }) => {
  residentEmail = await signInDirectly(page, { label: "habitant-avis" });
  await page.goto("/mon-compte");
  await expect(page.getByLabel(/Me prévenir par e-mail/)).not.toBeChecked();
  for (const p of proposals.slice(0, 2)) {
    await page.goto(`/consultations/${SLUG}/propositions/${p.slug}`);
    await page.getByRole("button", { name: /^Prioritaire/ }).click();
    await expect(page.getByRole("button", { name: /^Prioritaire/ })).toHaveAttribute("aria-pressed", "true");
  }
  await page.goto(`/consultations/${SLUG}/mon-vote`);
  await page.locator("label[for=notify]").click();
  await page.getByRole("button", { name: "Enregistrer mon choix" }).click();
  await expect(page).toHaveURL(/avis=oui/);
  await expect(page.getByLabel(/Me prévenir par e-mail/)).toBeChecked();
  await logOut(page);
});

test("a Rouen-Elbeuf member drafts (inert text, concurrent edit told), publishes after results, amends", async ({
  page,
  context,
}) => {
  const member = await signInDirectly(page, { label: "membre-reponses", search: "Rouen", commune: /^Rouen 76000/ });
  grantRole(member, "cts_member", ROUEN);
  await page.goto(`/cts/${ROUEN}`);
  await page.getByRole("link", { name: "Réponses du CTS aux propositions" }).last().click();
  await expect(page).toHaveURL(new RegExp(`/cts/${ROUEN}/reponses/${SLUG}$`));
  await expect(page.getByRole("heading", { level: 1, name: "Réponses du CTS Rouen-Elbeuf" })).toBeVisible();
  // Another CTS's answers: 403.
  expect((await page.request.get(editor(CALVADOS, proposals[0]!.slug))).status()).toBe(403);
  expect(
    (
      await page.request.post(`/cts/${CALVADOS}/reponses/${SLUG}`, { form: { intent: "publish", confirm: "on" } })
    ).status(),
  ).toBe(403);

  await page.getByRole("link", { name: proposals[0]!.title, exact: true }).click();
  await writeAnswer(
    page,
    /^À l’étude$/,
    "<img src=x onerror=alert(1)> Étude en cours, voir javascript:alert(1) et https://www.normandie.ars.sante.fr/prs pour le PRS.",
  );
  await expect(page.getByText("Brouillon enregistré")).toBeVisible();

  // Two editors at once: the second is told, sees the first's text, keeps their own.
  const second = await context.newPage();
  await second.goto(editor(ROUEN, proposals[0]!.slug));
  await writeAnswer(page, /^Retenue en partie$/, "Premier membre : retenue pour l’agglomération d’Elbeuf.");
  await expect(page.getByText("Brouillon enregistré")).toBeVisible();
  await writeAnswer(second, /^Non retenue$/, "Second membre : texte écrit en même temps, à ne pas perdre.");
  await expect(second.getByTestId("answer-conflict")).toContainText("Premier membre : retenue pour l’agglomération");
  await expect(second.getByLabel("Justification publique")).toHaveValue(
    "Second membre : texte écrit en même temps, à ne pas perdre.",
  );
  await second.close();

  // The text with markup and links, as the current draft again.
  await writeAnswer(
    page,
    /^Retenue en partie$/,
    "<img src=x onerror=alert(1)> Retenue en partie, voir javascript:alert(1) et https://www.normandie.ars.sante.fr/prs pour le PRS.",
  );
  await page.goto(`/cts/${ROUEN}/reponses/${SLUG}`);
  await publish(page);
  await expect(page.getByRole("alert")).toContainText("après la publication des résultats");
  // Nothing public yet.
  expect((await page.request.get(`/consultations/${SLUG}/reponses/${ROUEN}`)).status()).toBe(404);

  await withDb(async (db) => {
    await advanceConsultation(db, SLUG, "closed");
    await advanceConsultation(db, SLUG, "results_published");
  });
  await page.reload();
  await publish(page);
  await expect(page.getByText(/1 réponse publiée \(publication n° 1\)/)).toBeVisible();

  await page.goto(`/consultations/${SLUG}/reponses/${ROUEN}`);
  await expect(
    page.getByRole("heading", { level: 1, name: "Ce que le CTS Rouen-Elbeuf a fait de vos priorités" }),
  ).toBeVisible();
  const row = page.getByTestId("ranking-answer").filter({ hasText: proposals[0]!.title });
  await expect(row).toContainText("<img src=x onerror=alert(1)>");
  await expect(row.getByRole("link", { name: "https://www.normandie.ars.sante.fr/prs" })).toHaveAttribute(
    "href",
    "https://www.normandie.ars.sante.fr/prs",
  );
  await expect(page.locator('a[href^="javascript"]')).toHaveCount(0);
  await expect(page.getByTestId("answer-counts")).toContainText("Retenue en partie : 1");
  await expect(page.getByTestId("without-answer")).toBeVisible();

  // Amend and publish again: the new version, with the history.
  await page.goto(editor(ROUEN, proposals[0]!.slug));
  await writeAnswer(page, /^Retenue$/, "Retenue : le contrat local de santé de Rouen l’inscrit pour 2027.");
  await page.goto(`/cts/${ROUEN}/reponses/${SLUG}`);
  await publish(page);
  await expect(page.getByText(/publication n° 2/)).toBeVisible();

  await page.goto(editor(ROUEN, proposals[0]!.slug));
  await checkPage(page);
  await page.goto(`/cts/${ROUEN}/reponses/${SLUG}`);
  await checkPage(page);
  await page.goto(`/consultations/${SLUG}/reponses/${ROUEN}`);
  // WCAG 2.1 AA, wide and at 320 px (checkPage ends at 320 px): ranking and answers side by side.
  await checkPage(page);
  const amended = page.getByTestId("ranking-answer").filter({ hasText: proposals[0]!.title });
  await expect(amended).toContainText("le contrat local de santé de Rouen");
  await expect(amended.getByText(/^Modifiée le/)).toBeVisible();
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(320);
});

test("the Calvados CTS publishes; the Lisieux resident who asked gets one e-mail with their choices' answers", async ({
  page,
}) => {
  await page.context().clearCookies();
  const member = await signInDirectly(page, { label: "membre-calvados" });
  grantRole(member, "cts_member", CALVADOS);
  await page.goto(editor(CALVADOS, proposals[0]!.slug));
  await writeAnswer(page, /^Retenue$/, "Le CTS du Calvados retient cette priorité pour le Pays d’Auge.");
  await page.goto(editor(CALVADOS, proposals[1]!.slug));
  await writeAnswer(page, /^Non retenue$/, "Déjà couvert par le contrat local de santé de Lisieux.");
  await page.goto(`/cts/${CALVADOS}/reponses/${SLUG}`);
  await publish(page);
  await expect(page.getByText(/2 réponses publiées/)).toBeVisible();
  await expect(async () => {
    await page.reload();
    await expect(page.getByTestId("notice-progress").first()).toContainText("1 / 1 — terminé", { timeout: 1000 });
  }).toPass({ timeout: 20_000 });

  const mails = outboxMails(residentEmail).filter((m) =>
    m.subject.includes("Le CTS Calvados a répondu à vos priorités"),
  );
  expect(mails).toHaveLength(1);
  const body = mails[0]!.body;
  expect(body).toContain(proposals[0]!.title);
  expect(body).toContain("Réponse du CTS : Retenue");
  expect(body).toContain(proposals[1]!.title);
  expect(body).toContain("Réponse du CTS : Non retenue");
  expect(body).toMatch(new RegExp(`/consultations/${SLUG}/reponses/${CALVADOS}`));

  // Residents see the answers: their CTS's first on the proposal page, statuses on the results page.
  await page.goto(`/consultations/${SLUG}/propositions/${proposals[0]!.slug}`);
  const answers = page.getByTestId("proposal-answer");
  await expect(answers.first()).toContainText("CTS Calvados (votre territoire)");
  await expect(answers.nth(1)).toContainText("CTS Rouen-Elbeuf");
  await page.goto(`/consultations/${SLUG}/resultats`);
  await expect(page.getByRole("heading", { name: "Ce que les CTS ont fait de ces priorités" })).toBeVisible();
});
