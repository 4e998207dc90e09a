import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DatabaseHandle } from "../../db/connect";
import { loadTerritories } from "../../db/territories/load";
import { CatalogueError, loadCatalogue, readCatalogueFiles } from "../../app/catalogue/catalogue-load.server";
import { getConsultation, getProposal, listProposals } from "../../app/catalogue/catalogue.server";
import { PAGE_SIZE } from "../../app/catalogue/filters";
import { testDatabases } from "../support/databases";

const files = readCatalogueFiles();
const filters = { sort: "source" as const, page: 1, pageSize: PAGE_SIZE };

describe.each(testDatabases)("proposal catalogue on $name", ({ open }) => {
  let h: DatabaseHandle;
  let normandieId: string;
  beforeAll(async () => {
    h = await open();
    await loadTerritories(h.db);
    const result = await loadCatalogue(h.db, files);
    expect(result.consultations.every((c) => c.changed)).toBe(true);
    normandieId = (await getConsultation(h.db, "normandie-cnr-sante-2022"))!.consultation.id;
  });
  afterAll(async () => h?.close());

  it("loads one consultation per source file with all its proposals, idempotently", async () => {
    const count = async () =>
      Number(
        (
          await h.db
            .selectFrom("proposals")
            .select((eb) => eb.fn.countAll<number>().as("n"))
            .executeTakeFirstOrThrow()
        ).n,
      );
    const expected = files.reduce((n, f) => n + JSON.parse(f.content).proposals.length, 0);
    expect(await count()).toBe(expected);
    const again = await loadCatalogue(h.db, files);
    expect(again.consultations.some((c) => c.changed)).toBe(false);
    expect(await count()).toBe(expected);
  });

  it("updates a changed entry in place, removes a dropped one, duplicates nothing", async () => {
    const file = files.find((f) => f.name === "ile-de-france-cts78.json")!;
    const data = JSON.parse(file.content);
    const [first, second] = data.proposals;
    const consultation = (await getConsultation(h.db, data.slug))!.consultation;
    const before = (await getProposal(h.db, consultation.id, first.slug))!.proposal;
    first.title = `${first.title} (modifié)`;
    data.proposals = data.proposals.filter((p: { slug: string }) => p.slug !== second.slug);
    await loadCatalogue(h.db, [{ name: file.name, content: JSON.stringify(data) }]);
    const after = (await getProposal(h.db, consultation.id, first.slug))!.proposal;
    expect(after.id).toBe(before.id);
    expect(after.title).toMatch(/\(modifié\)$/);
    expect(await getProposal(h.db, consultation.id, second.slug)).toBeNull();
    // Back to the shipped file.
    await loadCatalogue(h.db, [file]);
    expect((await getProposal(h.db, consultation.id, first.slug))!.proposal.title).toBe(before.title);
    expect(await getProposal(h.db, consultation.id, second.slug)).not.toBeNull();
  });

  it("refuses a file with an invalid entry, naming the file, the entry and the field, and loads nothing", async () => {
    const file = files.find((f) => f.name === "normandie.json")!;
    const data = JSON.parse(file.content);
    data.title = "Titre changé";
    data.proposals[3].theme = "sante-mentale";
    const attempt = loadCatalogue(h.db, [{ name: "normandie.json", content: JSON.stringify(data) }]);
    await expect(attempt).rejects.toThrow(CatalogueError);
    await expect(attempt).rejects.toThrow(
      new RegExp(`normandie\\.json : proposals\\[3\\] \\(« ${data.proposals[3].slug} »\\) › theme`),
    );
    expect((await getConsultation(h.db, "normandie-cnr-sante-2022"))!.consultation.title).not.toBe("Titre changé");
    await expect(loadCatalogue(h.db, [{ name: "x.json", content: "{ pas du json" }])).rejects.toThrow(
      /x\.json : JSON invalide/,
    );
  });

  it("filters by theme, level and kind", async () => {
    const prevention = await listProposals(h.db, normandieId, { ...filters, theme: "prevention" });
    expect(prevention.total).toBeGreaterThan(0);
    expect(prevention.items.every((p) => p.theme === "prevention")).toBe(true);
    const national = await listProposals(h.db, normandieId, {
      ...filters,
      theme: "prevention",
      level: "national_work",
    });
    expect(national.total).toBeLessThan(prevention.total);
    expect(national.items.every((p) => p.level === "national_work")).toBe(true);
    const engagements = await listProposals(h.db, normandieId, { ...filters, kind: "commitment" });
    expect(engagements.total).toBe(5);
  });

  it("searches without accents or case, and through the glossary", async () => {
    const accented = await listProposals(h.db, normandieId, { ...filters, q: "médecin", pageSize: 200 });
    const plain = await listProposals(h.db, normandieId, { ...filters, q: "MEDECIN", pageSize: 200 });
    expect(plain.total).toBeGreaterThan(0);
    expect(plain.items.map((p) => p.slug)).toEqual(accented.items.map((p) => p.slug));
    // "IPA" finds proposals that only spell it out.
    const na = (await getConsultation(h.db, "nouvelle-aquitaine-cnr-sante-2022"))!.consultation.id;
    const ipa = await listProposals(h.db, na, { ...filters, q: "IPA", pageSize: 200 });
    const spelled = await listProposals(h.db, na, { ...filters, q: "infirmier pratique avancée", pageSize: 200 });
    expect(ipa.total).toBeGreaterThan(0);
    expect(ipa.items.map((p) => p.slug).sort()).toEqual(spelled.items.map((p) => p.slug).sort());
    // Words match their start only: "ipa" is not found inside "principal".
    const rows = await h.db
      .selectFrom("proposals")
      .select("search_text")
      .where(
        "id",
        "in",
        ipa.items.map((p) => p.id),
      )
      .execute();
    expect(
      rows.every((r) => / ipa /.test(` ${r.search_text} `) || /infirmi\w* en pratique avancee/.test(r.search_text)),
    ).toBe(true);
  });

  it("bounds hostile searches: SQL, HTML, LIKE wildcards, 2,000 characters", async () => {
    for (const q of ["' OR 1=1 --", "<script>alert(1)</script>", "%", "_", "a".repeat(2000), "médecin ".repeat(300)]) {
      const result = await listProposals(h.db, normandieId, { ...filters, q });
      expect(result.total).toBeLessThan(100);
    }
  });

  it("sorts by source order, mentions and title, and clamps the page", async () => {
    const na = (await getConsultation(h.db, "nouvelle-aquitaine-cnr-sante-2022"))!.consultation.id;
    const byMentions = await listProposals(h.db, na, { ...filters, sort: "mentions", pageSize: 500 });
    const mentions = byMentions.items.map((p) => p.mentions ?? -1);
    expect(mentions).toEqual([...mentions].sort((a, b) => b - a));
    const bySource = await listProposals(h.db, na, { ...filters, pageSize: 500 });
    expect(bySource.items.map((p) => p.position)).toEqual(
      [...bySource.items.map((p) => p.position)].sort((a, b) => a - b),
    );
    const alpha = await listProposals(h.db, normandieId, { ...filters, sort: "alpha", pageSize: 500 });
    expect(alpha.items).toHaveLength(100);
    const far = await listProposals(h.db, normandieId, { ...filters, page: 999 });
    expect(far).toMatchObject({ page: 5, pageCount: 5, requestedPage: 999 });
    expect(far.items).toHaveLength(100 - 4 * PAGE_SIZE);
  });

  it("shows a proposal with its sources, département counts and related proposals", async () => {
    const na = (await getConsultation(h.db, "nouvelle-aquitaine-cnr-sante-2022"))!.consultation.id;
    const [top] = (await listProposals(h.db, na, { ...filters, sort: "mentions", pageSize: 1 })).items;
    const detail = (await getProposal(h.db, na, top!.slug))!;
    // A merged entry's mentions are those of every theme the report prints it under.
    const regional = detail.sources.filter((s) => s.mentions !== null && s.departement_code === null);
    expect(regional.reduce((sum, s) => sum + (s.mentions ?? 0), 0)).toBe(top!.mentions);
    expect(detail.departementCounts.length).toBeGreaterThan(0);
    expect(detail.departementCounts.every((d) => d.departement_name)).toBe(true);
    expect(detail.related.length).toBeGreaterThan(0);
    const group = detail.proposal.group_slug;
    const relatedRows = await h.db
      .selectFrom("proposals")
      .select("group_slug")
      .where("consultation_id", "=", na)
      .where(
        "slug",
        "in",
        detail.related.map((r) => r.slug),
      )
      .execute();
    expect(relatedRows.every((r) => r.group_slug === group)).toBe(true);
    expect(await getProposal(h.db, na, "n-existe-pas")).toBeNull();
  });
});
