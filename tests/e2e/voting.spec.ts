import SQLite from "better-sqlite3";
import type { Browser, Locator, Page } from "@playwright/test";
import { expect, logIn, signUp, signInDirectly, test, uniqueEmail, waitForHydration } from "./helpers";

// The ballot, end to end: a verified resident votes by each method on the consultation page and
// reviews, reorders or withdraws in "Mon vote"; with JavaScript (no page load), without it (a
// redirect back with the confirmation), and with the keyboard alone. Refusals: not verified, not
// signed in, another region, and tampered forms over HTTP (400/403, nothing written).

const NORMANDIE = "normandie-cnr-sante-2022"; // approval, K = 5
const AQUITAINE = "nouvelle-aquitaine-cnr-sante-2022"; // majority judgment
const YVELINES = "yvelines-cts78-cnr-sante-2022"; // ranked, K = 5, residents of CTS 78 only

const LISIEUX = { search: "Lisieux", commune: /^Lisieux 14100/ };
const BORDEAUX = { search: "Bordeaux", commune: /^Bordeaux 330/ };
const VERSAILLES = { search: "Versailles", commune: /^Versailles 78000/ };

function serverDb() {
  return new SQLite(process.env.E2E_SQLITE_FILE!, { readonly: true, fileMustExist: true });
}

/** The proposals of a consultation in the page's default order (the source's). */
function proposalsOf(consultation: string): { id: string; slug: string; title: string }[] {
  const db = serverDb();
  try {
    return db
      .prepare(
        `select p.id, p.slug, p.title from proposals p join consultations c on c.id = p.consultation_id
         where c.slug = ? order by p.position`,
      )
      .all(consultation) as { id: string; slug: string; title: string }[];
  } finally {
    db.close();
  }
}

/** What the server stored for this resident in this consultation, with slugs instead of ids. */
function storedBallot(email: string, consultation: string) {
  const db = serverDb();
  try {
    const row = db
      .prepare(
        `select b.content, b.arrondissement_code, b.cts_code from ballots b
         join users u on u.id = b.user_id join consultations c on c.id = b.consultation_id
         where u.email = ? and c.slug = ?`,
      )
      .get(email, consultation) as { content: string; arrondissement_code: string; cts_code: string } | undefined;
    if (!row) return null;
    const slugOf = new Map(proposalsOf(consultation).map((p) => [p.id, p.slug]));
    const content = JSON.parse(row.content) as {
      selections?: string[];
      grades?: Record<string, string>;
      order?: string[];
    };
    return {
      arrondissement: row.arrondissement_code,
      cts: row.cts_code,
      selections: content.selections?.map((id) => slugOf.get(id)).sort(),
      grades:
        content.grades && Object.fromEntries(Object.entries(content.grades).map(([id, g]) => [slugOf.get(id), g])),
      order: content.order?.map((id) => slugOf.get(id)),
    };
  } finally {
    db.close();
  }
}

function eventCount(): number {
  const db = serverDb();
  try {
    return (db.prepare("select count(*) as n from ballot_events").get() as { n: number }).n;
  } finally {
    db.close();
  }
}

/** A confirmed resident of `place`, signed in: a resident who may vote there. */
function verifiedResident(page: Page, label: string, place: { search: string; commune: RegExp }): Promise<string> {
  return signInDirectly(page, { label, ...place });
}

/** The card of a proposal on a consultation page. */
function card(page: Page, slug: string): Locator {
  return page.locator(`li#vote-${slug}`);
}

/**
 * Waits until every vote request and the reload that follows it are over. A person may click again
 * at once (the page shows the new state before the server answers); the tests wait so that the
 * next click does not cancel a request half-read, which Remix reports with console.error.
 */
async function settled(page: Page): Promise<void> {
  await page.waitForFunction(() => {
    const router = (window as unknown as { __remixRouter?: { state: { fetchers: Map<string, { state: string }> } } })
      .__remixRouter;
    return !!router && [...router.state.fetchers.values()].every((f) => f.state === "idle");
  });
}

/** Marks the window, to prove later that no page load happened in between. */
async function markWindow(page: Page) {
  await page.evaluate(() => ((window as unknown as { psMark: number }).psMark = 1));
}
async function expectSameWindow(page: Page) {
  expect(await page.evaluate(() => (window as unknown as { psMark?: number }).psMark)).toBe(1);
}

