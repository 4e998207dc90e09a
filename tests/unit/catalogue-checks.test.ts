/**
 * The three checks of `catalogue-checks.ts` catch what they are for: each is run on a copy of the
 * shipped catalogue, written to a temporary folder and broken on purpose, and must name the entry
 * it was broken at. (On the shipped files they pass: `catalogue-fidelity.test.ts`.)
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, expect, it } from "vitest";
import { consultationFileSchema, type ConsultationFile } from "../../app/catalogue/catalogue-schema";
import { coverageProblems, expectedLists, sectionProblems, wordingProblems, type Catalogue } from "./catalogue-checks";
import { catalogueDir, catalogueFiles } from "./catalogue-fidelity";
import { describeWithSources } from "./catalogue-sources";

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "catalogue-casse-"));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

/** A copy of the shipped catalogue, changed by `breakIt`, written to its own folder and read back from there. */
function brokenCopy(label: string, breakIt: (files: Map<string, ConsultationFile>) => void): Catalogue {
  const dir = path.join(tmp, label);
  fs.mkdirSync(dir);
  const files = new Map(
    catalogueFiles(catalogueDir).map(({ name, data }) => [name, consultationFileSchema.parse(data)] as const),
  );
  breakIt(files);
  for (const [name, data] of files) fs.writeFileSync(path.join(dir, name), JSON.stringify(data, null, 2));
  return catalogueFiles(dir).map(({ name, data }) => ({ name, data: consultationFileSchema.parse(data) }));
}

function entry(files: Map<string, ConsultationFile>, file: string, slug: string) {
  const found = files.get(file)?.proposals.find((p) => p.slug === slug);
  if (!found) throw new Error(`${file} : ${slug} introuvable`);
  return found;
}

describeWithSources("fidélité du catalogue : les contrôles échouent sur une copie cassée", () => {
  it("coverage fails when an entry is deleted", () => {
    const catalogue = brokenCopy("supprimee", (files) => {
      const normandie = files.get("normandie.json")!;
      normandie.proposals = normandie.proposals.filter(
        (p) => p.slug !== "pouvoir-prescrire-gratuitement-de-la-nourriture-saine-fruits-et-legumes",
      );
    });
    const problems = coverageProblems(catalogue, expectedLists());
    expect(problems).toEqual([
      expect.stringMatching(
        /^004_6b0e1e4a41bafabe\.txt l\. 703-703 « • Pouvoir prescrire de la nourriture saine .* absente du catalogue$/,
      ),
    ]);
  });

  it("wording fails on a reversed title, an invented title and lines that do not exist", () => {
    const catalogue = brokenCopy("titres", (files) => {
      entry(files, "normandie.json", "pouvoir-prescrire-gratuitement-de-la-nourriture-saine-fruits-et-legumes").title =
        "Ne pas prescrire de nourriture saine gratuite";
      entry(
        files,
        "nouvelle-aquitaine.json",
        "simplifier-l-installation-des-medecins-etrangers-dans-les-territoires-sous",
      ).title = "Interdire l’installation des médecins étrangers";
      entry(files, "centre-val-de-loire.json", "creer-une-agence-de-la-prevention-en-loir-et-cher").title =
        "Ouvrir une faculté de médecine à Blois";
      entry(
        files,
        "ile-de-france-cts78.json",
        "augmenter-le-nombre-de-places-en-formation-medicale",
      ).sources[0]!.lines = [9000, 9001];
    });
    const problems = wordingProblems(catalogue);
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^pouvoir-prescrire-gratuitement.*« pas » n’est pas dans les lignes citées$/),
        expect.stringMatching(
          /^simplifier-l-installation-des-medecins-etrangers.*« interdi » n’est pas dans les lignes citées$/,
        ),
        expect.stringMatching(
          /^creer-une-agence-de-la-prevention-en-loir-et-cher.*absents des lignes citées : .*faculte/,
        ),
        expect.stringMatching(/^augmenter-le-nombre-de-places-en-formation-medicale : .* l\. 9000-9001 n’existe pas/),
      ]),
    );
    expect(problems).toHaveLength(4);
  });

  it("territory and theme fail on a wrong theme, a wrong département and a missing one", () => {
    const catalogue = brokenCopy("territoire", (files) => {
      entry(files, "normandie.json", "pouvoir-prescrire-gratuitement-de-la-nourriture-saine-fruits-et-legumes").theme =
        "access";
      entry(
        files,
        "centre-val-de-loire.json",
        "creer-une-agence-de-la-prevention-en-loir-et-cher",
      ).sources[0]!.departement = "36";
      entry(
        files,
        "centre-val-de-loire.json",
        "creer-un-guichet-unique-d-accueil-pour-les-professionnels-de-sante",
      ).sources[0]!.departement = null;
    });
    expect(sectionProblems(catalogue)).toEqual([
      expect.stringMatching(
        /^creer-un-guichet-unique-d-accueil.* nomment le département 18, l’entrée ne le donne pas$/,
      ),
      expect.stringMatching(
        /^creer-une-agence-de-la-prevention-en-loir-et-cher.* département 36, que les lignes citées ne nomment pas$/,
      ),
      expect.stringMatching(
        /^creer-une-agence-de-la-prevention-en-loir-et-cher.* nomment le département 41, l’entrée ne le donne pas$/,
      ),
      expect.stringMatching(
        /^pouvoir-prescrire-gratuitement.* thème access, mais le rapport l’imprime sous « FAIRE ENTRER LA PRÉVENTION/,
      ),
    ]);
  });
});
