import { describe, expect, it } from "vitest";
import { GRADES, tally, type Ballot, type Grade, type MajorityJudgmentRow } from "../../app/tally";

const [PA, TP, P, PEU, PAS] = GRADES;

/**
 * Ballots from grade profiles: `{ X: [2, 0, 1, 0, 0] }` = X got 2 × Priorité absolue and
 * 1 × Prioritaire. Ballot i gives each proposal the i-th grade of its profile (best first), or none.
 */
function fromProfiles(
  profiles: Record<string, readonly number[]>,
  arrondissement = "141",
): Ballot<"majority_judgment">[] {
  const lists = Object.entries(profiles).map(
    ([id, counts]) => [id, counts.flatMap((n, g) => new Array<Grade>(n).fill(GRADES[g]!))] as const,
  );
  const n = Math.max(0, ...lists.map(([, l]) => l.length));
  return Array.from({ length: n }, (_, i) => ({
    arrondissement,
    content: { grades: Object.fromEntries(lists.filter(([, l]) => i < l.length).map(([id, l]) => [id, l[i]!])) },
  }));
}

const mj = (profiles: Record<string, readonly number[]>, quorum = 1) =>
  tally({
    method: "majority_judgment",
    proposals: Object.keys(profiles),
    ballots: fromProfiles(profiles),
    params: { quorum },
  });

const summary = (rows: MajorityJudgmentRow[]) => rows.map((r) => [r.proposal, r.rank, r.majorityGrade, r.gauge]);

