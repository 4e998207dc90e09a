import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  GRADES,
  aggregateBallots,
  aggregatesFromRows,
  tally,
  type Ballot,
  type CountRow,
  type Method,
  type TallyResult,
  type Weighting,
} from "../../app/tally";
import { ARRONDISSEMENTS, PROPOSALS, ballotArb, oracle, populationsArb, rulesArb } from "./tally-oracle";

const METHODS: Method[] = ["approval", "majority_judgment", "ranked"];
const WEIGHTINGS: Weighting[] = ["raw", "population"];

/** Inputs for one method: rules, populations, ballots (up to 14: small groups tie often). */
const inputArb = (method: Method, maxBallots = 14) =>
  rulesArb.chain((rules) =>
    fc.record({
      rules: fc.constant(rules),
      populations: populationsArb,
      ballots: fc.array(ballotArb(method, rules.k), { maxLength: maxBallots }),
    }),
  );

const run = (
  method: Method,
  weighting: Weighting,
  input: { rules: { k: number; quorum: number }; populations: Record<string, number>; ballots: Ballot[] },
  proposals = PROPOSALS,
) =>
  tally({ method, proposals, ballots: input.ballots, params: input.rules, weighting, populations: input.populations });

const ranksOf = (result: TallyResult) => Object.fromEntries(result.ranking.map((r) => [r.proposal, r.rank]));

describe.each(METHODS)("%s", (method) => {
  describe.each(WEIGHTINGS)("%s", (weighting) => {
    it("agrees with the literal exact-fraction oracle on every rank, score, majority grade, p and q", () => {
      fc.assert(
        fc.property(inputArb(method), (input) => {
          const result = run(method, weighting, input);
          const expected = oracle(method, PROPOSALS, input.ballots, {
            weighting,
            populations: input.populations,
            ...input.rules,
          });
          for (const row of result.ranking) {
            const o = expected.get(row.proposal)!;
            expect(row.rank, row.proposal).toBe(o.rank);
            if ("score" in row && o.score !== undefined) expect(row.score).toBeCloseTo(o.score, 12);
            if ("majorityGrade" in row && o.rank !== null) {
              expect(row.majorityGrade).toBe(o.grade);
              expect(row.p).toBeCloseTo(o.p!, 12);
              expect(row.q).toBeCloseTo(o.q!, 12);
            }
          }
        }),
        { numRuns: 400 },
      );
    });

    it("does not depend on the order of the ballots", () => {
      fc.assert(
        fc.property(
          inputArb(method).chain((input) =>
            fc.record({
              input: fc.constant(input),
              shuffled: fc.shuffledSubarray(input.ballots, { minLength: input.ballots.length }),
            }),
          ),
          ({ input, shuffled }) => {
            expect(run(method, weighting, { ...input, ballots: shuffled })).toEqual(run(method, weighting, input));
          },
        ),
      );
    });

    it("ranks kept counts exactly as it ranks the ballots they count (aggregates, and database rows)", () => {
      fc.assert(
        fc.property(inputArb(method), (input) => {
          const fromBallots = run(method, weighting, input);
          const aggregates = aggregateBallots(method, PROPOSALS, input.ballots, input.rules);
          const common = {
            method,
            proposals: PROPOSALS,
            params: input.rules,
            weighting,
            populations: input.populations,
          };
          expect(tally({ ...common, aggregates })).toEqual(fromBallots);
          const rows: CountRow[] = [];
          for (const [arrondissement, entry] of Object.entries(aggregates.arrondissements)) {
            for (const [proposal, cells] of Object.entries(entry.counts)) {
              cells.forEach((count, c) => {
                const cell = method === "approval" ? 0 : method === "majority_judgment" ? GRADES[c]! : c + 1;
                if (count > 0) rows.push({ proposal, arrondissement, cell, count });
              });
            }
          }
          const ballots = Object.fromEntries(
            Object.entries(aggregates.arrondissements).map(([a, e]) => [a, e.ballots]),
          );
          expect(
            tally({ ...common, aggregates: aggregatesFromRows({ method, params: input.rules, ballots, rows }) }),
          ).toEqual(fromBallots);
        }),
      );
    });

    it("never breaks a tie by id or input order: renaming the proposals (reversing their sort order) and reordering the list changes no rank", () => {
      // p0 → z4, p1 → z3, …: every comparison of ids is reversed.
      const rename = (id: string) => (PROPOSALS.includes(id) ? `z${PROPOSALS.length - 1 - PROPOSALS.indexOf(id)}` : id);
      const renameBallot = (b: Ballot): Ballot => {
        const c = b.content as { selections?: string[]; order?: string[]; grades?: Record<string, string> };
        if (c.selections) return { ...b, content: { selections: c.selections.map(rename) } };
        if (c.order) return { ...b, content: { order: c.order.map(rename) } };
        return {
          ...b,
          content: { grades: Object.fromEntries(Object.entries(c.grades!).map(([id, g]) => [rename(id), g])) },
        } as Ballot;
      };
      fc.assert(
        fc.property(inputArb(method), (input) => {
          const before = ranksOf(run(method, weighting, input));
          const renamedProposals = PROPOSALS.map(rename).reverse();
          const after = ranksOf(
            run(method, weighting, { ...input, ballots: input.ballots.map(renameBallot) }, renamedProposals),
          );
          for (const id of PROPOSALS) expect(after[rename(id)], id).toBe(before[id]);
        }),
      );
    });

    it("gives competition ranks (1, 2, 2, 4), lists ranked rows first, and ties proposals that every ballot treats alike", () => {
      // Approval and MJ: "p4" becomes the twin of "p0" (selected or graded exactly where p0 is). A
      // ranked ballot cannot put two proposals at the same place, so ranked only checks the ranks' shape.
      const twin = (b: Ballot): Ballot => {
        const c = b.content as { selections?: string[]; grades?: Record<string, string> };
        if (c.grades) {
          const grades = { ...c.grades };
          delete grades.p4;
          if (grades.p0) grades.p4 = grades.p0;
          return { ...b, content: { grades } } as Ballot;
        }
        if (c.selections) {
          const list = c.selections.filter((id) => id !== "p4");
          return { ...b, content: { selections: list.includes("p0") ? [...list, "p4"] : list } };
        }
        return b;
      };
      fc.assert(
        fc.property(inputArb(method), (input) => {
          const rules = { ...input.rules, k: input.rules.k + 1 }; // room for the twin
          const result = run(method, weighting, { ...input, rules, ballots: input.ballots.map(twin) });
          const ranks = ranksOf(result);
          if (method !== "ranked") expect(ranks.p4).toBe(ranks.p0);
          const ranked = result.ranking.filter((r) => r.rank !== null);
          expect(result.ranking.slice(0, ranked.length)).toEqual(ranked);
          ranked.forEach((row, i) => {
            const prev = ranked[i - 1];
            expect(row.rank).toBe(prev && prev.rank === row.rank ? prev.rank : i + 1);
          });
        }),
      );
    });
  });

  const monotoneWeightings: Weighting[] = method === "majority_judgment" ? ["raw"] : ["raw", "population"];
  it.each(monotoneWeightings)(
    "adding a ballot that only supports P (selects it / ranks it first / grades only it, best) never lowers P's rank (%s)",
    (weighting) => {
      fc.assert(
        fc.property(
          inputArb(method),
          fc.constantFrom(...PROPOSALS),
          fc.constantFrom(...ARRONDISSEMENTS),
          (input, p, arrondissement) => {
            const content =
              method === "approval"
                ? { selections: [p] }
                : method === "ranked"
                  ? { order: [p] }
                  : { grades: { [p]: GRADES[0] } };
            const before = ranksOf(run(method, weighting, input))[p] ?? Infinity;
            const after =
              ranksOf(
                run(method, weighting, {
                  ...input,
                  ballots: [...input.ballots, { arrondissement, content } as Ballot],
                }),
              )[p] ?? Infinity;
            expect(after).toBeLessThanOrEqual(before);
          },
        ),
        { numRuns: 300 },
      );
    },
  );

  it("weighted equals raw when every arrondissement's population is proportional to its ballots", () => {
    fc.assert(
      fc.property(inputArb(method, 20), fc.integer({ min: 1, max: 100_000 }), (input, perBallot) => {
        const counts: Record<string, number> = {};
        for (const b of input.ballots) counts[b.arrondissement] = (counts[b.arrondissement] ?? 0) + 1;
        // Arrondissements without ballots keep an arbitrary population: they weigh nothing anyway.
        const populations = {
          ...input.populations,
          ...Object.fromEntries(Object.entries(counts).map(([a, n]) => [a, n * perBallot])),
        };
        const raw = run(method, "raw", input);
        const weighted = run(method, "population", { ...input, populations });
        expect(ranksOf(weighted)).toEqual(ranksOf(raw));
        weighted.ranking.forEach((row, i) => {
          const r = raw.ranking[i]!;
          expect(row.proposal).toBe(r.proposal);
          if ("score" in row && "score" in r) expect(row.score).toBeCloseTo(r.score, 12);
          if ("p" in row && "p" in r) {
            expect(row.majorityGrade).toBe(r.majorityGrade);
            expect(row.p).toBeCloseTo(r.p, 12);
            expect(row.q).toBeCloseTo(r.q, 12);
          }
        });
      }),
    );
  });
});

