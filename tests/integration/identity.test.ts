import { changeCommune } from "../../app/ballots/commune-change.server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DatabaseHandle } from "../../db/connect";
import type { AuditKind } from "../../db/schema";
import { logIn, reauthenticate } from "../../app/identity/authentication.server";
import { acceptInvitation, inviteCtsMember } from "../../app/identity/cts-invitations.server";
import { checkEmailToken, createEmailToken } from "../../app/identity/email-tokens.server";
import { changePassword, resetPassword } from "../../app/identity/passwords.server";
import { signUp, type SignupRequest } from "../../app/identity/signup.server";
import { createResident, findUserByEmail } from "../../app/identity/users.server";
import { verifyPassword } from "../../app/identity/password.server";
import { RULES } from "../../app/platform/rate-limit.server";
import { testDatabases } from "../support/databases";

const PASSWORD = "une phrase de passe";
const NEW_PASSWORD = "cheval agrafe batterie correcte";

async function seedTerritory(h: DatabaseHandle) {
  await h.db.insertInto("regions").values({ code: "28", name: "Normandie" }).execute();
  await h.db.insertInto("departements").values({ code: "14", name: "Calvados", region_code: "28" }).execute();
  await h.db
    .insertInto("arrondissements")
    .values({ code: "143", name: "Lisieux", departement_code: "14", region_code: "28", population: 1 })
    .execute();
  await h.db
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
  await h.db.insertInto("cts_territories").values({ code: "14", name: "Calvados", region_code: "28" }).execute();
}

let counter = 0;
/** A fresh address and a fresh network per test: the rate limits are shared by the whole process. */
const unique = (label: string) => `${label}-${Date.now().toString(36)}-${counter++}@exemple.fr`;
/** An address on a /24 of its own (the journal's flood guard counts per /24). */
const network = () => `10.${Math.floor(Math.random() * 250)}.${counter++ % 250}.7`;

function signupRequest(value: SignupRequest["value"], clientAddress = network()): SignupRequest {
  return { formData: new FormData(), clientAddress, value };
}

