import { randomBytes, randomUUID } from "node:crypto";
import { test as base, expect, type BrowserContext, type Page } from "@playwright/test";
import SQLite from "better-sqlite3";
import { hashPassword } from "../../app/identity/password.server";
import { sessionKey } from "../../app/identity/kysely-adapter.server";
import { canonicalEmail } from "../../app/identity/email-canonical";

/**
 * The e2e `test`: Playwright's, plus a watch on every page that fails the test on a browser-side
 * error: an uncaught exception, a `console.error` (React reports hydration mismatches there), any
 * 5xx, or a script, style, font, image or API request answering 4xx.
 */
export const test = base.extend<{ browserErrors: string[]; otherPage: Page }>({
  browserErrors: [
    async ({ context }, use) => {
      const errors: string[] = [];
      watchContext(context, errors);
      await use(errors);
      expect(errors, "errors in the browser").toEqual([]);
    },
    { auto: true },
  ],
  /** A page in a second browser (its own cookies), watched for errors like the first. */
  otherPage: async ({ browser, browserErrors }, use) => {
    const context = await browser.newContext();
    watchContext(context, browserErrors);
    await use(await context.newPage());
    await context.close();
  },
});

function watchContext(context: BrowserContext, errors: string[]): void {
  const watch = (page: Page) => {
    page.on("pageerror", (error) => errors.push(`exception: ${error.message}`));
    page.on("console", (message) => {
      if (message.type() !== "error") return;
      // The browser logs every 4xx/5xx answer this way; the response watch below judges those.
      if (message.text().startsWith("Failed to load resource")) return;
      errors.push(`console.error: ${message.text()}`);
    });
    page.on("response", (response) => {
      if (response.status() < 400) return;
      // A page or its Remix data (`/route.data`) may answer 4xx on purpose: a refused form (400),
      // a spent link (400), an unknown address (404). Anything else failing is a bug.
      const request = response.request();
      const pageOrData = request.resourceType() === "document" || new URL(response.url()).pathname.endsWith(".data");
      if (pageOrData && response.status() < 500) return;
      errors.push(`${response.status()} on ${request.resourceType()} ${response.url()}`);
    });
  };
  context.pages().forEach(watch);
  context.on("page", watch);
}

export { expect };

/** A new address for every call, so runs and tests never collide. */
export function uniqueEmail(label: string): string {
  return `${label}-${Date.now().toString(36)}-${randomBytes(3).toString("hex")}@exemple.fr`;
}

/** Four common words: long enough, and not among the refused common passwords. */
export const PASSPHRASE = "tilleul lanterne boussole marée";

/**
 * Waits until React has hydrated the page (its props are attached to the DOM nodes): typing
 * earlier would go to inputs React does not listen to yet.
 */
export async function waitForHydration(page: Page): Promise<void> {
  await page.waitForFunction(() => {
    const main = document.getElementById("contenu");
    return !!main && Object.keys(main).some((key) => key.startsWith("__reactProps$"));
  });
}

/**
 * Creates an account through /inscription (with JavaScript: the results follow the typing), then
 * logs in (signing up opens no session) and waits for /mon-compte.
 */
export async function signUp(
  page: Page,
  {
    email,
    password = PASSPHRASE,
    search = "Lisieux",
    commune = /^Lisieux 14100/,
  }: { email: string; password?: string; search?: string; commune?: RegExp },
): Promise<void> {
  await page.goto("/inscription");
  await waitForHydration(page);
  await page.getByRole("searchbox", { name: "Nom de la commune ou code postal" }).fill(search);
  await chooseCommune(page, commune);
  await page.getByLabel("Adresse électronique").fill(email);
  await page.getByLabel("Mot de passe").fill(password);
  await page.getByRole("button", { name: "Créer mon compte" }).click();
  await expectSignupSent(page, "/inscription");
  await logIn(page, { email, password });
}

/**
 * The page every accepted sign-up form leads to (a new address or one that had an account): it
 * opens no session, so the person logs in afterwards.
 */
export async function expectSignupSent(page: Page, form: "/inscription" | "/associations/inscription") {
  await expect(page).toHaveURL(new RegExp(`${form.replaceAll("/", "\\/")}\\?envoye=1$`));
  await expect(page.getByRole("heading", { level: 1, name: "Vérifiez votre messagerie" })).toBeVisible();
}

/**
 * Picks a commune among the search results the way a person does: the DSFR draws the radio
 * button inside its label, so the label is what receives the click.
 */
export async function chooseCommune(page: Page, name: RegExp): Promise<void> {
  const radio = page.getByRole("radio", { name });
  const id = await radio.getAttribute("id");
  await page.locator(`label[for="${id}"]`).click();
  await expect(radio).toBeChecked();
}

/** Logs in through /connexion and waits for /mon-compte. */
export async function logIn(page: Page, { email, password = PASSPHRASE }: { email: string; password?: string }) {
  await page.goto("/connexion");
  await page.getByLabel("Adresse électronique").fill(email);
  await page.getByLabel("Mot de passe").fill(password);
  await page.getByRole("button", { name: "Se connecter" }).click();
  await expect(page).toHaveURL(/\/mon-compte$/);
}

