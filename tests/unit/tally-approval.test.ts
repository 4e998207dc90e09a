import { describe, expect, it } from "vitest";
import { tally, type ApprovalRow, type Ballot } from "../../app/tally";

const approval = (arrondissement: string, ...selections: string[]): Ballot<"approval"> => ({
  arrondissement,
  content: { selections },
});
const brief = (rows: ApprovalRow[]) => rows.map((r) => [r.proposal, r.rank, r.score]);

describe("approval, worked examples", () => {
  it("scores the share of ballots selecting each proposal; exact ties share a rank (1, 2, 2, 4, 5)", () => {
    // 5 ballots:  A B C | A B | A C | A D | B C
    // A: 4/5 = 0.8   B: 3/5 = 0.6   C: 3/5 = 0.6   D: 1/5 = 0.2   E: 0/5 = 0
    // → A 1, B and C share 2, D 4 (not 3), E 5.
    const ballots = [
      approval("141", "A", "B", "C"),
      approval("141", "A", "B"),
      approval("142", "A", "C"),
      approval("142", "A", "D"),
      approval("143", "B", "C"),
    ];
    // The list is given in reverse so that input order cannot pass for a tie break.
    const result = tally({ method: "approval", proposals: ["E", "D", "C", "B", "A"], ballots });
    expect(brief(result.ranking)).toEqual([
      ["A", 1, 0.8],
      ["B", 2, 0.6],
      ["C", 2, 0.6],
      ["D", 4, 0.2],
      ["E", 5, 0],
    ]);
    expect(result.ranking.map((r) => r.selections)).toEqual([4, 3, 3, 1, 0]);
    expect(result).toMatchObject({ method: "approval", weighting: "raw", ballots: 5, totalWeight: 5, k: 5 });
    expect(result.explanation).toBe(
      "Classement par part des bulletins qui retiennent la proposition ; les ex æquo exacts partagent le même rang.",
    );
  });

  it("weights each ballot by population(a) / ballots(a); arrondissements without ballots weigh nothing", () => {
    // 141: population 1000, 4 ballots → each weighs 250.  142: population 3000, 2 ballots → 1500 each.
    // 143: population 5000, no ballot → weighs nothing. Total weight = 1000 + 3000 = 4000.
    //   141: [A] [A] [A B] [B]     142: [B] [C]
    // Raw:      A 3/6 = 0.5, B 3/6 = 0.5, C 1/6       → A 1, B 1, C 3
    // Weighted: A 3 × 250 = 750 → 750/4000 = 0.1875
    //           B 2 × 250 + 1500 = 2000 → 0.5
    //           C 1500 → 0.375                       → B 1, C 2, A 3
    const ballots = [
      approval("141", "A"),
      approval("141", "A"),
      approval("141", "A", "B"),
      approval("141", "B"),
      approval("142", "B"),
      approval("142", "C"),
    ];
    const populations = { "141": 1000, "142": 3000, "143": 5000 };
    const raw = tally({ method: "approval", proposals: ["A", "B", "C"], ballots, populations });
    expect(brief(raw.ranking)).toEqual([
      ["A", 1, 0.5],
      ["B", 1, 0.5],
      ["C", 3, 1 / 6],
    ]);
    const weighted = tally({
      method: "approval",
      proposals: ["A", "B", "C"],
      ballots,
      weighting: "population",
      populations,
    });
    expect(brief(weighted.ranking)).toEqual([
      ["B", 1, 0.5],
      ["C", 2, 0.375],
      ["A", 3, 0.1875],
    ]);
    expect(weighted.ranking.map((r) => [r.selections, r.weight])).toEqual([
      [3, 2000],
      [1, 1500],
      [3, 750],
    ]);
    expect(weighted).toMatchObject({ ballots: 6, totalWeight: 4000 });
    expect(weighted.explanation).toContain("part pondérée");
    expect(weighted.explanation).toContain("population de son arrondissement divisée par le nombre de bulletins");
  });

  it("ties exactly when weighted sums are equal fractions whose floating-point sums differ (0.1 × 3 vs 0.3)", () => {
    // 141: population 1, 10 ballots → 1/10 each; 142: population 3, 10 ballots → 3/10 each. Total 4.
    // P is selected by 3 ballots of 141: 3/10.  Q by 1 ballot of 142: 3/10.  Equal: shared rank 1.
    // In floating point 0.1 * 3 = 0.30000000000000004 but 0.3 * 1 = 0.3: a float comparison would rank P first.
    expect(0.1 * 3).not.toBe(0.3);
    const ballots = [
      ...Array.from({ length: 10 }, (_, i) => approval("141", ...(i < 3 ? ["P"] : []))),
      ...Array.from({ length: 10 }, (_, i) => approval("142", ...(i < 1 ? ["Q"] : []))),
    ];
    const result = tally({
      method: "approval",
      proposals: ["Q", "P", "R"],
      ballots,
      weighting: "population",
      populations: { "141": 1, "142": 3 },
    });
    expect(result.ranking.map((r) => [r.proposal, r.rank])).toEqual([
      ["P", 1],
      ["Q", 1],
      ["R", 3],
    ]);
    // Tied rows show the same figure.
    expect(result.ranking[0]!.score).toBe(result.ranking[1]!.score);
    expect(result.ranking[0]!.score).toBeCloseTo(0.075, 15);
  });

  it("counts empty ballots in the denominator, ignores ids outside the list, and refuses more than K selections or a proposal twice", () => {
    // 3 ballots: [A, X] [] [A]; X is not ranked here (a withdrawn or filtered proposal): A 2/3, B 0.
    const ballots = [approval("141", "A", "X"), approval("141"), approval("142", "A")];
    const result = tally({ method: "approval", proposals: ["A", "B"], ballots });
    expect(brief(result.ranking)).toEqual([
      ["A", 1, 2 / 3],
      ["B", 2, 0],
    ]);
    expect(() =>
      tally({
        method: "approval",
        proposals: ["A", "B", "C"],
        ballots: [approval("141", "A", "B", "C")],
        params: { k: 2 },
      }),
    ).toThrow("Bulletin avec 3 propositions pour 2 au plus.");
    expect(() => tally({ method: "approval", proposals: ["A"], ballots: [approval("141", "A", "A")] })).toThrow(
      "deux fois",
    );
  });

  it("with no ballot, ranks nobody and divides by nothing", () => {
    for (const weighting of ["raw", "population"] as const) {
      const result = tally({
        method: "approval",
        proposals: ["A", "B"],
        ballots: [],
        weighting,
        populations: { "141": 1000 },
      });
      expect(result).toMatchObject({ ballots: 0, totalWeight: 0 });
      expect(result.ranking).toEqual([
        { proposal: "A", rank: null, status: "no_ballots", score: 0, selections: 0, weight: 0 },
        { proposal: "B", rank: null, status: "no_ballots", score: 0, selections: 0, weight: 0 },
      ]);
    }
  });
});
