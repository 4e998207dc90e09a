import { describe, expect, it } from "vitest";
import { canonicalEmail } from "../../app/identity/email-canonical";

// Finding 3 of issue 14: a+1@…, a+2@… were distinct voter accounts.
describe("canonicalEmail", () => {
  it("folds case, drops a +tag, and the dots of providers that ignore them", () => {
    expect(canonicalEmail("Camille.Durand+vote2@Exemple.fr")).toBe("camille.durand@exemple.fr");
    expect(canonicalEmail("camille.durand+1@gmail.com")).toBe("camilledurand@gmail.com");
    expect(canonicalEmail("C.A.M.I.L.L.E.durand@googlemail.com")).toBe("camilledurand@gmail.com");
    // Elsewhere dots are part of the address.
    expect(canonicalEmail("camille.durand@laposte.net")).not.toBe(canonicalEmail("camilledurand@laposte.net"));
    // A local part that starts with + keeps it (no empty mailbox).
    expect(canonicalEmail("+abc@exemple.fr")).toBe("+abc@exemple.fr");
  });
});
