import os from "node:os";
import path from "node:path";
import type { Page } from "@playwright/test";
import { axeViolations, checkPage, NARROW, overflow } from "./axe-helpers";
import {
  expect,
  expectSignupSent,
  headerPlace,
  logIn,
  openMenu,
  signUp,
  signInDirectly,
  test,
  uniqueEmail,
  waitForHydration,
} from "./helpers";
import {
  PROPOSAL,
  CONSULTATION,
  PROPOSAL_SLUG,
  confirmEmail,
  grantRole,
  newResident,
  run,
  seedDiscussion,
  userId,
} from "./comment-helpers";

// Every page built so far, checked by axe-core against WCAG 2.1 A and AA, and at 320 px wide
// (WCAG 1.4.10, reflow): no horizontal scrolling, and the skip link is there.

/** At 320 px the header's tools and navigation live in the menu dialog: checked open too. */
async function checkOpenMenu(page: Page) {
  await openMenu(page);
  const menu = page.getByRole("dialog", { name: "Menu" });
  await expect(menu).toBeVisible();
  await expect(menu.getByRole("navigation", { name: "Menu principal" })).toBeVisible();
  expect(await axeViolations(page), `axe violations with the menu open on ${page.url()}`).toEqual([]);
  const { scrollWidth } = await overflow(page);
  expect(scrollWidth, "horizontal scroll with the menu open").toBeLessThanOrEqual(NARROW.width);
  await menu.getByRole("button", { name: "Fermer" }).click();
  await expect(menu).toBeHidden();
}

const PUBLIC_PAGES: {
  path: string;
  status?: number;
  heading: string | RegExp;
  /** Puts the site in the state worth checking, before the page is opened. */
  before?: (page: Page) => Promise<void>;
  /** What must be on the page for the check to mean something. */
  shows?: (page: Page) => Promise<void>;
  /** Also check the menu dialog open at 320 px. */
  menu?: boolean;
}[] = [
  { path: "/", heading: "Vos priorités pour la santé dans votre territoire", menu: true },
  { path: "/inscription", heading: "Créer un compte" },
  { path: "/inscription?q=lisieux", heading: "Créer un compte" },
  { path: "/connexion", heading: "Se connecter" },
  { path: "/mot-de-passe-oublie", heading: "Mot de passe oublié" },
  { path: "/reinitialisation?token=bad", status: 400, heading: "Lien inutilisable" },
  { path: "/verification?token=bad", status: 400, heading: "Confirmation impossible" },
  { path: "/accessibilite", heading: "Déclaration d’accessibilité" },
  { path: "/mentions-legales", heading: "Mentions légales" },
  { path: "/donnees-personnelles", heading: "Données personnelles" },
  {
    path: "/dev/outbox",
    heading: "Boîte d’envoi",
    // With an e-mail in it (its long link included), not only the empty state; read by an
    // administrator (the only readers in production).
    before: async (page) => {
      await signUp(page, { email: uniqueEmail("boite") });
      await page.context().clearCookies();
      grantRole(await signInDirectly(page, { label: "admin-boite" }), "admin");
    },
    shows: (page) => expect(page.getByTestId("outbox-email").first()).toBeVisible(),
  },
  { path: "/cette-page-n-existe-pas", status: 404, heading: "Page non trouvée" },
  { path: "/consultations", heading: "Consultations" },
  { path: "/consultations/normandie-cnr-sante-2022", heading: /Normandie/ },
  {
    path: "/consultations/nouvelle-aquitaine-cnr-sante-2022?theme=prevention&sort=mentions&page=2",
    heading: /Nouvelle-Aquitaine/,
  },
  { path: "/consultations/normandie-cnr-sante-2022?q=zzzzzz", heading: /Normandie/ },
  { path: "/consultations/normandie-cnr-sante-2022?theme=inconnu", status: 400, heading: "Demande non comprise" },
  { path: "/consultations/inconnue", status: 404, heading: "Page non trouvée" },
  {
    path: "/consultations/nouvelle-aquitaine-cnr-sante-2022/propositions/inconnue",
    status: 404,
    heading: "Page non trouvée",
  },
  {
    path: "/consultations/nouvelle-aquitaine-cnr-sante-2022/propositions/plus-d-infirmiers-en-pratique-avancee-et-d-infirmiers-asalee-mieux-remuneres",
    heading: /IPA et d’infirmiers Asalée/,
  },
  {
    path: "/consultations/normandie-cnr-sante-2022/propositions/developper-les-dispositifs-d-aller-vers-en-prevention",
    heading: /aller-vers/,
  },
  {
    path: "/consultations/yvelines-cts78-cnr-sante-2022/propositions/mieux-articuler-les-contrats-locaux-de-sante-cls-et-les-cpts",
    heading: /CPTS/,
  },
  { path: "/glossaire", heading: /Glossaire/ },
  { path: "/contexte", heading: /CNR Santé/ },
  {
    path: `${PROPOSAL}?tri=utiles`,
    heading: /aller-vers/,
    // With comments (a reply, a hidden one, a deleted one still answered) and a contribution.
    before: async () => {
      seedDiscussion();
    },
    shows: async (page) => {
      await expect(page.getByTestId("comment").first()).toBeVisible();
      await expect(page.getByTestId("contribution").first()).toBeVisible();
    },
  },
  { path: "/associations", heading: "Associations", before: async () => void seedDiscussion() },
  { path: "/associations/inscription", heading: "Inscrire une association" },
  { path: "/associations/inscription?q=caen", heading: "Inscrire une association" },
  { path: "/associations/inconnue", status: 404, heading: "Page non trouvée" },
];

