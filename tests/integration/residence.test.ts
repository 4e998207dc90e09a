import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DatabaseHandle } from "../../db/connect";
import { confirmAtCounter, findPersonForCounter } from "../../app/identity/counter.server";
import { loadCensus } from "../../app/identity/census.server";
import { enterPostalCode, exportPendingLetters, requestLetter } from "../../app/identity/postal-letters.server";
import { lettersCsv, lettersPdf } from "../../app/identity/postal-letter-files.server";
import { changeCommune } from "../../app/ballots/commune-change.server";
import { createResident, markEmailVerified } from "../../app/identity/users.server";
import { makePerson } from "../support/people";
import { pdfText } from "../support/pdf-text";
import { testDatabases } from "../support/databases";

const ROUEN = "76540";
const ADDRESS = { recipient: "Camille Durand", line1: "12 rue des Lilas", postalCode: "76000" };

describe.each(testDatabases)("proofs of residence on $name", ({ openLoaded }) => {
  let h: DatabaseHandle;
  let admin: string;
  beforeAll(async () => {
    h = await openLoaded();
    admin = (await makePerson(h.db, ROUEN, { roles: [{ role: "admin", scope: "" }] })).id;
  });
  afterAll(async () => h?.close());
  const level = async (id: string) =>
    (await h.db.selectFrom("users").select("assurance_level").where("id", "=", id).executeTakeFirstOrThrow())
      .assurance_level;

  it("a letter's code is made at export, only its hash kept; single use; the right code gives « Résidence »", async () => {
    const p = await makePerson(h.db, ROUEN);
    await expect(requestLetter(h.db, p.id, { ...ADDRESS, postalCode: "14000" })).rejects.toThrow(
      /n’est pas celui de Rouen/,
    );
    await requestLetter(h.db, p.id, ADDRESS);
    await expect(enterPostalCode(h.db, p.id, "ABCD2345")).rejects.toThrow(/pas encore parti/);
    const letters = await exportPendingLetters(h.db, { by: admin, format: "csv" });
    const mine = letters.find((l) => l.recipient === "Camille Durand")!;
    expect(mine.code).toMatch(/^[A-Z2-9]{8}$/);
    const row = await h.db
      .selectFrom("postal_letters")
      .selectAll()
      .where("user_id", "=", p.id)
      .executeTakeFirstOrThrow();
    expect(row.status).toBe("sent");
    expect(JSON.stringify(row)).not.toContain(mine.code);
    expect(row.code_hash).toMatch(/^[0-9a-f]{64}$/);
    const csv = lettersCsv(letters);
    expect(csv).toContain(`"${mine.code}"`);
    expect(csv).toContain('"12 rue des Lilas"');
    const pdf = await pdfText(await lettersPdf(letters, "https://priorites-sante.example"));
    // The code is drawn letter-spaced: compare without the spaces.
    expect(pdf.replace(/ /g, "")).toContain(mine.code);
    expect(pdf).toContain("Rouen");
    expect(pdf).toContain("Mon compte");
    // Exported once: a second export has nothing of it.
    expect((await exportPendingLetters(h.db, { by: admin, format: "pdf" })).length).toBe(0);
    await enterPostalCode(h.db, p.id, mine.code.toLowerCase().replace(/(.{4})/, "$1 "));
    expect(await level(p.id)).toBe("residence");
    await expect(enterPostalCode(h.db, p.id, mine.code)).rejects.toThrow(/Aucun courrier en cours/);
    const journal = await h.db.selectFrom("audit_events").select("detail").where("kind", "=", "export").execute();
    expect(journal.some((j) => /courrier\(s\) de code exporté/.test(j.detail ?? ""))).toBe(true);
  });

  it("5 wrong codes lock the letter, even the right code then; a new letter unlocks", async () => {
    const p = await makePerson(h.db, ROUEN);
    await requestLetter(h.db, p.id, ADDRESS);
    const [first] = await exportPendingLetters(h.db, { by: admin, format: "csv" });
    for (let i = 1; i <= 5; i++)
      await expect(enterPostalCode(h.db, p.id, "ZZZZ9999")).rejects.toThrow(/Code incorrect/);
    await expect(enterPostalCode(h.db, p.id, first!.code)).rejects.toThrow(/bloqué après 5 essais/);
    expect(await level(p.id)).toBe("email");
    await requestLetter(h.db, p.id, ADDRESS);
    const [second] = await exportPendingLetters(h.db, { by: admin, format: "csv" });
    await expect(enterPostalCode(h.db, p.id, first!.code)).rejects.toThrow(/Code incorrect/);
    await enterPostalCode(h.db, p.id, second!.code);
    expect(await level(p.id)).toBe("residence");
  });

  it("a code expires after 30 days; a commune change voids the letter", async () => {
    const p = await makePerson(h.db, ROUEN);
    await requestLetter(h.db, p.id, ADDRESS);
    const [letter] = await exportPendingLetters(h.db, {
      by: admin,
      format: "csv",
      now: new Date("2026-01-01T10:00:00Z"),
    });
    await expect(enterPostalCode(h.db, p.id, letter!.code, new Date("2026-01-31T10:00:01Z"))).rejects.toThrow(/expiré/);
    const q = await makePerson(h.db, ROUEN);
    await requestLetter(h.db, q.id, ADDRESS);
    const [other] = await exportPendingLetters(h.db, { by: admin, format: "csv" });
    await changeCommune(h.db, q.id, "14118");
    await expect(enterPostalCode(h.db, q.id, other!.code)).rejects.toThrow(/Aucun courrier en cours/);
  });

  it("a census keeps hashes only and verifies matching accounts at load and at e-mail confirmation", async () => {
    const before = await makePerson(h.db, ROUEN);
    const rows = [
      { email: before.email.toUpperCase(), commune: ROUEN },
      { email: "plus-tard+x@exemple.fr", commune: ROUEN },
      { email: "", commune: ROUEN },
      { email: "ailleurs@exemple.fr", commune: "33063" },
    ];
    const summary = await loadCensus(h.db, { regionCode: "28", rows });
    expect(summary).toMatchObject({ rows: 4, kept: 2, withoutEmail: 1, outsideRegion: 1, accountsVerified: 1 });
    expect(await level(before.id)).toBe("residence");
    const stored = await h.db.selectFrom("census_entries").selectAll().execute();
    expect(JSON.stringify(stored)).not.toMatch(/exemple\.fr/);
    const later = await createResident(h.db, {
      email: "plus-tard@exemple.fr",
      password: "une phrase de passe",
      communeCode: ROUEN,
    });
    if (!later.ok) throw new Error("setup");
    expect(await level(later.userId)).toBe("email");
    await markEmailVerified(h.db, later.userId);
    expect(await level(later.userId)).toBe("residence");
  });

  it("a counter agent confirms in their département only, journaled; outside is forbidden", async () => {
    const agent = await makePerson(h.db, ROUEN, { roles: [{ role: "counter_agent", scope: "76" }] });
    const here = await makePerson(h.db, ROUEN);
    const away = await makePerson(h.db, "14118");
    expect(await findPersonForCounter(h.db, agent.id, here.email.toUpperCase())).toMatchObject({ id: here.id });
    expect(await findPersonForCounter(h.db, agent.id, away.email)).toBeNull();
    await expect(confirmAtCounter(h.db, { agentId: agent.id, userId: away.id })).rejects.toMatchObject({
      code: "forbidden",
    });
    await expect(confirmAtCounter(h.db, { agentId: agent.id, userId: agent.id })).rejects.toMatchObject({
      code: "forbidden",
    });
    const done = await confirmAtCounter(h.db, { agentId: agent.id, userId: here.id });
    expect(done.level).toBe("in_person");
    const proof = await h.db
      .selectFrom("user_verifications")
      .selectAll()
      .where("user_id", "=", here.id)
      .executeTakeFirstOrThrow();
    expect(proof).toMatchObject({ method: "counter", verified_by: agent.id, commune_code: ROUEN });
    const journal = await h.db
      .selectFrom("audit_events")
      .select("detail")
      .where("user_id", "=", agent.id)
      .where("kind", "=", "verification")
      .execute();
    expect(journal.map((j) => j.detail)).toContain(`preuve « counter » enregistrée pour le compte ${here.id}`);
  });
});
