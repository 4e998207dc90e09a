import { randomUUID } from "node:crypto";
import type { BrowserContext, Page } from "@playwright/test";
import {
  chooseCommune,
  expect,
  expectSignupSent,
  logIn,
  PASSPHRASE,
  test,
  uniqueEmail,
  waitForHydration,
} from "./helpers";
import {
  confirmEmail,
  database,
  grantRole,
  newResident,
  postForm,
  publishComment,
  setDisplayName,
} from "./comment-helpers";

// A corpus of XSS payloads rendered as comments, replies, display names, association names,
// contribution titles and texts, report details and e-mails, in every view that shows them. Any
// dialog (alert, confirm, prompt) fails the test, and so does any markup from the corpus that
// reaches the DOM as markup (an on* attribute, a javascript: link, an injected element).

const CONSULTATION = "normandie-cnr-sante-2022";
const SLUG = "mutualiser-les-ressources-medicales-a-l-echelle-d-une-agglomeration";
const PAGE = `/consultations/${CONSULTATION}/propositions/${SLUG}`;

export const PAYLOADS = [
  `<script>alert(1)</script>`,
  `<img src=x onerror=alert(1)>`,
  `<img src="x" onerror="alert('img')">`,
  `<svg onload=alert(1)>`,
  `<svg><script>alert(1)</script></svg>`,
  `<svg><animate onbegin=alert(1) attributeName=x dur=1s>`,
  `"><script>alert(1)</script>`,
  `'><img src=x onerror=alert(1)>`,
  `</textarea><script>alert(1)</script>`,
  `</title><script>alert(1)</script>`,
  `</script><script>alert(1)</script>`,
  `<body onload=alert(1)>`,
  `<iframe src="javascript:alert(1)"></iframe>`,
  `<iframe srcdoc="<script>alert(1)</script>"></iframe>`,
  `<a href="javascript:alert(1)">clic</a>`,
  `javascript:alert(1)`,
  `JaVaScRiPt:alert(1)`,
  `javascript://%0Aalert(1)`,
  `data:text/html,<script>alert(1)</script>`,
  `data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==`,
  `<details open ontoggle=alert(1)>`,
  `<input autofocus onfocus=alert(1)>`,
  `<select autofocus onfocus=alert(1)>`,
  `<textarea autofocus onfocus=alert(1)>`,
  `<video><source onerror=alert(1)></video>`,
  `<audio src=x onerror=alert(1)>`,
  `<marquee onstart=alert(1)>défile</marquee>`,
  `<object data="javascript:alert(1)">`,
  `<embed src="javascript:alert(1)">`,
  `<form action="javascript:alert(1)"><button>envoyer</button></form>`,
  `<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>`,
  `<noscript><p title="</noscript><img src=x onerror=alert(1)>">`,
  `<template><img src=x onerror=alert(1)></template>`,
  `<!--<img src="--><img src=x onerror=alert(1)//">`,
  `<scr<script>ipt>alert(1)</scr</script>ipt>`,
  `<IMG SRC=JaVaScRiPt:alert(1)>`,
  `<img src=x:alert(alt) onerror=eval(src) alt=1>`,
  `<img src="x" onerror="&#97;&#108;&#101;&#114;&#116;(1)">`,
  `&lt;script&gt;alert(1)&lt;/script&gt;`,
  `%3Cscript%3Ealert(1)%3C/script%3E`,
  `<meta http-equiv="refresh" content="0;url=javascript:alert(1)">`,
  `<base href="javascript:alert(1)//">`,
  `<link rel=import href="data:text/html,<script>alert(1)</script>">`,
  `<style>@import 'javascript:alert(1)';</style>`,
  `<div style="background:url(javascript:alert(1))">fond</div>`,
  `<x onclick=alert(1)>cliquez-moi</x>`,
  `<a href="https://exemple.fr" onclick="alert(1)">lien</a>`,
  `https://exemple.fr/"onmouseover="alert(1)`,
  `https://exemple.fr/?q=<img src=x onerror=alert(1)>`,
  `http://exemple.fr/#"><svg onload=alert(1)>`,
  `[clic](javascript:alert(1))`,
  `![image](javascript:alert(1))`,
  `{{constructor.constructor('alert(1)')()}}`,
  `\${alert(1)}`,
  `';alert(1);//`,
  `"-confirm(1)-"`,
  `<img src=x onerror=prompt(1)>`,
  `jaVasCript:/*-/*\`/*\\\`/*'/*"/**/(/* */oNcliCk=alert(1) )//%0D%0A%0d%0a//</stYle/</titLe/</teXtarEa/</scRipt/--!>\\x3csVg/<sVg/oNloAd=alert(1)//>\\x3e`,
  `=cmd|' /C calc'!A0`,
  `+SUM(1+1)*cmd|' /C calc'!A0`,
  `@SUM(1+1)`,
];

