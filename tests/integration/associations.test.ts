import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DatabaseHandle } from "../../db/connect";
import {
  applyAsAssociation,
  createAssociationAccount,
  decideAssociation,
  getAssociationPage,
  getAttachment,
  listContributionsForProposal,
  publishDraft,
  saveContribution,
  type ApplicationInput,
} from "../../app/associations/associations.server";
import { CommentError, postComment } from "../../app/comments/comments.server";
import { parse } from "csv-parse/sync";
import { buildCtsExport, ctsExportCsv } from "../../app/comments/cts-export.server";
import { parseOrganisationId } from "../../app/comments/identifiers";
import { moderate, flagContent } from "../../app/moderation/moderation.server";
import { markEmailVerified } from "../../app/identity/users.server";
import { testDatabases } from "../support/databases";
import { makePerson } from "../support/people";
// Refusals are asserted as the status the person gets (the routes layer's mapping of their code).
import { REFUSAL_STATUS } from "../../app/web/access.server";

const NORMANDIE = "normandie-cnr-sante-2022";
const PDF = Buffer.from("%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n");
const ASSOCIATION_ROLES = [{ role: "association", scope: "" }];

async function refusal(promise: Promise<unknown>): Promise<{ status: number; message: string }> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof CommentError) return { status: REFUSAL_STATUS[error.code], message: error.message };
    throw error;
  }
  throw new Error("expected a refusal");
}

describe("organisation identifiers", () => {
  it("reads an RNA or a Luhn-valid SIREN, and names what is wrong otherwise", () => {
    expect(parseOrganisationId("w 751 234 567")).toEqual({ ok: true, id: { kind: "rna", value: "W751234567" } });
    expect(parseOrganisationId("732 829 320")).toEqual({ ok: true, id: { kind: "siren", value: "732829320" } });
    expect(parseOrganisationId("732 829 321")).toMatchObject({
      ok: false,
      message: expect.stringMatching(/clé de contrôle/),
    });
    expect(parseOrganisationId("W12345678")).toMatchObject({
      ok: false,
      message: expect.stringMatching(/W suivi de 9 chiffres/),
    });
    expect(parseOrganisationId("<script>")).toMatchObject({ ok: false });
  });
});

