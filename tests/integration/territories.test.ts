import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DatabaseHandle } from "../../db/connect";
import { importCtsRules } from "../../db/territories/cts-import";
import { loadTerritories } from "../../db/territories/load";
import { locateCommune, resolveCts, searchCommunes } from "../../app/territories/territories.server";
import { testDatabases } from "../support/databases";

describe.each(testDatabases)("territories on $name", ({ open }) => {
  let h: DatabaseHandle;
  beforeAll(async () => {
    h = await open();
    const first = await loadTerritories(h.db);
    expect(first.loaded).toBe(true);
  });
  afterAll(async () => h?.close());

  it("loads every region, département and arrondissement of the 101 départements", async () => {
    const again = await loadTerritories(h.db);
    expect(again.loaded).toBe(false); // idempotent: a second start does nothing
    expect(again.counts).toMatchObject({ regions: 18, departements: 101, arrondissementsMunicipaux: 45 });
    // 333 arrondissements, plus Mayotte as a territory of its own.
    expect(again.counts.arrondissements).toBe(334);
    expect(again.counts.communes).toBeGreaterThan(34_000);
  });

  it("Lisieux → arrondissement 143 → CTS Calvados", async () => {
    const place = await locateCommune(h.db, "14366");
    expect(place?.commune.name).toBe("Lisieux");
    expect(place?.arrondissement).toMatchObject({ code: "143", name: "Lisieux" });
    expect(place?.departement.code).toBe("14");
    expect(place?.region.name).toBe("Normandie");
    expect(place?.cts).toEqual({ code: "14", name: "Calvados" });
  });

  it("a Paris municipal arrondissement maps to Paris", async () => {
    const place = await locateCommune(h.db, "75101");
    expect(place?.commune.kind).toBe("arrondissement_municipal");
    expect(place?.territorialCommune).toEqual({ code: "75056", name: "Paris" });
    expect(place?.arrondissement.code).toBe("751");
    expect(place?.cts?.code).toBe("75");
  });

  it("a Rouen commune is in the Rouen-Elbeuf CTS, Le Havre and Dieppe in theirs", async () => {
    expect((await locateCommune(h.db, "76540"))?.cts).toEqual({ code: "76-rouen-elbeuf", name: "Rouen-Elbeuf" });
    expect((await locateCommune(h.db, "76351"))?.cts?.name).toBe("Le Havre");
    expect((await locateCommune(h.db, "76217"))?.cts?.name).toBe("Dieppe");
  });

  it("resolves an arrondissement's CTS without a commune (paper ballots; 'in ()' broke PostgreSQL)", async () => {
    expect(await resolveCts(h.db, { communeCodes: [], arrondissement: "763", departement: "76" })).toEqual({
      code: "76-rouen-elbeuf",
      name: "Rouen-Elbeuf",
    });
    expect((await resolveCts(h.db, { communeCodes: [], arrondissement: "143", departement: "14" }))?.code).toBe("14");
  });

  it("Mamoudzou → Mayotte, a territory of its own", async () => {
    const place = await locateCommune(h.db, "97611");
    expect(place?.arrondissement).toMatchObject({ code: "976", name: "Mayotte" });
    expect(place?.cts?.name).toBe("Mayotte");
  });

  it("counts populations from current communes only (Paris, Lyon, Marseille once)", async () => {
    const paris = await h.db
      .selectFrom("communes")
      .select("population")
      .where("code", "=", "75056")
      .executeTakeFirstOrThrow();
    const arr = await h.db
      .selectFrom("arrondissements")
      .select("population")
      .where("code", "=", "751")
      .executeTakeFirstOrThrow();
    expect(Number(arr.population)).toBe(Number(paris.population));
    const municipal = await h.db
      .selectFrom("communes")
      .select((eb) => eb.fn.sum<number>("population").as("total"))
      .where("parent_code", "=", "75056")
      .executeTakeFirstOrThrow();
    expect(Number(municipal.total)).toBeGreaterThan(0);
  });

  it("unknown commune code → null", async () => {
    expect(await locateCommune(h.db, "99999")).toBeNull();
  });

  it("finds communes by name without accents, by postal code, and Paris/Lyon/Marseille arrondissements", async () => {
    expect((await searchCommunes(h.db, "lisieux"))[0]?.code).toBe("14366");
    expect((await searchCommunes(h.db, "LISIEUX"))[0]?.code).toBe("14366");
    expect((await searchCommunes(h.db, "14100")).map((c) => c.code)).toContain("14366");
    expect((await searchCommunes(h.db, "st lo")).map((c) => c.code)).toContain("50502");
    expect((await searchCommunes(h.db, "evreux"))[0]?.name).toBe("Évreux");
    const marseille = await searchCommunes(h.db, "marseille", 30);
    expect(marseille.some((c) => c.code === "13201" && c.kind === "arrondissement_municipal")).toBe(true);
    expect(await searchCommunes(h.db, "%")).toEqual([]);
    expect(await searchCommunes(h.db, "' or 1=1 --".repeat(200))).toEqual([]);
  });

  it("imports CTS overrides from CSV, all or nothing", async () => {
    const bad = await importCtsRules(
      h.db,
      [
        "niveau;code;cts;nom_cts",
        "commune;14366;14-pays-d-auge;Pays d'Auge",
        "canton;14;14;",
        "commune;99999;14;",
        "commune;14366;14;",
      ].join("\n"),
    );
    expect(bad.ok).toBe(false);
    if (!bad.ok) expect(bad.errors.map((e) => e.line)).toEqual([3, 4, 5]);
    // Nothing from the good first line was written.
    expect((await locateCommune(h.db, "14366"))?.cts?.code).toBe("14");
    const created = await h.db
      .selectFrom("cts_territories")
      .select("code")
      .where("code", "=", "14-pays-d-auge")
      .execute();
    expect(created).toEqual([]);

    const good = await importCtsRules(
      h.db,
      "niveau,code,cts,nom_cts\ncommune,14366,14-pays-d-auge,Pays d'Auge\narrondissement,143,14-pays-d-auge,\n",
    );
    expect(good).toEqual({ ok: true, rules: 2, createdTerritories: ["14-pays-d-auge"] });
    expect((await locateCommune(h.db, "14366"))?.cts).toEqual({ code: "14-pays-d-auge", name: "Pays d'Auge" });
    // A commune of the same arrondissement follows the arrondissement rule; one elsewhere keeps the département's.
    const neighbour = await h.db
      .selectFrom("communes")
      .select("code")
      .where("arrondissement_code", "=", "143")
      .where("code", "!=", "14366")
      .executeTakeFirstOrThrow();
    expect((await locateCommune(h.db, neighbour.code))?.cts?.code).toBe("14-pays-d-auge");
    expect((await locateCommune(h.db, "14118"))?.cts?.code).toBe("14"); // Caen, arrondissement 142

    // A CTS of another region is refused.
    const crossRegion = await importCtsRules(h.db, "niveau,code,cts\ncommune,75056,14\n");
    expect(crossRegion.ok).toBe(false);

    // Reloading the territories keeps imported rules.
    await h.db.deleteFrom("app_state").execute();
    await loadTerritories(h.db);
    expect((await locateCommune(h.db, "14366"))?.cts?.code).toBe("14-pays-d-auge");
  });
});