describe.each(testDatabases)("identity on $name", ({ open }) => {
  let h: DatabaseHandle;
  beforeAll(async () => {
    h = await open();
    await seedTerritory(h);
  });
  afterAll(async () => h?.close());

  const journal = (kind: AuditKind, userId?: string) =>
    h.db
      .selectFrom("audit_events")
      .select(["kind", "user_id", "detail", "ip", "path"])
      .where("kind", "=", kind)
      .$if(userId !== undefined, (q) => q.where("user_id", "=", userId!))
      .execute();
  const outbox = (to: string) =>
    h.db.selectFrom("outbox").select(["subject", "body_text"]).where("to_address", "=", to).execute();
  const resident = async (email = unique("r")) => {
    const created = await createResident(h.db, { email, password: PASSWORD, communeCode: "14366" });
    if (!created.ok) throw new Error("setup");
    return { id: created.userId, email };
  };

  describe("signUp (both sign-up forms)", () => {
    it("makes a resident and e-mails the verification link", async () => {
      const email = unique("nouveau");
      const decision = await signUp(h.db, signupRequest({ email, password: PASSWORD, commune: "14366" }));
      expect(decision).toEqual({ kind: "sent" });
      const user = await findUserByEmail(h.db, email);
      expect(user?.email_verified_at).toBeNull();
      const roles = await h.db.selectFrom("user_roles").select("role").where("user_id", "=", user!.id).execute();
      expect(roles).toEqual([{ role: "resident" }]);
      expect((await outbox(email)).map((m) => m.subject)).toEqual([
        "Confirmez votre adresse électronique — Priorités Santé",
      ]);
    });

    it("makes an association account when asked (its one extra step: the role)", async () => {
      const email = unique("asso");
      const decision = await signUp(
        h.db,
        signupRequest({ email, password: PASSWORD, commune: "14366" }),
        "association",
      );
      expect(decision).toEqual({ kind: "sent" });
      const user = await findUserByEmail(h.db, email);
      const roles = await h.db.selectFrom("user_roles").select("role").where("user_id", "=", user!.id).execute();
      expect(roles).toEqual([{ role: "association" }]);
    });

    // Finding 6 of the security probe: the form said « Un compte existe peut-être déjà ».
    it("answers an address that already has an account exactly as a new one, and e-mails its owner instead", async () => {
      const owner = await resident(unique("deja"));
      const before = await h.db.selectFrom("users").select(h.db.fn.countAll().as("n")).executeTakeFirstOrThrow();
      for (const kind of ["resident", "association"] as const) {
        const decision = await signUp(
          h.db,
          signupRequest({ email: owner.email, password: "une autre phrase de passe", commune: "14366" }),
          kind,
        );
        expect(decision).toEqual({ kind: "sent" });
      }
      const after = await h.db.selectFrom("users").select(h.db.fn.countAll().as("n")).executeTakeFirstOrThrow();
      expect(Number(after.n)).toBe(Number(before.n));
      const mails = await outbox(owner.email);
      expect(mails.map((m) => m.subject)).toEqual([
        "Vous avez déjà un compte — Priorités Santé",
        "Vous avez déjà un compte — Priorités Santé",
      ]);
      expect(mails[0]!.body_text).toContain("/mot-de-passe-oublie");
      // The existing password is untouched.
      const user = await findUserByEmail(h.db, owner.email);
      expect(await verifyPassword(user!.password_hash, PASSWORD)).toBe(true);
    });

    it("refuses, field by field, a disposable address, an unknown commune and a weak password", async () => {
      expect(
        await signUp(h.db, signupRequest({ email: "x@yopmail.com", password: PASSWORD, commune: "14366" })),
      ).toMatchObject({ kind: "field", field: "email" });
      expect(
        await signUp(h.db, signupRequest({ email: unique("commune"), password: PASSWORD, commune: "99999" })),
      ).toMatchObject({ kind: "field", field: "commune" });
      const weak = await signUp(
        h.db,
        signupRequest({ email: unique("faible"), password: "motdepasse1", commune: "14366" }),
      );
      expect(weak).toMatchObject({ kind: "field", field: "password" });
      expect(weak.kind === "field" && weak.message).toMatch(/trop facile à deviner/);
    });

    it("stops a filled honeypot and a spent allowance before anything else, and writes nothing", async () => {
      const trapped = new FormData();
      trapped.set("site_web", "http://spam.example");
      const email = unique("robot");
      const request = {
        formData: trapped,
        clientAddress: network(),
        value: { email, password: PASSWORD, commune: "14366" },
      };
      expect(await signUp(h.db, request)).toMatchObject({ kind: "refused", status: 400 });
      const address = network();
      const limit = RULES.signupPerAddress.points * Number(process.env.RATE_LIMIT_IP_FACTOR ?? 1);
      for (let i = 0; i < limit; i++) await signUp(h.db, signupRequest(null, address));
      expect(await signUp(h.db, signupRequest({ email, password: PASSWORD, commune: "14366" }, address))).toMatchObject(
        {
          kind: "refused",
          status: 429,
        },
      );
      expect(await findUserByEmail(h.db, email)).toBeUndefined();
    });
  });

  describe("logIn and reauthenticate", () => {
    it("journals a successful login, without the e-mail typed", async () => {
      const me = await resident();
      expect(await logIn(h.db, { email: me.email, password: PASSWORD, network: network() })).toEqual({
        ok: true,
        userId: me.id,
      });
      const lines = await journal("login", me.id);
      expect(lines).toHaveLength(1);
      expect(JSON.stringify(lines)).not.toContain(me.email);
      const unknown = unique("inconnu");
      await logIn(h.db, { email: unknown, password: PASSWORD, network: network() });
      expect(JSON.stringify(await journal("login_failed"))).not.toContain(unknown);
    });

    // Finding 7 of the security probe: five failures from one network locked the owner out everywhere.
    it("locks an account on the guessing network only: the owner from another network still logs in", async () => {
      const me = await resident();
      const guesser = network();
      for (let i = 0; i < RULES.loginFailuresPerAccountNetwork.points; i++) {
        expect(await logIn(h.db, { email: me.email, password: `essai ${i}`, network: guesser })).toEqual({
          ok: false,
          reason: "wrong_password",
        });
      }
      expect(await logIn(h.db, { email: me.email, password: PASSWORD, network: guesser })).toMatchObject({
        ok: false,
        reason: "blocked",
      });
      expect(await logIn(h.db, { email: me.email, password: PASSWORD, network: network() })).toEqual({
        ok: true,
        userId: me.id,
      });
    });

    it("locks a network that tries many accounts (credential stuffing), whatever the account", async () => {
      const stuffer = network();
      const limit = RULES.loginFailuresPerAddress.points * Number(process.env.RATE_LIMIT_IP_FACTOR ?? 1);
      for (let i = 0; i < limit; i++) {
        await logIn(h.db, { email: unique("balayage"), password: "mauvais mot de passe", network: stuffer });
      }
      const me = await resident();
      expect(await logIn(h.db, { email: me.email, password: PASSWORD, network: stuffer })).toMatchObject({
        ok: false,
        reason: "blocked",
      });
    });

    it("a locked account can still reset its password by e-mail, and then log in from that network", async () => {
      const me = await resident();
      const here = network();
      for (let i = 0; i < RULES.loginFailuresPerAccountNetwork.points; i++) {
        await logIn(h.db, { email: me.email, password: `essai ${i}`, network: here });
      }
      expect(await logIn(h.db, { email: me.email, password: PASSWORD, network: here })).toMatchObject({
        reason: "blocked",
      });
      const token = await createEmailToken(h.db, me.id, "reset_password");
      expect(await resetPassword(h.db, token, NEW_PASSWORD)).toMatchObject({ ok: true, userId: me.id });
      const { clearLoginFailures } = await import("../../app/identity/authentication.server");
      await clearLoginFailures(me.email, here);
      expect(await logIn(h.db, { email: me.email, password: NEW_PASSWORD, network: here })).toEqual({
        ok: true,
        userId: me.id,
      });
    });

    // Issue 13: re-authentication was copied three times and only the login journaled its failures.
    it("re-authentication journals each failure as a failed login, for both of its uses, and counts with the login", async () => {
      const me = await resident();
      const here = network();
      for (const purpose of ["changement de mot de passe", "suppression du compte"] as const) {
        expect(await reauthenticate(h.db, { user: me, password: "pas le bon", network: here, purpose })).toEqual({
          ok: false,
          reason: "wrong_password",
        });
      }
      const lines = await journal("login_failed", me.id);
      expect(lines.map((l) => l.detail).sort()).toEqual([
        "mot de passe incorrect (changement de mot de passe)",
        "mot de passe incorrect (suppression du compte)",
      ]);
      for (let i = 2; i < RULES.loginFailuresPerAccountNetwork.points; i++) {
        await reauthenticate(h.db, {
          user: me,
          password: "pas le bon",
          network: here,
          purpose: "suppression du compte",
        });
      }
      // Guessing through « Mon compte » is stopped like guessing at the login page.
      expect(await logIn(h.db, { email: me.email, password: PASSWORD, network: here })).toMatchObject({
        reason: "blocked",
      });
      expect(
        await reauthenticate(h.db, {
          user: me,
          password: PASSWORD,
          network: network(),
          purpose: "suppression du compte",
        }),
      ).toEqual({ ok: true, userId: me.id });
    });
  });

  describe("new passwords", () => {
    // Finding 4 of the security probe: an older reset link still worked after a reset or a change.
    it("a reset with one link voids every other pending reset link of the account", async () => {
      const me = await resident();
      const older = await createEmailToken(h.db, me.id, "reset_password");
      const newer = await createEmailToken(h.db, me.id, "reset_password");
      expect(await resetPassword(h.db, newer, NEW_PASSWORD)).toMatchObject({ ok: true });
      expect(await checkEmailToken(h.db, older, "reset_password")).toBe("used");
      expect(await resetPassword(h.db, older, "une phrase choisie par un voleur")).toEqual({
        ok: false,
        reason: "used",
      });
      const user = await findUserByEmail(h.db, me.email);
      expect(await verifyPassword(user!.password_hash, NEW_PASSWORD)).toBe(true);
    });

    it("a password change in « Mon compte » voids every pending reset link", async () => {
      const me = await resident();
      const pending = await createEmailToken(h.db, me.id, "reset_password");
      const verification = await createEmailToken(h.db, me.id, "verify_email");
      expect(await changePassword(h.db, me, NEW_PASSWORD)).toMatchObject({ ok: true });
      expect(await resetPassword(h.db, pending, "une phrase choisie par un voleur")).toEqual({
        ok: false,
        reason: "used",
      });
      // Other kinds of links are not this rule's business.
      expect(await checkEmailToken(h.db, verification, "verify_email")).toBe("valid");
    });

    it("refuses a weak new password with the reason, and keeps the reset link usable", async () => {
      const me = await resident("camille.martin@exemple.fr");
      const token = await createEmailToken(h.db, me.id, "reset_password");
      const weak = await resetPassword(h.db, token, "camillemartin14");
      expect(weak).toMatchObject({ ok: false, reason: "weak" });
      expect(await checkEmailToken(h.db, token, "reset_password")).toBe("valid");
      expect(await changePassword(h.db, me, "Azertyuiop1")).toMatchObject({ ok: false, reason: "weak" });
    });

    // Finding 9 of the security probe: changes and resets left no trace in the journal.
    it("journals a change and a reset, with no password nor token in the line", async () => {
      const me = await resident();
      await changePassword(h.db, me, NEW_PASSWORD);
      const token = await createEmailToken(h.db, me.id, "reset_password");
      await resetPassword(h.db, token, "une troisième phrase de passe");
      const lines = [...(await journal("password_changed", me.id)), ...(await journal("password_reset", me.id))];
      expect(lines.map((l) => l.kind)).toEqual(["password_changed", "password_reset"]);
      const text = JSON.stringify(lines);
      for (const secret of [NEW_PASSWORD, "une troisième phrase de passe", token, me.email])
        expect(text).not.toContain(secret);
    });
  });

  it("journals a change of commune, without the place", async () => {
    const me = await resident();
    await changeCommune(h.db, me.id, "14366");
    const lines = await journal("commune_change", me.id);
    expect(lines).toHaveLength(1);
    expect(lines[0]!.detail).not.toContain("14366");
  });

  it("a CTS invitation refuses a weak password for the account it makes, and stays usable", async () => {
    const admin = await resident();
    const email = unique("invite");
    expect(await inviteCtsMember(h.db, { email, ctsCode: "14", invitedBy: admin.id })).toEqual({ ok: true });
    const mail = (await outbox(email))[0]!;
    const token = mail.body_text.match(/token=([A-Za-z0-9_-]+)/)![1]!;
    const weak = await acceptInvitation(h.db, token, { newAccount: { password: "soleil1234", communeCode: "14366" } });
    expect(weak).toMatchObject({ ok: false, reason: "weak_password" });
    expect(
      await acceptInvitation(h.db, token, { newAccount: { password: PASSWORD, communeCode: "14366" } }),
    ).toMatchObject({
      ok: true,
    });
  });
});