for (const { path: pagePath, status = 200, heading, before, shows, menu } of PUBLIC_PAGES) {
  test(`${pagePath} : WCAG 2.1 AA, lisible à 320 px`, async ({ page }) => {
    await before?.(page);
    const response = await page.goto(pagePath);
    expect(response?.status()).toBe(status);
    await expect(page.getByRole("heading", { level: 1, name: heading })).toBeVisible();
    // Even an error page keeps the site's header and footer.
    await expect(page.getByRole("banner")).toContainText("Priorités Santé");
    await expect(page.getByRole("contentinfo")).toBeVisible();
    await shows?.(page);
    await checkPage(page);
    if (menu) await checkOpenMenu(page);
  });
}

test.describe("connecté", () => {
  // One account for these tests, made through the sign-up form; each test reuses its cookie.
  const storageState = path.join(os.tmpdir(), `ps-e2e-a11y-${process.pid}.json`);
  test.use({ storageState });

  test.beforeAll(async ({ browser }) => {
    const context = await browser.newContext({ storageState: undefined });
    const page = await context.newPage();
    await signUp(page, { email: uniqueEmail("a11y") });
    await context.storageState({ path: storageState });
    await context.close();
  });

  for (const pagePath of ["/mon-compte", "/mon-compte?q=lisieux"]) {
    test(`${pagePath} : WCAG 2.1 AA, lisible à 320 px`, async ({ page }) => {
      const response = await page.goto(pagePath);
      expect(response?.status()).toBe(200);
      await expect(page.getByRole("heading", { level: 1, name: "Mon compte" })).toBeVisible();
      await expect(headerPlace(page)).toHaveText("Lisieux · arrondissement de Lisieux");
      await checkPage(page);
      if (pagePath === "/mon-compte") await checkOpenMenu(page);
    });
  }

  test("/mon-compte/suppression, refusée (choix et mot de passe manquants) : WCAG 2.1 AA, lisible à 320 px", async ({
    page,
  }) => {
    const response = await page.goto("/mon-compte/suppression");
    expect(response?.status()).toBe(200);
    await expect(page.getByRole("heading", { level: 1, name: "Supprimer mon compte" })).toBeVisible();
    await checkPage(page);
    // The refusal, with its messages tied to the fields.
    await page.getByRole("button", { name: "Supprimer définitivement mon compte" }).click();
    await expect(page.getByText("Choisissez ce que deviennent vos commentaires.")).toBeVisible();
    await checkPage(page);
  });

  // Not verified yet: the consultation says why voting is not possible, once, and "Mon vote" too.
  for (const pagePath of [
    "/consultations/normandie-cnr-sante-2022",
    "/consultations/normandie-cnr-sante-2022/mon-vote",
  ]) {
    test(`${pagePath} (adresse non confirmée) : WCAG 2.1 AA, lisible à 320 px`, async ({ page }) => {
      const response = await page.goto(pagePath);
      expect(response?.status()).toBe(200);
      await expect(page.getByText("Confirmez d’abord votre adresse électronique").first()).toBeVisible();
      await checkPage(page);
    });
  }
});