/**
 * The header's link to the resident's place. The header holds it twice (the tools, and their copy
 * in the menu that replaces them below 992 px): the one on screen is meant.
 */
export function headerPlace(page: Page) {
  return page.getByTestId("header-place").filter({ visible: true });
}

/** Logs out with the header's button (the wide-screen one) and waits for the home page's notice. */
export async function logOut(page: Page): Promise<void> {
  await page.getByRole("banner").getByRole("button", { name: "Se déconnecter" }).filter({ visible: true }).click();
  await expect(page).toHaveURL(/\/\?deconnecte=1$/);
  await expect(page.getByText("Vous êtes déconnecté.")).toBeVisible();
}

/**
 * The e-mails kept for `to` in the e2e server's outbox, newest first, read from its database: the
 * page /dev/outbox answers only administrators in production (the e2e server's mode), and the
 * person a test drives is rarely one (tests/e2e/access-matrix.spec.ts checks the page itself).
 */
export function outboxMails(to: string): { subject: string; body: string }[] {
  const db = new SQLite(process.env.E2E_SQLITE_FILE!, { readonly: true, fileMustExist: true, timeout: 5000 });
  try {
    return db
      .prepare("select subject, body_text as body from outbox where to_address = ? order by created_at desc, id")
      .all(to) as { subject: string; body: string }[];
  } finally {
    db.close();
  }
}

/**
 * The newest link to `path` e-mailed to `email`, from the outbox, as a path with its query
 * (`/verification?token=…`), ready for `page.goto`.
 */
export async function readLinkFromOutbox(_page: Page, email: string, path: string): Promise<string> {
  const body = outboxMails(email).find((m) => m.body.includes(`${path}?token=`))?.body ?? "";
  const escaped = path.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  const match = body.match(new RegExp(`https?://[^/\\s]+(${escaped}\\?token=[A-Za-z0-9_-]+)`));
  if (!match?.[1]) throw new Error(`No ${path} link in the e-mail to ${email}:\n${body}`);
  return match[1];
}

/**
 * A confirmed resident of a commune (by default Lisieux), signed in on `page` with a session
 * written straight into the e2e server's database (E2E_SQLITE_FILE), as signing up and following
 * the e-mailed link would leave them (tests/e2e/account.spec.ts goes through those): for tests that are not about
 * signing up. The commune is the one `search` and `commune` would pick on the sign-up page (its
 * name and postal code). The password is PASSPHRASE, for the pages that ask for it again.
 * Returns the address.
 */
export async function signInDirectly(
  page: Page,
  { label, search = "Lisieux", commune = /^Lisieux 14100/ }: { label: string; search?: string; commune?: RegExp },
): Promise<string> {
  const email = uniqueEmail(label);
  // The postal code, or its first digits ("Bordeaux 330" stands for 33000, 33100…).
  const postalCode = /\b(\d{2,5})/.exec(commune.source)?.[1] ?? "";
  const passwordHash = await hashPassword(PASSPHRASE);
  const db = new SQLite(process.env.E2E_SQLITE_FILE!, { fileMustExist: true, timeout: 5000 });
  const session = randomBytes(20).toString("hex");
  try {
    const place = db
      .prepare(
        "select code from communes where name = ? and ' ' || postal_codes || ' ' like ? order by population desc",
      )
      .get(search, `% ${postalCode}%`) as { code: string } | undefined;
    if (!place) throw new Error(`no commune ${search} ${postalCode} in the e2e database`);
    const id = randomUUID();
    const now = new Date().toISOString();
    db.transaction(() => {
      db.prepare(
        "insert into users (id, email, email_canonical, password_hash, email_verified_at, commune_code, display_name, created_at, updated_at) values (?, ?, ?, ?, ?, ?, null, ?, ?)",
      ).run(id, email, canonicalEmail(email), passwordHash, now, place.code, now, now);
      db.prepare("insert into user_roles (user_id, role, scope, created_at) values (?, 'resident', '', ?)").run(
        id,
        now,
      );
      // As lucia writes a new session (SESSION_IDLE_DAYS: 30).
      db.prepare("insert into sessions (id, user_id, expires_at, created_at) values (?, ?, ?, ?)").run(
        sessionKey(session),
        id,
        new Date(Date.now() + 30 * 86_400_000).toISOString(),
        now,
      );
    })();
  } finally {
    db.close();
  }
  const baseURL = test.info().project.use.baseURL!;
  await page
    .context()
    .addCookies([{ name: "ps_session", value: session, url: baseURL, httpOnly: true, sameSite: "Lax" }]);
  await page.goto("/mon-compte");
  await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
  return email;
}

/**
 * Opens the phone menu. The DSFR script starts after hydration; on a loaded machine a first click
 * can come before it, so click again until the dialog shows.
 */
export async function openMenu(page: Page) {
  const menu = page.locator("#modal-menu");
  await expect(async () => {
    if (!(await menu.isVisible())) await page.getByRole("banner").getByRole("button", { name: "Menu" }).click();
    await expect(menu).toBeVisible({ timeout: 1000 });
  }).toPass({ timeout: 10_000 });
  return menu;
}