/** Presses Tab until the focused element's accessible name starts with `name` (at most 80 times). */
async function tabTo(page: Page, name: string): Promise<void> {
  for (let i = 0; i < 80; i++) {
    await page.keyboard.press("Tab");
    const focused = await page.evaluate(() => {
      const el = document.activeElement as HTMLElement | null;
      return el ? (el.innerText || el.getAttribute("aria-label") || "").replace(/\s+/g, " ").trim() : "";
    });
    if (focused.startsWith(name)) return;
  }
  throw new Error(`Tab never reached « ${name} »`);
}

async function focusedText(page: Page): Promise<string> {
  return page.evaluate(
    () => (document.activeElement as HTMLElement | null)?.innerText.replace(/\s+/g, " ").trim() ?? "",
  );
}

test.describe("avec JavaScript", () => {
  test("approbation à Lisieux : 5 priorités, la 6e refusée, revue dans Mon vote, retrait", async ({ page }) => {
    const email = await verifiedResident(page, "approbation", LISIEUX);
    const proposals = proposalsOf(NORMANDIE);
    await page.goto(`/consultations/${NORMANDIE}`);
    await waitForHydration(page);
    await expect(page.getByTestId("ballot-count")).toHaveText("0 sur 5 choisie");
    await markWindow(page);

    for (let i = 0; i < 5; i++) {
      const c = card(page, proposals[i]!.slug);
      const toggle = c.getByRole("button", { name: /^Prioritaire/ });
      await expect(toggle).toHaveAttribute("aria-pressed", "false");
      await toggle.click();
      await expect(toggle).toHaveAttribute("aria-pressed", "true");
      const message = c.getByTestId(`vote-message-${proposals[i]!.slug}`);
      await expect(message).toHaveAttribute("aria-live", "polite");
      await expect(message).toHaveText(`Proposition ajoutée à vos priorités (${i + 1} sur 5)`);
      await settled(page);
    }
    await expect(page.getByTestId("ballot-count")).toHaveText(
      "5 sur 5 choisies : retirez-en une pour en choisir une autre",
    );

    // The sixth is refused by the server, with its reason, and the ballot stays as it was.
    const sixth = card(page, proposals[5]!.slug);
    await sixth.getByRole("button", { name: /^Prioritaire/ }).click();
    await expect(sixth.getByTestId(`vote-message-${proposals[5]!.slug}`)).toContainText("Vote non enregistré :");
    // What happened and what to do, never a status code (issue 17, point 4).
    await expect(sixth.getByTestId(`vote-message-${proposals[5]!.slug}`)).not.toContainText(/erreur|400/i);
    await expect(sixth.getByTestId(`vote-message-${proposals[5]!.slug}`)).toContainText(
      "Vous pouvez choisir au plus 5 priorités",
    );
    await expect(sixth.getByRole("button", { name: /^Prioritaire/ })).toHaveAttribute("aria-pressed", "false");
    await settled(page);
    // Only the latest message is shown.
    await expect(card(page, proposals[4]!.slug).getByTestId(`vote-message-${proposals[4]!.slug}`)).toBeEmpty();
    await expect(page.getByTestId("ballot-count")).toContainText("5 sur 5 choisies");
    await expectSameWindow(page);
    expect(storedBallot(email, NORMANDIE)).toMatchObject({
      arrondissement: "143",
      cts: "14",
      selections: proposals
        .slice(0, 5)
        .map((p) => p.slug)
        .sort(),
    });

    // Un-pressing works from the card too.
    await card(page, proposals[0]!.slug)
      .getByRole("button", { name: /^Prioritaire/ })
      .click();
    await expect(card(page, proposals[0]!.slug).getByTestId(`vote-message-${proposals[0]!.slug}`)).toHaveText(
      "Proposition retirée de vos priorités (4 sur 5)",
    );
    await expect(card(page, proposals[0]!.slug).getByRole("button", { name: /^Prioritaire/ })).toHaveAttribute(
      "aria-pressed",
      "false",
    );
    await settled(page);

    // Review: "Mon vote" lists the four, where the ballot counts and when it changed.
    await page.getByRole("link", { name: "Mon vote", exact: true }).click();
    await expect(page.getByRole("heading", { level: 1, name: "Mon vote" })).toBeVisible();
    await expect(page.getByTestId("ballot-count")).toHaveText("4 sur 5 choisies");
    const items = page.getByTestId("my-ballot").locator("li");
    await expect(items).toHaveCount(4);
    await expect(items.first()).toContainText(proposals[1]!.title);
    await expect(page.getByTestId("ballot-place")).toContainText(
      "arrondissement de Lisieux (143), territoire CTS Calvados",
    );
    await expect(page.getByTestId("ballot-updated")).toContainText(
      /Dernière modification : le \d{1,2} \S+ \d{4} à \d\d h \d\d/,
    );

    await waitForHydration(page);
    await items
      .first()
      .getByRole("button", { name: /^Retirer/ })
      .click();
    await expect(page.getByTestId("vote-message-page")).toHaveText("Proposition retirée de vos priorités (3 sur 5)");
    // Its button is gone: the focus goes to the list's heading, not to the page's body.
    await expect(page.getByRole("heading", { level: 2, name: "Mes priorités" })).toBeFocused();
    await expect(items).toHaveCount(3);
    await expect(page.getByTestId("ballot-count")).toHaveText("3 sur 5 choisies");
    await settled(page);

    // Withdrawing asks first, then empties the ballot.
    await page.getByText("Retirer mon vote", { exact: true }).click();
    await expect(page.getByText("Votre vote sera effacé et ne comptera plus dans les résultats.")).toBeVisible();
    await page.getByRole("button", { name: "Oui, retirer mon vote" }).click();
    await expect(page.getByTestId("vote-message-page")).toHaveText("Vote retiré");
    await expect(page.getByRole("heading", { name: "Vous n’avez pas encore voté" })).toBeVisible();
    expect(storedBallot(email, NORMANDIE)).toBeNull();
  });

  test("jugement majoritaire à Bordeaux : une mention par proposition, changée puis retirée", async ({ page }) => {
    const email = await verifiedResident(page, "mentions", BORDEAUX);
    const [a, b] = proposalsOf(AQUITAINE);
    await page.goto(`/consultations/${AQUITAINE}`);
    await waitForHydration(page);
    await expect(page.getByTestId("ballot-count")).toHaveText("0 proposition évaluée");

    await card(page, a!.slug)
      .getByLabel(/^Mention/)
      .selectOption({ label: "Très prioritaire" });
    await card(page, a!.slug)
      .getByRole("button", { name: /^Enregistrer la mention/ })
      .click();
    await expect(card(page, a!.slug).getByTestId(`vote-message-${a!.slug}`)).toHaveText(
      "Mention « Très prioritaire » enregistrée",
    );
    await expect(card(page, a!.slug).getByTestId(`grade-${a!.slug}`)).toHaveText("Votre mention : Très prioritaire");
    await settled(page);

    await card(page, b!.slug)
      .getByLabel(/^Mention/)
      .selectOption("pas_prioritaire");
    await card(page, b!.slug)
      .getByRole("button", { name: /^Enregistrer la mention/ })
      .click();
    await expect(card(page, b!.slug).getByTestId(`vote-message-${b!.slug}`)).toHaveText(
      "Mention « Pas prioritaire » enregistrée",
    );
    await expect(page.getByTestId("ballot-count")).toHaveText("2 propositions évaluées");
    await settled(page);
    expect(storedBallot(email, AQUITAINE)?.grades).toEqual({
      [a!.slug]: "tres_prioritaire",
      [b!.slug]: "pas_prioritaire",
    });

    await page.getByRole("link", { name: "Mon vote", exact: true }).click();
    await expect(page.getByRole("heading", { level: 2, name: "Mes mentions" })).toBeVisible();
    await waitForHydration(page);
    const first = page.locator(`li#vote-${a!.slug}`);
    await first.getByLabel(/^Mention/).selectOption({ label: "Priorité absolue" });
    await first.getByRole("button", { name: /^Changer la mention/ }).click();
    await expect(first.getByTestId(`vote-message-${a!.slug}`)).toHaveText("Mention « Priorité absolue » enregistrée");
    await expect(first.getByTestId(`grade-${a!.slug}`)).toHaveText("Votre mention : Priorité absolue");
    await settled(page);

    await page
      .locator(`li#vote-${b!.slug}`)
      .getByRole("button", { name: /^Retirer la mention/ })
      .click();
    // The proposal leaves the list, so its confirmation shows at the top of the page.
    await expect(page.locator(`li#vote-${b!.slug}`)).toHaveCount(0);
    await expect(page.getByTestId("vote-message-page")).toHaveText("Mention retirée");
    await expect(page.getByTestId("ballot-count")).toHaveText("1 proposition évaluée");
    expect(storedBallot(email, AQUITAINE)).toMatchObject({
      arrondissement: "332",
      grades: { [a!.slug]: "priorite_absolue" },
    });
  });

  test("classement à Versailles : ajout, montée et descente, la focale suit la proposition", async ({ page }) => {
    const email = await verifiedResident(page, "classement", VERSAILLES);
    const [a, b, c] = proposalsOf(YVELINES);
    await page.goto(`/consultations/${YVELINES}`);
    await waitForHydration(page);
    for (const [i, p] of [a!, b!, c!].entries()) {
      await card(page, p.slug)
        .getByRole("button", { name: /^Ajouter à mon classement/ })
        .click();
      await expect(card(page, p.slug).getByTestId(`vote-message-${p.slug}`)).toContainText(
        `Classement mis à jour : « ${p.title.slice(0, 30)}`,
      );
      await expect(card(page, p.slug).getByTestId(`vote-message-${p.slug}`)).toContainText(
        `en ${i === 0 ? "1re" : `${i + 1}e`} position sur ${i + 1}`,
      );
      await expect(card(page, p.slug).getByRole("button", { name: /^Retirer de mon classement/ })).toBeVisible();
      await settled(page);
    }
    await expect(page.getByTestId("ballot-count")).toHaveText("3 sur 5 classées");
    expect(storedBallot(email, YVELINES)?.order).toEqual([a!.slug, b!.slug, c!.slug]);

    await page.getByRole("link", { name: "Mon vote", exact: true }).click();
    await waitForHydration(page);
    const items = page.getByTestId("my-ballot").locator("li");
    await expect(items).toHaveCount(3);
    await page
      .locator(`li#vote-${c!.slug}`)
      .getByRole("button", { name: /^Monter/ })
      .click();
    await expect(items.nth(1)).toHaveAttribute("id", `vote-${c!.slug}`);
    await expect(page.getByTestId(`vote-message-${c!.slug}`)).toContainText("en 2e position sur 3");
    await expect(page.locator(`li#vote-${c!.slug}`).getByRole("button", { name: /^Monter/ })).toBeFocused();
    await settled(page);
    await page
      .locator(`li#vote-${a!.slug}`)
      .getByRole("button", { name: /^Descendre/ })
      .click();
    await expect(items.nth(0)).toHaveAttribute("id", `vote-${c!.slug}`);
    await expect(items.nth(1)).toHaveAttribute("id", `vote-${a!.slug}`);
    await expect(page.locator(`li#vote-${a!.slug}`).getByRole("button", { name: /^Descendre/ })).toBeFocused();
    await expect(page.getByTestId(`vote-message-${a!.slug}`)).toContainText("en 2e position sur 3");
    await expect.poll(() => storedBallot(email, YVELINES)?.order).toEqual([c!.slug, a!.slug, b!.slug]);
    await expect(page.getByTestId("ballot-place")).toContainText(
      "arrondissement de Versailles (784), territoire CTS Yvelines",
    );
    await settled(page);

    // With a mouse, dragging works too: the last one dropped on the first.
    await items.nth(2).dragTo(items.nth(0));
    await expect(items.nth(0)).toHaveAttribute("id", `vote-${b!.slug}`);
    await expect(page.getByTestId("vote-message-page")).toHaveText("Classement mis à jour");
    await expect.poll(() => storedBallot(email, YVELINES)?.order).toEqual([b!.slug, c!.slug, a!.slug]);
    await settled(page);
  });

  test("classement au clavier seul : Tab, Entrée, Espace", async ({ page }) => {
    const email = await verifiedResident(page, "clavier", VERSAILLES);
    const [a, b] = proposalsOf(YVELINES);
    await page.goto(`/consultations/${YVELINES}`);
    await waitForHydration(page);

    await tabTo(page, `Ajouter à mon classement : ${a!.title}`);
    await page.keyboard.press("Enter");
    await expect(page.getByTestId(`vote-message-${a!.slug}`)).toContainText("en 1re position sur 1");
    // The same button, now saying what it will do next, keeps the focus.
    expect(await focusedText(page)).toBe(`Retirer de mon classement : ${a!.title}`);
    await settled(page);
    await tabTo(page, `Ajouter à mon classement : ${b!.title}`);
    await page.keyboard.press("Space");
    await expect(page.getByTestId(`vote-message-${b!.slug}`)).toContainText("en 2e position sur 2");
    await settled(page);

    await tabTo(page, "Revoir mon vote");
    await page.keyboard.press("Enter");
    await expect(page.getByRole("heading", { level: 1, name: "Mon vote" })).toBeVisible();
    await waitForHydration(page);
    await tabTo(page, `Monter : ${b!.title}`);
    await page.keyboard.press("Enter");
    await expect(page.getByTestId("my-ballot").locator("li").first()).toHaveAttribute("id", `vote-${b!.slug}`);
    // First now: "Monter" is disabled, so the focus goes to its "Descendre".
    await expect.poll(() => focusedText(page)).toBe(`Descendre : ${b!.title}`);
    await settled(page);
    await page.keyboard.press("Space");
    await expect(page.getByTestId("my-ballot").locator("li").first()).toHaveAttribute("id", `vote-${a!.slug}`);
    await expect(page.getByTestId(`vote-message-${b!.slug}`)).toContainText("en 2e position sur 2");
    await expect.poll(() => storedBallot(email, YVELINES)?.order).toEqual([a!.slug, b!.slug]);
  });

  test("sur un téléphone (375 px), une priorité se choisit et se revoit", async ({ page }) => {
    await page.setViewportSize({ width: 375, height: 740 });
    const email = await verifiedResident(page, "telephone", LISIEUX);
    const [a] = proposalsOf(NORMANDIE);
    await page.goto(`/consultations/${NORMANDIE}`);
    await waitForHydration(page);
    const toggle = card(page, a!.slug).getByRole("button", { name: /^Prioritaire/ });
    await toggle.tap().catch(() => toggle.click());
    await expect(toggle).toHaveAttribute("aria-pressed", "true");
    await settled(page);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(375);
    await page.getByRole("link", { name: "Mon vote", exact: true }).click();
    await expect(page.getByTestId("ballot-count")).toHaveText("1 sur 5 choisie");
    expect(storedBallot(email, NORMANDIE)?.selections).toEqual([a!.slug]);
  });
});

