import SQLite from "better-sqlite3";
import type { Page, Response } from "@playwright/test";
import { expect, signInDirectly, test, waitForHydration } from "./helpers";

// Security headers and the CSP, seen from Chromium: every page is served with a nonce-based
// Content-Security-Policy that the browser enforces without a single violation (the `test` fixture
// fails on console errors, which is where Chromium reports them; the page's own
// `securitypolicyviolation` events are collected too), no page asks anything from another origin,
// and signed-in pages are never cached.

const NORMANDIE = "normandie-cnr-sante-2022";

function firstProposal(): string {
  const db = new SQLite(process.env.E2E_SQLITE_FILE!, { readonly: true, fileMustExist: true });
  try {
    const row = db
      .prepare(
        "select p.slug from proposals p join consultations c on c.id = p.consultation_id where c.slug = ? order by p.position limit 1",
      )
      .get(NORMANDIE) as { slug: string };
    return row.slug;
  } finally {
    db.close();
  }
}

/** Records the origin of every request the page makes, and every CSP violation it reports. */
async function watch(page: Page, baseURL: string) {
  const foreign: string[] = [];
  const own = new URL(baseURL).origin;
  page.on("request", (request) => {
    const url = new URL(request.url());
    if (url.protocol === "data:" || url.protocol === "blob:") return;
    if (url.origin !== own) foreign.push(request.url());
  });
  // Runs before any page script, outside the page's CSP (Playwright injects it).
  await page.addInitScript(() => {
    const w = window as unknown as { cspViolations: string[] };
    w.cspViolations = [];
    document.addEventListener("securitypolicyviolation", (e) =>
      w.cspViolations.push(
        `${e.violatedDirective} ${e.blockedURI} (${e.sourceFile}:${e.lineNumber}:${e.columnNumber})`,
      ),
    );
  });
  return {
    foreign,
    violations: () => page.evaluate(() => (window as unknown as { cspViolations: string[] }).cspViolations),
  };
}

function expectPageHeaders(response: Response | null) {
  expect(response, "a document response").not.toBeNull();
  const headers = response!.headers();
  const csp = headers["content-security-policy"] ?? "";
  const scriptSrc =
    csp
      .split(";")
      .map((d) => d.trim())
      .find((d) => d.startsWith("script-src")) ?? "";
  expect(scriptSrc).toMatch(/'nonce-[A-Za-z0-9+/=]{20,}'/);
  expect(scriptSrc).not.toContain("unsafe-inline");
  expect(csp).not.toContain("unsafe-inline");
  for (const directive of [
    "default-src 'self'",
    "frame-ancestors 'none'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
  ]) {
    expect(csp).toContain(directive);
  }
  expect(headers["x-content-type-options"]).toBe("nosniff");
  expect(headers["referrer-policy"]).toBe("strict-origin-when-cross-origin");
  // PUBLIC_URL is http:// in the tests: no HSTS promise over plain HTTP.
  expect(headers["strict-transport-security"]).toBeUndefined();
  return headers;
}

/** Every inline script of the document carries this response's nonce. */
async function expectNoncedScripts(page: Page, response: Response | null) {
  const nonce = /'nonce-([^']+)'/.exec(response!.headers()["content-security-policy"] ?? "")?.[1];
  const html = await response!.text();
  const scripts = [...html.matchAll(/<script\b([^>]*)>/g)].map((m) => m[1] ?? "");
  expect(scripts.length).toBeGreaterThan(2);
  for (const attributes of scripts) expect(attributes).toContain(`nonce="${nonce}"`);
  // A nonce is never reused across responses.
  const again = await page.request.get(response!.url());
  expect(again.headers()["content-security-policy"]).not.toContain(nonce!);
}

test("anonymous pages: nonce CSP enforced without violation, no third-party request", async ({ page, baseURL }) => {
  const seen = await watch(page, baseURL!);
  const proposal = `/consultations/${NORMANDIE}/propositions/${firstProposal()}`;
  for (const path of [
    "/",
    "/consultations",
    `/consultations/${NORMANDIE}`,
    proposal,
    "/connexion",
    "/inscription",
    "/donnees-personnelles",
    "/page-inconnue",
  ]) {
    const response = await page.goto(path);
    const headers = expectPageHeaders(response);
    expect(headers["cache-control"] ?? "").not.toContain("no-store");
    await waitForHydration(page);
    expect(await seen.violations(), `CSP violations on ${path}`).toEqual([]);
    if (path === "/") await expectNoncedScripts(page, response);
  }
  // Navigations inside the app go through single-fetch (.data) requests: still no violation.
  await page.goto("/");
  await waitForHydration(page);
  await page.getByRole("link", { name: "Consultations", exact: true }).first().click();
  await expect(page).toHaveURL(/\/consultations$/);
  expect(await seen.violations()).toEqual([]);
  expect(seen.foreign, "requests to other origins").toEqual([]);
});

test("signed-in pages: no-store, the vote goes through, no violation; static assets stay cacheable", async ({
  page,
  baseURL,
}) => {
  const seen = await watch(page, baseURL!);
  await signInDirectly(page, { label: "csp" });
  const dataResponses: Response[] = [];
  page.on("response", (r) => {
    if (new URL(r.url()).pathname.endsWith(".data")) dataResponses.push(r);
  });
  for (const path of ["/mon-compte", `/consultations/${NORMANDIE}`, `/consultations/${NORMANDIE}/mon-vote`]) {
    const response = await page.goto(path);
    const headers = expectPageHeaders(response);
    expect(headers["cache-control"]).toBe("no-store");
    await waitForHydration(page);
    expect(await seen.violations(), `CSP violations on ${path}`).toEqual([]);
  }
  // A vote with JavaScript: a single-fetch POST and the revalidation after it.
  await page.goto(`/consultations/${NORMANDIE}`);
  await waitForHydration(page);
  const toggle = page
    .locator("li[id^=vote-]")
    .first()
    .getByRole("button", { name: /^Prioritaire/ });
  await toggle.click();
  await expect(toggle).toHaveAttribute("aria-pressed", "true");
  await expect(page.getByTestId("ballot-count")).toHaveText("1 sur 5 choisie");
  await expect.poll(() => dataResponses.length).toBeGreaterThan(0);
  for (const r of dataResponses) expect(r.headers()["cache-control"]).toBe("no-store");
  expect(await seen.violations()).toEqual([]);

  const asset = await page.evaluate(() => document.querySelector<HTMLLinkElement>("link[rel=stylesheet]")?.href ?? "");
  expect(asset).toContain("/build/");
  const assetResponse = await page.request.get(asset);
  expect(assetResponse.headers()["cache-control"]).toContain("immutable");
  expect(seen.foreign, "requests to other origins").toEqual([]);
});
