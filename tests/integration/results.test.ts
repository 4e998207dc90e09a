import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DatabaseHandle } from "../../db/connect";
import { importPaperBallots } from "../../app/ballots/paper-import.server";
import { verifyCounts } from "../../app/ballots/results.server";
import { clearIntervals, settleIntervals } from "../../app/ballots/intervals.server";
import { ResultsError, resultsDocument } from "../../app/ballots/results-api.server";
import { testDatabases } from "../support/databases";
import { readAsClosed } from "../support/phases";

const SLUG = "normandie-cnr-sante-2022";
type Roles = { role: "resident" | "cts_member" | "admin" | "association" | "moderator"; scope: string }[];
const user = (roles: Roles) => ({
  id: "u",
  email: "u@exemple.fr",
  emailVerified: true,
  communeCode: "14366",
  displayName: null,
  assuranceLevel: "email" as const,
  roles,
});

describe.each(testDatabases)("paper ballots and the results API on $name", ({ openLoaded }) => {
  let h: DatabaseHandle;
  let slugs: string[];
  beforeAll(async () => {
    h = await openLoaded();
    // What the other database's run kept in this process is not this database's.
    clearIntervals();
    const rows = await h.db
      .selectFrom("proposals")
      .innerJoin("consultations", "consultations.id", "proposals.consultation_id")
      .select("proposals.slug")
      .where("consultations.slug", "=", SLUG)
      .orderBy("proposals.position")
      .execute();
    slugs = rows.map((r) => r.slug);
  });
  // Rank intervals computed behind the last requests end before the database closes.
  afterAll(async () => {
    await settleIntervals();
    await h?.close();
  });

  it("refuses a CSV with bad lines, listing every one, and imports nothing", async () => {
    const [a, b] = slugs;
    const csv = [
      "arrondissement,selections",
      `143,${a}|${b}`,
      `751,${a}`, // Paris: not in Normandie
      `143,n-existe-pas`,
      `142,${slugs.slice(0, 6).join("|")}`, // 6 > K
      `142,${a}|${a}`,
    ].join("\n");
    const result = await importPaperBallots(h.db, SLUG, csv);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.errors.map((e) => e.line)).toEqual([3, 4, 5, 6]);
    const n = await h.db
      .selectFrom("ballots")
      .select((eb) => eb.fn.countAll<number>().as("n"))
      .executeTakeFirstOrThrow();
    expect(Number(n.n)).toBe(0);
    expect((await importPaperBallots(h.db, SLUG, "arrondissement,grades\n143,x=prioritaire\n")).ok).toBe(false);
  });

  it("imports paper ballots; the API's ranking equals one computed by hand", async () => {
    const [A, B, C, D] = slugs as [string, string, string, string];
    // 12 ballots in Calvados (CTS 14), one of them blank: 11 count, A chosen 8 times, B 8, C 5, D 2.
    const lines = [
      `143,${A}|${B}|${C}`,
      `143,${A}|${B}|${C}`,
      `143,${A}|${B}`,
      `143,${A}|${B}`,
      `142,${A}|${B}|${D}`,
      `142,${A}|${C}`,
      `142,${A}`,
      `142,${A}|${D}`,
      `141,${B}|${C}`,
      `141,${B}|${C}`,
      `144,${B}`,
      `144,`,
    ];
    const result = await importPaperBallots(
      h.db,
      SLUG,
      `arrondissement;selections\n${lines.join("\n").replaceAll(",", ";")}\n`,
    );
    // The blank one is no ballot, as online: counted, it would lower every share.
    expect(result).toEqual({ ok: true, imported: 11, blank: 1 });
    const consultationId = (
      await h.db.selectFrom("consultations").select("id").where("slug", "=", SLUG).executeTakeFirstOrThrow()
    ).id;
    expect(await verifyCounts(h.db, consultationId)).toEqual([]);

    // Read from the kept counts (while open, figures move in steps of ten ballots per arrondissement).
    const doc = await readAsClosed(h.db, SLUG, () =>
      resultsDocument(h.db, {
        slug: SLUG,
        territory: "cts:14",
        weighting: "raw",
        user: user([{ role: "admin", scope: "" }]),
      }),
    );
    expect(doc).toMatchObject({
      consultation: SLUG,
      method: "approval",
      territory: { kind: "cts", code: "14", name: "Calvados" },
      ballots: 11,
      smallGroup: null,
    });
    const row = (slug: string) => {
      const r = doc.ranking.find((x) => x.proposal === slug) as { rank: number | null; score: number };
      return { rank: r.rank, score: r.score };
    };
    // Exact ties share a rank: A and B both 8/11.
    expect(row(A)).toEqual({ rank: 1, score: 8 / 11 });
    expect(row(B)).toEqual({ rank: 1, score: 8 / 11 });
    expect(row(C)).toEqual({ rank: 3, score: 5 / 11 });
    expect(row(D)).toEqual({ rank: 4, score: 2 / 11 });
    expect(new Set(doc.ranking.slice(0, 2).map((r) => r.proposal))).toEqual(new Set([A, B]));
    // Everything nobody chose shares rank 5.
    expect(new Set(doc.ranking.slice(4).map((r) => r.rank))).toEqual(new Set([5]));
    expect(doc.ranking).toHaveLength(slugs.length);
    // No request waits for rank intervals: the first answer says they are being computed.
    expect(doc.rankIntervals).toEqual({ version: null, computedAt: null, computing: true });
    expect(doc.ranking.every((r) => r.rankInterval === null)).toBe(true);
    await settleIntervals();
    const later = await readAsClosed(h.db, SLUG, () =>
      resultsDocument(h.db, {
        slug: SLUG,
        territory: "cts:14",
        weighting: "raw",
        user: user([{ role: "admin", scope: "" }]),
      }),
    );
    expect(later.rankIntervals).toMatchObject({ version: expect.any(Number), computedAt: expect.any(String) });
    expect(later.ranking[0]!.rankInterval).toEqual([expect.any(Number), expect.any(Number)]);
    expect(doc.explanation).toMatch(/ex æquo/);
  });

  it("says 'moins de 10 votants' instead of figures for a small territory", async () => {
    const doc = await readAsClosed(h.db, SLUG, () =>
      resultsDocument(h.db, {
        slug: SLUG,
        territory: "arrondissement:141",
        weighting: "raw",
        user: user([{ role: "admin", scope: "" }]),
      }),
    );
    // Not even its number of ballots (2).
    expect(doc.ballots).toBeNull();
    expect(doc.smallGroup).toBe("moins de 10 votants");
    expect(doc.ranking).toEqual([]);
  });

  it("while open, answers only administrators and CTS members for their own territory; once published, everyone", async () => {
    const ask = (territory: string, roles: Roles | null) =>
      resultsDocument(h.db, { slug: SLUG, territory, weighting: "raw", user: roles ? user(roles) : null });
    const refused = async (territory: string, roles: Roles | null) => {
      await expect(ask(territory, roles)).rejects.toBeInstanceOf(ResultsError);
      await expect(ask(territory, roles)).rejects.toMatchObject({ code: "forbidden" });
    };
    await refused("cts:14", null);
    await refused("cts:14", [{ role: "resident", scope: "" }]);
    await refused("cts:14", [{ role: "association", scope: "" }]);
    await refused("cts:76-rouen-elbeuf", [{ role: "cts_member", scope: "14" }]);
    await refused("region:28", [{ role: "cts_member", scope: "14" }]);
    await refused("arrondissement:763", [{ role: "cts_member", scope: "14" }]);
    // While open, live figures: no arrondissement of Calvados has reached a step of 10 ballots yet.
    expect((await ask("cts:14", [{ role: "cts_member", scope: "14" }])).ballots).toBe(0);
    expect((await ask("arrondissement:143", [{ role: "cts_member", scope: "14" }])).ballots).toBe(0);
    expect((await ask("region:28", [{ role: "admin", scope: "" }])).ballots).toBe(0);
    await expect(ask("cts:inconnu", [{ role: "admin", scope: "" }])).rejects.toMatchObject({ code: "not-found" });
    await expect(ask("pays:fr", [{ role: "admin", scope: "" }])).rejects.toMatchObject({ code: "invalid" });
    await expect(
      resultsDocument(h.db, { slug: "inconnue", territory: null, weighting: null, user: null }),
    ).rejects.toMatchObject({ code: "not-found" });

    await h.db.updateTable("consultations").set({ status: "results_published" }).where("slug", "=", SLUG).execute();
    try {
      expect((await ask("cts:14", null)).ballots).toBe(11);
      expect((await ask("region:28", [{ role: "resident", scope: "" }])).ballots).toBe(11);
    } finally {
      await h.db.updateTable("consultations").set({ status: "open" }).where("slug", "=", SLUG).execute();
    }
  });
});