// The vote, for a verified resident of each consultation's territory with a ballot already cast:
// the proposal cards with their controls, the proposal page, "Mon vote" for each method, and the
// page of a refused vote (what a browser without JavaScript shows).
test.describe("connecté, avec un vote", () => {
  const residents = {
    lisieux: { search: "Lisieux", commune: /^Lisieux 14100/, consultation: "normandie-cnr-sante-2022" },
    bordeaux: { search: "Bordeaux", commune: /^Bordeaux 330/, consultation: "nouvelle-aquitaine-cnr-sante-2022" },
    versailles: { search: "Versailles", commune: /^Versailles 78000/, consultation: "yvelines-cts78-cnr-sante-2022" },
  };
  const stateFile = (who: string) => path.join(os.tmpdir(), `ps-e2e-a11y-vote-${who}-${process.pid}.json`);
  const slugs: Record<string, string[]> = {};

  test.beforeAll(async ({ browser }) => {
    for (const [who, r] of Object.entries(residents)) {
      const context = await browser.newContext({ storageState: undefined });
      const page = await context.newPage();
      await signInDirectly(page, { label: `a11y-${who}`, search: r.search, commune: r.commune });
      await page.goto(`/consultations/${r.consultation}`);
      const cards = await page
        .locator("ol > li[id^='vote-']")
        .evaluateAll((lis) => lis.map((li) => li.id.slice("vote-".length)));
      slugs[who] = cards;
      const forms: Record<string, string>[] =
        who === "lisieux"
          ? [
              { intent: "approve", proposal: cards[0]! },
              { intent: "approve", proposal: cards[2]! },
            ]
          : who === "bordeaux"
            ? [
                { intent: "grade", proposal: cards[0]!, grade: "priorite_absolue" },
                { intent: "grade", proposal: cards[1]!, grade: "peu_prioritaire" },
              ]
            : [
                { intent: "rank-add", proposal: cards[0]! },
                { intent: "rank-add", proposal: cards[1]! },
                { intent: "rank-add", proposal: cards[2]! },
              ];
      const origin = new URL(page.url()).origin;
      for (const form of forms) {
        const response = await page.request.post(`/consultations/${r.consultation}/vote`, {
          form,
          headers: { Origin: origin },
          maxRedirects: 0,
        });
        expect(response.status(), JSON.stringify(form)).toBe(302);
      }
      await context.storageState({ path: stateFile(who) });
      await context.close();
    }
  });

  const PAGES: {
    who: keyof typeof residents;
    path: (slugs: string[]) => string;
    heading: string | RegExp;
    before?: (page: Page) => Promise<void>;
    shows: (page: Page) => Promise<void>;
  }[] = [
    {
      who: "lisieux",
      path: () => "/consultations/normandie-cnr-sante-2022",
      heading: /Normandie/,
      shows: (page) => expect(page.getByRole("button", { name: /^Prioritaire/, pressed: true })).toHaveCount(2),
    },
    {
      who: "lisieux",
      path: (s) => `/consultations/normandie-cnr-sante-2022/propositions/${s[0]}`,
      heading: /./,
      shows: (page) => expect(page.getByRole("button", { name: /^Prioritaire/, pressed: true })).toHaveCount(1),
    },
    {
      who: "lisieux",
      path: () => "/consultations/normandie-cnr-sante-2022/mon-vote",
      heading: "Mon vote",
      shows: (page) => expect(page.getByTestId("ballot-count")).toHaveText("2 sur 5 choisies"),
    },
    {
      who: "lisieux",
      path: () => "/consultations/normandie-cnr-sante-2022/vote",
      heading: "Vote non enregistré",
      // A form posted by hand, refused (400): the page a browser without JavaScript gets.
      before: async (page) => {
        await page.goto("/consultations/normandie-cnr-sante-2022");
        await page.evaluate(() => {
          const form = document.createElement("form");
          form.method = "post";
          form.action = "/consultations/normandie-cnr-sante-2022/vote";
          form.innerHTML = '<input name="intent" value="approve"><input name="proposal" value="inconnue">';
          document.body.append(form);
          form.submit();
        });
        await page.waitForURL(/\/vote$/);
      },
      shows: (page) => expect(page.getByRole("alert")).toContainText("Votre vote n’a pas été modifié"),
    },
    {
      who: "bordeaux",
      path: () => "/consultations/nouvelle-aquitaine-cnr-sante-2022",
      heading: /Nouvelle-Aquitaine/,
      shows: (page) => expect(page.getByText("Votre mention : Priorité absolue")).toBeVisible(),
    },
    {
      who: "bordeaux",
      path: () => "/consultations/nouvelle-aquitaine-cnr-sante-2022/mon-vote",
      heading: "Mon vote",
      shows: (page) => expect(page.getByTestId("ballot-count")).toHaveText("2 propositions évaluées"),
    },
    {
      who: "versailles",
      path: () => "/consultations/yvelines-cts78-cnr-sante-2022",
      heading: /Yvelines/,
      shows: (page) => expect(page.getByRole("button", { name: /^Retirer de mon classement/ })).toHaveCount(3),
    },
    {
      who: "versailles",
      path: () => "/consultations/yvelines-cts78-cnr-sante-2022/mon-vote",
      heading: "Mon vote",
      shows: async (page) => {
        await expect(page.getByTestId("ballot-count")).toHaveText("3 sur 5 classées");
        // The withdrawal's confirmation open, to check it too.
        await page.getByText("Retirer mon vote", { exact: true }).click();
        await expect(page.getByRole("button", { name: "Oui, retirer mon vote" })).toBeVisible();
      },
    },
  ];

  for (const { who, path: pathOf, heading, before, shows } of PAGES) {
    test.describe(who, () => {
      test.use({ storageState: stateFile(who) });
      test(`${pathOf(["…"])} (${who}) : WCAG 2.1 AA, lisible à 320 px`, async ({ page }) => {
        if (before) {
          await before(page);
        } else {
          const response = await page.goto(pathOf(slugs[who] ?? []));
          expect(response?.status()).toBe(200);
        }
        await expect(page.getByRole("heading", { level: 1, name: heading })).toBeVisible();
        await shows(page);
        await checkPage(page);
      });
    });
  }
});

