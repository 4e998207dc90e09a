import { describe, expect, it } from "vitest";
import {
  checkPasswordStrength,
  MIN_PASSWORD_SCORE,
  STRENGTH_CHECKED_LENGTH,
} from "../../app/identity/password-strength.server";

// Finding 5 of the security probe: these were accepted by the old top-10 000 list.
const PROBED = ["motdepasse", "motdepasse1", "Azertyuiop1", "aaaaaaaaaa", "0000000000", "soleil1234", "Password1!"];

describe("password strength (zxcvbn-ts, French dictionary, site words, the person's e-mail)", () => {
  it("refuses the common French passwords the probe got accepted, saying why in French", async () => {
    for (const password of PROBED) {
      const verdict = await checkPasswordStrength(password);
      expect(verdict.ok, password).toBe(false);
      if (!verdict.ok) {
        expect(verdict.score).toBeLessThan(MIN_PASSWORD_SCORE);
        expect(verdict.message).toMatch(/^Ce mot de passe est trop facile à deviner \(force estimée \d sur 4/);
      }
    }
  });

  it("refuses the site's name, with or without accents and spaces", async () => {
    for (const password of ["Priorités Santé", "prioritessante", "PrioritesSante", "priorites-sante"]) {
      expect((await checkPasswordStrength(password)).ok, password).toBe(false);
    }
  });

  it("refuses a password built on the person's own e-mail address", async () => {
    const email = "marie.dupont@exemple.fr";
    expect((await checkPasswordStrength("marie.dupont2026", { email })).ok).toBe(false);
    expect((await checkPasswordStrength("dupontmarie14", { email })).ok).toBe(false);
  });

  it("accepts passphrases", async () => {
    for (const password of ["une phrase de passe", "cheval agrafe batterie correcte", "nouvelle phrase secrète"]) {
      expect((await checkPasswordStrength(password, { email: "a@exemple.fr" })).ok, password).toBe(true);
    }
  });

  it("estimates only the first 64 characters (a long input is judged on them)", async () => {
    expect(STRENGTH_CHECKED_LENGTH).toBe(64);
    // Weak start, strong tail beyond 64: judged weak — the tail is not looked at.
    expect((await checkPasswordStrength("a".repeat(64) + "cheval agrafe batterie correcte")).ok).toBe(false);
    expect((await checkPasswordStrength("0".repeat(200))).ok).toBe(false);
  });
});