describe.each(METHODS)("%s, weighted near-ties", (method) => {
  it("decides ties between different weights exactly (weights like 1/10 and 3/10 whose float sums differ in the last bit)", () => {
    // Two arrondissements with small, commensurable populations and up to 30 ballots: many weighted
    // sums are equal as fractions but not as floats (0.1 × 3 ≠ 0.3). Floats alone fail this.
    const arb = fc.record({
      populations: fc.tuple(fc.constantFrom(1, 2, 3, 7), fc.constantFrom(1, 2, 3, 9)),
      ballots: fc.array(ballotArb(method, 3), { minLength: 5, maxLength: 30 }),
    });
    fc.assert(
      fc.property(arb, (input) => {
        const ballots = input.ballots.map((b, i) => ({ ...b, arrondissement: i % 3 === 0 ? "141" : "142" }));
        const populations = { "141": input.populations[0], "142": input.populations[1] };
        const rules = { k: 3, quorum: 1 };
        const result = tally({
          method,
          proposals: PROPOSALS,
          ballots,
          params: rules,
          weighting: "population",
          populations,
        });
        const expected = oracle(method, PROPOSALS, ballots, { weighting: "population", populations, ...rules });
        for (const row of result.ranking) expect(row.rank, row.proposal).toBe(expected.get(row.proposal)!.rank);
      }),
      { numRuns: 1000 },
    );
  });
});
