import { randomUUID } from "node:crypto";
import type { Page } from "@playwright/test";
import { expect, outboxMails, test, waitForHydration } from "./helpers";
import {
  PROPOSAL,
  commentWith,
  countRows,
  grantRole,
  newResident,
  postForm,
  publishComment,
  run,
  userId,
} from "./comment-helpers";

// Reports and moderation: three distinct reports hide a comment pending review; a moderator of
// the region hides it with a reason shown in place, the author is told and asks for a review
// once, the moderator restores it; every step is in the administrators' log.

/** Reports made by other residents, written straight in the database (two of the three). */
function reportsFromOthers(commentId: string, count: number) {
  for (let i = 0; i < count; i++) {
    const id = randomUUID();
    const now = new Date(Date.now() - (count - i) * 60_000).toISOString();
    run(
      "insert into users (id, email, password_hash, email_verified_at, commune_code, display_name, created_at, updated_at) values (?, ?, 'x', ?, '14366', null, ?, ?)",
      id,
      `signaleur-${id}@exemple.fr`,
      now,
      now,
      now,
    );
    run("insert into user_roles (user_id, role, scope, created_at) values (?, 'resident', '', ?)", id, now);
    run(
      "insert into flags (id, target_kind, target_id, reporter_id, reason, details, created_at, resolved_at, resolution) values (?, 'comment', ?, ?, 'personal_data', null, ?, null, null)",
      randomUUID(),
      commentId,
      id,
      now,
    );
  }
}

async function commentIdOf(page: Page, text: string) {
  return (await commentWith(page, text).getAttribute("id"))!.replace("commentaire-", "");
}

test("three reports hide a comment; a moderator hides it with a reason, the author asks for a review once, it is restored; all is logged", async ({
  page,
  otherPage,
  browser,
}) => {
  test.setTimeout(60_000);
  const stamp = Date.now();
  const author = await newResident(page, { label: "modere" });
  await page.goto(PROPOSAL);
  await waitForHydration(page);
  const text = `Mon voisin M. Dupont, diabétique, attend son infirmière depuis des semaines ${stamp}.`;
  await publishComment(page, { stance: "Pour", text });
  const id = await commentIdOf(page, text);
  reportsFromOthers(id, 2);

  // The third distinct report, through the form, hides it pending review.
  const context = await browser.newContext();
  const reporterPage = await context.newPage();
  try {
    await newResident(reporterPage, { label: "signale" });
    await reporterPage.goto(PROPOSAL);
    await waitForHydration(reporterPage);
    const target = commentWith(reporterPage, text);
    await target.getByText("Signaler", { exact: true }).click();
    await target.locator(`label[for="report-comment-${id}-personal_data"]`).click();
    await target.getByLabel("Précision (facultatif)").fill("Nom et maladie d’un tiers.");
    await target.getByRole("button", { name: "Envoyer le signalement" }).click();
    await expect(reporterPage.getByText("Merci : votre signalement a été transmis à la modération.")).toBeVisible();
    await expect(reporterPage.locator(`#commentaire-${id}`).getByTestId("comment-placeholder")).toHaveText(
      "Commentaire masqué en attente d’examen par la modération.",
    );
    await expect(reporterPage.locator(`#commentaire-${id}`)).not.toContainText("diabétique");
  } finally {
    await context.close();
  }

  // The moderator of Normandie sees it in the queue, with the reports and the author's history.
  const moderator = await newResident(otherPage, { label: "moderateur", search: "Caen", commune: /^Caen 14000/ });
  grantRole(moderator, "moderator", "28");
  await otherPage.goto("/mon-compte");
  await otherPage.getByRole("link", { name: "File de modération" }).click();
  await expect(otherPage.getByRole("heading", { level: 1, name: "Modération" })).toBeVisible();
  const item = otherPage.getByTestId("queue-item").filter({ hasText: String(stamp) });
  await expect(item).toContainText("3 signalements");
  await expect(item).toContainText("Masqué en attente d’examen");
  await expect(item.getByTestId("author-history")).toHaveText("1 commentaire au total, dont 0 masqué");
  await expect(item).toContainText("Nom et maladie d’un tiers.");
  await expect(item.getByLabel("Motif affiché en cas de masquage")).toHaveValue("personal_data");
  await item
    .getByLabel("Précision pour l’auteur (facultatif)")
    .fill("Le nom et la maladie d’un voisin ne peuvent pas être publiés.");
  await item.getByRole("button", { name: "Masquer" }).click();
  await expect(otherPage.getByText("Élément masqué ; son auteur a été prévenu par e-mail.")).toBeVisible();
  await expect(otherPage.getByTestId("queue-item").filter({ hasText: String(stamp) })).toHaveCount(0);

  // Shown in place, to everyone; the author sees their text and may ask for a review, once.
  await otherPage.goto(PROPOSAL);
  await expect(otherPage.locator(`#commentaire-${id}`).getByTestId("comment-placeholder")).toHaveText(
    "Masqué par la modération : données personnelles.",
  );
  const mail = outboxMails(author).find((m) => m.body.includes("masqué par la modération"))?.body;
  expect(mail).toContain("Motif : données personnelles.");
  expect(mail).toContain("Le nom et la maladie d’un voisin ne peuvent pas être publiés.");
  await page.goto(PROPOSAL);
  await waitForHydration(page);
  const mine = page.locator(`#commentaire-${id}`);
  await expect(mine).toContainText("Votre texte, visible par vous seul·e");
  await mine.getByText("Demander un réexamen", { exact: true }).click();
  await mine
    .getByLabel("Votre message (facultatif)")
    .fill("J’ai retiré l’idée de citer quelqu’un, je voulais témoigner du délai.");
  await mine.getByRole("button", { name: "Envoyer la demande" }).click();
  await expect(page.getByText("Votre demande de réexamen a été transmise à la modération.")).toBeVisible();
  await expect(
    page.locator(`#commentaire-${id}`).getByText("Réexamen demandé : la modération vous répondra par e-mail."),
  ).toBeVisible();
  const again = await postForm(page, PROPOSAL, { intent: "review", targetKind: "comment", targetId: id });
  expect(again.status()).toBe(409);
  expect(await again.text()).toContain("on ne peut le demander qu’une fois");

  // Back in the queue; the moderator restores it.
  await otherPage.goto("/moderation");
  const review = otherPage.getByTestId("queue-item").filter({ hasText: String(stamp) });
  await expect(review).toContainText("Réexamen demandé");
  await expect(review).toContainText("je voulais témoigner du délai");
  await expect(review.getByTestId("author-history")).toHaveText("1 commentaire au total, dont 1 masqué");
  await review.getByRole("button", { name: "Rétablir" }).click();
  await expect(otherPage.getByText("Élément rétabli ; son auteur a été prévenu par e-mail.")).toBeVisible();
  await otherPage.goto(PROPOSAL);
  await expect(commentWith(otherPage, String(stamp))).toBeVisible();

  // Administrators see every action: who, when, what, why. (This moderator is one too.)
  grantRole(moderator, "admin");
  await otherPage.goto("/admin");
  await otherPage.getByRole("link", { name: "Journal de modération" }).click();
  const entries = otherPage
    .getByTestId("log-entry")
    .filter({ has: otherPage.locator(`a[href$="#commentaire-${id}"]`) });
  await expect(entries).toHaveCount(4);
  await expect(entries.nth(0)).toContainText("Rétablissement");
  await expect(entries.nth(0)).toContainText(moderator);
  await expect(entries.nth(1)).toContainText("Réexamen demandé par l’auteur");
  await expect(entries.nth(2)).toContainText("Masquage");
  await expect(entries.nth(2)).toContainText("données personnelles — Le nom et la maladie d’un voisin");
  await expect(entries.nth(3)).toContainText("Masquage automatique (3 signalements)");
  await expect(entries.nth(3)).toContainText("système");
  expect(countRows("select count(*) as n from moderation_log where target_id = ?", id)).toBe(4);
});

