import { createRequire } from "node:module";
import type { Kysely } from "kysely";
import { bumpContentVersion } from "../content-version";
import type { Database } from "../schema";
import { searchKey } from "../search-key";
import { CTS_SPLITS, MAYOTTE } from "./cts-defaults";

const require = createRequire(import.meta.url);

// The package root cannot be required (it reads ./data from the working directory), and
// importing the 8.6 MB JSON through TypeScript makes tsc slow: read the files at run time.
interface CogRegion {
  code: string;
  nom: string;
  zone: string;
}
interface CogDepartement {
  code: string;
  nom: string;
  region: string;
  zone: string;
}
interface CogArrondissement {
  code: string;
  nom: string;
  departement: string;
  region: string;
}
interface CogCommune {
  code: string;
  nom: string;
  type: "commune-actuelle" | "arrondissement-municipal" | "commune-deleguee" | "commune-associee";
  zone: string;
  commune?: string;
  arrondissement?: string;
  departement: string;
  region: string;
  codesPostaux?: string[];
  population?: number;
}

function readCog<T>(name: string): T[] {
  return require(`@etalab/decoupage-administratif/data/${name}.json`) as T[];
}

export const TERRITORIES_STATE_KEY = "territories_version";

function cogVersion(): string {
  const pkg = require("@etalab/decoupage-administratif/package.json") as { version: string };
  return `decoupage-administratif@${pkg.version}`;
}

export interface TerritoryCounts {
  regions: number;
  departements: number;
  arrondissements: number;
  communes: number;
  arrondissementsMunicipaux: number;
  ctsTerritories: number;
}

export interface LoadResult {
  loaded: boolean;
  version: string;
  counts: TerritoryCounts;
}

/**
 * Loads régions, départements, arrondissements, communes (with INSEE populations and postal
 * codes) and the default CTS territories. Idempotent: does nothing when this version of the data
 * is already loaded; CTS rules edited or imported since are never overwritten.
 */
export async function loadTerritories(
  db: Kysely<Database>,
  onProgress: (message: string) => void = () => {},
): Promise<LoadResult> {
  const version = cogVersion();
  const state = await db
    .selectFrom("app_state")
    .select("value")
    .where("key", "=", TERRITORIES_STATE_KEY)
    .executeTakeFirst();
  if (state?.value === version) return { loaded: false, version, counts: await countTerritories(db) };

  const inScope = (zone: string) => zone === "metro" || zone === "drom";
  const regions = readCog<CogRegion>("regions").filter((r) => inScope(r.zone));
  const departements = readCog<CogDepartement>("departements").filter((d) => inScope(d.zone));
  const departementCodes = new Set(departements.map((d) => d.code));
  const arrondissements = readCog<CogArrondissement>("arrondissements").filter((a) =>
    departementCodes.has(a.departement),
  );
  const allCommunes = readCog<CogCommune>("communes").filter((c) => departementCodes.has(c.departement));
  const communes = allCommunes.filter((c) => c.type === "commune-actuelle");
  const municipal = allCommunes.filter((c) => c.type === "arrondissement-municipal");
  const mayotte = departements.find((d) => d.code === MAYOTTE.departement);
  const arrondissementOf = (c: CogCommune) => c.arrondissement || MAYOTTE.arrondissement;

  // Only current communes count, or Paris, Lyon and Marseille would count twice.
  const population = new Map<string, number>();
  for (const c of communes) {
    const code = arrondissementOf(c);
    population.set(code, (population.get(code) ?? 0) + (c.population ?? 0));
  }
  const arrondissementRows = arrondissements.map((a) => ({
    code: a.code,
    name: a.nom,
    departement_code: a.departement,
    region_code: a.region,
    population: population.get(a.code) ?? 0,
  }));
  if (mayotte) {
    arrondissementRows.push({
      code: MAYOTTE.arrondissement,
      name: MAYOTTE.name,
      departement_code: mayotte.code,
      region_code: mayotte.region,
      population: population.get(MAYOTTE.arrondissement) ?? 0,
    });
  }

  const communeRow = (c: CogCommune, parent: string | null) => ({
    code: c.code,
    name: c.nom,
    kind: parent ? ("arrondissement_municipal" as const) : ("commune" as const),
    parent_code: parent,
    arrondissement_code: arrondissementOf(c),
    departement_code: c.departement,
    region_code: c.region,
    population: c.population ?? 0,
    postal_codes: (c.codesPostaux ?? []).join(" "),
    search_name: searchKey(c.nom),
  });

  const now = new Date().toISOString();
  const splitDepartements = new Set(CTS_SPLITS.map((s) => s.departement));
  const cts = departements
    .filter((d) => !splitDepartements.has(d.code))
    .map((d) => ({ code: d.code, name: d.nom, region_code: d.region }));
  const ctsRules: Database["cts_rules"][] = cts.map((t) => ({
    level: "departement",
    code: t.code,
    cts_code: t.code,
    source: "default",
    updated_at: now,
  }));
  for (const split of CTS_SPLITS) {
    const region = departements.find((d) => d.code === split.departement)?.region;
    if (!region) continue;
    for (const t of split.territories) {
      cts.push({ code: t.code, name: t.name, region_code: region });
      for (const a of t.arrondissements) {
        ctsRules.push({ level: "arrondissement", code: a, cts_code: t.code, source: "default", updated_at: now });
      }
    }
  }

  await db.transaction().execute(async (trx) => {
    onProgress(`régions : ${regions.length}`);
    await upsert(
      trx,
      "regions",
      regions.map((r) => ({ code: r.code, name: r.nom })),
      ["name"],
    );
    onProgress(`départements : ${departements.length}`);
    await upsert(
      trx,
      "departements",
      departements.map((d) => ({ code: d.code, name: d.nom, region_code: d.region })),
      ["name", "region_code"],
    );
    onProgress(`arrondissements : ${arrondissementRows.length}`);
    await upsert(trx, "arrondissements", arrondissementRows, ["name", "departement_code", "region_code", "population"]);
    const communeColumns = [
      "name",
      "kind",
      "parent_code",
      "arrondissement_code",
      "departement_code",
      "region_code",
      "population",
      "postal_codes",
      "search_name",
    ] as const;
    await upsert(
      trx,
      "communes",
      communes.map((c) => communeRow(c, null)),
      communeColumns,
      (done) => onProgress(`communes : ${done} / ${communes.length}`),
    );
    onProgress(`arrondissements municipaux : ${municipal.length}`);
    await upsert(
      trx,
      "communes",
      municipal.map((c) => communeRow(c, c.commune ?? null)),
      communeColumns,
    );
    onProgress(`territoires de CTS : ${cts.length}`);
    await upsert(trx, "cts_territories", cts, ["name", "region_code"]);
    // Rules already present (imported or edited by an administrator) are kept as they are.
    await insertBatches(ctsRules, (batch) =>
      trx
        .insertInto("cts_rules")
        .values(batch)
        .onConflict((oc) => oc.columns(["level", "code"]).doNothing())
        .execute(),
    );
    await trx
      .insertInto("app_state")
      .values({ key: TERRITORIES_STATE_KEY, value: version })
      .onConflict((oc) => oc.column("key").doUpdateSet({ value: version }))
      .execute();
    await bumpContentVersion(trx);
  });
  return { loaded: true, version, counts: await countTerritories(db) };
}