test.describe("commentaires, associations, modération, CTS", () => {
  // Three accounts made through the forms: a resident, a member of staff (moderator of Normandie,
  // administrator, member of the Calvados CTS) and an association; each test reuses one cookie.
  const states = {
    resident: path.join(os.tmpdir(), `ps-e2e-a11y-resident-${process.pid}.json`),
    staff: path.join(os.tmpdir(), `ps-e2e-a11y-staff-${process.pid}.json`),
    association: path.join(os.tmpdir(), `ps-e2e-a11y-association-${process.pid}.json`),
  };
  let associationSlug = "";

  test.beforeAll(async ({ browser }) => {
    test.setTimeout(60_000);
    associationSlug = seedDiscussion().associationSlug;
    for (const who of ["resident", "staff"] as const) {
      const context = await browser.newContext({ storageState: undefined });
      const page = await context.newPage();
      const email = await newResident(page, {
        label: `a11y-${who}`,
        displayName: who === "resident" ? "Camille D." : undefined,
      });
      if (who === "staff") {
        grantRole(email, "moderator", "28");
        grantRole(email, "admin");
        grantRole(email, "cts_member", "14");
      } else {
        // One comment of one's own: its edit and delete controls are checked too.
        await page.goto(PROPOSAL);
        await waitForHydration(page);
        await page.locator('label[for="comment-new-stance-nuanced"]').click();
        await page.getByLabel("Votre commentaire").fill("Mon propre avis, encore modifiable pendant un quart d’heure.");
        await page.getByRole("button", { name: "Publier mon commentaire" }).click();
        await expect(page.getByText("Votre commentaire est publié.")).toBeVisible();
      }
      await context.storageState({ path: states[who] });
      await context.close();
    }
    const context = await browser.newContext({ storageState: undefined });
    const page = await context.newPage();
    const email = uniqueEmail("a11y-asso");
    await page.goto("/associations/inscription?q=caen");
    await page.locator('label[for="commune-14118"]').click();
    await page.getByLabel("Adresse électronique de l’association").fill(email);
    await page.getByLabel("Mot de passe").fill("tilleul lanterne boussole marée");
    await page.getByRole("button", { name: "Créer le compte de l’association" }).click();
    await expectSignupSent(page, "/associations/inscription");
    await logIn(page, { email });
    await confirmEmail(page, email);
    // Its application is filed (pending): the contribution form opens as a draft form.
    const now = new Date().toISOString();
    const associationId = `a11y-${Date.now()}`;
    run(
      `insert into associations (id, user_id, slug, name, identifier_kind, identifier, agrement, contact_name, contact_email, contact_phone,
         status, refusal_reason, decided_by, decided_at, created_at, updated_at)
       values (?, ?, ?, 'Association en attente', 'rna', ?, null, 'Claude', 'claude@exemple.fr', null, 'pending', null, null, null, ?, ?)`,
      associationId,
      userId(email),
      associationId,
      `W76${String(Date.now()).slice(-7)}`,
      now,
      now,
    );
    run(
      "insert into association_territories (association_id, kind, code) values (?, 'departement', '14')",
      associationId,
    );
    await context.storageState({ path: states.association });
    await context.close();
  });

  const PAGES: {
    who: keyof typeof states;
    name: string;
    path: () => string;
    heading: string | RegExp;
    prepare?: (page: Page) => Promise<void>;
  }[] = [
    {
      who: "resident",
      name: "proposition, formulaires de commentaire ouverts",
      path: () => PROPOSAL,
      heading: /aller-vers/,
      // The disclosures a resident opens: reply, report, edit, delete.
      prepare: async (page) => {
        const other = page.getByTestId("comment").filter({ hasText: "Les consultations avancées" }).first();
        await other.getByText("Répondre", { exact: true }).click();
        await other.getByText("Signaler", { exact: true }).first().click();
        const mine = page.getByTestId("comment").filter({ hasText: "Mon propre avis" }).first();
        await mine.getByText("Modifier", { exact: true }).click();
        await mine.getByText("Supprimer", { exact: true }).click();
      },
    },
    {
      who: "resident",
      name: "proposition, commentaires filtrés",
      path: () => `${PROPOSAL}?position=against&territoire=arrondissement&tri=utiles`,
      heading: /aller-vers/,
    },
    {
      who: "resident",
      name: "page d’une association",
      path: () => `/associations/${associationSlug}`,
      heading: "Usagers du Pays d’Auge",
    },
    { who: "staff", name: "proposition vue par un membre de CTS", path: () => PROPOSAL, heading: /aller-vers/ },
    { who: "staff", name: "file de modération", path: () => "/moderation", heading: "Modération" },
    {
      who: "staff",
      name: "vérification des associations",
      path: () => "/admin/associations",
      heading: "Vérification des associations",
    },
    { who: "staff", name: "journal de modération", path: () => "/admin/moderation", heading: "Journal de modération" },
    { who: "staff", name: "journal de sécurité", path: () => "/admin/journal", heading: "Journal de sécurité" },
    {
      who: "staff",
      name: "commentaires du CTS",
      path: () => "/cts/14/commentaires",
      heading: "Commentaires du CTS Calvados",
    },
    {
      who: "staff",
      name: "aperçu de l’export du CTS",
      path: () => `/cts/14/commentaires/${CONSULTATION}`,
      heading: "Commentaires et contributions — CTS Calvados",
    },
    {
      who: "association",
      name: "espace association, demande en attente",
      path: () => "/espace-association",
      heading: "Espace association",
      prepare: async (page) => {
        await page.getByText("Normandie", { exact: true }).click();
      },
    },
    {
      who: "association",
      name: "rédaction d’une contribution",
      path: () => `/espace-association/contribuer/${CONSULTATION}/${PROPOSAL_SLUG}`,
      heading: /^Contribution de/,
    },
  ];

  for (const who of ["resident", "staff", "association"] as const) {
    test.describe(who, () => {
      test.use({ storageState: states[who] });
      for (const { name, path: pagePath, heading, prepare } of PAGES.filter((p) => p.who === who)) {
        test(`${name} : WCAG 2.1 AA, lisible à 320 px`, async ({ page }) => {
          const response = await page.goto(pagePath());
          expect(response?.status()).toBe(200);
          await expect(page.getByRole("heading", { level: 1, name: heading })).toBeVisible();
          await waitForHydration(page);
          await prepare?.(page);
          await checkPage(page);
        });
      }
    });
  }
});
