import { expect, test, waitForHydration } from "./helpers";
import { formatBytes } from "../../app/ui/download-link";
import {
  PROPOSAL,
  chooseRadio,
  commentWith,
  countRows,
  database,
  grantRole,
  newCommentForm,
  newResident,
  postForm,
  publishComment,
  run,
  userId,
} from "./comment-helpers";

// Residents' comments on a proposal: from a phone, with replies, "useful" marks, edits, deletion,
// filters, and every refusal the issue lists (each with a clear message, nothing stored).

const PHONE = { width: 375, height: 740 };
const commentsOf = (email: string) => countRows("select count(*) as n from comments where user_id = ?", userId(email));

test("a resident comments and another replies, from a phone; useful marks count once", async ({ page, otherPage }) => {
  await page.setViewportSize(PHONE);
  await otherPage.setViewportSize(PHONE);
  await newResident(page, { label: "commente", displayName: "Camille D." });
  await page.goto(PROPOSAL);
  await waitForHydration(page);
  const form = newCommentForm(page);
  await expect(
    form.getByText("Les commentaires sont publics. N’y écrivez aucune information sur votre santé"),
  ).toBeVisible();
  const text = `Les bus santé passent trop rarement à Orbec.\nVoir https://www.ars.sante.fr/normandie pour les horaires. ${Date.now()}`;
  await publishComment(page, { stance: "Pour", text, signature: "nom" });
  const mine = commentWith(page, "Les bus santé passent trop rarement");
  await expect(mine.getByTestId("comment-author")).toHaveText("Camille D.");
  await expect(mine).toContainText("arrondissement de Lisieux");
  await expect(mine.getByTestId("comment-stance")).toHaveText("Pour");
  const link = mine.getByRole("link", { name: "https://www.ars.sante.fr/normandie" });
  await expect(link).toHaveAttribute("rel", "nofollow ugc noopener");
  await expect(link).toHaveAttribute("href", "https://www.ars.sante.fr/normandie");
  // The line break is kept.
  await expect(mine.locator(".ps-comment__body br")).toHaveCount(1);
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(PHONE.width);

  await newResident(otherPage, { label: "repond" });
  await otherPage.goto(PROPOSAL);
  await waitForHydration(otherPage);
  const theirs = commentWith(otherPage, "Les bus santé passent trop rarement");
  await theirs.getByText("Répondre", { exact: true }).click();
  await theirs.getByLabel("Votre réponse à Camille D.").fill("Même constat à Livarot, deux passages par mois.");
  await theirs.getByRole("button", { name: "Publier ma réponse" }).click();
  await expect(otherPage.getByText("Votre réponse est publiée.")).toBeVisible();
  const reply = otherPage.getByTestId("reply").filter({ hasText: "Même constat à Livarot" });
  await expect(reply.getByTestId("comment-author")).toHaveText("un·e habitant·e");
  await expect(reply).toContainText("arrondissement de Lisieux");

  const useful = commentWith(otherPage, "Les bus santé passent trop rarement").getByRole("button", {
    name: "Utile (0)",
  });
  await useful.click();
  await expect(
    commentWith(otherPage, "Les bus santé passent trop rarement").getByRole("button", { name: "Utile (1)" }),
  ).toHaveAttribute("aria-pressed", "true");
  // Marking twice (a replayed form) still counts once.
  const commentId = (await commentWith(otherPage, "Les bus santé passent trop rarement").getAttribute("id"))!.replace(
    "commentaire-",
    "",
  );
  await postForm(otherPage, PROPOSAL, { intent: "useful", commentId, value: "1" });
  expect(countRows("select count(*) as n from comment_useful where comment_id = ?", commentId)).toBe(1);
  // Nobody marks their own comment useful: the author sees a count, not a button.
  await page.reload();
  await expect(
    commentWith(page, "Les bus santé passent trop rarement").getByText("1 personne a trouvé ce commentaire utile"),
  ).toBeVisible();
  expect(await otherPage.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(PHONE.width);
});

test("the author edits within 15 minutes (marked 'modifié') and deletes; a tombstone keeps the replies", async ({
  page,
  otherPage,
}) => {
  const author = await newResident(page, { label: "auteur" });
  await page.goto(PROPOSAL);
  await waitForHydration(page);
  const stamp = Date.now();
  await publishComment(page, { stance: "Contre", text: `Premier jet de mon avis ${stamp}.` });
  let mine = commentWith(page, `Premier jet de mon avis ${stamp}`);
  await mine.getByText("Modifier", { exact: true }).click();
  await mine.getByLabel("Votre texte").fill(`Avis corrigé ${stamp}, plus nuancé.`);
  await chooseRadio(mine, "Nuancé");
  await mine.getByRole("button", { name: "Enregistrer la modification" }).click();
  await expect(page.getByText("Votre commentaire est modifié.")).toBeVisible();
  mine = commentWith(page, `Avis corrigé ${stamp}`);
  await expect(mine.getByText("modifié", { exact: true })).toBeVisible();
  await expect(mine.getByTestId("comment-stance").first()).toHaveText("Nuancé");

  await newResident(otherPage, { label: "repondant" });
  await otherPage.goto(PROPOSAL);
  await waitForHydration(otherPage);
  const target = commentWith(otherPage, `Avis corrigé ${stamp}`);
  await target.getByText("Répondre", { exact: true }).click();
  await target.getByRole("textbox").fill(`Une réponse qui doit rester ${stamp}.`);
  await target.getByRole("button", { name: "Publier ma réponse" }).click();
  await expect(otherPage.getByText("Votre réponse est publiée.")).toBeVisible();

  // Once the 15 minutes are past, the button is gone and the server refuses (403).
  const id = (await mine.getAttribute("id"))!.replace("commentaire-", "");
  run("update comments set created_at = ? where id = ?", new Date(Date.now() - 16 * 60_000).toISOString(), id);
  await page.reload();
  await expect(commentWith(page, `Avis corrigé ${stamp}`).getByText("Modifier", { exact: true })).toHaveCount(0);
  const late = await postForm(page, PROPOSAL, {
    intent: "edit",
    commentId: id,
    body: "Trop tard pour corriger ce texte.",
  });
  expect(late.status()).toBe(403);
  expect(await late.text()).toContain("15 minutes qui suivent sa publication");

  mine = commentWith(page, `Avis corrigé ${stamp}`);
  await mine.getByText("Supprimer", { exact: true }).click();
  await mine.getByRole("button", { name: "Supprimer définitivement" }).click();
  await expect(page.getByText("Votre commentaire est supprimé.")).toBeVisible();
  const tombstone = page.locator(`#commentaire-${id}`);
  await expect(tombstone.getByTestId("comment-placeholder")).toHaveText("Commentaire supprimé par son auteur.");
  await expect(tombstone.getByTestId("reply")).toContainText(`Une réponse qui doit rester ${stamp}.`);
  expect(
    countRows("select count(*) as n from comments where id = ? and body = '' and deleted_at is not null", id),
  ).toBe(1);
  expect(commentsOf(author)).toBe(1);
});

test("filters by stance and by the reader's arrondissement, and sorts by usefulness", async ({ page, otherPage }) => {
  const stamp = Date.now();
  await newResident(page, { label: "filtre-lisieux" });
  await page.goto(PROPOSAL);
  await waitForHydration(page);
  await publishComment(page, { stance: "Contre", text: `Contre, vu de Lisieux ${stamp}.` });
  await newResident(otherPage, { label: "filtre-caen", search: "Caen", commune: /^Caen 14000/ });
  await otherPage.goto(PROPOSAL);
  await waitForHydration(otherPage);
  await publishComment(otherPage, { stance: "Pour", text: `Pour, vu de Caen ${stamp}.` });

  await otherPage.getByLabel("Position", { exact: true }).selectOption("against");
  await otherPage.getByRole("button", { name: "Afficher les commentaires" }).click();
  await expect(otherPage).toHaveURL(/position=against/);
  await expect(commentWith(otherPage, `Contre, vu de Lisieux ${stamp}`)).toBeVisible();
  await expect(commentWith(otherPage, `Pour, vu de Caen ${stamp}`)).toHaveCount(0);

  await otherPage.getByLabel("Position", { exact: true }).selectOption("");
  await otherPage.getByLabel("Territoire des auteurs").selectOption("arrondissement");
  await otherPage.getByRole("button", { name: "Afficher les commentaires" }).click();
  await expect(otherPage).toHaveURL(/territoire=arrondissement/);
  await expect(commentWith(otherPage, `Pour, vu de Caen ${stamp}`)).toBeVisible();
  await expect(commentWith(otherPage, `Contre, vu de Lisieux ${stamp}`)).toHaveCount(0);

  await page.reload();
  await waitForHydration(page);
  await commentWith(page, `Pour, vu de Caen ${stamp}`)
    .getByRole("button", { name: /^Utile/ })
    .click();
  await expect(commentWith(page, `Pour, vu de Caen ${stamp}`).getByRole("button", { name: "Utile (1)" })).toBeVisible();
  await page.goto(`${PROPOSAL}?tri=utiles`);
  const first = page.getByTestId("comment").first();
  await expect(
    first.getByRole("button", { name: /^Utile \((\d+)\)/ }).or(first.getByText(/trouvé ce commentaire utile/)),
  ).toBeVisible();
  const counts = await page
    .getByTestId("comment")
    .evaluateAll((items) =>
      items.map((li) =>
        Number(
          li.querySelector("button[aria-pressed]")?.textContent?.match(/\((\d+)\)/)?.[1] ??
            li.textContent?.match(/(\d+) personnes? (?:a|ont) trouvé/)?.[1] ??
            0,
        ),
      ),
    );
  expect([...counts].sort((a, b) => b - a)).toEqual(counts);
});

test("bad input gets a clear refusal and nothing is stored", async ({ page, otherPage }) => {
  const email = await newResident(page, { label: "refus" });
  await page.goto(PROPOSAL);
  await waitForHydration(page);
  const before = commentsOf(email);
  const form = newCommentForm(page);

  // In the form: nothing chosen, too short.
  await form.getByRole("button", { name: "Publier mon commentaire" }).click();
  await expect(form.getByText("Indiquez votre position : pour, contre ou nuancé.")).toBeVisible();
  await chooseRadio(form, "Pour");
  await form.getByLabel("Votre commentaire").fill("Trop court");
  await form.getByLabel("Votre commentaire").fill("Court");
  await form.getByRole("button", { name: "Publier mon commentaire" }).click();
  await expect(
    form.getByText("Votre commentaire doit contenir au moins 10 caractères (actuellement 5)."),
  ).toBeVisible();

  // Straight to the server, as a script or a browser without checks would send them.
  const refusals: [Record<string, string>, number, string][] = [
    [{ intent: "comment", stance: "for", body: "x".repeat(10_000) }, 400, "au plus 2"],
    [
      { intent: "comment", stance: "for", body: "Voir le fichier \u202Efdp.exe joint à ce message" },
      400,
      "inversent le sens de lecture",
    ],
    [{ intent: "comment", stance: "for", body: "\u200B".repeat(40) }, 400, "Votre commentaire est vide."],
    [
      { intent: "comment", stance: "peut-être", body: "Une position qui n’existe pas." },
      400,
      "Indiquez votre position",
    ],
  ];
  for (const [fields, status, message] of refusals) {
    const response = await postForm(page, PROPOSAL, fields);
    expect(response.status(), JSON.stringify(fields).slice(0, 80)).toBe(status);
    expect(await response.text()).toContain(message);
  }

  // A reply to a reply.
  await publishComment(page, { stance: "Nuancé", text: `Un commentaire de départ ${Date.now()}.` });
  const topId = (await page
    .getByTestId("comment")
    .filter({ hasText: "Un commentaire de départ" })
    .first()
    .getAttribute("id"))!.replace("commentaire-", "");
  await newResident(otherPage, { label: "refus-autre" });
  await otherPage.goto(PROPOSAL);
  const replyResponse = await postForm(otherPage, PROPOSAL, {
    intent: "reply",
    parentId: topId,
    body: "Une réponse au départ.",
  });
  expect(replyResponse.status()).toBe(303);
  const lookup = database(true);
  const replyId = (lookup.prepare("select id from comments where parent_id = ?").get(topId) as { id: string }).id;
  lookup.close();
  const nested = await postForm(otherPage, PROPOSAL, {
    intent: "reply",
    parentId: replyId,
    body: "Une réponse à une réponse.",
  });
  expect(nested.status()).toBe(400);
  expect(await nested.text()).toContain("On ne peut pas répondre à une réponse : répondez au commentaire de départ.");

  // Editing, or deleting, someone else's comment; reporting one's own.
  const edit = await postForm(otherPage, PROPOSAL, {
    intent: "edit",
    commentId: topId,
    body: "Je réécris le texte d’autrui.",
  });
  expect(edit.status()).toBe(403);
  expect(await edit.text()).toContain("Vous ne pouvez modifier que vos propres commentaires.");
  const del = await postForm(otherPage, PROPOSAL, { intent: "delete", commentId: topId });
  expect(del.status()).toBe(403);
  const ownReport = await postForm(page, PROPOSAL, {
    intent: "report",
    targetKind: "comment",
    targetId: topId,
    reason: "spam",
  });
  expect(ownReport.status()).toBe(403);
  expect(await ownReport.text()).toContain("Vous ne pouvez pas signaler votre propre commentaire.");
  expect(countRows("select count(*) as n from flags where target_id = ?", topId)).toBe(0);
  expect(
    countRows("select count(*) as n from comments where id = ? and body like 'Un commentaire de départ%'", topId),
  ).toBe(1);

  // A closed consultation.
  run("update consultations set status = 'closed' where slug = 'normandie-cnr-sante-2022'");
  try {
    await page.reload();
    await expect(page.getByTestId("comment-refusal")).toHaveText(
      "La consultation est close : on ne peut plus y commenter.",
    );
    await expect(newCommentForm(page)).toHaveCount(0);
    const closed = await postForm(page, PROPOSAL, {
      intent: "comment",
      stance: "for",
      body: "Un avis arrivé après la clôture.",
    });
    expect(closed.status()).toBe(403);
    expect(await closed.text()).toContain("La consultation est close");
  } finally {
    run("update consultations set status = 'open' where slug = 'normandie-cnr-sante-2022'");
  }
  expect(commentsOf(email)).toBe(before + 1);
});

test("an 11th comment within 10 minutes gets a 429 with a French message", async ({ page }) => {
  const email = await newResident(page, { label: "bavard" });
  await page.goto(PROPOSAL);
  for (let i = 1; i <= 10; i++) {
    const response = await postForm(page, PROPOSAL, {
      intent: "comment",
      stance: "for",
      body: `Commentaire numéro ${i} d’une série.`,
    });
    expect(response.status()).toBe(303);
  }
  const response = await postForm(page, PROPOSAL, {
    intent: "comment",
    stance: "for",
    body: "Commentaire numéro 11 d’une série.",
  });
  expect(response.status()).toBe(429);
  expect(Number(response.headers()["retry-after"])).toBeGreaterThan(0);
  expect(await response.text()).toContain("Vous avez publié 10 commentaires en 10 minutes : attendez");
  expect(commentsOf(email)).toBe(10);
  // In the page too: the message shows above the form, and the text typed is kept.
  await page.reload();
  await waitForHydration(page);
  const form = newCommentForm(page);
  await chooseRadio(form, "Contre");
  await form.getByLabel("Votre commentaire").fill("Un douzième avis, refusé.");
  await form.getByRole("button", { name: "Publier mon commentaire" }).click();
  await expect(form.getByRole("alert")).toContainText("Vous avez publié 10 commentaires en 10 minutes");
  await expect(form.getByLabel("Votre commentaire")).toHaveValue("Un douzième avis, refusé.");
});

test("without JavaScript, a resident comments, and a refusal comes back with the text kept", async ({
  browser,
  page,
}) => {
  const email = await newResident(page, { label: "sans-js" });
  const state = await page.context().storageState();
  const context = await browser.newContext({ javaScriptEnabled: false, storageState: state, viewport: PHONE });
  const noJs = await context.newPage();
  try {
    await noJs.goto(PROPOSAL);
    const form = noJs.locator("form#comment-new");
    await form.locator('label[for="comment-new-stance-nuanced"]').click();
    await form.getByLabel("Votre commentaire").fill("Publié sans JavaScript, depuis un vieux téléphone.");
    await form.getByRole("button", { name: "Publier mon commentaire" }).click();
    await expect(noJs.getByText("Votre commentaire est publié.")).toBeVisible();
    await expect(commentWith(noJs, "Publié sans JavaScript")).toBeVisible();
    // A refusal comes back with the text kept.
    await noJs.locator("form#comment-new").locator('label[for="comment-new-stance-for"]').click();
    await noJs.locator("form#comment-new").getByLabel("Votre commentaire").fill("Court");
    await noJs.locator("form#comment-new").getByRole("button", { name: "Publier mon commentaire" }).click();
    await expect(
      noJs.getByText("Votre commentaire doit contenir au moins 10 caractères (actuellement 5)."),
    ).toBeVisible();
    await expect(noJs.locator("form#comment-new").getByLabel("Votre commentaire")).toHaveValue("Court");
    expect(commentsOf(email)).toBe(1);
  } finally {
    await context.close();
  }
});

test("a CTS member sees their territory's comments first, with counts, and exports them (CSV, JSON)", async ({
  page,
  otherPage,
}) => {
  // A proposal of its own, so that the comments of other tests do not push these to page 2.
  const CTS_PROPOSAL = `/consultations/normandie-cnr-sante-2022/propositions/creer-des-equipes-pluridisciplinaires-mobiles`;
  const stamp = Date.now();
  const lisieux = await newResident(page, { label: "cts-lisieux", displayName: "@Camille" });
  await page.goto(CTS_PROPOSAL);
  await waitForHydration(page);
  await publishComment(page, { stance: "Contre", text: `=1+1 n’est pas une formule ici ${stamp}.`, signature: "nom" });
  const member = await newResident(otherPage, { label: "cts-rouen", search: "Rouen", commune: /^Rouen 76000/ });
  await otherPage.goto(CTS_PROPOSAL);
  await waitForHydration(otherPage);
  await publishComment(otherPage, { stance: "Pour", text: `Un avis écrit depuis Rouen ${stamp}.` });

  // The Rouen resident is also a member of the Calvados CTS (a person may hold several roles).
  grantRole(member, "cts_member", "14");
  await otherPage.reload();
  const panel = otherPage.getByTestId("cts-panel");
  await expect(panel).toContainText("Votre territoire : CTS Calvados");
  await expect(panel).toContainText(/\d+ commentaires? : \d+ pour, \d+ contre, \d+ nuancés?/);
  // Calvados comments come first, though the Rouen one is more recent.
  const authors = await otherPage
    .getByTestId("comment")
    .evaluateAll((items) => items.map((li) => li.textContent ?? ""));
  const calvados = authors.findIndex((t) => t.includes(`=1+1 n’est pas une formule ici ${stamp}`));
  const rouen = authors.findIndex((t) => t.includes(`Un avis écrit depuis Rouen ${stamp}`));
  expect(calvados).toBeGreaterThanOrEqual(0);
  expect(calvados).toBeLessThan(rouen);

  await panel.getByRole("link", { name: "Exporter les commentaires de la consultation (CTS Calvados)" }).click();
  await expect(otherPage.getByRole("heading", { level: 1 })).toHaveText("Commentaires et contributions — CTS Calvados");
  const row = otherPage.getByTestId("export-row").filter({ hasText: String(stamp) });
  await expect(row).toHaveCount(1);
  await expect(row).toContainText("@Camille");
  await expect(row).toContainText("Lisieux (143)");

  // Each link says its format and size (issue 17, point 9): the size of the file it serves.
  const csvLink = otherPage.getByRole("link", { name: /^Télécharger les commentaires et contributions \(CSV, .+\)$/ });
  const csv = await otherPage.request.get((await csvLink.getAttribute("href"))!);
  expect(csv.status()).toBe(200);
  expect(csv.headers()["content-type"]).toBe("text/csv; charset=utf-8");
  expect(csv.headers()["content-disposition"]).toMatch(
    /^attachment; filename="commentaires-cts-14-normandie-cnr-sante-2022-\d{4}-\d{2}-\d{2}\.csv"$/,
  );
  const body = await csv.text();
  await expect(csvLink).toHaveAccessibleName(
    `Télécharger les commentaires et contributions (CSV, ${formatBytes((await csv.body()).length)})`,
  );
  expect(body).toContain(`"'=1+1 n’est pas une formule ici ${stamp}."`);
  expect(body).toContain(`"'@Camille"`);
  expect(body).not.toContain(`Un avis écrit depuis Rouen ${stamp}`);
  expect(body).not.toContain("@exemple.fr");

  const json = await otherPage.request.get(
    (await otherPage
      .getByRole("link", { name: /^Télécharger les commentaires et contributions \(JSON, .+\)$/ })
      .getAttribute("href"))!,
  );
  expect(json.headers()["content-disposition"]).toMatch(/^attachment; filename=".+\.json"$/);
  const data = await json.json();
  expect(data.cts).toEqual({ code: "14", name: "Calvados" });
  expect(
    data.comments.some(
      (c: { text: string; author: string }) => c.text.includes(String(stamp)) && c.author === "@Camille",
    ),
  ).toBe(true);
  expect(JSON.stringify(data)).not.toContain("@exemple.fr");
  expect(JSON.stringify(data)).not.toContain(userId(lisieux));

  // Residents (even of the territory) are not CTS members.
  expect((await page.goto("/cts/14/commentaires/normandie-cnr-sante-2022"))?.status()).toBe(403);
  expect((await page.request.get("/cts/14/commentaires/normandie-cnr-sante-2022/export.csv")).status()).toBe(403);
  expect(
    (await otherPage.request.get("/cts/76-rouen-elbeuf/commentaires/normandie-cnr-sante-2022/export.json")).status(),
  ).toBe(403);
});
