import { describe, expect, it } from "vitest";
import { associationApplicationSchema, displayNameSchema } from "../../app/comments/forms";
import { normalisePublicName, publicNameProblem } from "../../app/identity/public-names";

const displayName = (value: string) => displayNameSchema.safeParse({ intent: "display_name", displayName: value });
const associationName = (value: string) =>
  associationApplicationSchema.shape.name.safeParse(value) as { success: boolean; data?: string; error?: unknown };
const message = (result: { success: boolean; error?: unknown }) =>
  (result.error as { issues: { message: string }[] } | undefined)?.issues[0]?.message ?? "";

// Finding 14 of the security probe: look-alike names were accepted as typed.
describe("public names (display names, association names)", () => {
  it("are NFKC-normalised: full-width and styled letters are stored as plain ones", () => {
    expect(normalisePublicName("Ｃａｍｉｌｌｅ  Ｄ．")).toBe("Camille D.");
    const parsed = displayName("Ｃａｍｉｌｌｅ Ｄ．");
    expect(parsed.success).toBe(true);
    expect(parsed.data?.displayName).toBe("Camille D.");
    expect(associationName("ＡＰＦ France handicap").data).toBe("APF France handicap");
  });

  it("refuse a name mixing look-alike alphabets (a Cyrillic « а » in a Latin name), in French", () => {
    for (const name of ["Cаmille D.", "Mοdération", "Аssociation des patients"]) {
      const result = displayName(name);
      expect(result.success, name).toBe(false);
      expect(message(result)).toMatch(/mélange des alphabets/);
    }
    expect(associationName("Ligue contre le cаncer").success).toBe(false);
    // One alphabet, whichever it is, is fine.
    expect(displayName("Алексей").success).toBe(true);
    expect(displayName("Ελένη Π.").success).toBe(true);
  });

  it("refuse the reserved words, disguised or not, with a French message saying which", () => {
    for (const name of [
      "Administrateur",
      "l'admin",
      "Modération",
      "M0dération du site",
      "ARS Normandie",
      "A.R.S",
      "ＡＲＳ",
      "CTS Calvados",
      "Équipe Priorités Santé",
      "a d m i n i s t r a t e u r",
      "modérateur",
    ]) {
      const result = displayName(name);
      expect(result.success, name).toBe(false);
      expect(message(result), name).toMatch(/ne peut pas contenir « .+ »/);
    }
    expect(associationName("Agence régionale de santé de Normandie").success).toBe(false);
    expect(publicNameProblem("CTS du Calvados", "Le nom de l’association")).toMatch(
      /^Le nom de l’association ne peut pas/,
    );
  });

  it("accept ordinary names, including ones that merely contain a short reserved word", () => {
    for (const name of ["Camille D.", "Mars", "Marsupilami", "Actes Santé", "Éloïse", "Jean-Pierre O'Neil"]) {
      expect(displayName(name).success, name).toBe(true);
    }
    expect(associationName("France Assos Santé Normandie").success).toBe(true);
    expect(associationName("Association des diabétiques du Calvados").success).toBe(true);
  });
});
