import { createSign, generateKeyPairSync, type KeyObject } from "node:crypto";
import http from "node:http";
import type { AddressInfo } from "node:net";
import Provider, { type Context } from "oidc-provider";

// A local OpenID provider standing in for FranceConnect (which is not reachable from here):
// panva's oidc-provider on 127.0.0.1 with a random port, one confidential client, and accounts
// whose claims the test chooses. Its development login form takes any login (the account id)
// and any password; consent is given in advance for the client.

export const CLIENT_ID = "priorites-sante";
export const CLIENT_SECRET = "secret-de-test-franceconnect-0123456789";

export interface TestAccount {
  email: string;
  email_verified?: boolean;
}

export interface LocalProvider {
  issuer: string;
  /** The provider's signing key (to forge tokens it would have signed). */
  privateKey: KeyObject;
  kid: string;
  accounts: Map<string, TestAccount>;
  stop(): Promise<void>;
}

export async function startOidcProvider(options: { redirectUris: string[]; port?: number }): Promise<LocalProvider> {
  const { privateKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
  const kid = `test-${Math.random().toString(36).slice(2)}`;
  const jwk = { ...privateKey.export({ format: "jwk" }), kid, use: "sig", alg: "RS256" };
  const accounts = new Map<string, TestAccount>();
  const server = http.createServer();
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, "127.0.0.1", resolve));
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const provider = new Provider(issuer, {
    clients: [
      {
        client_id: CLIENT_ID,
        client_secret: CLIENT_SECRET,
        redirect_uris: options.redirectUris,
        token_endpoint_auth_method: "client_secret_post",
      },
    ],
    jwks: { keys: [jwk as never] },
    claims: { openid: ["sub"], email: ["email", "email_verified"] },
    pkce: { required: () => true },
    cookies: { keys: ["cle-de-test-des-cookies"] },
    async findAccount(_ctx: Context, id: string) {
      return {
        accountId: id,
        async claims() {
          const account = accounts.get(id) ?? { email: `${id}@exemple.fr` };
          return { sub: id, email: account.email, email_verified: account.email_verified ?? true };
        },
      };
    },
    // First-party client: consent is taken as given, the login form is the only step.
    async loadExistingGrant(ctx: Context) {
      const grant = new ctx.oidc.provider.Grant({
        clientId: ctx.oidc.client!.clientId,
        accountId: ctx.oidc.session!.accountId!,
      });
      grant.addOIDCScope("openid email");
      await grant.save();
      return grant;
    },
  });
  server.on("request", provider.callback());
  return {
    issuer,
    privateKey,
    kid,
    accounts,
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/**
 * Goes through the provider's login form as `login` would in a browser (cookies kept), and
 * returns the URL the provider sends the browser back to (the site's callback with code and state).
 */
export async function signInAtProvider(authorizationUrl: string, login: string): Promise<URL> {
  const jar = new Map<string, string>();
  const cookieHeader = () => [...jar].map(([k, v]) => `${k}=${v}`).join("; ");
  const keep = (response: Response) => {
    for (const c of response.headers.getSetCookie()) {
      const [pair] = c.split(";");
      const at = pair!.indexOf("=");
      jar.set(pair!.slice(0, at), pair!.slice(at + 1));
    }
  };
  let url = new URL(authorizationUrl);
  let body: URLSearchParams | undefined;
  for (let hops = 0; hops < 10; hops++) {
    const response = await fetch(url, {
      method: body ? "POST" : "GET",
      body,
      headers: { cookie: cookieHeader(), ...(body ? { "content-type": "application/x-www-form-urlencoded" } : {}) },
      redirect: "manual",
    });
    keep(response);
    body = undefined;
    const location = response.headers.get("location");
    if (location) {
      const next = new URL(location, url);
      if (next.origin !== url.origin && next.origin !== new URL(authorizationUrl).origin) return next;
      url = next;
      continue;
    }
    const html = await response.text();
    const action = /<form[^>]*action="([^"]+)"/.exec(html)?.[1];
    if (!action || !/name="login"/.test(html))
      throw new Error(`unexpected provider page (${response.status}): ${html.slice(0, 300)}`);
    url = new URL(action.replace(/&amp;/g, "&"), url);
    body = new URLSearchParams({ prompt: "login", login, password: "n-importe-lequel" });
  }
  throw new Error("too many redirects at the provider");
}

/** A JWT signed RS256 with `key` (to forge an ID token). */
export function signJwt(payload: Record<string, unknown>, key: KeyObject, kid: string): string {
  const part = (o: object) => Buffer.from(JSON.stringify(o)).toString("base64url");
  const input = `${part({ alg: "RS256", kid, typ: "JWT" })}.${part(payload)}`;
  const signature = createSign("RSA-SHA256").update(input).sign(key).toString("base64url");
  return `${input}.${signature}`;
}

export function decodeJwt(token: string): Record<string, unknown> {
  return JSON.parse(Buffer.from(token.split(".")[1]!, "base64url").toString()) as Record<string, unknown>;
}
