import { describe, expect, it } from "vitest";
import {
  TallyInputError,
  aggregateBallots,
  aggregatesFromRows,
  ballotsByArrondissement,
  explanation,
  isSmallGroup,
  participation,
  smallGroupLabel,
  tally,
  type Ballot,
} from "../../app/tally";

describe("kept counts", () => {
  it("aggregates ballots per arrondissement and proposal, one cell per grade or place", () => {
    const ballots: Ballot<"ranked">[] = [
      { arrondissement: "142", content: { order: ["B", "A"] } },
      { arrondissement: "141", content: { order: ["A"] } },
      { arrondissement: "141", content: { order: [] } },
    ];
    expect(aggregateBallots("ranked", ["A", "B"], ballots, { k: 2 })).toEqual({
      method: "ranked",
      cells: 2,
      arrondissements: {
        "141": { ballots: 2, counts: { A: [1, 0] } },
        "142": { ballots: 1, counts: { A: [0, 1], B: [1, 0] } },
      },
    });
  });

  it("builds them from database rows (grades by name, places from 1), adding rows with the same key", () => {
    const aggregates = aggregatesFromRows({
      method: "majority_judgment",
      ballots: { "141": 3, "142": 0 },
      rows: [
        { proposal: "A", arrondissement: "141", cell: "prioritaire", count: 2 },
        { proposal: "A", arrondissement: "141", cell: "prioritaire", count: 1 },
        { proposal: "B", arrondissement: "141", cell: 0, count: 1 },
      ],
    });
    expect(aggregates).toEqual({
      method: "majority_judgment",
      cells: 5,
      arrondissements: {
        "141": { ballots: 3, counts: { A: [0, 0, 3, 0, 0], B: [1, 0, 0, 0, 0] } },
        "142": { ballots: 0, counts: {} },
      },
    });
    const ranked = aggregatesFromRows({
      method: "ranked",
      params: { k: 3 },
      ballots: { "141": 1 },
      rows: [{ proposal: "A", arrondissement: "141", cell: 3, count: 1 }],
    });
    expect(ranked.arrondissements["141"]!.counts.A).toEqual([0, 0, 1]);
    expect(() =>
      aggregatesFromRows({
        method: "ranked",
        params: { k: 3 },
        ballots: { "141": 1 },
        rows: [{ proposal: "A", arrondissement: "141", cell: 4, count: 1 }],
      }),
    ).toThrow("Case inconnue");
    expect(() =>
      aggregatesFromRows({
        method: "approval",
        ballots: {},
        rows: [{ proposal: "A", arrondissement: "141", cell: 0, count: 1 }],
      }),
    ).toThrow("sans nombre de bulletins");
  });

  it("refuses counts that cannot come from ballots, or from another method or K", () => {
    const corrupt = {
      method: "approval" as const,
      cells: 1,
      arrondissements: { "141": { ballots: 2, counts: { A: [3] } } },
    };
    expect(() => tally({ method: "approval", proposals: ["A"], aggregates: corrupt })).toThrow(
      "Plus de comptes que de bulletins",
    );
    const ranked3 = aggregateBallots("ranked", ["A"], [{ arrondissement: "141", content: { order: ["A"] } }], { k: 3 });
    expect(() => tally({ method: "ranked", proposals: ["A"], aggregates: ranked3 })).toThrow(
      "3 cases par proposition, 5 attendues",
    );
    expect(
      tally({ method: "ranked", proposals: ["A"], aggregates: ranked3, params: { k: 3 } }).ranking[0],
    ).toMatchObject({ points: 3, score: 3 });
    const mj = aggregateBallots("majority_judgment", ["A"], []);
    expect(() => tally({ method: "approval", proposals: ["A"], aggregates: mj as never })).toThrow(
      "Agrégats de la méthode majority_judgment",
    );
  });
});

