import { describe, expect, it } from "vitest";
import { parseWithZod } from "@conform-to/zod/v4";
import { BallotError, type ConsultationRules } from "../../app/ballots/ballots.server";
import { voteSchema, type VoteInput } from "../../app/voting/vote-forms";
import { confirmation, mutateFor, ordinal } from "../../app/voting/vote-intents.server";
import { voteReturnPath } from "../../app/voting/voting.server";

// The vote buttons' effect on a ballot and their confirmations; the ballot rules themselves (K,
// proposals of the consultation, duplicates) are changeBallot's, tested in integration.

const proposals = new Map(
  ["a", "b", "c", "d"].map((slug) => [slug, { id: `id-${slug}`, slug, title: `Proposition ${slug.toUpperCase()}` }]),
);
const approval: ConsultationRules = { method: "approval", k: 5, quorum: 10 };
const mj: ConsultationRules = { method: "majority_judgment", k: 5, quorum: 10 };
const ranked: ConsultationRules = { method: "ranked", k: 5, quorum: 10 };

function parse(fields: [string, string][]): VoteInput {
  const form = new FormData();
  for (const [k, v] of fields) form.append(k, v);
  const submission = parseWithZod(form, { schema: voteSchema });
  if (submission.status !== "success") throw new Error(JSON.stringify(submission.error));
  return submission.value;
}

function refusal(fields: [string, string][]): string {
  const form = new FormData();
  for (const [k, v] of fields) form.append(k, v);
  const submission = parseWithZod(form, { schema: voteSchema });
  if (submission.status === "success") throw new Error("accepted");
  return Object.values(submission.error ?? {})
    .flat()
    .join(" ");
}

describe("vote forms", () => {
  it("refuse what no vote button sends: extra fields, unknown intents and grades, bad slugs", () => {
    expect(
      refusal([
        ["intent", "approve"],
        ["proposal", "a"],
        ["ballot", "autre"],
      ]),
    ).toBe("Champ inattendu dans le formulaire : ballot.");
    expect(refusal([["intent", "effacer-tout"]])).toBe("Action de vote inconnue.");
    expect(
      refusal([
        ["intent", "grade"],
        ["proposal", "a"],
        ["grade", "excellent"],
      ]),
    ).toBe("Mention inconnue.");
    expect(
      refusal([
        ["intent", "grade"],
        ["proposal", "a"],
      ]),
    ).toBe("Choisissez une mention.");
    expect(
      refusal([
        ["intent", "approve"],
        ["proposal", "../admin"],
      ]),
    ).toBe("Proposition inconnue.");
    expect(
      refusal([
        ["intent", "rank-move"],
        ["proposal", "a"],
        ["to", "0"],
      ]),
    ).toBe("Position invalide.");
  });

  it("read a repeated `order` as a list, duplicates included (the ballot rules refuse them)", () => {
    expect(
      parse([
        ["intent", "rank-order"],
        ["order", "a"],
        ["order", "a"],
      ]),
    ).toEqual({ intent: "rank-order", order: ["a", "a"] });
    expect(
      parse([
        ["intent", "rank-order"],
        ["order", "b"],
      ]),
    ).toEqual({ intent: "rank-order", order: ["b"] });
  });
});

