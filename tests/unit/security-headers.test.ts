import type { AddressInfo } from "node:net";
import express from "express";
import { describe, expect, it } from "vitest";
import { securityHeaders } from "../../app/platform/headers.server";

// The header middleware on a bare Express app: defaults, a route's own header winning, no-store
// once a user is signed in, HSTS only over https.

async function serve(publicUrl: string) {
  const app = express();
  app.use(securityHeaders({ publicUrl }));
  app.get("/public", (_req, res) => res.set("Cache-Control", "public, max-age=60").send("ok"));
  app.get("/signed-in", (_req, res) => {
    res.locals.auth = { user: { id: "u1" } };
    res.set("Cache-Control", "private, max-age=60").send("ok");
  });
  app.get("/own-csp", (_req, res) => res.set("Content-Security-Policy", "default-src 'none'; sandbox").send("ok"));
  app.get("/nonce", (_req, res) => res.send(String(res.locals.cspNonce)));
  const server = app.listen(0, "127.0.0.1");
  await new Promise((r) => server.once("listening", r));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { get: (path: string) => fetch(`${base}${path}`), close: () => new Promise((r) => server.close(r)) };
}

describe("securityHeaders", () => {
  it("sets the defaults, keeps a route's stricter CSP, forces no-store when signed in", async () => {
    const s = await serve("http://localhost:3000");
    try {
      const page = await s.get("/public");
      const csp = page.headers.get("content-security-policy")!;
      expect(csp).toMatch(/script-src 'self' 'nonce-[A-Za-z0-9+/=]{24}'/);
      expect(csp).not.toContain("unsafe");
      expect(csp).toContain("frame-ancestors 'none'");
      expect(page.headers.get("x-content-type-options")).toBe("nosniff");
      expect(page.headers.get("referrer-policy")).toBe("strict-origin-when-cross-origin");
      expect(page.headers.get("strict-transport-security")).toBeNull();
      expect(page.headers.get("cache-control")).toBe("public, max-age=60");

      expect((await s.get("/signed-in")).headers.get("cache-control")).toBe("no-store");
      expect((await s.get("/own-csp")).headers.get("content-security-policy")).toBe("default-src 'none'; sandbox");

      const nonce = await (await s.get("/nonce")).text();
      const other = await (await s.get("/nonce")).text();
      expect(nonce).not.toBe(other);
    } finally {
      await s.close();
    }
  });

  it("promises HSTS only when the public address is https", async () => {
    const s = await serve("https://priorites-sante.example");
    try {
      expect((await s.get("/public")).headers.get("strict-transport-security")).toBe(
        "max-age=31536000; includeSubDomains",
      );
    } finally {
      await s.close();
    }
  });
});
