import { createRequire } from "node:module";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DatabaseHandle } from "../../db/connect";
import { loadTerritories } from "../../db/territories/load";
import { ofPlace } from "../../app/ui/place-names";
import { testDatabases } from "../support/databases";

// Issue 17, point 3: "arrondissement de Évreux". INSEE gives each name its "type de liaison"
// (0 de, 1 d’, 2 du, 3 de la, 4 des, 5 de l’); the helper, which sees only the name, must agree
// with it on every arrondissement the database holds.
const require = createRequire(import.meta.url);
type Coded = { code: string; nom: string; typeLiaison: number };
const official = new Map<string, Coded>(
  [
    // Mayotte has no arrondissement: the département stands for it. Arrondissements come last, so
    // the arrondissement of Vienne is not read as the département of la Vienne.
    ...(require("@etalab/decoupage-administratif/data/departements.json") as Coded[]),
    ...(require("@etalab/decoupage-administratif/data/arrondissements.json") as Coded[]),
  ].map((t) => [t.nom, t]),
);

function expected({ nom, typeLiaison }: Coded): string {
  const rest = nom.replace(/^(Les |Le |La |L')/, "");
  switch (typeLiaison) {
    case 0:
      return `de ${nom}`;
    case 1:
      return `d’${nom}`;
    case 2:
      return `du ${rest}`;
    case 3:
      return `de La ${rest}`;
    case 4:
      return `des ${rest}`;
    case 5:
      return `de L’${rest}`;
    default:
      throw new Error(`type de liaison ${typeLiaison} for ${nom}`);
  }
}

describe.each(testDatabases)("place names after « de » on $name", ({ open }) => {
  let h: DatabaseHandle;
  beforeAll(async () => {
    h = await open();
    await loadTerritories(h.db);
  }, 120_000);
  afterAll(async () => h?.close());

  it("agrees with INSEE on every arrondissement in the database", async () => {
    const rows = await h.db.selectFrom("arrondissements").select(["code", "name"]).execute();
    expect(rows.length).toBe(334);
    const wrong = rows
      .map((r) => {
        const coded = official.get(r.name);
        if (!coded) return `${r.code} ${r.name}: not in the package`;
        const want = expected(coded);
        return ofPlace(r.name) === want ? null : `${r.name}: ${ofPlace(r.name)} ≠ ${want}`;
      })
      .filter(Boolean);
    expect(wrong).toEqual([]);
    // Every kind of liaison is met, so none is left untested.
    const kinds = new Set(rows.map((r) => official.get(r.name)!.typeLiaison));
    expect([...kinds].sort()).toEqual([0, 1, 2, 3, 4, 5]);
  });

  it("reads as French on the usual cases", () => {
    expect(
      [
        "Évreux",
        "Le Havre",
        "Les Andelys",
        "La Rochelle",
        "L'Haÿ-les-Roses",
        "Lisieux",
        "Haguenau-Wissembourg",
        "Yssingeaux",
      ].map(ofPlace),
    ).toEqual([
      "d’Évreux",
      "du Havre",
      "des Andelys",
      "de La Rochelle",
      "de L’Haÿ-les-Roses",
      "de Lisieux",
      "de Haguenau-Wissembourg",
      "d’Yssingeaux",
    ]);
  });
});