describe("inputs the tally refuses", () => {
  const ballots: Ballot<"approval">[] = [
    { arrondissement: "141", content: { selections: ["A"] } },
    { arrondissement: "2A1", content: { selections: [] } },
  ];
  it("weighting without the population of an arrondissement that has ballots", () => {
    expect(() =>
      tally({ method: "approval", proposals: ["A"], ballots, weighting: "population", populations: { "141": 10 } }),
    ).toThrow("Population manquante ou invalide pour les arrondissements ayant des bulletins : 2A1.");
    expect(() =>
      tally({
        method: "approval",
        proposals: ["A"],
        ballots,
        weighting: "population",
        populations: { "141": 10, "2A1": 0 },
      }),
    ).toThrow(TallyInputError);
  });

  it("a proposal listed twice, K or a quorum that is not a whole number, an unknown weighting", () => {
    expect(() => tally({ method: "approval", proposals: ["A", "A"], ballots })).toThrow("Proposition en double");
    expect(() => tally({ method: "approval", proposals: ["A"], ballots, params: { k: 0 } })).toThrow(
      "K doit être un entier positif",
    );
    expect(() =>
      tally({ method: "majority_judgment", proposals: ["A"], ballots: [], params: { quorum: 2.5 } }),
    ).toThrow("quorum");
    expect(() => tally({ method: "approval", proposals: ["A"], ballots, weighting: "pondéré" as never })).toThrow(
      "Pondération inconnue",
    );
  });

  it("a ballot without arrondissement or with the wrong content", () => {
    expect(() =>
      tally({ method: "approval", proposals: ["A"], ballots: [{ arrondissement: "", content: { selections: [] } }] }),
    ).toThrow("sans arrondissement");
    expect(() =>
      tally({
        method: "ranked",
        proposals: ["A"],
        ballots: [{ arrondissement: "141", content: { selections: ["A"] } } as never],
      }),
    ).toThrow("sans ordre");
  });
});

describe("explanations", () => {
  it("say in one sentence how ranks were decided, for each method and weighting", () => {
    const rules = { k: 5, quorum: 10 };
    expect(explanation("majority_judgment", "raw", rules)).toBe(
      "Classement par mention majoritaire ; à mention égale, une proposition dont la part d’avis meilleurs que sa mention dépasse la part d’avis moins bons passe devant les autres, puis, entre deux qui la dépassent, la plus grande part d’avis meilleurs l’emporte et, entre deux qui ne la dépassent pas, la plus petite part d’avis moins bons ; les propositions ayant moins de 10 avis ne sont pas classées (« pas assez d’avis ») et les ex æquo exacts partagent le même rang.",
    );
    expect(explanation("majority_judgment", "population", { k: 5, quorum: 1 })).toMatch(
      /^Classement par mention majoritaire pondérée \(chaque bulletin comptant .*les propositions sans avis ne sont pas classées/,
    );
    expect(explanation("ranked", "raw", { k: 1, quorum: 10 })).toContain("(la 1re place vaut 1 point)");
    expect(explanation("ranked", "population", { k: 2, quorum: 10 })).toContain(
      "Borda pondérés par unité de poids (la 1re place vaut 2 points, la 2e 1 point)",
    );
    for (const method of ["approval", "majority_judgment", "ranked"] as const) {
      for (const weighting of ["raw", "population"] as const) {
        const sentence = explanation(method, weighting, rules);
        expect(sentence.match(/\./g)?.length, sentence).toBe(1); // one sentence
        expect(sentence).toContain("les ex æquo exacts partagent le même rang");
      }
    }
  });
});

describe("small groups and participation", () => {
  it("flags fewer than 10 ballots (or the configured threshold) as a small group", () => {
    expect(isSmallGroup(9)).toBe(true);
    expect(isSmallGroup(10)).toBe(false);
    expect(isSmallGroup(0)).toBe(true);
    expect(isSmallGroup(new Array(12).fill({}), 15)).toBe(true);
    expect(isSmallGroup(new Array(15).fill({}), 15)).toBe(false);
    expect(smallGroupLabel()).toBe("moins de 10 votants");
    expect(smallGroupLabel(5)).toBe("moins de 5 votants");
  });

  it("computes participation = ballots / population for every arrondissement of the territory, and any with ballots", () => {
    const counts = ballotsByArrondissement([
      { arrondissement: "141" },
      { arrondissement: "141" },
      { arrondissement: "999" },
    ]);
    expect(counts).toEqual({ "141": 2, "999": 1 });
    expect(participation(counts, { "142": 500, "141": 1000 })).toEqual([
      { arrondissement: "141", ballots: 2, population: 1000, rate: 0.002 },
      { arrondissement: "142", ballots: 0, population: 500, rate: 0 },
      { arrondissement: "999", ballots: 1, population: null, rate: null },
    ]);
  });
});