test.describe("refus affichés avant de voter", () => {
  test("non connecté, puis adresse non confirmée : la raison, une fois par page, et aucun bouton de vote", async ({
    page,
  }) => {
    await page.goto(`/consultations/${NORMANDIE}?theme=prevention`);
    const summary = page.getByTestId("vote-summary");
    await expect(summary).toContainText("Pour voter");
    await expect(summary.getByRole("link", { name: "Connectez-vous" })).toHaveAttribute(
      "href",
      `/connexion?redirectTo=${encodeURIComponent(`/consultations/${NORMANDIE}?theme=prevention`)}`,
    );
    await expect(page.getByRole("button", { name: /^Prioritaire/ })).toHaveCount(0);
    await expect(page.getByRole("link", { name: "Mon vote", exact: true })).toHaveCount(0);

    await signUp(page, { email: uniqueEmail("non-confirme"), ...LISIEUX });
    await page.goto(`/consultations/${NORMANDIE}`);
    await expect(page.getByTestId("vote-summary")).toHaveCount(1);
    await expect(page.getByTestId("vote-summary")).toContainText("Confirmez d’abord votre adresse électronique");
    await expect(page.getByTestId("vote-summary").getByRole("link", { name: /Renvoyer le lien/ })).toHaveAttribute(
      "href",
      "/mon-compte",
    );
    await expect(page.getByRole("button", { name: /^Prioritaire/ })).toHaveCount(0);

    const proposal = proposalsOf(NORMANDIE)[0]!;
    await page.goto(`/consultations/${NORMANDIE}/propositions/${proposal.slug}`);
    await expect(page.getByTestId("vote-summary")).toContainText("Confirmez d’abord votre adresse électronique");

    await page.getByRole("link", { name: "Consultations" }).first().click();
    await page.goto(`/consultations/${NORMANDIE}/mon-vote`);
    await expect(page.getByRole("status").filter({ hasText: "Vous ne pouvez pas voter ici" })).toContainText(
      "Confirmez d’abord",
    );
  });

  test("un habitant de Lisieux voit que la consultation de Nouvelle-Aquitaine ne le concerne pas", async ({ page }) => {
    await verifiedResident(page, "autre-region", LISIEUX);
    await page.goto(`/consultations/${AQUITAINE}`);
    await expect(page.getByTestId("vote-summary")).toContainText(
      "Cette consultation est réservée aux habitants de sa région.",
    );
    await expect(page.getByRole("button", { name: /^Enregistrer la mention/ })).toHaveCount(0);
    // CTS 78 only: Lisieux is not in it either.
    await page.goto(`/consultations/${YVELINES}`);
    await expect(page.getByTestId("vote-summary")).toContainText("réservée aux habitants de sa région");
  });
});