describe.each(testDatabases)("associations and their contributions on $name", ({ openLoaded }) => {
  let h: DatabaseHandle;
  let proposalIds: string[];
  let n = 0;
  const admin = { id: "", email: "" };

  const application = (over: Partial<ApplicationInput> = {}): ApplicationInput => ({
    name: "France Assos Santé Normandie",
    identifier: { kind: "rna", value: `W14${String(1_000_000 + n++).padStart(7, "0")}` },
    territories: ["departement:14", "cts:76-rouen-elbeuf"],
    contactName: "Claude Martin",
    contactEmail: "contact@exemple.fr",
    ...over,
  });

  async function associationAccount(verified = true) {
    const email = `asso${n++}@exemple.fr`;
    const created = await createAssociationAccount(h.db, {
      email,
      password: "une phrase de passe",
      communeCode: "14118",
    });
    if (!created.ok) throw new Error("setup");
    if (verified) await markEmailVerified(h.db, created.userId);
    return { id: created.userId, email, emailVerified: verified, roles: ASSOCIATION_ROLES };
  }

  async function verifiedAssociation(over: Partial<ApplicationInput> = {}) {
    const user = await associationAccount();
    const { id, slug } = await applyAsAssociation(h.db, { user, application: application(over) });
    await decideAssociation(h.db, { associationId: id, admin, decision: "verify" });
    return { user, id, slug };
  }

  const count = async (table: "contributions" | "contribution_files" | "associations") =>
    Number(
      (
        await h.db
          .selectFrom(table)
          .select((eb) => eb.fn.countAll<number>().as("n"))
          .executeTakeFirstOrThrow()
      ).n,
    );

  beforeAll(async () => {
    h = await openLoaded();
    const rows = await h.db
      .selectFrom("proposals")
      .innerJoin("consultations", "consultations.id", "proposals.consultation_id")
      .select("proposals.id")
      .where("consultations.slug", "=", NORMANDIE)
      .orderBy("proposals.position")
      .execute();
    proposalIds = rows.map((r) => r.id);
    const person = await makePerson(h.db, "14118", { roles: [{ role: "admin", scope: "" }] });
    admin.id = person.id;
    admin.email = person.email;
  });
  afterAll(async () => h?.close());

  it("creates an organisation account that is not a resident", async () => {
    const user = await associationAccount();
    const roles = await h.db.selectFrom("user_roles").select("role").where("user_id", "=", user.id).execute();
    expect(roles.map((r) => r.role)).toEqual(["association"]);
  });

  it("takes an application only from a verified association account, with known territories and a free identifier", async () => {
    const resident = await makePerson(h.db);
    expect((await refusal(applyAsAssociation(h.db, { user: resident, application: application() }))).status).toBe(403);
    const unverified = await associationAccount(false);
    expect((await refusal(applyAsAssociation(h.db, { user: unverified, application: application() }))).message).toMatch(
      /Confirmez/,
    );
    const user = await associationAccount();
    expect(
      (await refusal(applyAsAssociation(h.db, { user, application: application({ territories: ["departement:99"] }) })))
        .status,
    ).toBe(400);
    const first = application();
    await applyAsAssociation(h.db, { user, application: first });
    const row = await h.db
      .selectFrom("associations")
      .selectAll()
      .where("user_id", "=", user.id)
      .executeTakeFirstOrThrow();
    expect(row).toMatchObject({ status: "pending", identifier_kind: "rna", slug: "france-assos-sante-normandie" });
    const impostor = await associationAccount();
    const before = await count("associations");
    expect(
      (
        await refusal(
          applyAsAssociation(h.db, { user: impostor, application: { ...application(), identifier: first.identifier } }),
        )
      ).status,
    ).toBe(409);
    expect(await count("associations")).toBe(before);
  });

  it("verifies or refuses with a reason, e-mails the decision, logs it; a refused identifier stays free", async () => {
    const refusedUser = await associationAccount();
    const app = application({ name: "Association refusée" });
    const { id } = await applyAsAssociation(h.db, { user: refusedUser, application: app });
    await decideAssociation(h.db, {
      associationId: id,
      admin,
      decision: "refuse",
      reason: "Le numéro RNA ne correspond pas à cette association.",
    });
    expect((await refusal(decideAssociation(h.db, { associationId: id, admin, decision: "verify" }))).status).toBe(409);
    const mail = await h.db
      .selectFrom("outbox")
      .selectAll()
      .where("to_address", "=", refusedUser.email)
      .orderBy("created_at", "desc")
      .executeTakeFirstOrThrow();
    expect(mail.subject).toMatch(/n’a pas été acceptée/);
    expect(mail.body_text).toContain("Motif : Le numéro RNA ne correspond pas à cette association.");
    const log = await h.db.selectFrom("moderation_log").selectAll().where("target_id", "=", id).execute();
    expect(log).toMatchObject([
      { action: "association_refused", actor_label: admin.email, target_kind: "association" },
    ]);
    // The real association can use the identifier; the refused one may apply again.
    const real = await associationAccount();
    await applyAsAssociation(h.db, { user: real, application: { ...application(), identifier: app.identifier } });
    await applyAsAssociation(h.db, {
      user: refusedUser,
      application: application({ name: "Association refusée, corrigée" }),
    });
    expect(
      (await h.db.selectFrom("associations").select("status").where("id", "=", id).executeTakeFirstOrThrow()).status,
    ).toBe("pending");
  });

  it("lets an unverified association draft, not publish; a verified one publishes with a PDF kept in the database", async () => {
    const user = await associationAccount();
    const { id: associationId, slug } = await applyAsAssociation(h.db, { user, application: application() });
    const proposalId = proposalIds[0]!;
    expect(
      (
        await refusal(
          saveContribution(h.db, {
            user,
            proposalId,
            title: "Notre avis",
            body: "Un texte argumenté de l’association.",
            publish: true,
          }),
        )
      ).message,
    ).toMatch(/pas encore vérifiée/);
    const draft = await saveContribution(h.db, {
      user,
      proposalId,
      title: "Notre avis",
      body: "Un texte argumenté de l’association.",
      publish: false,
    });
    expect(draft.published).toBe(false);
    expect(await listContributionsForProposal(h.db, proposalId, null)).toEqual([]);
    await decideAssociation(h.db, { associationId, admin, decision: "verify" });
    await publishDraft(h.db, { user, contributionId: draft.id });
    const published = await saveContribution(h.db, {
      user,
      proposalId,
      title: "Étude jointe",
      body: "Voir notre étude en pièce jointe.",
      publish: true,
      file: { filename: "étude <2026>.pdf", bytes: PDF },
    });
    const list = await listContributionsForProposal(h.db, proposalId, null);
    expect(list.map((c) => c.id).sort()).toEqual([draft.id, published.id].sort());
    const withFile = list.find((c) => c.id === published.id)!;
    expect(withFile.association.territories).toEqual(["Calvados (14)", "CTS Rouen-Elbeuf"]);
    expect(withFile.file).toMatchObject({ filename: "etude-2026.pdf", size: PDF.byteLength });
    const file = await getAttachment(h.db, withFile.file!.id, null);
    expect(Buffer.compare(file!.content, PDF)).toBe(0);
    const page = await getAssociationPage(h.db, slug);
    expect(page?.contributions.map((c) => c.id).sort()).toEqual([draft.id, published.id].sort());
  });

  it("refuses an HTML file named .pdf and a 6 MB file; nothing partial is stored", async () => {
    const { user } = await verifiedAssociation();
    const before = { contributions: await count("contributions"), files: await count("contribution_files") };
    const html = Buffer.from("<!doctype html><html><body><script>alert(1)</script></body></html>");
    const asHtml = await refusal(
      saveContribution(h.db, {
        user,
        proposalId: proposalIds[1]!,
        title: "Faux PDF",
        body: "Une pièce jointe piégée.",
        publish: true,
        file: { filename: "rapport.pdf", bytes: html },
      }),
    );
    expect(asHtml).toEqual({ status: 400, message: expect.stringMatching(/n’est pas un PDF/) });
    const big = Buffer.concat([Buffer.from("%PDF-1.7\n"), Buffer.alloc(6 * 1024 * 1024)]);
    const tooBig = await refusal(
      saveContribution(h.db, {
        user,
        proposalId: proposalIds[1]!,
        title: "Gros PDF",
        body: "Une pièce jointe trop lourde.",
        publish: true,
        file: { filename: "gros.pdf", bytes: big },
      }),
    );
    expect(tooBig).toEqual({ status: 400, message: "Le fichier dépasse 5 Mo." });
    expect({ contributions: await count("contributions"), files: await count("contribution_files") }).toEqual(before);
  });

  it("keeps contributions to the regions the association works in and to open consultations", async () => {
    const { user } = await verifiedAssociation({ territories: ["departement:75"] });
    expect(
      (
        await refusal(
          saveContribution(h.db, {
            user,
            proposalId: proposalIds[2]!,
            title: "Hors région",
            body: "Une région où nous n’agissons pas.",
            publish: true,
          }),
        )
      ).status,
    ).toBe(403);
  });

  it("serves no attachment of a hidden contribution, except to its association", async () => {
    const { user } = await verifiedAssociation();
    const moderator = await makePerson(h.db, "14118", { roles: [{ role: "moderator", scope: "28" }] });
    const { id } = await saveContribution(h.db, {
      user,
      proposalId: proposalIds[3]!,
      title: "À masquer",
      body: "Une contribution bientôt masquée.",
      publish: true,
      file: { filename: "a.pdf", bytes: PDF },
    });
    const reporter = await makePerson(h.db);
    await flagContent(h.db, { kind: "contribution", id, reporterId: reporter.id, reason: "off_topic" });
    expect(
      (await refusal(flagContent(h.db, { kind: "contribution", id, reporterId: user.id, reason: "spam" }))).status,
    ).toBe(403);
    await moderate(h.db, { moderator, intent: "hide", kind: "contribution", id, reason: "off_topic" });
    const fileId = (
      await h.db
        .selectFrom("contribution_files")
        .select("id")
        .where("contribution_id", "=", id)
        .executeTakeFirstOrThrow()
    ).id;
    expect(await getAttachment(h.db, fileId, null)).toBeNull();
    expect(await getAttachment(h.db, fileId, user.id)).not.toBeNull();
    const shown = (await listContributionsForProposal(h.db, proposalIds[3]!, null)).find((c) => c.id === id)!;
    expect(shown).toMatchObject({ state: "hidden", hiddenReason: "off_topic", title: "", body: "", file: null });
  });

  it("tells the association in proper French that its contribution is hidden pending review", async () => {
    const { user } = await verifiedAssociation();
    const { id } = await saveContribution(h.db, {
      user,
      proposalId: proposalIds[3]!,
      title: "Signalée trois fois",
      body: "Une contribution que trois personnes signalent.",
      publish: true,
    });
    for (let i = 0; i < 3; i++)
      await flagContent(h.db, { kind: "contribution", id, reporterId: (await makePerson(h.db)).id, reason: "spam" });
    const mail = await h.db
      .selectFrom("outbox")
      .select(["subject", "body_text"])
      .where("to_address", "=", user.email)
      .orderBy("created_at", "desc")
      .executeTakeFirstOrThrow();
    expect(mail.subject).toContain("Votre contribution est masquée en attente d’examen");
    expect(mail.body_text).toContain("signalée par plusieurs personnes : elle est masquée le temps");
    expect(mail.body_text).not.toContain("(elle)");
  });

  it("exports a CTS's comments and contributions: hidden ones left out, display names only, formulas neutralised", async () => {
    const proposalId = proposalIds[4]!;
    const named = await makePerson(h.db, "14366", { displayName: '=HYPERLINK("http://x")' });
    const anonymous = await makePerson(h.db, "14118");
    const rouen = await makePerson(h.db, "76540", { displayName: "Rouennais" });
    const shown = await postComment(h.db, {
      proposalId,
      actor: named,
      stance: "for",
      body: "+SUM(1+1) une formule en tête",
      anonymous: false,
    });
    const reply = await postComment(h.db, {
      proposalId,
      actor: anonymous,
      parentId: shown.id,
      body: "\nLigne qui commence par un saut",
      anonymous: true,
    });
    const hidden = await postComment(h.db, {
      proposalId,
      actor: anonymous,
      stance: "against",
      body: "Un commentaire qui sera masqué.",
      anonymous: true,
    });
    const elsewhere = await postComment(h.db, {
      proposalId,
      actor: rouen,
      stance: "nuanced",
      body: "Un commentaire écrit depuis Rouen.",
      anonymous: false,
    });
    const moderator = await makePerson(h.db, "14118", { roles: [{ role: "moderator", scope: "28" }] });
    await moderate(h.db, { moderator, intent: "hide", kind: "comment", id: hidden.id, reason: "insult" });
    const calvados = await verifiedAssociation({ name: "Association du Calvados", territories: ["departement:14"] });
    const seine = await verifiedAssociation({ name: "Association de Seine-Maritime", territories: ["cts:76-dieppe"] });
    const c1 = await saveContribution(h.db, {
      user: calvados.user,
      proposalId,
      title: "@Avis du Calvados",
      body: "-Texte de la contribution.",
      publish: true,
    });
    await saveContribution(h.db, {
      user: seine.user,
      proposalId,
      title: "Avis de Dieppe",
      body: "Pas pour le Calvados.",
      publish: true,
    });

    const data = (await buildCtsExport(h.db, { ctsCode: "14", consultationSlug: NORMANDIE }))!;
    const ids = data.comments.map((c) => c.id);
    expect(ids).toContain(shown.id);
    expect(ids).toContain(reply.id);
    expect(ids).not.toContain(hidden.id);
    expect(ids).not.toContain(elsewhere.id);
    expect(data.contributions.map((c) => c.id)).toContain(c1.id);
    expect(data.contributions.map((c) => c.association)).not.toContain("Association de Seine-Maritime");
    expect(data.comments.find((c) => c.id === reply.id)).toMatchObject({
      author: "un·e habitant·e",
      type: "réponse",
      inReplyTo: shown.id,
    });
    const json = JSON.stringify(data);
    expect(json).not.toMatch(/@exemple\.fr/);
    expect(json).not.toContain(named.id);

    const csv = ctsExportCsv(data);
    expect(csv.startsWith("\uFEFF")).toBe(true);
    expect(csv).toContain(`"'+SUM(1+1) une formule en tête"`);
    expect(csv).toContain(`"'=HYPERLINK(""http://x"")"`);
    expect(csv).toContain(`"'@Avis du Calvados"`);
    expect(csv).toContain(`"'-Texte de la contribution."`);
    expect(csv).toContain(`"'\nLigne qui commence par un saut"`);
    expect(csv).not.toMatch(/@exemple\.fr/);
    // Every cell quoted, as the README says, the empty ones too: each record reads back as its
    // cells each between quotes.
    const records = parse(csv.slice(1), { delimiter: ";", raw: true }) as unknown as {
      record: string[];
      raw: string;
    }[];
    expect(records.length).toBeGreaterThan(2);
    expect(records.some((r) => r.record.includes(""))).toBe(true);
    for (const { record, raw } of records) {
      expect(raw.replace(/\r?\n?$/, "").replace(/\r$/, "")).toBe(
        record.map((c) => `"${c.replaceAll('"', '""')}"`).join(";"),
      );
    }
    // A CTS of another region, or an unknown one, has nothing to export here.
    expect(await buildCtsExport(h.db, { ctsCode: "75", consultationSlug: NORMANDIE })).toBeNull();
  });
});
