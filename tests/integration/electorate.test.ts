import { Migrator, type Kysely } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DatabaseHandle } from "../../db/connect";
import { migrations } from "../../db/migrations";
import { changeBallot } from "../../app/ballots/ballots.server";
import { postComment } from "../../app/comments/comments.server";
import { listMailboxDuplicates } from "../../app/identity/mailboxes.server";
import { listSignals, SIGNAL_RULES } from "../../app/identity/signals.server";
import { createResident, findUserByEmail } from "../../app/identity/users.server";
import { flagContent } from "../../app/moderation/moderation.server";
import { testDatabases } from "../support/databases";
import { makePerson } from "../support/people";

// Findings 3 and 5 of issue 14 (one mailbox, one account; signals, not silent removal), and the
// "counted once per author" of reports.

const NORMANDIE = "normandie-cnr-sante-2022";
const PASSWORD = "une phrase de passe";

describe.each(testDatabases)("one mailbox, one account on $name", ({ openLoaded, openEmpty }) => {
  let h: DatabaseHandle;
  beforeAll(async () => {
    h = await openLoaded();
  });
  afterAll(async () => h?.close());

  it("refuses a second account for the same mailbox (+tag, case, Gmail dots); the address stays as typed", async () => {
    const stamp = Date.now().toString(36);
    const first = await createResident(h.db, {
      email: `camille.${stamp}@gmail.com`,
      password: PASSWORD,
      communeCode: "14366",
    });
    expect(first.ok).toBe(true);
    for (const other of [
      `camille.${stamp}+1@gmail.com`,
      `camille${stamp}@googlemail.com`,
      `c.a.mille.${stamp}+x@gmail.com`,
    ]) {
      expect(await createResident(h.db, { email: other, password: PASSWORD, communeCode: "14366" })).toEqual({
        ok: false,
        reason: "email_taken",
      });
      expect((await findUserByEmail(h.db, other))?.email).toBe(`camille.${stamp}@gmail.com`);
    }
    const plain = await createResident(h.db, {
      email: `dom.${stamp}@exemple.fr`,
      password: PASSWORD,
      communeCode: "14366",
    });
    expect(plain.ok).toBe(true);
    expect(
      (await createResident(h.db, { email: `dom.${stamp}+2@exemple.fr`, password: PASSWORD, communeCode: "14366" })).ok,
    ).toBe(false);
    // Dots count at other providers.
    expect(
      (await createResident(h.db, { email: `dom${stamp}@exemple.fr`, password: PASSWORD, communeCode: "14366" })).ok,
    ).toBe(true);
  });

  it("the migration keeps the oldest account of a mailbox canonical, leaves later ones out, and lists them", async () => {
    const e = await openEmpty();
    try {
      const migrator = new Migrator({
        db: e.db,
        provider: { getMigrations: async () => migrations },
        ...(e.schema ? { migrationTableSchema: e.schema } : {}),
      });
      const before = await migrator.migrateTo("2026_12_04_1700_english_codes");
      if (before.error) throw before.error;
      const old = e.db as unknown as Kysely<Record<string, Record<string, unknown>>>;
      await old.insertInto("regions").values({ code: "28", name: "Normandie" }).execute();
      await old.insertInto("departements").values({ code: "14", name: "Calvados", region_code: "28" }).execute();
      await old
        .insertInto("arrondissements")
        .values({ code: "143", name: "Lisieux", departement_code: "14", region_code: "28", population: 1 })
        .execute();
      await old
        .insertInto("communes")
        .values({
          code: "14366",
          name: "Lisieux",
          kind: "commune",
          parent_code: null,
          arrondissement_code: "143",
          departement_code: "14",
          region_code: "28",
          population: 1,
          postal_codes: "14100",
          search_name: "lisieux",
        })
        .execute();
      const user = (id: string, email: string, at: string) => ({
        id,
        email,
        password_hash: "x",
        email_verified_at: at,
        commune_code: "14366",
        display_name: null,
        created_at: at,
        updated_at: at,
      });
      await old
        .insertInto("users")
        .values([
          user("u2", "a+1@exemple.fr", "2026-02-01T00:00:00.000Z"),
          user("u1", "a@exemple.fr", "2026-01-01T00:00:00.000Z"),
          user("u3", "a+2@exemple.fr", "2026-03-01T00:00:00.000Z"),
          user("u4", "b@exemple.fr", "2026-03-01T00:00:00.000Z"),
        ])
        .execute();
      const after = await migrator.migrateToLatest();
      if (after.error) throw after.error;
      const rows = await e.db.selectFrom("users").select(["id", "email", "email_canonical"]).orderBy("id").execute();
      expect(rows).toEqual([
        { id: "u1", email: "a@exemple.fr", email_canonical: "a@exemple.fr" },
        { id: "u2", email: "a+1@exemple.fr", email_canonical: null },
        { id: "u3", email: "a+2@exemple.fr", email_canonical: null },
        { id: "u4", email: "b@exemple.fr", email_canonical: "b@exemple.fr" },
      ]);
      const duplicates = await listMailboxDuplicates(e.db);
      expect(duplicates.map((d) => [d.mailbox, d.accounts.map((a) => a.id)])).toEqual([
        ["a@exemple.fr", ["u1", "u2", "u3"]],
      ]);
      // The legacy duplicate still signs in with its own address.
      expect((await findUserByEmail(e.db, "a+2@exemple.fr"))?.id).toBe("u3");
    } finally {
      await e.close();
    }
  });
});