test.describe("sans JavaScript", () => {
  test("classement : ajout depuis une liste filtrée, puis monter, descendre, retirer et retrait du vote", async ({
    page,
    browser,
  }) => {
    const email = await verifiedResident(page, "sans-js", VERSAILLES);
    const noJs = await noJsPage(browser, email);
    const proposals = proposalsOf(YVELINES);
    const db = serverDb();
    const prevention = db
      .prepare(
        "select p.slug from proposals p join consultations c on c.id = p.consultation_id where c.slug = ? and p.theme = 'prevention' order by p.position",
      )
      .all(YVELINES)
      .map((r) => (r as { slug: string }).slug);
    db.close();
    const [a, b] = prevention;
    const title = (slug: string) => proposals.find((p) => p.slug === slug)!.title;

    const listUrl = `/consultations/${YVELINES}?theme=prevention&sort=alpha`;
    await noJs.goto(listUrl);
    await card(noJs, a!)
      .getByRole("button", { name: /^Ajouter à mon classement/ })
      .click();
    // Back on the same filtered list, at the proposal's card, with the confirmation there.
    await expect(noJs).toHaveURL(new RegExp(`\\?theme=prevention&sort=alpha#vote-${a}$`));
    await expect(card(noJs, a!).getByTestId(`vote-message-${a}`)).toContainText("Classement mis à jour");
    await expect(card(noJs, a!).getByTestId(`rank-${a}`)).toHaveText("1re de votre classement");
    await card(noJs, b!)
      .getByRole("button", { name: /^Ajouter à mon classement/ })
      .click();
    await expect(card(noJs, b!).getByTestId(`vote-message-${b}`)).toContainText("en 2e position sur 2");
    // The confirmation shows once: a reload no longer has it.
    await noJs.reload();
    await expect(card(noJs, b!).getByTestId(`vote-message-${b}`)).toBeEmpty();

    await noJs.goto(`/consultations/${YVELINES}/mon-vote`);
    await noJs
      .locator(`li#vote-${b}`)
      .getByRole("button", { name: /^Monter/ })
      .click();
    await expect(noJs).toHaveURL(new RegExp(`/mon-vote#vote-${b}$`));
    await expect(noJs.getByTestId(`vote-message-${b}`)).toContainText(`« ${title(b!).slice(0, 30)}`);
    await expect(noJs.getByTestId(`vote-message-${b}`)).toContainText("en 1re position sur 2");
    await expect(noJs.getByTestId("my-ballot").locator("li").first()).toHaveAttribute("id", `vote-${b}`);
    await noJs
      .locator(`li#vote-${b}`)
      .getByRole("button", { name: /^Descendre/ })
      .click();
    await expect(noJs.getByTestId("my-ballot").locator("li").first()).toHaveAttribute("id", `vote-${a}`);
    expect(storedBallot(email, YVELINES)?.order).toEqual([a, b]);

    await noJs
      .locator(`li#vote-${a}`)
      .getByRole("button", { name: /^Retirer/ })
      .click();
    await expect(noJs.getByTestId("vote-message-page")).toContainText("retirée (1 sur 5 classées)");
    expect(storedBallot(email, YVELINES)?.order).toEqual([b]);

    await noJs.getByText("Retirer mon vote", { exact: true }).click();
    await noJs.getByRole("button", { name: "Oui, retirer mon vote" }).click();
    await expect(noJs.getByTestId("vote-message-page")).toHaveText("Vote retiré");
    expect(storedBallot(email, YVELINES)).toBeNull();
    await noJs.context().close();
  });

  test("approbation : la 6e priorité donne une page d’erreur 400 et un lien de retour", async ({ page, browser }) => {
    const email = await verifiedResident(page, "sans-js-6e", LISIEUX);
    const noJs = await noJsPage(browser, email);
    const proposals = proposalsOf(NORMANDIE);
    await noJs.goto(`/consultations/${NORMANDIE}?page=1`);
    for (let i = 0; i < 5; i++) {
      await card(noJs, proposals[i]!.slug)
        .getByRole("button", { name: /^Prioritaire/ })
        .click();
      await expect(card(noJs, proposals[i]!.slug).getByTestId(`vote-message-${proposals[i]!.slug}`)).toHaveText(
        `Proposition ajoutée à vos priorités (${i + 1} sur 5)`,
      );
    }
    const [response] = await Promise.all([
      noJs.waitForResponse((r) => r.url().endsWith("/vote") && r.request().method() === "POST"),
      card(noJs, proposals[5]!.slug)
        .getByRole("button", { name: /^Prioritaire/ })
        .click(),
    ]);
    expect(response.status()).toBe(400);
    await expect(noJs.getByRole("heading", { level: 1, name: "Vote non enregistré" })).toBeVisible();
    await expect(noJs.getByRole("alert")).toContainText("Votre vote n’a pas été modifié");
    await expect(noJs.getByRole("main")).not.toContainText(/erreur|400/i);
    await expect(noJs.getByRole("alert")).toContainText("Vous pouvez choisir au plus 5 priorités");
    await noJs.getByRole("link", { name: "Revenir à la page précédente" }).click();
    await expect(noJs).toHaveURL(new RegExp(`/consultations/${NORMANDIE}\\?page=1#vote-${proposals[5]!.slug}$`));
    expect(storedBallot(email, NORMANDIE)?.selections).toHaveLength(5);
    await noJs.context().close();
  });
});

