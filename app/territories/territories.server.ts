import type { Kysely } from "kysely";
import { searchKey } from "../../db/search-key";
import type { Database, CtsRuleLevel } from "../../db/schema";
import { VersionedCache } from "../platform/versioned-cache.server";
import { COMMUNE_SEARCH_LIMIT } from "./commune-search";

export interface Place {
  commune: { code: string; name: string; kind: "commune" | "arrondissement_municipal"; postalCodes: string[] };
  /** The commune that counts for territories: the commune itself, or a municipal arrondissement's commune. */
  territorialCommune: { code: string; name: string };
  arrondissement: { code: string; name: string; population: number };
  departement: { code: string; name: string };
  region: { code: string; name: string };
  cts: { code: string; name: string } | null;
}

/**
 * Everything a commune code leads to, or null for an unknown code or for none (an account without
 * a commune, such as an administrator's made by admin:create: it lives nowhere, so votes nowhere).
 *
 *   (await locateCommune(db, "14366"))?.cts?.name === "Calvados"
 */
export async function locateCommune(db: Kysely<Database>, code: string | null): Promise<Place | null> {
  if (code === null) return null;
  const row = await db
    .selectFrom("communes as c")
    .innerJoin("arrondissements as a", "a.code", "c.arrondissement_code")
    .innerJoin("departements as d", "d.code", "c.departement_code")
    .innerJoin("regions as r", "r.code", "c.region_code")
    .leftJoin("communes as p", "p.code", "c.parent_code")
    .select([
      "c.code",
      "c.name",
      "c.kind",
      "c.postal_codes",
      "c.parent_code",
      "p.name as parent_name",
      "a.code as arrondissement_code",
      "a.name as arrondissement_name",
      "a.population as arrondissement_population",
      "d.code as departement_code",
      "d.name as departement_name",
      "r.code as region_code",
      "r.name as region_name",
    ])
    .where("c.code", "=", code)
    .executeTakeFirst();
  if (!row) return null;
  const territorialCode = row.parent_code ?? row.code;
  const cts = await resolveCts(db, {
    communeCodes: row.parent_code ? [row.code, row.parent_code] : [row.code],
    arrondissement: row.arrondissement_code,
    departement: row.departement_code,
  });
  return {
    commune: {
      code: row.code,
      name: row.name,
      kind: row.kind,
      postalCodes: row.postal_codes ? row.postal_codes.split(" ") : [],
    },
    territorialCommune: { code: territorialCode, name: row.parent_name ?? row.name },
    arrondissement: {
      code: row.arrondissement_code,
      name: row.arrondissement_name,
      population: Number(row.arrondissement_population),
    },
    departement: { code: row.departement_code, name: row.departement_name },
    region: { code: row.region_code, name: row.region_name },
    cts,
  };
}

const places = new VersionedCache<Place | null>(5000);

/**
 * `locateCommune` kept per content version: a place changes only when territories or CTS rules
 * are (re)loaded, which changes the version. Every page of a signed-in resident asks for it.
 */
export function locateCommuneAt(db: Kysely<Database>, version: string, code: string | null): Promise<Place | null> {
  if (code === null) return Promise.resolve(null);
  return places.get(version, code, () => locateCommune(db, code));
}

const PRECEDENCE: Record<CtsRuleLevel, number> = { commune: 0, arrondissement: 1, departement: 2 };

/** The CTS territory of a place: the most specific rule wins (commune, then arrondissement, then département). */
export async function resolveCts(
  db: Kysely<Database>,
  place: { communeCodes: string[]; arrondissement: string; departement: string },
): Promise<{ code: string; name: string } | null> {
  const rules = await db
    .selectFrom("cts_rules as r")
    .innerJoin("cts_territories as t", "t.code", "r.cts_code")
    .select(["r.level", "r.code as rule_code", "t.code", "t.name"])
    .where((eb) =>
      eb.or([
        // "in ()" is a syntax error on PostgreSQL: no commune, no commune rule to look for.
        ...(place.communeCodes.length
          ? [eb.and([eb("r.level", "=", "commune"), eb("r.code", "in", place.communeCodes)])]
          : []),
        eb.and([eb("r.level", "=", "arrondissement"), eb("r.code", "=", place.arrondissement)]),
        eb.and([eb("r.level", "=", "departement"), eb("r.code", "=", place.departement)]),
      ]),
    )
    .execute();
  // Among commune rules, the municipal arrondissement's own (listed first) beats its commune's.
  const rank = (r: (typeof rules)[number]) =>
    PRECEDENCE[r.level] * 10 + (r.level === "commune" ? place.communeCodes.indexOf(r.rule_code) : 0);
  const best = rules.sort((a, b) => rank(a) - rank(b))[0];
  return best ? { code: best.code, name: best.name } : null;
}

export interface CommuneMatch {
  code: string;
  name: string;
  kind: "commune" | "arrondissement_municipal";
  postalCodes: string[];
  departementCode: string;
  departementName: string;
}

/**
 * Communes by name (accent- and case-insensitive, any word's start) or by postal code (a prefix of
 * 2–5 digits), largest first. Paris, Lyon and Marseille's municipal arrondissements are included.
 * By default one more than the picker shows: the picker tells "there are more" by it.
 */
