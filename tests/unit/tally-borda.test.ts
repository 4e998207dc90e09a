import { describe, expect, it } from "vitest";
import { tally, type Ballot, type RankedRow } from "../../app/tally";

const ranked = (arrondissement: string, ...order: string[]): Ballot<"ranked"> => ({
  arrondissement,
  content: { order },
});
const brief = (rows: RankedRow[]) => rows.map((r) => [r.proposal, r.rank, r.points, r.score]);

// 6 ballots, one of them empty:
//   b1 A B C   b2 B A   b3 C A B   b4 D   b5 (empty)   b6 D
const ballots = [
  ranked("141", "A", "B", "C"),
  ranked("141", "B", "A"),
  ranked("142", "C", "A", "B"),
  ranked("142", "D"),
  ranked("142"),
  ranked("143", "D"),
];

describe("ranked (Borda), worked examples", () => {
  it("K = 3: 1st gets 3 points, 2nd 2, 3rd 1; score = points per ballot; exact ties share a rank (1, 2, 2, 4)", () => {
    //        b1  b2  b3  b4  b5  b6   total   /6 ballots
    //   A     3   2   2   .   .   .     7      7/6
    //   B     2   3   1   .   .   .     6      1
    //   C     1   .   3   .   .   .     4      2/3
    //   D     .   .   .   3   .   3     6      1
    // → A 1, B and D share 2, C 4.
    const result = tally({ method: "ranked", proposals: ["D", "C", "B", "A"], ballots, params: { k: 3 } });
    expect(brief(result.ranking)).toEqual([
      ["A", 1, 7, 7 / 6],
      ["B", 2, 6, 1],
      ["D", 2, 6, 1],
      ["C", 4, 4, 4 / 6],
    ]);
    // Places: A is 1st once (b1) and 2nd twice (b2, b3).
    expect(result.ranking[0]!.positions).toEqual([1, 2, 0]);
    expect(result.explanation).toBe(
      "Classement par points de Borda par bulletin (la 1re place vaut 3 points, la 2e 2 points, … la 3e 1 point) ; les ex æquo exacts partagent le même rang.",
    );
  });

  it("K = 5 (the default) gives other points to the same ballots: 5, 4, 3 for the first three places", () => {
    //        b1  b2  b3  b4  b5  b6   total
    //   A     5   4   4   .   .   .    13
    //   B     4   5   3   .   .   .    12
    //   C     3   .   5   .   .   .     8
    //   D     .   .   .   5   .   5    10
    // → A 1, B 2, D 3, C 4: B and D no longer tie.
    const result = tally({ method: "ranked", proposals: ["A", "B", "C", "D"], ballots });
    expect(brief(result.ranking)).toEqual([
      ["A", 1, 13, 13 / 6],
      ["B", 2, 12, 2],
      ["D", 3, 10, 10 / 6],
      ["C", 4, 8, 8 / 6],
    ]);
    expect(result.k).toBe(5);
  });

  it("weighted Borda = weighted points / total weight", () => {
    // K = 2. 141: population 200, 2 ballots → 100 each. 142: population 600, 3 ballots → 200 each. Total 800.
    //   141: [A B] [A B]     142: [B] [C A] []
    // Raw points:      A 2+2+1 = 5, B 1+1+2 = 4, C 2        / 5 ballots → A 1, B 0.8, C 0.4 → A 1, B 2, C 3
    // Weighted points: A 2×100 + 2×100 + 1×200 = 600
    //                  B 1×100 + 1×100 + 2×200 = 600
    //                  C 2×200 = 400                   / 800 → A 0.75, B 0.75, C 0.5 → A 1, B 1, C 3
    const input = [
      ranked("141", "A", "B"),
      ranked("141", "A", "B"),
      ranked("142", "B"),
      ranked("142", "C", "A"),
      ranked("142"),
    ];
    const populations = { "141": 200, "142": 600 };
    const raw = tally({ method: "ranked", proposals: ["A", "B", "C"], ballots: input, params: { k: 2 }, populations });
    expect(brief(raw.ranking)).toEqual([
      ["A", 1, 5, 1],
      ["B", 2, 4, 0.8],
      ["C", 3, 2, 0.4],
    ]);
    const weighted = tally({
      method: "ranked",
      proposals: ["A", "B", "C"],
      ballots: input,
      params: { k: 2 },
      weighting: "population",
      populations,
    });
    expect(brief(weighted.ranking)).toEqual([
      ["A", 1, 600, 0.75],
      ["B", 1, 600, 0.75],
      ["C", 3, 400, 0.5],
    ]);
    expect(weighted.totalWeight).toBe(800);
  });

  it("keeps places as cast: a proposal ranked after an id outside the list gets the 2nd place's points", () => {
    // K = 2, ballot [X A] with X not ranked here: A gets 1 point, not 2.
    const result = tally({ method: "ranked", proposals: ["A"], ballots: [ranked("141", "X", "A")], params: { k: 2 } });
    expect(result.ranking[0]).toMatchObject({ proposal: "A", points: 1, positions: [0, 1] });
  });

  it("refuses an order longer than K", () => {
    expect(() =>
      tally({
        method: "ranked",
        proposals: ["A", "B", "C"],
        ballots: [ranked("141", "A", "B", "C")],
        params: { k: 2 },
      }),
    ).toThrow("Bulletin avec 3 propositions pour 2 au plus.");
  });
});