describe.each(testDatabases)("signals on $name", ({ openLoaded }) => {
  let h: DatabaseHandle;
  let proposals: string[];
  beforeAll(async () => {
    h = await openLoaded();
    proposals = (
      await h.db
        .selectFrom("proposals")
        .innerJoin("consultations", "consultations.id", "proposals.consultation_id")
        .select("proposals.id")
        .where("consultations.slug", "=", NORMANDIE)
        .orderBy("proposals.position")
        .execute()
    ).map((r) => r.id);
  });
  afterAll(async () => h?.close());

  it("lists bursts of sign-ups from one network, identical ballots, and authors reported by several people", async () => {
    const burst = Array.from({ length: SIGNAL_RULES.network.accounts }, () => makePerson(h.db, "14366"));
    const people = await Promise.all(burst);
    await h.db
      .updateTable("users")
      .set({ signup_network: "empreinte-de-test" })
      .where(
        "id",
        "in",
        people.map((p) => p.id),
      )
      .execute();
    for (const p of people) {
      await changeBallot(h.db, { consultationSlug: NORMANDIE, voter: p }, () => ({ selections: [proposals[0]!] }));
    }
    // One reporter on three comments of one author, two others on one: three people, five reports.
    const author = people[0]!;
    const comments = [];
    for (let i = 0; i < 3; i++) {
      comments.push(
        await postComment(h.db, {
          proposalId: proposals[i]!,
          actor: author,
          stance: "for",
          body: `Un avis argumenté numéro ${i}.`,
          anonymous: true,
        }),
      );
    }
    for (const c of comments)
      await flagContent(h.db, { kind: "comment", id: c.id, reporterId: people[1]!.id, reason: "spam" });
    await flagContent(h.db, { kind: "comment", id: comments[0]!.id, reporterId: people[2]!.id, reason: "spam" });
    const signals = await listSignals(h.db);
    expect(signals.networks).toEqual([
      expect.objectContaining({ network: "réseau empreint", accounts: SIGNAL_RULES.network.accounts }),
    ]);
    expect(signals.ballots).toEqual([
      expect.objectContaining({ consultation: NORMANDIE, ballots: SIGNAL_RULES.ballots.ballots }),
    ]);
    // Two people so far: under the threshold, whatever the number of reports.
    expect(signals.reportedAuthors).toEqual([]);
    await flagContent(h.db, { kind: "comment", id: comments[1]!.id, reporterId: people[3]!.id, reason: "spam" });
    expect((await listSignals(h.db)).reportedAuthors).toEqual([
      expect.objectContaining({ reporters: 3, flags: 5, comments: 3 }),
    ]);
    // Nothing was removed: every account and ballot is still there.
    expect(
      await h.db
        .selectFrom("ballots")
        .select("id")
        .where(
          "user_id",
          "in",
          people.map((p) => p.id),
        )
        .execute(),
    ).toHaveLength(people.length);
  });
});