/** Fails the test on any dialog, in any page of these contexts; dismisses it so nothing hangs. */
function watchDialogs(contexts: BrowserContext[], dialogs: string[]) {
  const watch = (page: Page) =>
    page.on("dialog", async (dialog) => {
      dialogs.push(`${dialog.type()}: ${dialog.message()} on ${page.url()}`);
      await dialog.dismiss().catch(() => undefined);
    });
  for (const context of contexts) {
    context.pages().forEach(watch);
    context.on("page", watch);
  }
}

/** Markup from the corpus that became markup: event-handler attributes, script URLs, injected tags. */
async function injected(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const found: string[] = [];
    for (const el of document.querySelectorAll("*")) {
      for (const attr of el.attributes) {
        if (/^on/i.test(attr.name)) found.push(`${el.tagName} ${attr.name}`);
        if (
          /^\s*(javascript|data|vbscript):/i.test(attr.value) &&
          /^(href|src|action|formaction|data|srcdoc)$/i.test(attr.name)
        ) {
          found.push(`${el.tagName} ${attr.name}=${attr.value}`);
        }
      }
    }
    for (const el of document.querySelectorAll(
      "main iframe, main object, main embed, main svg script, main img[src='x'], main base, main meta, main marquee, main x, main template, main math, main details[ontoggle]",
    )) {
      found.push(`<${el.tagName.toLowerCase()}> in main`);
    }
    // Loader data travels in Remix's own inline scripts as escaped JSON: any other script that
    // mentions alert( came from the corpus.
    for (const el of document.querySelectorAll("script")) {
      const code = el.textContent ?? "";
      if (/alert\(|confirm\(|prompt\(/.test(code) && !code.includes("__remixContext"))
        found.push(`script: ${code.slice(0, 80)}`);
    }
    return found;
  });
}

/** Opens a page, waits for React, and checks nothing from the corpus runs or becomes markup. */
async function visit(page: Page, path: string, mustShow?: string) {
  const response = await page.goto(path);
  expect(response?.status(), path).toBeLessThan(400);
  // The HTML as sent: the corpus only ever appears escaped (&lt; in markup, \u003c in data).
  const html = (await response?.text()) ?? "";
  for (const raw of [
    "<script>alert(1)</script>",
    "<img src=x onerror",
    "<svg onload",
    '<iframe src="javascript',
    "<details open ontoggle",
  ]) {
    expect(html.includes(raw), `${raw} unescaped in ${path}`).toBe(false);
  }
  await waitForHydration(page);
  if (mustShow) await expect(page.locator("main").getByText(mustShow, { exact: false }).first()).toBeAttached();
  expect(await injected(page), `markup injected on ${path}`).toEqual([]);
}

test("50+ XSS payloads stay inert in every view that shows them", async ({ page, otherPage, browser }) => {
  test.setTimeout(180_000);
  expect(PAYLOADS.length).toBeGreaterThanOrEqual(50);
  const dialogs: string[] = [];
  const associationContext = await browser.newContext();
  const associationPage = await associationContext.newPage();
  watchDialogs([page.context(), otherPage.context(), associationContext], dialogs);
  const stamp = Date.now();

  // Through the forms: a display name, comments (and the server keeps them as typed), an association's name.
  const resident = await newResident(page, { label: "xss" });
  await setDisplayName(page, `<img src=x onerror=alert(1)>`);
  await expect(page.getByText(`Nom actuel : « <img src=x onerror=alert(1)> »`)).toBeVisible();
  await page.goto(PAGE);
  await waitForHydration(page);
  await publishComment(page, { stance: "Pour", text: `XSS formulaire : ${PAYLOADS[0]}`, signature: "nom" });
  for (const payload of PAYLOADS.slice(1, 8)) {
    const response = await postForm(page, PAGE, {
      intent: "comment",
      stance: "against",
      body: `XSS formulaire : ${payload}`,
      signature: "nom",
    });
    expect(response.status()).toBe(303);
  }
  const viaForms = database(true)
    .prepare("select body from comments c join users u on u.id = c.user_id where u.email = ? order by c.created_at")
    .all(resident) as { body: string }[];
  expect(viaForms.map((c) => c.body)).toEqual(PAYLOADS.slice(0, 8).map((p) => `XSS formulaire : ${p}`));

  const associationEmail = uniqueEmail("asso-xss");
  await associationPage.goto("/associations/inscription");
  await waitForHydration(associationPage);
  await associationPage.getByRole("searchbox", { name: "Nom de la commune ou code postal" }).fill("Caen");
  await chooseCommune(associationPage, /^Caen 14000/);
  await associationPage.getByLabel("Adresse électronique de l’association").fill(associationEmail);
  await associationPage.getByLabel("Mot de passe").fill(PASSPHRASE);
  await associationPage.getByRole("button", { name: "Créer le compte de l’association" }).click();
  await expectSignupSent(associationPage, "/associations/inscription");
  await logIn(associationPage, { email: associationEmail });
  await confirmEmail(associationPage, associationEmail);
  const associationName = `"><svg onload=alert('asso')> Association ${stamp}`;
  await associationPage.goto("/espace-association");
  await waitForHydration(associationPage);
  await associationPage.getByLabel("Nom de l’association").fill(associationName);
  await associationPage.getByLabel("Numéro RNA ou SIREN").fill(`W14${String(stamp).slice(-7)}`);
  await associationPage.getByText("Normandie", { exact: true }).click();
  await associationPage.locator('label[for="territoire-departement-14"]').click();
  await associationPage.getByLabel("Personne à contacter").fill(`<script>alert('contact')</script>`);
  await associationPage.getByLabel("Adresse électronique du contact").fill("contact@exemple.fr");
  await associationPage.getByRole("button", { name: "Déposer la demande" }).click();
  await expect(associationPage.getByText("Votre demande est enregistrée")).toBeVisible();
  await expect(
    associationPage.getByRole("heading", { level: 2, name: new RegExp(`Association ${stamp}`) }),
  ).toContainText(associationName);

  // The rest of the corpus, stored as if many people had typed it: one author per payload (their
  // display name is a payload too), replies, associations with payload names and contributions.
  const db = database();
  const now = Date.now();
  const ids = {
    proposal: (db.prepare("select id from proposals where slug = ?").get(SLUG) as { id: string }).id,
    consultation: (db.prepare("select id from consultations where slug = ?").get(CONSULTATION) as { id: string }).id,
  };
  const commentIds: string[] = [];
  const contributionIds: string[] = [];
  const insert = db.transaction(() => {
    const addUser = (i: number, name: string | null, role: string) => {
      const id = randomUUID();
      const at = new Date(now - i * 1000).toISOString();
      db.prepare(
        "insert into users (id, email, password_hash, email_verified_at, commune_code, display_name, created_at, updated_at) values (?, ?, 'x', ?, '14366', ?, ?, ?)",
      ).run(id, `xss-${role}-${i}-${stamp}@exemple.fr`, at, name, at, at);
      db.prepare("insert into user_roles (user_id, role, scope, created_at) values (?, ?, '', ?)").run(id, role, at);
      return id;
    };
    const reporter = addUser(0, null, "resident");
    PAYLOADS.forEach((payload, i) => {
      const author = addUser(i + 1, payload, "resident");
      const id = randomUUID();
      const at = new Date(now - 60_000 - i * 1000).toISOString();
      db.prepare(
        `insert into comments (id, consultation_id, proposal_id, parent_id, user_id, anonymous, stance, body, arrondissement_code, cts_code,
           moderation, hidden_reason, review_requested_at, review_message, reviewed_at, created_at, updated_at, edited_at, deleted_at)
         values (?, ?, ?, ?, ?, 0, ?, ?, '143', '14', 'visible', null, null, null, null, ?, ?, null, null)`,
      ).run(
        id,
        ids.consultation,
        ids.proposal,
        null,
        author,
        ["for", "against", "nuanced"][i % 3],
        `XSS n°${i} :\n${payload}`,
        at,
        at,
      );
      commentIds.push(id);
      if (i % 10 === 0) {
        db.prepare(
          `insert into comments (id, consultation_id, proposal_id, parent_id, user_id, anonymous, stance, body, arrondissement_code, cts_code,
             moderation, hidden_reason, review_requested_at, review_message, reviewed_at, created_at, updated_at, edited_at, deleted_at)
           values (?, ?, ?, ?, ?, 0, null, ?, '143', '14', 'visible', null, null, null, null, ?, ?, null, null)`,
        ).run(randomUUID(), ids.consultation, ids.proposal, id, author, `Réponse XSS n°${i} : ${payload}`, at, at);
      }
      db.prepare(
        "insert into flags (id, target_kind, target_id, reporter_id, reason, details, created_at, resolved_at, resolution) values (?, 'comment', ?, ?, 'insult', ?, ?, null, null)",
      ).run(randomUUID(), id, reporter, payload, at);

      const associationUser = addUser(i + 1000, null, "association");
      const associationId = randomUUID();
      db.prepare(
        `insert into associations (id, user_id, slug, name, identifier_kind, identifier, agrement, contact_name, contact_email, contact_phone,
           status, refusal_reason, decided_by, decided_at, created_at, updated_at)
         values (?, ?, ?, ?, 'rna', ?, ?, ?, 'contact@exemple.fr', null, ?, null, null, ?, ?, ?)`,
      ).run(
        associationId,
        associationUser,
        `xss-${i}-${stamp}`,
        payload,
        `W9${String(stamp + i).slice(-8)}`,
        payload.slice(0, 60),
        payload.slice(0, 100),
        i % 5 === 0 ? "pending" : "verified",
        at,
        at,
        at,
      );
      db.prepare(
        "insert into association_territories (association_id, kind, code) values (?, 'departement', '14')",
      ).run(associationId);
      if (i % 5 !== 0) {
        const contributionId = randomUUID();
        db.prepare(
          `insert into contributions (id, consultation_id, proposal_id, association_id, title, body, published_at, moderation, hidden_reason,
             review_requested_at, review_message, reviewed_at, created_at, updated_at, deleted_at)
           values (?, ?, ?, ?, ?, ?, ?, 'visible', null, null, null, null, ?, ?, null)`,
        ).run(
          contributionId,
          ids.consultation,
          ids.proposal,
          associationId,
          `Titre ${i} ${payload}`.slice(0, 150),
          `Contribution XSS n°${i} :\n${payload}`,
          at,
          at,
          at,
        );
        contributionIds.push(contributionId);
      }
    });
    for (const contributionId of contributionIds.slice(0, 5)) {
      db.prepare(
        "insert into flags (id, target_kind, target_id, reporter_id, reason, details, created_at, resolved_at, resolution) values (?, 'contribution', ?, ?, 'spam', null, ?, null, null)",
      ).run(randomUUID(), contributionId, reporter, new Date(now).toISOString());
    }
  });
  insert();
  db.close();

  // A moderator and an administrator (one person, several roles), and a CTS member of Calvados.
  const staff = await newResident(otherPage, { label: "xss-staff", search: "Caen", commune: /^Caen 14000/ });
  grantRole(staff, "moderator", "28");
  grantRole(staff, "admin");
  grantRole(staff, "cts_member", "14");
  // Real e-mails carrying payloads: the association's verification, moderation decisions.
  await otherPage.goto("/admin/associations");
  await waitForHydration(otherPage);
  expect(await injected(otherPage)).toEqual([]);
  await otherPage
    .getByTestId("pending-association")
    .filter({ hasText: `Association ${stamp}` })
    .getByRole("button", { name: "Vérifier l’association" })
    .click();
  await expect(otherPage.getByText("Association vérifiée ; elle en a été informée par e-mail.")).toBeVisible();
  for (const [i, id] of commentIds.slice(0, 12).entries()) {
    const response = await postForm(otherPage, "/moderation", {
      intent: "hide",
      targetKind: "comment",
      targetId: id,
      reason: "insult",
      note: PAYLOADS[i]!,
    });
    expect(response.status()).toBe(303);
  }
  await postForm(otherPage, "/admin/associations", {
    intent: "refuse",
    associationId: (
      database(true).prepare("select id from associations where slug = ?").get(`xss-5-${stamp}`) as { id: string }
    ).id,
    reason: `Refus : ${PAYLOADS[1]} ${PAYLOADS[0]}`,
  });
  // A resident's comment is hidden; they ask for a review with a payload. The association contributes.
  const ownId = (
    database(true)
      .prepare(
        "select c.id from comments c join users u on u.id = c.user_id where u.email = ? order by c.created_at desc",
      )
      .get(resident) as { id: string }
  ).id;
  expect(
    (
      await postForm(otherPage, "/moderation", {
        intent: "hide",
        targetKind: "comment",
        targetId: ownId,
        reason: "spam",
        note: PAYLOADS[4]!,
      })
    ).status(),
  ).toBe(303);
  expect(
    (
      await postForm(page, PAGE, { intent: "review", targetKind: "comment", targetId: ownId, message: PAYLOADS[3]! })
    ).status(),
  ).toBe(303);
  await associationPage.goto(`/espace-association/contribuer/${CONSULTATION}/${SLUG}`);
  await waitForHydration(associationPage);
  await associationPage.getByLabel("Titre").fill(`<img src=x onerror=alert('titre')> ${stamp}`);
  await associationPage.getByLabel("Texte de la contribution").fill(PAYLOADS.slice(0, 10).join("\n"));
  await associationPage.getByRole("button", { name: "Publier la contribution" }).click();
  await expect(associationPage).toHaveURL(/#contribution-/);

  // Every view, as each kind of reader sees it.
  const pageCount = Math.ceil((PAYLOADS.length + 8) / 20) + 1;
  for (let p = 1; p <= pageCount; p++) await visit(page, `${PAGE}?page=${p}`);
  await visit(page, `${PAGE}?tri=utiles&position=against&territoire=arrondissement`);
  await visit(page, PAGE, "XSS formulaire : <script>alert(1)</script>");
  await expect(page.locator("#contributions")).toContainText(`<img src=x onerror=alert('titre')> ${stamp}`);
  await expect(page.getByText("<img src=x onerror=alert(1)>", { exact: true }).first()).toBeVisible();
  await visit(page, "/mon-compte", "Nom actuel");
  await visit(associationPage, "/espace-association", associationName);
  await visit(associationPage, PAGE);
  await visit(otherPage, "/associations", associationName);
  const associationSlug = (
    database(true).prepare("select slug from associations where name = ?").get(associationName) as { slug: string }
  ).slug;
  await visit(otherPage, `/associations/${associationSlug}`, associationName);
  await visit(otherPage, `/associations/xss-1-${stamp}`, PAYLOADS[1]);
  await visit(otherPage, `/associations/xss-${PAYLOADS.length - 2}-${stamp}`);
  for (let p = 1; p <= pageCount; p++) await visit(otherPage, `${PAGE}?page=${p}`);
  await visit(otherPage, "/moderation", PAYLOADS[20]);
  expect(await otherPage.getByTestId("queue-item").count()).toBeGreaterThanOrEqual(50);
  await visit(otherPage, "/cts/14/commentaires/normandie-cnr-sante-2022", PAYLOADS[30]);
  expect(await otherPage.getByTestId("export-row").count()).toBeGreaterThanOrEqual(50);
  await visit(otherPage, "/admin/associations", PAYLOADS[10]);
  await visit(otherPage, "/admin/moderation", PAYLOADS[2]);
  await visit(otherPage, "/admin/moderateurs", "Normandie");
  await visit(otherPage, "/dev/outbox", "onerror=alert(1)");
  // Anyone else is not shown the outbox at all (issue 14, finding 1).
  expect((await page.goto("/dev/outbox"))?.status()).toBe(404);

  // The exports carry the text as text.
  const csv = await (await otherPage.request.get("/cts/14/commentaires/normandie-cnr-sante-2022/export.csv")).text();
  expect(csv).toContain(`"'=cmd|' /C calc'!A0"`);
  expect(csv).toContain(`"'@SUM(1+1)"`);

  await associationContext.close();
  expect(dialogs, "dialogs opened by the corpus").toEqual([]);
});
