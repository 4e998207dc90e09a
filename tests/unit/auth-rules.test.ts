import { describe, expect, it } from "vitest";
import { safeRedirect, signupSchema } from "../../app/identity/forms";

describe("password rules", () => {
  it("needs 10 characters and no composition rule", () => {
    const base = { email: "a@b.fr", commune: "14366" };
    expect(signupSchema.safeParse({ ...base, password: "court" }).success).toBe(false);
    expect(signupSchema.safeParse({ ...base, password: "seulement des lettres" }).success).toBe(true);
  });
});

describe("sign-up form", () => {
  it("normalises the email and drops fields it does not know (role, arrondissement)", () => {
    const parsed = signupSchema.parse({
      email: "  Marie@Exemple.FR ",
      password: "une phrase de passe",
      commune: "14366",
      role: "admin",
      arrondissement: "751",
    });
    expect(parsed).toEqual({ email: "marie@exemple.fr", password: "une phrase de passe", commune: "14366" });
  });

  it("accepts Corsican commune codes and refuses anything else", () => {
    const base = { email: "a@b.fr", password: "une phrase de passe" };
    expect(signupSchema.safeParse({ ...base, commune: "2A004" }).success).toBe(true);
    expect(signupSchema.safeParse({ ...base, commune: "14366; drop table users" }).success).toBe(false);
  });
});

describe("safeRedirect", () => {
  it("keeps paths on this site only", () => {
    expect(safeRedirect("/mon-compte?x=1")).toBe("/mon-compte?x=1");
    expect(safeRedirect("//evil.example")).toBe("/");
    expect(safeRedirect("/\\evil.example")).toBe("/");
    expect(safeRedirect("https://evil.example")).toBe("/");
    expect(safeRedirect(null, "/x")).toBe("/x");
  });

  // Finding 1 of the security probe: `/\t/evil.example` passed the old prefix checks.
  it("refuses the open-redirect bypass list (whitespace, backslashes, encoded slashes, @, schemes)", () => {
    const bypasses = [
      "/\t/evil.example/x",
      "/\n/evil.example",
      "/\r/evil.example",
      "\t//evil.example",
      " //evil.example",
      "/\\evil.example",
      "\\\\evil.example",
      "/\\/evil.example",
      "//evil.example",
      "///evil.example",
      "https:evil.example",
      "https://evil.example",
      "//user@evil.example",
      "/@evil.example/../..//evil.example",
      "data:text/html,<script>alert(1)</script>",
      "javascript:alert(1)",
      "JaVaScRiPt:alert(1)",
      "/\u0000/evil.example",
    ];
    for (const target of bypasses) {
      const kept = safeRedirect(target, "/mon-compte");
      expect(new URL(kept, "https://ici.example").origin, target).toBe("https://ici.example");
      expect(kept.startsWith("//") || kept.startsWith("/\\"), target).toBe(false);
    }
    expect(safeRedirect("/\t/evil.example/x", "/mon-compte")).toBe("/mon-compte");
    // Encoded slashes stay encoded: a path segment, not a host.
    expect(safeRedirect("/%2F%2Fevil.example")).toBe("/%2F%2Fevil.example");
    expect(safeRedirect("/consultations/x?y=1#commentaires")).toBe("/consultations/x?y=1#commentaires");
  });
});
