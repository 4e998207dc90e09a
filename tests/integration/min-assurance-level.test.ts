import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DatabaseHandle } from "../../db/connect";
import { readContentVersion } from "../../db/content-version";
import { setMinAssuranceLevel } from "../../app/ballots/lifecycle.server";
import { ASSURANCE_LABELS } from "../../app/identity/assurance";
import type { SessionUser } from "../../app/identity/session.server";
import { findConsultationForVoteAt, readVoting } from "../../app/voting/voting.server";
import { testDatabases } from "../support/databases";

// A consultation's minimum level, as the administrator sets it: the vote sees it at once (the
// content version moves) and a resident below it is told so, with the way to « Mon compte ».

const SLUG = "normandie-cnr-sante-2022";

describe.each(testDatabases)("minimum level to vote on $name", ({ openLoaded }) => {
  let h: DatabaseHandle;
  beforeAll(async () => {
    h = await openLoaded();
    await h.db.updateTable("consultations").set({ status: "open" }).where("slug", "=", SLUG).execute();
  });
  afterAll(async () => h?.close());

  const resident = (level: SessionUser["assuranceLevel"]) =>
    ({
      id: "00000000-0000-0000-0000-000000000001",
      email: "a@exemple.fr",
      emailVerified: true,
      communeCode: "76540",
      displayName: null,
      assuranceLevel: level,
      roles: [{ role: "resident", scope: "" }],
    }) as SessionUser;

  it("moves the content version and refuses a resident below it, saying how to get there", async () => {
    const before = await readContentVersion(h.db);
    const consultation = (await findConsultationForVoteAt(h.db, before, SLUG))!;
    expect(consultation.min_assurance_level).toBe("email");
    await setMinAssuranceLevel(h.db, consultation.id, "identity");
    const after = await readContentVersion(h.db);
    expect(after).not.toBe(before);
    const now = (await findConsultationForVoteAt(h.db, after, SLUG))!;
    expect(now.min_assurance_level).toBe("identity");

    const below = await readVoting(h.db, after, now, resident("email"), `/consultations/${SLUG}`);
    expect(below).toMatchObject({ kind: "refused", belowLevel: true });
    if (below.kind !== "refused") throw new Error("refused expected");
    expect(below.reason).toContain("FranceConnect");
    const enough = await readVoting(h.db, after, now, resident("identity"), `/consultations/${SLUG}`);
    expect(enough.kind).toBe("open");
  });

  it("writes each change to the security journal, from and to, and nothing when the level stays", async () => {
    const journal = () =>
      h.db
        .selectFrom("audit_events")
        .select("detail")
        .where("kind", "=", "consultation_setting")
        .orderBy("created_at")
        .execute();
    const consultation = await h.db
      .selectFrom("consultations")
      .select(["id", "min_assurance_level"])
      .where("slug", "=", SLUG)
      .executeTakeFirstOrThrow();
    const before = (await journal()).length;
    await setMinAssuranceLevel(h.db, consultation.id, "residence");
    await setMinAssuranceLevel(h.db, consultation.id, "residence");
    await setMinAssuranceLevel(h.db, consultation.id, "email");
    const rows = (await journal()).slice(before);
    expect(rows.map((r) => r.detail)).toEqual([
      `${SLUG} : niveau minimal pour voter « ${ASSURANCE_LABELS[consultation.min_assurance_level]} » → « ${ASSURANCE_LABELS.residence} »`,
      `${SLUG} : niveau minimal pour voter « ${ASSURANCE_LABELS.residence} » → « ${ASSURANCE_LABELS.email} »`,
    ]);
  });
});