describe("majority judgment, worked examples", () => {
  it("takes the lower median: with n grades sorted best → worst, the one at position ⌊n/2⌋ from 0", () => {
    // X, 4 grades: [PA, TP, P, PEU] → position 2 → Prioritaire (the lower of the two middle grades).
    //   p = share above = 2/4, q = share below = 1/4 → p > q, "+".
    // Y, 5 grades: [PA, PA, TP, PEU, PAS] → position 2 → Très prioritaire. p = 2/5, q = 2/5 → p ≤ q, "-".
    const result = mj({ X: [1, 1, 1, 1, 0], Y: [2, 1, 0, 1, 1] });
    const [y, x] = result.ranking;
    expect(y).toMatchObject({ proposal: "Y", rank: 1, majorityGrade: TP, gauge: "-", p: 0.4, q: 0.4, grades: 5 });
    expect(x).toMatchObject({ proposal: "X", rank: 2, majorityGrade: P, gauge: "+", p: 0.5, q: 0.25, grades: 4 });
    expect(x!.profile).toEqual({ counts: [1, 1, 1, 1, 0], shares: [0.25, 0.25, 0.25, 0.25, 0] });
    // Two grades [PA, PAS]: position 1 → Pas prioritaire, the lower one (an upper median would say PA).
    expect(mj({ Z: [1, 0, 0, 0, 1] }).ranking[0]).toMatchObject({ majorityGrade: PAS, p: 0.5, q: 0 });
  });

  it("lists proposals with fewer grades than the quorum as « pas assez d'avis », unranked and after the ranked ones", () => {
    // Default quorum 10. A: 10 grades, ranked. B: 9 grades (all Priorité absolue!), not ranked.
    // C: no grade. Ungraded proposals are not counted for a ballot, so B and C do not reach 10.
    const ballots = fromProfiles({ A: [0, 0, 10, 0, 0], B: [9, 0, 0, 0, 0] });
    const result = tally({ method: "majority_judgment", proposals: ["C", "B", "A"], ballots });
    expect(result.quorum).toBe(10);
    expect(result.ranking.map((r) => [r.proposal, r.rank, r.status, r.grades, r.majorityGrade])).toEqual([
      ["A", 1, "ranked", 10, P],
      ["B", null, "not_enough_grades", 9, null],
      ["C", null, "not_enough_grades", 0, null],
    ]);
    expect(result.explanation).toContain(
      "les propositions ayant moins de 10 avis ne sont pas classées (« pas assez d’avis »)",
    );
  });

  describe("the majority gauge (docs/domain.md#tally: p > q above p ≤ q; then larger p; or smaller q)", () => {
    it("at the same grade, p > q ranks above p ≤ q, even against a smaller q", () => {
      // X [4,0,3,0,3]: cumulative 4, 4, 7 > 5 → Prioritaire; p = 0.4, q = 0.3 → "+".
      // Y [0,1,8,1,0]: cumulative 0, 1, 9 → Prioritaire; p = 0.1, q = 0.1 → p ≤ q, "-".
      expect(summary(mj({ Y: [0, 1, 8, 1, 0], X: [4, 0, 3, 0, 3] }).ranking)).toEqual([
        ["X", 1, P, "+"],
        ["Y", 2, P, "-"],
      ]);
    });

    it("between two with p > q, the larger p ranks higher, whatever their q", () => {
      // X [4,0,3,0,3]: p = 0.4, q = 0.3.   Z [0,3,6,1,0]: cumulative 0, 3, 9 → Prioritaire; p = 0.3, q = 0.1.
      const result = mj({ Z: [0, 3, 6, 1, 0], X: [4, 0, 3, 0, 3] });
      expect(summary(result.ranking)).toEqual([
        ["X", 1, P, "+"],
        ["Z", 2, P, "+"],
      ]);
      expect(result.ranking.map((r) => [r.p, r.q])).toEqual([
        [0.4, 0.3],
        [0.3, 0.1],
      ]);
    });

    it("between two with p ≤ q, the smaller q ranks higher, whatever their p", () => {
      // U [0,0,8,2,0]: Prioritaire, p = 0, q = 0.2.   V [2,1,3,4,0]: cumulative 2, 3, 6 → Prioritaire; p = 0.3, q = 0.4.
      expect(summary(mj({ V: [2, 1, 3, 4, 0], U: [0, 0, 8, 2, 0] }).ranking)).toEqual([
        ["U", 1, P, "-"],
        ["V", 2, P, "-"],
      ]);
    });

    it("p = q counts as p ≤ q: a unanimous grade (p = q = 0) ranks below any p > q at that grade and above any q > 0", () => {
      // W [0,0,10,0,0]: p = q = 0 → "-", q = 0.   X [4,0,3,0,3]: "+".   U [0,0,8,2,0]: "-", q = 0.2.
      expect(summary(mj({ U: [0, 0, 8, 2, 0], W: [0, 0, 10, 0, 0], X: [4, 0, 3, 0, 3] }).ranking)).toEqual([
        ["X", 1, P, "+"],
        ["W", 2, P, "-"],
        ["U", 3, P, "-"],
      ]);
    });

    it("compares shares, not counts: p = 4/10 and p = 6/15 tie exactly; equal p with different q is a tie too (the rule stops at the gauge)", () => {
      // X [4,0,3,0,3], 10 grades: p = 4/10.   Y [6,0,5,0,4], 15 grades: cumulative 6, 6, 11 > 7.5 → Prioritaire; p = 6/15 = 0.4, q = 4/15.
      // T [3,0,5,2,0]: p = 0.3, q = 0.2.       S [2,1,6,0,1]: cumulative 2, 3, 9 → Prioritaire; p = 0.3, q = 0.1.
      // → X and Y share 1; T and S share 3, although S has fewer grades below.
      const result = mj({ S: [2, 1, 6, 0, 1], T: [3, 0, 5, 2, 0], Y: [6, 0, 5, 0, 4], X: [4, 0, 3, 0, 3] });
      expect(result.ranking.map((r) => [r.proposal, r.rank])).toEqual([
        ["X", 1],
        ["Y", 1],
        ["S", 3],
        ["T", 3],
      ]);
    });

    it("ranks a better majority grade first, whatever the gauges", () => {
      // A [0,10,0,0,10]: 20 grades, cumulative 0, 10 (not > 10), 10, 10, 20 → Pas prioritaire, p = 0.5.
      // B [0,0,0,1,0]: Peu prioritaire, p = q = 0. B ranks above A.
      expect(summary(mj({ A: [0, 10, 0, 0, 10], B: [0, 0, 0, 1, 0] }).ranking)).toEqual([
        ["B", 1, PEU, "-"],
        ["A", 2, PAS, "+"],
      ]);
    });
  });

  describe("from the literature", () => {
    // Balinski & Laraki's poll on the 2012 French presidential election (737 respondents, published
    // in "Majority judgment vs. majority rule", 2016), as tabulated in A. Fabre's replication code
    // for "Tie-breaking the highest median" (Social Choice and Welfare, 2021; github.com/bixiou/highest_median,
    // HighestMedianRules.R, `elec2012`, shares to 4 decimals that give whole counts out of 737).
    // Their scale has 7 grades, best first: Outstanding, Excellent, Very good, Good, Fair, Poor, To reject.
    // Every majority grade is Good or lower, so merging the three best into Priorité absolue keeps
    // every majority grade, p and q; Good → Très prioritaire, Fair → Prioritaire, Poor → Peu prioritaire,
    // To reject → Pas prioritaire.
    const POLL_2012: Record<string, number[]> = {
      // counts, best first:  Outst. Exc. VeryG. Good Fair Poor Reject
      Hollande: [92, 119, 121, 86, 109, 105, 105],
      Bayrou: [19, 72, 160, 186, 148, 88, 64],
      Sarkozy: [71, 91, 120, 81, 82, 58, 234],
      Melenchon: [40, 70, 95, 108, 126, 111, 187],
      DupontAignan: [4, 19, 44, 83, 149, 188, 250],
      Joly: [6, 22, 48, 87, 108, 182, 284],
      Poutou: [1, 10, 33, 57, 92, 207, 337],
      LePen: [44, 54, 70, 69, 103, 46, 351],
      Arthaud: [0, 10, 28, 48, 97, 186, 368],
      Cheminade: [3, 6, 18, 43, 86, 198, 383],
    };
    const toFive = (c: number[]) => [c[0]! + c[1]! + c[2]!, c[3]!, c[4]!, c[5]!, c[6]!];

    it("reproduces Balinski & Laraki's majority-judgment order of the 2012 poll, with its gauges", () => {
      const profiles = Object.fromEntries(Object.entries(POLL_2012).map(([id, c]) => [id, toFive(c)]));
      for (const c of Object.values(profiles)) expect(c.reduce((s, v) => s + v, 0)).toBe(737);
      const result = mj(profiles, 10);
      // Fabre's table (mj = majority grade + p if p > q, − q otherwise, grades Good = 1 … To reject = −2):
      // Hollande 1.45 (1+), Bayrou 0.593 (1−), Sarkozy 0.493 (0+), Mélenchon 0.425 (0+), Dupont-Aignan −0.594 (−1+),
      // Joly −1.385, Poutou −1.457, Le Pen −1.476, Arthaud −1.499 (all −1−), Cheminade −2 (To reject).
      //   Hollande: cumulative 332, 418 > 368.5 → Good; p = 332/737 = 0.4505 > q = 319/737 = 0.4328.
      //   Bayrou:   cumulative 251, 437 → Good; p = 251/737 = 0.3406 ≤ q = 300/737 = 0.4071.
      //   → same grade, Hollande's p > q beats Bayrou's p ≤ q although Hollande has more grades below (0.433 > 0.407).
      //   Sarkozy (p 363/737 = 0.4925) above Mélenchon (p 313/737 = 0.4247): both Fair and p > q, larger p.
      //   Dupont-Aignan (Poor, p 0.4057 > q 0.3392) above Joly, Poutou, Le Pen, Arthaud (Poor, p ≤ q) ranked by
      //   smaller q: 284, 337, 351, 368 out of 737. Le Pen (mean grade above Poutou's) ranks below him.
      expect(summary(result.ranking)).toEqual([
        ["Hollande", 1, TP, "+"],
        ["Bayrou", 2, TP, "-"],
        ["Sarkozy", 3, P, "+"],
        ["Melenchon", 4, P, "+"],
        ["DupontAignan", 5, PEU, "+"],
        ["Joly", 6, PEU, "-"],
        ["Poutou", 7, PEU, "-"],
        ["LePen", 8, PEU, "-"],
        ["Arthaud", 9, PEU, "-"],
        // At the lowest grade nothing is below: q = 0 < p, "+" (Fabre prints no sign at the ends of the scale).
        ["Cheminade", 10, PAS, "+"],
      ]);
      // p and q exactly, as counts out of 737, and within 0.001 of the published three-decimal figures
      // (which were computed from shares rounded to 4 decimals: Hollande's p = 0.4505 → 0.451).
      const exact: Record<string, [number, number, number]> = {
        // proposal: [p or q count, published value, which]
        Hollande: [332, 0.451, 0],
        Bayrou: [300, 0.407, 1],
        Sarkozy: [363, 0.493, 0],
        Melenchon: [313, 0.425, 0],
        DupontAignan: [299, 0.406, 0],
        Joly: [284, 0.385, 1],
        Poutou: [337, 0.457, 1],
        LePen: [351, 0.476, 1],
        Arthaud: [368, 0.499, 1],
      };
      for (const row of result.ranking) {
        const e = exact[row.proposal];
        if (!e) continue;
        const value = e[2] === 0 ? row.p : row.q;
        expect(value, row.proposal).toBeCloseTo(e[0] / 737, 12);
        expect(Math.abs(value - e[1]), row.proposal).toBeLessThan(0.001);
      }
      expect(result.ranking[0]!.q).toBeCloseTo(319 / 737, 12); // Hollande's q, published 0.433
    });

    it("shows the gauge's discontinuity Fabre points out: 2% of Hollande's median voters one grade lower and Bayrou wins", () => {
      // 15 of Hollande's 86 "Good" become "Fair": p stays 332/737 = 0.4505, q becomes 334/737 = 0.4532 ≥ p,
      // majority grade still Good (cumulative 403 > 368.5). Now both are "−" and Bayrou's q (0.407) is smaller.
      const hollande = toFive(POLL_2012.Hollande!);
      hollande[1]! -= 15;
      hollande[2]! += 15;
      const result = mj({ Hollande: hollande, Bayrou: toFive(POLL_2012.Bayrou!) }, 10);
      expect(summary(result.ranking)).toEqual([
        ["Bayrou", 1, TP, "-"],
        ["Hollande", 2, TP, "-"],
      ]);
      expect(result.ranking[1]!.q).toBeCloseTo(334 / 737, 12);
    });
  });

  describe("weighted", () => {
    it("takes the first grade whose cumulative weight exceeds half the proposal's weight; the quorum still counts grades", () => {
      // Quorum 2. 141: population 100, 2 ballots → 50 each.  142: population 300, 1 ballot → 300.
      //           ballot 1 (141)  ballot 2 (141)  ballot 3 (142)
      //   X           PA              PA              PAS
      //   Y           TP              PAS             P
      //   W           PA              PA              –
      //   Z           –               –               PA
      // Raw:   X [PA, PA, PAS] → position 1 → PA (p 0, q 1/3);  Y [TP, P, PAS] → P (p = q = 1/3);  W [PA, PA] → PA (p = q = 0).
      //        Same grade PA, both "−": W (q 0) above X (q 1/3). Z has 1 grade < quorum 2: unranked.
      //        → W 1, X 2, Y 3.
      // Weighted: X: PA 100, PAS 300, total 400: 2 × 100 > 400? no … PAS → Pas prioritaire; p = 100/400 = 0.25, q = 0 → "+".
      //           Y: TP 50, P 300, PAS 50, total 400: 2 × 50 > 400 no; 2 × 350 > 400 → Prioritaire; p = q = 0.125 → "−".
      //           W: PA 100 of 100 → PA.   Z: 1 grade, unranked although it carries 300 of the 400 weight.
      //        → W 1, Y 2, X 3.
      const ballots: Ballot<"majority_judgment">[] = [
        { arrondissement: "141", content: { grades: { X: PA, Y: TP, W: PA } } },
        { arrondissement: "141", content: { grades: { X: PA, Y: PAS, W: PA } } },
        { arrondissement: "142", content: { grades: { X: PAS, Y: P, Z: PA } } },
      ];
      const options = {
        method: "majority_judgment" as const,
        proposals: ["X", "Y", "W", "Z"],
        ballots,
        params: { quorum: 2 },
        populations: { "141": 100, "142": 300 },
      };
      expect(summary(tally(options).ranking)).toEqual([
        ["W", 1, PA, "-"],
        ["X", 2, PA, "-"],
        ["Y", 3, P, "-"],
        ["Z", null, null, null],
      ]);
      const weighted = tally({ ...options, weighting: "population" });
      expect(summary(weighted.ranking)).toEqual([
        ["W", 1, PA, "-"],
        ["Y", 2, P, "-"],
        ["X", 3, PAS, "+"],
        ["Z", null, null, null],
      ]);
      const x = weighted.ranking[2]!;
      expect([x.p, x.q, x.grades]).toEqual([0.25, 0, 3]);
      expect(x.profile).toEqual({ counts: [2, 0, 0, 0, 1], shares: [0.25, 0, 0, 0, 0.75] });
      expect(weighted.ranking[3]).toMatchObject({ status: "not_enough_grades", grades: 1 });
    });

    it("exactly half is not more than half: weights 3 × 1/10 against 1 × 3/10 give the lower grade", () => {
      // 141: population 1, 10 ballots → 1/10 each. 142: population 3, 10 ballots → 3/10 each.
      // P: Priorité absolue from 3 ballots of 141 (3/10), Pas prioritaire from 1 ballot of 142 (3/10).
      // Cumulative at PA = 3/10 = exactly half of 6/10 → not more than half → majority grade Pas prioritaire.
      const ballots: Ballot<"majority_judgment">[] = [
        ...Array.from({ length: 10 }, (_, i) => ({
          arrondissement: "141",
          content: { grades: i < 3 ? { P: PA } : ({} as Record<string, Grade>) },
        })),
        ...Array.from({ length: 10 }, (_, i) => ({
          arrondissement: "142",
          content: { grades: i < 1 ? { P: PAS } : ({} as Record<string, Grade>) },
        })),
      ];
      const result = tally({
        method: "majority_judgment",
        proposals: ["P"],
        ballots,
        params: { quorum: 1 },
        weighting: "population",
        populations: { "141": 1, "142": 3 },
      });
      expect(result.ranking[0]).toMatchObject({ majorityGrade: PAS, gauge: "+" });
      expect(result.ranking[0]!.p).toBeCloseTo(0.5, 15);
    });

    it("ties gauges that are equal fractions even where floating-point division differs (1/3 vs 0.33333333333333337)", () => {
      // 141: population 1, 2 ballots → 1/2 each. 142: population 1, 3 ballots → 1/3 each.
      //   X: PA from one 141 ballot (1/2), TP from the three 142 ballots (1). Total 3/2, cumulative PA 1/2
      //      (not > 3/4), TP 3/2 → Très prioritaire; p = (1/2)/(3/2) = 1/3, q = 0 → "+".
      //   Y: PA from two 142 ballots (2/3), TP from the two 141 ballots (1), P from one 142 ballot (1/3).
      //      Total 2; cumulative PA 2/3 (not > 1), TP 5/3 → Très prioritaire; p = (2/3)/2 = 1/3, q = 1/6 → "+".
      // Same grade, both "+", p equal → shared rank. Floats: 0.5/1.5 = 0.3333333333333333 but (2/3)/2 = 0.33333333333333337.
      // (weights summed per grade, best first, as the engine does)
      const third = 1 / 3;
      expect((1 * 0.5) / (1 * 0.5 + 3 * third)).not.toBe((2 * third) / (2 * third + 2 * 0.5 + 1 * third));
      const ballots: Ballot<"majority_judgment">[] = [
        { arrondissement: "141", content: { grades: { X: PA, Y: TP } } },
        { arrondissement: "141", content: { grades: { Y: TP } } },
        { arrondissement: "142", content: { grades: { X: TP, Y: PA } } },
        { arrondissement: "142", content: { grades: { X: TP, Y: PA } } },
        { arrondissement: "142", content: { grades: { X: TP, Y: P } } },
      ];
      const weighted = tally({
        method: "majority_judgment",
        proposals: ["Y", "X"],
        ballots,
        params: { quorum: 1 },
        weighting: "population",
        populations: { "141": 1, "142": 1 },
      });
      expect(summary(weighted.ranking)).toEqual([
        ["X", 1, TP, "+"],
        ["Y", 1, TP, "+"],
      ]);
      expect(weighted.ranking[0]!.p).toBe(weighted.ranking[1]!.p);
      // Raw, the same ballots do not tie: X [PA, TP, TP, TP] p = 1/4; Y [PA, PA, TP, TP, P] p = 2/5 → Y first.
      const raw = tally({ method: "majority_judgment", proposals: ["Y", "X"], ballots, params: { quorum: 1 } });
      expect(raw.ranking.map((r) => [r.proposal, r.rank])).toEqual([
        ["Y", 1],
        ["X", 2],
      ]);
    });
  });

  it("is not monotone when weighted, by the weighting rule: a ballot grading only P, best, can lower P's rank", () => {
    // The new ballot makes its arrondissement's other ballots weigh less, which can lift another proposal.
    // 141: population 100; 142: population 100, 1 ballot (weight 100). Quorum 1.
    // Before, 141 has 2 ballots (50 each):
    //   Q: PAS, PAS from 141 (100), PA from 142 (100): cumulative PA 100, not > 100 → Pas prioritaire.
    //   P: TP from one 141 ballot (50) and from 142 (100) → Très prioritaire.          → P 1, Q 2.
    // After a third 141 ballot grading only P, Priorité absolue (141 ballots now weigh 100/3):
    //   Q: PA 100, PAS 200/3, total 500/3: 2 × 100 > 500/3 → Priorité absolue.
    //   P: PA 100/3, TP 100/3 + 100, total 500/3: 2 × 100/3 < 500/3; 2 × 500/3 > 500/3 → Très prioritaire. → Q 1, P 2.
    // Raw, P stays first (Q [PA, PAS, PAS] → Pas prioritaire; P [PA, TP, TP] → Très prioritaire).
    const before: Ballot<"majority_judgment">[] = [
      { arrondissement: "141", content: { grades: { Q: PAS, P: TP } } },
      { arrondissement: "141", content: { grades: { Q: PAS } } },
      { arrondissement: "142", content: { grades: { Q: PA, P: TP } } },
    ];
    const after = [...before, { arrondissement: "141", content: { grades: { P: PA } } }];
    const run = (ballots: Ballot<"majority_judgment">[], weighting: "raw" | "population") =>
      tally({
        method: "majority_judgment",
        proposals: ["P", "Q"],
        ballots,
        params: { quorum: 1 },
        weighting,
        populations: { "141": 100, "142": 100 },
      }).ranking.map((r) => [r.proposal, r.rank, r.majorityGrade]);
    expect(run(before, "population")).toEqual([
      ["P", 1, TP],
      ["Q", 2, PAS],
    ]);
    expect(run(after, "population")).toEqual([
      ["Q", 1, PA],
      ["P", 2, TP],
    ]);
    expect(run(after, "raw")).toEqual([
      ["P", 1, TP],
      ["Q", 2, PAS],
    ]);
  });

  it("refuses a grade it does not know", () => {
    const ballots = [{ arrondissement: "141", content: { grades: { A: "excellent" as Grade } } }];
    expect(() => tally({ method: "majority_judgment", proposals: ["A"], ballots })).toThrow(
      "Mention inconnue : « excellent ».",
    );
  });
});
