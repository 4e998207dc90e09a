import { describe, expect, it } from "vitest";
import { firstUses } from "../../app/catalogue/annotated-text";
import { proposalSearchText, searchPatterns } from "../../app/catalogue/search";
import { GLOSSARY } from "../../app/catalogue/glossary";

const glossary = [
  { abbr: "IDE", expansion: "infirmier diplômé d’État" },
  { abbr: "IDEL", expansion: "infirmier diplômé d’État libéral" },
  { abbr: "IPA", expansion: "infirmier en pratique avancée", aliases: ["infirmière en pratique avancée"] },
];

describe("abbreviations in proposal texts", () => {
  it("marks each abbreviation once, at its first whole-word use, longest first", () => {
    const marks = firstUses("Les IDEL et les IPA. Une IPA, un IDE. Pas dans RAPIDE.", glossary);
    expect(marks.map((m) => [m.entry.abbr, m.start])).toEqual([
      ["IDEL", 4],
      ["IPA", 16],
      ["IDE", 33],
    ]);
  });
});

describe("search text", () => {
  it("adds both forms of a glossary term used in either form", () => {
    const text = proposalSearchText(["Former des infirmières en pratique avancée"], glossary);
    expect(text).toContain(" ipa ");
    expect(text.startsWith(" ")).toBe(true);
    expect(proposalSearchText(["Rien à voir"], glossary)).not.toContain("ipa");
  });

  it("turns a query into word-start patterns with no wildcard from the user", () => {
    expect(searchPatterns("Médecin  traitant")).toEqual(["% medecin%", "% traitant%"]);
    expect(searchPatterns("100%_ ' or 1=1")).toEqual(["% 100%", "% or%", "% 1%"]);
    expect(searchPatterns("Médecins généralistes")).toEqual(["% medecin%", "% generaliste%"]);
    expect(searchPatterns("un deux trois quatre cinq six sept huit neuf dix")).toHaveLength(8);
  });
});

describe("glossary matching on cards and pages", () => {
  it("finds a sigle of four letters or more in a capitalised or accented form, never in lower case", () => {
    const terms = [
      { abbr: "ASALEE", expansion: "Action de santé libérale en équipe" },
      { abbr: "OSyS", expansion: "orientation dans le système de soins" },
      { abbr: "CAPS", expansion: "centre d’accueil et de permanence des soins" },
      { abbr: "MES", expansion: "Mon espace santé" },
    ];
    const text = "Des infirmières Asalée, le projet OSYS, des caps à franchir et mes soins.";
    expect(firstUses(text, terms).map((m) => [m.entry.abbr, text.slice(m.start, m.end)])).toEqual([
      ["ASALEE", "Asalée"],
      ["OSyS", "OSYS"],
    ]);
  });

  it("explains OSAT, CAPS and OSyS", () => {
    for (const abbr of ["OSAT", "CAPS", "OSyS"]) expect(GLOSSARY.some((t) => t.abbr === abbr)).toBe(true);
  });
});