test("dismissing a report; other regions' moderators and non-moderators are refused", async ({ page, otherPage }) => {
  const stamp = Date.now();
  await newResident(page, { label: "classe" });
  await page.goto(PROPOSAL);
  await waitForHydration(page);
  await publishComment(page, { stance: "Contre", text: `Un avis franc mais correct ${stamp}.` });
  const id = await commentIdOf(page, String(stamp));
  reportsFromOthers(id, 1);

  // Not a moderator: 403. A moderator of Île-de-France: the item is not theirs.
  const forbidden = await page.goto("/moderation");
  expect(forbidden?.status()).toBe(403);
  const other = await newResident(otherPage, { label: "moderateur-idf" });
  grantRole(other, "moderator", "11");
  await otherPage.goto("/moderation");
  await expect(otherPage.getByTestId("queue-item").filter({ hasText: String(stamp) })).toHaveCount(0);
  const refused = await postForm(otherPage, "/moderation", {
    intent: "hide",
    targetKind: "comment",
    targetId: id,
    reason: "spam",
  });
  expect(refused.status()).toBe(403);
  expect(await refused.text()).toContain("Cet élément relève d’une région que vous ne modérez pas.");

  grantRole(other, "moderator", "28");
  await otherPage.goto("/moderation");
  const item = otherPage.getByTestId("queue-item").filter({ hasText: String(stamp) });
  await expect(item).toContainText("1 signalement");
  await item.getByRole("button", { name: "Classer les signalements sans suite" }).click();
  await expect(otherPage.getByText("Signalements classés sans suite.")).toBeVisible();
  await expect(otherPage.getByTestId("queue-item").filter({ hasText: String(stamp) })).toHaveCount(0);
  expect(countRows("select count(*) as n from comments where id = ? and moderation = 'visible'", id)).toBe(1);
  expect(countRows("select count(*) as n from flags where target_id = ? and resolution = 'dismissed'", id)).toBe(1);
  expect(userId(other)).toBeTruthy();
});
