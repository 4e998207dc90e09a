import type { Kysely } from "kysely";
import type { Database } from "../../db/schema";
import { publishedCounts, territoryCounts } from "../ballots/results.server";
import { withheldLabel } from "../tally";
import { ctsArrondissements } from "../territories/territories.server";
import { firstPriorities } from "./figures";

/**
 * A CTS member's home: every consultation that covers the territory, with its live figures
 * (ballots, participation, the first three of the raw ranking) from the kept counts.
 */
export async function ctsDashboard(db: Kysely<Database>, ctsCode: string) {
  const cts = await db
    .selectFrom("cts_territories")
    .select(["code", "name", "region_code"])
    .where("code", "=", ctsCode)
    .executeTakeFirst();
  if (!cts) return null;
  const [consultations, arrondissements] = await Promise.all([
    db
      .selectFrom("consultations")
      .select(["id", "slug", "title", "status", "method", "method_params", "opens_at", "closes_at"])
      .where("region_code", "=", cts.region_code)
      .where("status", "!=", "draft")
      .where((eb) => eb.or([eb("cts_code", "is", null), eb("cts_code", "=", ctsCode)]))
      .orderBy("position")
      .execute(),
    ctsArrondissements(db, ctsCode),
  ]);
  const population = arrondissements.reduce((s, a) => s + a.population, 0);
  const items = await Promise.all(
    consultations.map(async (c) => {
      const counts = await territoryCounts(db, c, { kind: "cts", code: ctsCode });
      const result = publishedCounts(counts, { kind: "cts", code: ctsCode }, "raw");
      const why = counts.plan.suppression({ kind: "cts", code: ctsCode });
      const titles = new Map(
        (await db.selectFrom("proposals").select(["id", "title"]).where("consultation_id", "=", c.id).execute()).map(
          (p) => [p.id, p.title],
        ),
      );
      return {
        slug: c.slug,
        title: c.title,
        status: c.status,
        closesAt: c.closes_at,
        /** null when withheld (`withheld` says why). */
        ballots: result ? result.ballots : null,
        withheld: why ? withheldLabel(why, counts.plan.threshold) : null,
        rate: result && population > 0 ? result.ballots / population : null,
        top: result ? firstPriorities(result, (id) => titles.get(id)!) : [],
      };
    }),
  );
  return {
    cts: { code: cts.code, name: cts.name },
    population,
    arrondissements: arrondissements.length,
    consultations: items,
  };
}

/** The CTS territories a person may open: their own as a member, every one for an administrator. */
export async function readableCts(db: Kysely<Database>, user: { roles: { role: string; scope: string }[] }) {
  const admin = user.roles.some((r) => r.role === "admin");
  const scopes = user.roles.filter((r) => r.role === "cts_member").map((r) => r.scope);
  if (!admin && !scopes.length) return [];
  let query = db
    .selectFrom("cts_territories as t")
    .innerJoin("regions as r", "r.code", "t.region_code")
    .select(["t.code", "t.name", "r.name as region"])
    .orderBy("r.name")
    .orderBy("t.name");
  if (!admin) query = query.where("t.code", "in", scopes);
  return query.execute();
}
