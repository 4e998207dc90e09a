import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { copyLoadedSqlite } from "../support/databases";
import {
  CLIENT_ID,
  CLIENT_SECRET,
  signInAtProvider,
  startOidcProvider,
  type LocalProvider,
} from "../support/oidc-provider";
import { freePort, postForm, sessionCookie, startServer, type RunningServer } from "../support/server";

// FranceConnect over HTTP against the built server (SQLite) and a local provider: a new resident
// signs in, creates an account and sees level « Identité »; a forged answer is a French page
// with no session.

describe("FranceConnect pages over HTTP (built server, SQLite)", () => {
  let provider: LocalProvider;
  let server: RunningServer;
  let dir: string;
  beforeAll(async () => {
    const port = await freePort();
    provider = await startOidcProvider({ redirectUris: [`http://127.0.0.1:${port}/franceconnect/retour`] });
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "ps-fc-"));
    const file = path.join(dir, "fc.sqlite");
    copyLoadedSqlite(file);
    server = await startServer({
      port,
      sqliteFile: file,
      env: {
        FRANCECONNECT_ISSUER: provider.issuer,
        FRANCECONNECT_CLIENT_ID: CLIENT_ID,
        FRANCECONNECT_CLIENT_SECRET: CLIENT_SECRET,
      },
    });
  });
  afterAll(async () => {
    await server?.stop();
    await provider?.stop();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  const keyCookie = (response: Response) =>
    response.headers
      .getSetCookie()
      .find((c) => c.startsWith("ps_franceconnect=") && !/Max-Age=0/.test(c))!
      .split(";")[0]!;

  async function start() {
    const response = await postForm(server, "/franceconnect/connexion", { redirectTo: "/mon-compte" });
    expect(response.status).toBe(302);
    return { cookie: keyCookie(response), location: response.headers.get("location")! };
  }

  it("shows the button, allows the provider in form-action, and a new resident reaches « Identité »", async () => {
    const login = await fetch(`${server.url}/connexion`);
    expect(await login.text()).toContain("fr-connect");
    expect(login.headers.get("content-security-policy")).toContain(`form-action 'self' ${provider.issuer}`);

    provider.accounts.set("camille", { email: `camille-${Date.now()}@exemple.fr` });
    const { cookie, location } = await start();
    const callback = await signInAtProvider(location, "camille");
    const back = await fetch(callback, { headers: { cookie }, redirect: "manual" });
    expect(back.headers.get("location")).toBe("/franceconnect/rattachement");
    const pending = keyCookie(back);
    const page = await fetch(`${server.url}/franceconnect/rattachement`, { headers: { cookie: pending } });
    expect(await page.text()).toContain("Créer mon compte");
    const created = await postForm(
      server,
      "/franceconnect/rattachement",
      { intent: "create", commune: "76540" },
      {
        cookie: pending,
      },
    );
    expect(created.status).toBe(302);
    const account = await fetch(`${server.url}/mon-compte`, { headers: { cookie: sessionCookie(created) } });
    expect(await account.text()).toMatch(/Niveau de votre compte : <strong>Identité \(FranceConnect\)<\/strong>/);
  });

  it("a forged state: a French page, status 400, no session", async () => {
    const { cookie, location } = await start();
    const callback = await signInAtProvider(location, "dominique");
    callback.searchParams.set("state", "forge");
    const back = await fetch(callback, { headers: { cookie }, redirect: "manual" });
    expect(back.status).toBe(400);
    expect(await back.text()).toContain("n’a pas pu être vérifiée");
    expect(back.headers.getSetCookie().some((c) => /ps_session=[^;]/.test(c))).toBe(false);
    // Sent again: the sign-in was used up by the first answer.
    const again = await fetch(callback, { headers: { cookie }, redirect: "manual" });
    expect(again.status).toBe(400);
  });
});
