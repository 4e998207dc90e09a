import { describe, expect, it } from "vitest";
import { safeRedirect, signupSchema } from "../../app/identity/forms";
import { isCommonPassword } from "../../app/identity/password.server";

describe("password rules", () => {
  it("refuses the most common passwords whatever their case, and nothing else", () => {
    for (const p of ["password", "qwertyuiop", "1234567890", "Password123", "BASKETBALL"])
      expect(isCommonPassword(p)).toBe(true);
    expect(isCommonPassword("cheval agrafe batterie correcte")).toBe(false);
  });

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
});