describe("what each button does", () => {
  const run = (fields: [string, string][], current: unknown, rules: ConsultationRules) =>
    mutateFor(parse(fields), proposals)(current as never, rules);

  it("approval: adds once, removes, keeps the others", () => {
    expect(
      run(
        [
          ["intent", "approve"],
          ["proposal", "b"],
        ],
        null,
        approval,
      ),
    ).toEqual({ selections: ["id-b"] });
    expect(
      run(
        [
          ["intent", "approve"],
          ["proposal", "b"],
        ],
        { selections: ["id-b"] },
        approval,
      ),
    ).toEqual({ selections: ["id-b"] });
    expect(
      run(
        [
          ["intent", "unapprove"],
          ["proposal", "b"],
        ],
        { selections: ["id-a", "id-b"] },
        approval,
      ),
    ).toEqual({ selections: ["id-a"] });
  });

  it("majority judgment: sets, replaces and removes one grade", () => {
    const current = { grades: { "id-a": "prioritaire" } };
    expect(
      run(
        [
          ["intent", "grade"],
          ["proposal", "b"],
          ["grade", "tres_prioritaire"],
        ],
        current,
        mj,
      ),
    ).toEqual({
      grades: { "id-a": "prioritaire", "id-b": "tres_prioritaire" },
    });
    expect(
      run(
        [
          ["intent", "grade"],
          ["proposal", "a"],
          ["grade", "pas_prioritaire"],
        ],
        current,
        mj,
      ),
    ).toEqual({ grades: { "id-a": "pas_prioritaire" } });
    expect(
      run(
        [
          ["intent", "ungrade"],
          ["proposal", "a"],
        ],
        current,
        mj,
      ),
    ).toEqual({ grades: {} });
  });

  it("ranked: adds at the end, moves to a place (twice = once), clamps at the ends, removes", () => {
    const current = { order: ["id-a", "id-b", "id-c"] };
    expect(
      run(
        [
          ["intent", "rank-add"],
          ["proposal", "d"],
        ],
        current,
        ranked,
      ),
    ).toEqual({ order: ["id-a", "id-b", "id-c", "id-d"] });
    expect(
      run(
        [
          ["intent", "rank-add"],
          ["proposal", "a"],
        ],
        current,
        ranked,
      ),
    ).toEqual(current);
    const up = run(
      [
        ["intent", "rank-move"],
        ["proposal", "c"],
        ["to", "2"],
      ],
      current,
      ranked,
    );
    expect(up).toEqual({ order: ["id-a", "id-c", "id-b"] });
    expect(
      run(
        [
          ["intent", "rank-move"],
          ["proposal", "c"],
          ["to", "2"],
        ],
        up,
        ranked,
      ),
    ).toEqual(up);
    expect(
      run(
        [
          ["intent", "rank-move"],
          ["proposal", "c"],
          ["to", "9"],
        ],
        current,
        ranked,
      ),
    ).toEqual(current);
    expect(
      run(
        [
          ["intent", "rank-move"],
          ["proposal", "a"],
          ["to", "3"],
        ],
        current,
        ranked,
      ),
    ).toEqual({ order: ["id-b", "id-c", "id-a"] });
    expect(
      run(
        [
          ["intent", "rank-remove"],
          ["proposal", "b"],
        ],
        current,
        ranked,
      ),
    ).toEqual({ order: ["id-a", "id-c"] });
    expect(() =>
      run(
        [
          ["intent", "rank-move"],
          ["proposal", "d"],
          ["to", "1"],
        ],
        current,
        ranked,
      ),
    ).toThrow(BallotError);
  });

  it("refuses a button of another method with a 400, and withdraws with any", () => {
    try {
      run(
        [
          ["intent", "approve"],
          ["proposal", "a"],
        ],
        null,
        ranked,
      );
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(BallotError);
      expect((error as BallotError).code).toBe("invalid");
    }
    expect(run([["intent", "withdraw"]], { order: ["id-a"] }, ranked)).toBeNull();
  });
});

describe("confirmations", () => {
  it("say what changed, with the count against K, the grade, or the place", () => {
    const say = (
      fields: [string, string][],
      outcome: "cast" | "changed" | "unchanged" | "withdrawn",
      content: unknown,
      rules: ConsultationRules,
    ) => confirmation(parse(fields), { outcome, content: content as never }, rules, proposals);
    expect(
      say(
        [
          ["intent", "approve"],
          ["proposal", "a"],
        ],
        "changed",
        { selections: ["id-a", "id-b", "id-c"] },
        approval,
      ),
    ).toBe("Proposition ajoutée à vos priorités (3 sur 5)");
    expect(
      say(
        [
          ["intent", "grade"],
          ["proposal", "a"],
          ["grade", "tres_prioritaire"],
        ],
        "cast",
        { grades: { "id-a": "tres_prioritaire" } },
        mj,
      ),
    ).toBe("Mention « Très prioritaire » enregistrée");
    expect(
      say(
        [
          ["intent", "rank-move"],
          ["proposal", "b"],
          ["to", "1"],
        ],
        "changed",
        { order: ["id-b", "id-a"] },
        ranked,
      ),
    ).toBe("Classement mis à jour : « Proposition B » en 1re position sur 2");
    expect(say([["intent", "withdraw"]], "withdrawn", null, ranked)).toBe("Vote retiré");
    expect(ordinal(1)).toBe("1re");
    expect(ordinal(2)).toBe("2e");
  });
});

describe("where a vote without JavaScript returns", () => {
  const from = (referer: string | null) =>
    voteReturnPath(
      new Request("http://localhost:3000/consultations/normandie/vote", {
        method: "POST",
        headers: referer ? { Referer: referer } : {},
      }),
      "normandie",
    );
  it("to the page it came from when it is the same consultation's, filters kept; else to the consultation", () => {
    expect(from("http://localhost:3000/consultations/normandie?theme=prevention&page=2")).toBe(
      "/consultations/normandie?theme=prevention&page=2",
    );
    expect(from("http://localhost:3000/consultations/normandie/mon-vote")).toBe("/consultations/normandie/mon-vote");
    expect(from("http://localhost:3000/consultations/normandie-bis")).toBe("/consultations/normandie");
    expect(from("http://localhost:3000/consultations/autre?x=1")).toBe("/consultations/normandie");
    expect(from("https://ailleurs.example/consultations/normandie")).toBe("/consultations/normandie");
    expect(from("http://localhost:3000/consultations/normandie/vote")).toBe("/consultations/normandie");
    expect(from(null)).toBe("/consultations/normandie");
    expect(from("pas une adresse")).toBe("/consultations/normandie");
  });
});