export async function searchCommunes(
  db: Kysely<Database>,
  query: string,
  limit = COMMUNE_SEARCH_LIMIT + 1,
): Promise<CommuneMatch[]> {
  const trimmed = query.trim().slice(0, 100);
  const postal = trimmed.replace(/\s+/g, "");
  let q = db
    .selectFrom("communes as c")
    .innerJoin("departements as d", "d.code", "c.departement_code")
    .select([
      "c.code",
      "c.name",
      "c.kind",
      "c.postal_codes",
      "d.code as departement_code",
      "d.name as departement_name",
    ]);
  if (/^\d{2,5}$/.test(postal)) {
    q = q.where((eb) =>
      eb.or([eb("c.postal_codes", "like", `${postal}%`), eb("c.postal_codes", "like", `% ${postal}%`)]),
    );
  } else {
    // searchKey leaves only [a-z0-9 ], so no LIKE wildcard can come from the user.
    const key = searchKey(trimmed);
    if (key.length < 2) return [];
    q = q.where((eb) => eb.or([eb("c.search_name", "like", `${key}%`), eb("c.search_name", "like", `% ${key}%`)]));
  }
  const rows = await q
    .orderBy((eb) => eb.case().when("c.search_name", "=", searchKey(trimmed)).then(0).else(1).end())
    .orderBy("c.population", "desc")
    .orderBy("c.code")
    .limit(limit)
    .execute();
  return rows.map((r) => ({
    code: r.code,
    name: r.name,
    kind: r.kind,
    postalCodes: r.postal_codes ? r.postal_codes.split(" ") : [],
    departementCode: r.departement_code,
    departementName: r.departement_name,
  }));
}

export async function communeExists(db: Kysely<Database>, code: string): Promise<boolean> {
  const row = await db.selectFrom("communes").select("code").where("code", "=", code).executeTakeFirst();
  return row !== undefined;
}

/** A commune code from a form, as the commune picker lists it; null for anything unknown. */
export async function communeMatch(db: Kysely<Database>, code: unknown): Promise<CommuneMatch | null> {
  if (typeof code !== "string" || code.length > 10) return null;
  const place = await locateCommune(db, code);
  if (!place) return null;
  return {
    code: place.commune.code,
    name: place.commune.name,
    kind: place.commune.kind,
    postalCodes: place.commune.postalCodes,
    departementCode: place.departement.code,
    departementName: place.departement.name,
  };
}

export interface ArrondissementOfCts {
  code: string;
  name: string;
  departementCode: string;
  population: number;
}

/**
 * The arrondissements a CTS territory covers, by the same precedence as `resolveCts`: an
 * arrondissement rule beats its département's. An arrondissement split by commune rules is listed
 * with every CTS that holds one of its communes.
 */
export async function ctsArrondissements(db: Kysely<Database>, ctsCode: string): Promise<ArrondissementOfCts[]> {
  const cts = await db
    .selectFrom("cts_territories")
    .select("region_code")
    .where("code", "=", ctsCode)
    .executeTakeFirst();
  if (!cts) return [];
  const [arrondissements, rules, communeRules] = await Promise.all([
    db
      .selectFrom("arrondissements")
      .select(["code", "name", "departement_code", "population"])
      .where("region_code", "=", cts.region_code)
      .orderBy("code")
      .execute(),
    db
      .selectFrom("cts_rules")
      .select(["level", "code", "cts_code"])
      .where("level", "in", ["arrondissement", "departement"])
      .execute(),
    db
      .selectFrom("cts_rules as r")
      .innerJoin("communes as c", "c.code", "r.code")
      .select("c.arrondissement_code")
      .where("r.level", "=", "commune")
      .where("r.cts_code", "=", ctsCode)
      .execute(),
  ]);
  const byArrondissement = new Map(rules.filter((r) => r.level === "arrondissement").map((r) => [r.code, r.cts_code]));
  const byDepartement = new Map(rules.filter((r) => r.level === "departement").map((r) => [r.code, r.cts_code]));
  const viaCommunes = new Set(communeRules.map((r) => r.arrondissement_code));
  return arrondissements
    .filter(
      (a) =>
        (byArrondissement.get(a.code) ?? byDepartement.get(a.departement_code)) === ctsCode || viaCommunes.has(a.code),
    )
    .map((a) => ({
      code: a.code,
      name: a.name,
      departementCode: a.departement_code,
      population: Number(a.population),
    }));
}

/** Every CTS territory with its region's name and how many members it has (role cts_member). */
export async function listCtsTerritoriesWithMembers(db: Kysely<Database>) {
  const rows = await db
    .selectFrom("cts_territories as t")
    .innerJoin("regions as r", "r.code", "t.region_code")
    .select((eb) => [
      "t.code",
      "t.name",
      "r.name as region",
      eb
        .selectFrom("user_roles as u")
        .whereRef("u.scope", "=", "t.code")
        .where("u.role", "=", "cts_member")
        .select(eb.fn.countAll<number>().as("n"))
        .as("members"),
    ])
    .orderBy("r.name")
    .orderBy("t.name")
    .execute();
  return rows.map((t) => ({ ...t, members: Number(t.members ?? 0) }));
}

/** Every region, by name (the forms that pick one). */
export function listRegions(db: Kysely<Database>): Promise<{ code: string; name: string }[]> {
  return db.selectFrom("regions").select(["code", "name"]).orderBy("name").execute();
}

/** The names of these regions, in alphabetical order (unknown codes are left out). */
export async function regionNames(db: Kysely<Database>, codes: readonly string[]): Promise<string[]> {
  if (!codes.length) return [];
  const rows = await db.selectFrom("regions").select("name").where("code", "in", codes).orderBy("name").execute();
  return rows.map((r) => r.name);
}