type TableWithCode = "regions" | "departements" | "arrondissements" | "communes" | "cts_territories";

async function upsert<T extends TableWithCode>(
  db: Kysely<Database>,
  table: T,
  rows: Database[T][],
  updateColumns: readonly string[],
  onBatch?: (done: number) => void,
): Promise<void> {
  await insertBatches(
    rows,
    (batch) =>
      db
        .insertInto(table)
        .values(batch as never)
        .onConflict((oc) =>
          oc
            .column("code")
            .doUpdateSet(
              (eb) => Object.fromEntries(updateColumns.map((c) => [c, eb.ref(`excluded.${c}` as never)])) as never,
            ),
        )
        .execute(),
    onBatch,
  );
}

async function insertBatches<T>(
  rows: T[],
  insert: (batch: T[]) => Promise<unknown>,
  onBatch?: (done: number) => void,
): Promise<void> {
  // 400 rows × ≤ 10 columns stays under both dialects' bound-parameter limits.
  const size = 400;
  for (let i = 0; i < rows.length; i += size) {
    await insert(rows.slice(i, i + size));
    if (onBatch && ((i / size) % 20 === 19 || i + size >= rows.length)) onBatch(Math.min(i + size, rows.length));
  }
}

export async function countTerritories(db: Kysely<Database>): Promise<TerritoryCounts> {
  const count = async (table: TableWithCode) => {
    const row = await db
      .selectFrom(table)
      .select((eb) => eb.fn.countAll<number>().as("n"))
      .executeTakeFirstOrThrow();
    return Number(row.n);
  };
  const communesOfKind = async (kind: "commune" | "arrondissement_municipal") => {
    const row = await db
      .selectFrom("communes")
      .select((eb) => eb.fn.countAll<number>().as("n"))
      .where("kind", "=", kind)
      .executeTakeFirstOrThrow();
    return Number(row.n);
  };
  return {
    regions: await count("regions"),
    departements: await count("departements"),
    arrondissements: await count("arrondissements"),
    communes: await communesOfKind("commune"),
    arrondissementsMunicipaux: await communesOfKind("arrondissement_municipal"),
    ctsTerritories: await count("cts_territories"),
  };
}
