import SQLite from "better-sqlite3";
import { expect, request as http, test } from "@playwright/test";

// Bad input at the HTTP level, as a script (not a browser) would send it.

function serverDb() {
  return new SQLite(process.env.E2E_SQLITE_FILE!, { readonly: true, fileMustExist: true });
}

function unique(prefix: string) {
  return `${prefix}-${Date.now()}-${Math.random().toString(36).slice(2, 8)}@exemple.fr`;
}

/** A POST from a client with no cookies, like a script would send. */
async function post(_request: unknown, baseURL: string, path: string, form: Record<string, string>, origin = baseURL) {
  const context = await http.newContext({ baseURL });
  const response = await context.post(path, { form, headers: { Origin: origin }, maxRedirects: 0 });
  const body = await response.text();
  await context.dispose();
  return { status: () => response.status(), headers: () => response.headers(), text: async () => body };
}

test.describe("bad input over HTTP", () => {
  test("a POST from another site gets a 403 and writes nothing", async ({ request, baseURL }) => {
    const email = unique("origin");
    const form = { email, password: "une phrase de passe", commune: "14366" };
    const refused = await post(request, baseURL!, "/inscription", form, "https://site-malveillant.example");
    expect(refused.status()).toBe(403);
    expect(await refused.text()).toContain("Requête refusée");
    const noOrigin = await request.post("/inscription", { form, maxRedirects: 0 });
    expect(noOrigin.status()).toBe(403);
    const db = serverDb();
    expect(db.prepare("select count(*) as n from users where email = ?").get(email)).toEqual({ n: 0 });
    db.close();
    // The same request from the site itself goes through.
    const accepted = await post(request, baseURL!, "/inscription", form);
    expect(accepted.status()).toBe(302);
  });

  test("an unknown commune code gets a 400 with a French message", async ({ request, baseURL }) => {
    const response = await post(request, baseURL!, "/inscription", {
      email: unique("commune"),
      password: "une phrase de passe",
      commune: "99999",
    });
    expect(response.status()).toBe(400);
    expect(await response.text()).toContain("Commune inconnue");
  });

  test("extra fields (role, arrondissement) are never applied", async ({ request, baseURL }) => {
    const email = unique("extra");
    const response = await post(request, baseURL!, "/inscription", {
      email,
      password: "une phrase de passe",
      commune: "14366",
      role: "admin",
      arrondissement: "751",
      email_verified_at: "2020-01-01",
    });
    expect(response.status()).toBe(302);
    const db = serverDb();
    const user = db.prepare("select id, commune_code, email_verified_at from users where email = ?").get(email) as {
      id: string;
      commune_code: string;
      email_verified_at: string | null;
    };
    expect(user.commune_code).toBe("14366");
    expect(user.email_verified_at).toBeNull();
    expect(db.prepare("select role from user_roles where user_id = ?").all(user.id)).toEqual([{ role: "resident" }]);
    db.close();
  });

  test("a duplicate e-mail gets the same answer as a new one (finding 6)", async ({ request, baseURL }) => {
    const email = unique("dup");
    const form = { email, password: "une phrase de passe", commune: "14366" };
    const first = await post(request, baseURL!, "/inscription", form);
    const again = await post(request, baseURL!, "/inscription", { ...form, password: "une autre phrase de passe" });
    expect(again.status()).toBe(first.status());
    expect(again.headers()["location"]).toBe(first.headers()["location"]);
    expect(await again.text()).not.toContain("Un compte existe peut-être déjà");
  });

  test("6 failed logins for one account from one network within a minute: 429 with a wait message", async ({
    request,
    baseURL,
  }) => {
    const email = unique("brute");
    await post(request, baseURL!, "/inscription", { email, password: "une phrase de passe", commune: "14366" });
    for (let i = 0; i < 5; i++) {
      const failed = await post(request, baseURL!, "/connexion", { email, password: `mauvais ${i}` });
      expect(failed.status()).toBe(400);
      expect(await failed.text()).toContain("Adresse électronique ou mot de passe incorrect");
    }
    // Even the right password waits now.
    const blocked = await post(request, baseURL!, "/connexion", { email, password: "une phrase de passe" });
    expect(blocked.status()).toBe(429);
    expect(Number(blocked.headers()["retry-after"])).toBeGreaterThan(0);
    expect(await blocked.text()).toMatch(/Réessayez dans \d+ secondes/);
    // Another address is not affected.
    const other = await post(request, baseURL!, "/connexion", { email: unique("other"), password: "x" });
    expect(other.status()).toBe(400);
  });

  test("an expired or reused verification link: clear page, nothing changed", async ({ request, baseURL }) => {
    const bad = await request.get("/verification?token=inconnu");
    expect(bad.status()).toBe(400);
    expect(await bad.text()).toContain("n’est pas valide");
    const post1 = await post(request, baseURL!, "/verification", { token: "inconnu" });
    expect(post1.status()).toBe(400);
  });

  test("logging out takes a POST; GET gets a 405", async ({ request }) => {
    const response = await request.get("/deconnexion");
    expect(response.status()).toBe(405);
  });

  test("unknown pages are 404 in the site's look", async ({ request }) => {
    const response = await request.get("/cette-page-n-existe-pas");
    expect(response.status()).toBe(404);
    const html = await response.text();
    expect(html).toContain("Page non trouvée");
    expect(html).toContain("Priorités Santé");
  });

  test("the results API answers JSON, refuses live results to the public, and says why", async ({ request }) => {
    const live = await request.get("/api/v1/consultations/normandie-cnr-sante-2022/results?territory=cts:14");
    expect(live.status()).toBe(403);
    expect(live.headers()["content-type"]).toContain("application/json");
    expect((await live.json()).error).toMatch(/pas encore publiés/);
    const unknown = await request.get("/api/v1/consultations/inconnue/results");
    expect(unknown.status()).toBe(404);
    expect((await unknown.json()).error).toBe("Consultation inconnue.");
    const malformed = await request.get("/api/v1/consultations/normandie-cnr-sante-2022/results?territory=pays:fr");
    expect(malformed.status()).toBe(400);
  });
});