/** A second browser without JavaScript, logged in as `email`. */
async function noJsPage(browser: Browser, email: string): Promise<Page> {
  const context = await browser.newContext({ javaScriptEnabled: false });
  const page = await context.newPage();
  await logIn(page, { email });
  return page;
}

test.describe("formulaires trafiqués, en HTTP", () => {
  /** A POST with the browser's session cookie and the site's Origin, without following redirects. */
  async function vote(page: Page, consultation: string, form: Record<string, string | string[]>) {
    const body = new URLSearchParams();
    for (const [k, v] of Object.entries(form)) for (const value of [v].flat()) body.append(k, value);
    const origin = new URL(page.url()).origin;
    const response = await page.request.post(`/consultations/${consultation}/vote`, {
      data: body.toString(),
      headers: { "Content-Type": "application/x-www-form-urlencoded", Origin: origin },
      maxRedirects: 0,
    });
    return { status: response.status(), text: await response.text(), location: response.headers()["location"] };
  }

  test("approbation : proposition d’une autre consultation, 6e choix, champ en trop → 400, rien d’écrit", async ({
    page,
  }) => {
    const email = await verifiedResident(page, "http-approbation", LISIEUX);
    const normandie = proposalsOf(NORMANDIE);
    for (const p of normandie.slice(0, 5)) {
      const ok = await vote(page, NORMANDIE, { intent: "approve", proposal: p.slug });
      expect(ok.status).toBe(302);
      expect(ok.location).toBe(`/consultations/${NORMANDIE}#vote-${p.slug}`);
    }
    const before = storedBallot(email, NORMANDIE);
    const events = eventCount();

    const other = await vote(page, NORMANDIE, { intent: "approve", proposal: proposalsOf(AQUITAINE)[0]!.slug });
    expect(other.status).toBe(400);
    expect(other.text).toContain("Cette proposition n’appartient pas à cette consultation.");

    const sixth = await vote(page, NORMANDIE, { intent: "approve", proposal: normandie[5]!.slug, reply: "data" });
    expect(sixth.status).toBe(400);
    expect(sixth.text).toContain("Vous pouvez choisir au plus 5 priorités");

    const ballotId = await vote(page, NORMANDIE, {
      intent: "unapprove",
      proposal: normandie[0]!.slug,
      ballot: "un-autre-bulletin",
    });
    expect(ballotId.status).toBe(400);
    expect(ballotId.text).toContain("Champ inattendu dans le formulaire : ballot.");

    const wrongMethod = await vote(page, NORMANDIE, {
      intent: "grade",
      proposal: normandie[0]!.slug,
      grade: "prioritaire",
    });
    expect(wrongMethod.status).toBe(400);
    expect(wrongMethod.text).toContain("ne correspond pas au mode de vote");

    const unknownIntent = await vote(page, NORMANDIE, { intent: "tout-effacer" });
    expect(unknownIntent.status).toBe(400);
    expect(unknownIntent.text).toContain("Action de vote inconnue.");

    expect(storedBallot(email, NORMANDIE)).toEqual(before);
    expect(eventCount()).toBe(events);
  });

  test("un habitant de Lisieux sur la route de vote de Nouvelle-Aquitaine → 403", async ({ page }) => {
    const email = await verifiedResident(page, "http-403", LISIEUX);
    const events = eventCount();
    const refused = await vote(page, AQUITAINE, {
      intent: "grade",
      proposal: proposalsOf(AQUITAINE)[0]!.slug,
      grade: "prioritaire",
    });
    expect(refused.status).toBe(403);
    expect(refused.text).toContain("Cette consultation est réservée aux habitants de sa région.");
    expect(storedBallot(email, AQUITAINE)).toBeNull();
    expect(eventCount()).toBe(events);
  });

  test("jugement majoritaire : mention inconnue → 400 ; classement : doublon → 400 ; rien d’écrit", async ({
    page,
    otherPage,
  }) => {
    const bordeaux = await verifiedResident(page, "http-mention", BORDEAUX);
    const [na] = proposalsOf(AQUITAINE);
    expect((await vote(page, AQUITAINE, { intent: "grade", proposal: na!.slug, grade: "prioritaire" })).status).toBe(
      302,
    );
    const events = eventCount();
    const unknown = await vote(page, AQUITAINE, { intent: "grade", proposal: na!.slug, grade: "excellent" });
    expect(unknown.status).toBe(400);
    expect(unknown.text).toContain("Mention inconnue.");
    const two = await vote(page, AQUITAINE, {
      intent: "grade",
      proposal: na!.slug,
      grade: ["prioritaire", "pas_prioritaire"],
    });
    expect(two.status).toBe(400);
    expect(storedBallot(bordeaux, AQUITAINE)?.grades).toEqual({ [na!.slug]: "prioritaire" });
    expect(eventCount()).toBe(events);

    const versailles = await verifiedResident(otherPage, "http-doublon", VERSAILLES);
    const [a, b] = proposalsOf(YVELINES);
    expect((await vote(otherPage, YVELINES, { intent: "rank-order", order: [a!.slug, b!.slug] })).status).toBe(302);
    const duplicate = await vote(otherPage, YVELINES, { intent: "rank-order", order: [a!.slug, b!.slug, a!.slug] });
    expect(duplicate.status).toBe(400);
    expect(duplicate.text).toContain("Une proposition apparaît deux fois dans votre classement.");
    const tooMany = await vote(otherPage, YVELINES, {
      intent: "rank-order",
      order: proposalsOf(YVELINES)
        .slice(0, 6)
        .map((p) => p.slug),
    });
    expect(tooMany.status).toBe(400);
    expect(tooMany.text).toContain("Vous pouvez classer au plus 5 propositions.");
    expect(storedBallot(versailles, YVELINES)?.order).toEqual([a!.slug, b!.slug]);
  });
});
