import type { Kysely } from "kysely";
import { z } from "zod";
import { readCsv, type CsvLineError } from "../csv";
import { bumpContentVersion } from "../content-version";
import type { CtsRuleLevel, Database } from "../schema";

/**
 * Imports commune → CTS rules from a CSV with the header `niveau,code,cts,nom_cts` (comma or
 * semicolon): `niveau` is departement, arrondissement or commune; `cts` is the CTS territory code;
 * `nom_cts` names a CTS territory that does not exist yet (it is then created in the region of
 * the rule's territory). The whole file is checked first; one bad row and nothing is written.
 */
export type ImportError = CsvLineError;

export type ImportResult =
  { ok: true; rules: number; createdTerritories: string[] } | { ok: false; errors: ImportError[] };

const rowSchema = z.object({
  niveau: z.enum(["departement", "arrondissement", "commune"], {
    error: "niveau doit être departement, arrondissement ou commune",
  }),
  code: z.string().trim().min(1, "code manquant").max(10, "code trop long"),
  cts: z
    .string()
    .trim()
    .regex(/^[0-9A-Za-z][0-9A-Za-z-]{0,39}$/, "code de CTS invalide (lettres, chiffres et tirets)"),
  nom_cts: z.string().trim().max(120, "nom de CTS trop long").optional().default(""),
});

const UNKNOWN: Record<CtsRuleLevel, string> = {
  departement: "département inconnu",
  arrondissement: "arrondissement inconnu",
  commune: "commune inconnue",
};

export async function importCtsRules(db: Kysely<Database>, csv: string): Promise<ImportResult> {
  const csvRead = readCsv(csv, ["niveau", "code", "cts"]);
  if (!csvRead.ok) return { ok: false, errors: csvRead.errors };

  const regionOf = {
    departement: await mapOf(db.selectFrom("departements").select(["code", "region_code"]).execute()),
    arrondissement: await mapOf(db.selectFrom("arrondissements").select(["code", "region_code"]).execute()),
    commune: await mapOf(db.selectFrom("communes").select(["code", "region_code"]).execute()),
  } satisfies Record<CtsRuleLevel, Map<string, string>>;
  const existing = await mapOf(db.selectFrom("cts_territories").select(["code", "region_code"]).execute());

  const errors: ImportError[] = [...csvRead.errors];
  const rules: Database["cts_rules"][] = [];
  const created = new Map<string, { name: string; region: string }>();
  const seen = new Map<string, number>();
  const now = new Date().toISOString();
  csvRead.records.forEach(({ line, cells }) => {
    const parsed = rowSchema.safeParse(cells);
    if (!parsed.success) {
      errors.push({ line, message: parsed.error.issues.map((i) => i.message).join(" ; ") });
      return;
    }
    const row = parsed.data;
    const region = regionOf[row.niveau].get(row.code);
    if (!region) {
      errors.push({ line, message: `${UNKNOWN[row.niveau]} : ${row.code}` });
      return;
    }
    const key = `${row.niveau}:${row.code}`;
    const earlier = seen.get(key);
    if (earlier) {
      errors.push({ line, message: `${row.niveau} ${row.code} déjà présent ligne ${earlier}` });
      return;
    }
    seen.set(key, line);
    const ctsRegion = existing.get(row.cts) ?? created.get(row.cts)?.region;
    if (!ctsRegion) {
      if (!row.nom_cts) {
        errors.push({ line, message: `CTS inconnu : ${row.cts} (donnez nom_cts pour le créer)` });
        return;
      }
      created.set(row.cts, { name: row.nom_cts, region });
    } else if (ctsRegion !== region) {
      errors.push({ line, message: `le CTS ${row.cts} est dans une autre région que ${row.niveau} ${row.code}` });
      return;
    }
    rules.push({ level: row.niveau, code: row.code, cts_code: row.cts, source: "import", updated_at: now });
  });
  if (errors.length) return { ok: false, errors: errors.sort((a, b) => a.line - b.line) };

  await db.transaction().execute(async (trx) => {
    await bumpContentVersion(trx);
    for (const [code, t] of created) {
      await trx.insertInto("cts_territories").values({ code, name: t.name, region_code: t.region }).execute();
    }
    for (const rule of rules) {
      await trx
        .insertInto("cts_rules")
        .values(rule)
        .onConflict((oc) =>
          oc.columns(["level", "code"]).doUpdateSet({ cts_code: rule.cts_code, source: "import", updated_at: now }),
        )
        .execute();
    }
  });
  return { ok: true, rules: rules.length, createdTerritories: [...created.keys()] };
}

async function mapOf(rows: Promise<{ code: string; region_code: string }[]>): Promise<Map<string, string>> {
  return new Map((await rows).map((r) => [r.code, r.region_code]));
}
