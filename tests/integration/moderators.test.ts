import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DatabaseHandle } from "../../db/connect";
import { postComment } from "../../app/comments/comments.server";
import {
  grantScopedRole,
  listModerators,
  revokeScopedRole,
  type ScopedRoleChange,
} from "../../app/identity/scoped-roles.server";
import { moderate, moderatedRegions, moderationQueue, flagContent } from "../../app/moderation/moderation.server";
import { Refusal } from "../../app/platform/refusal";
import { testDatabases } from "../support/databases";
import { makePerson } from "../support/people";
// Refusals are asserted as the status the administrator gets (the routes layer's mapping).
import { REFUSAL_STATUS } from "../../app/web/access.server";

// Issue 17, point 13: administrators give and take back the moderator role for a region (page and
// command share grantScopedRole/revokeScopedRole), journaled and told by e-mail; an administrator
// moderates every region.

async function refusal(promise: Promise<unknown>): Promise<{ status: number; message: string }> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof Refusal) return { status: REFUSAL_STATUS[error.code], message: error.message };
    throw error;
  }
  throw new Error("expected a refusal");
}

describe.each(testDatabases)("moderators granted by administrators on $name", ({ openLoaded }) => {
  let h: DatabaseHandle;
  let admin: Awaited<ReturnType<typeof makePerson>>;
  const roles = (userId: string) =>
    h.db.selectFrom("user_roles").select(["role", "scope"]).where("user_id", "=", userId).orderBy("role").execute();
  const journal = () =>
    h.db
      .selectFrom("audit_events")
      .select(["user_id", "detail"])
      .where("kind", "=", "role_change")
      .orderBy("created_at")
      .execute();
  const mails = (to: string) =>
    h.db
      .selectFrom("outbox")
      .select(["subject", "body_text"])
      .where("to_address", "=", to)
      .orderBy("created_at")
      .execute();
  const change = (email: string, scope: string, role: ScopedRoleChange["role"] = "moderator"): ScopedRoleChange => ({
    email,
    role,
    scope,
    by: { id: admin.id, label: "un administrateur" },
  });

  beforeAll(async () => {
    h = await openLoaded();
    admin = await makePerson(h.db, "14118", { roles: [{ role: "admin", scope: "" }] });
  });
  afterAll(async () => h?.close());

  it("gives the role for a region: journaled with the administrator, the person told by e-mail, listed", async () => {
    const person = await makePerson(h.db);
    const before = (await journal()).length;
    // The address as an administrator may type it: upper case, spaces.
    const done = await grantScopedRole(h.db, change(`  ${person.email.toUpperCase()} `, "28"));
    expect(done).toEqual({ userId: person.id, email: person.email, place: "la région Normandie" });
    expect(await roles(person.id)).toEqual([
      { role: "moderator", scope: "28" },
      { role: "resident", scope: "" },
    ]);
    const events = (await journal()).slice(before);
    expect(events).toEqual([
      {
        user_id: admin.id,
        detail: `rôle moderator (28) donné au compte ${person.id} par un administrateur`,
      },
    ]);
    const [mail] = await mails(person.email);
    expect(mail!.subject).toBe("Vous êtes modérateur·rice pour la région Normandie — Priorités Santé");
    expect(mail!.body_text).toContain("vous a confié la modération de la région Normandie");
    expect(mail!.body_text).toMatch(/Votre espace : http\S+\/moderation /);
    expect(await listModerators(h.db)).toContainEqual(
      expect.objectContaining({ userId: person.id, email: person.email, regionCode: "28", regionName: "Normandie" }),
    );
    // A moderator of Normandie sees its queue, no other region's.
    expect(await moderatedRegions(h.db, { roles: await roles(person.id) })).toEqual({
      everyRegion: false,
      regions: ["28"],
    });
  });

  it("refuses in French, writing nothing: unknown account, unknown region, already a moderator, not a moderator", async () => {
    const person = await makePerson(h.db);
    await grantScopedRole(h.db, change(person.email, "28"));
    const journalBefore = (await journal()).length;
    const mailsBefore = (await mails(person.email)).length;
    expect(await refusal(grantScopedRole(h.db, change("personne@exemple.fr", "28")))).toEqual({
      status: 404,
      message: "Aucun compte pour personne@exemple.fr : la personne doit d’abord s’inscrire.",
    });
    expect(await refusal(grantScopedRole(h.db, change(person.email, "99")))).toEqual({
      status: 400,
      message: "Région inconnue : « 99 » (code INSEE de région attendu, par exemple 28 pour la Normandie).",
    });
    expect(await refusal(grantScopedRole(h.db, change(person.email, "28")))).toEqual({
      status: 409,
      message: `${person.email} est déjà modérateur·rice pour la région Normandie.`,
    });
    expect(await refusal(revokeScopedRole(h.db, change(person.email, "11")))).toEqual({
      status: 409,
      message: `${person.email} n’est pas modérateur·rice pour la région Île-de-France.`,
    });
    expect((await refusal(revokeScopedRole(h.db, change(person.email, "99")))).status).toBe(400);
    expect(await journal()).toHaveLength(journalBefore);
    expect(await mails(person.email)).toHaveLength(mailsBefore);
    expect((await roles(person.id)).filter((r) => r.role === "moderator")).toEqual([
      { role: "moderator", scope: "28" },
    ]);
  });

  it("takes the role back for one region, keeps the other; journaled and told", async () => {
    const person = await makePerson(h.db);
    await grantScopedRole(h.db, change(person.email, "28"));
    await grantScopedRole(h.db, change(person.email, "11"));
    const before = (await journal()).length;
    const done = await revokeScopedRole(h.db, change(person.email, "28"));
    expect(done.place).toBe("la région Normandie");
    expect((await roles(person.id)).filter((r) => r.role === "moderator")).toEqual([
      { role: "moderator", scope: "11" },
    ]);
    expect((await journal()).slice(before)).toEqual([
      { user_id: admin.id, detail: `rôle moderator (28) retiré au compte ${person.id} par un administrateur` },
    ]);
    const last = (await mails(person.email)).at(-1)!;
    expect(last.subject).toBe("Vous n’êtes plus modérateur·rice pour la région Normandie — Priorités Santé");
    expect(last.body_text).toContain("sa file de modération ne vous est plus ouverte");
    const listed = (await listModerators(h.db)).filter((m) => m.userId === person.id);
    expect(listed.map((m) => m.regionCode)).toEqual(["11"]);
  });

  it("counter agents follow the same rule, for a département", async () => {
    const person = await makePerson(h.db);
    const done = await grantScopedRole(h.db, change(person.email, "14", "counter_agent"));
    expect(done.place).toBe("le département Calvados (14)");
    expect((await mails(person.email)).at(-1)!.body_text).toMatch(/\/guichet /);
    expect(await refusal(grantScopedRole(h.db, change(person.email, "2C", "counter_agent")))).toEqual({
      status: 400,
      message: "Département inconnu : « 2C » (exemples : 76, 2A, 971).",
    });
    await revokeScopedRole(h.db, change(person.email, "14", "counter_agent"));
    expect((await roles(person.id)).map((r) => r.role)).toEqual(["resident"]);
  });

  it("an administrator moderates every region without the moderator role", async () => {
    const everyRegion = await moderatedRegions(h.db, admin);
    expect(everyRegion.everyRegion).toBe(true);
    expect(everyRegion.regions).toContain("28");
    expect(everyRegion.regions).toContain("11");
    const proposal = await h.db
      .selectFrom("proposals")
      .innerJoin("consultations", "consultations.id", "proposals.consultation_id")
      .select("proposals.id")
      .where("consultations.slug", "=", "normandie-cnr-sante-2022")
      .executeTakeFirstOrThrow();
    const author = await makePerson(h.db);
    const { id } = await postComment(h.db, {
      proposalId: proposal.id,
      actor: author,
      stance: "for",
      body: "Un commentaire qu’un administrateur examine.",
      anonymous: true,
    });
    await flagContent(h.db, { kind: "comment", id, reporterId: (await makePerson(h.db)).id, reason: "spam" });
    const queue = await moderationQueue(h.db, everyRegion.regions);
    expect(queue.map((q) => q.id)).toContain(id);
    await moderate(h.db, { moderator: admin, intent: "hide", kind: "comment", id, reason: "spam" });
    const row = await h.db.selectFrom("comments").select("moderation").where("id", "=", id).executeTakeFirstOrThrow();
    expect(row.moderation).toBe("hidden");
    // A resident with neither role moderates nothing.
    const resident = await makePerson(h.db);
    expect(await moderatedRegions(h.db, resident)).toEqual({ everyRegion: false, regions: [] });
    expect(await refusal(moderate(h.db, { moderator: resident, intent: "restore", kind: "comment", id }))).toEqual({
      status: 403,
      message: "Cet élément relève d’une région que vous ne modérez pas.",
    });
  });
});
