import { randomUUID } from "node:crypto";
import { sql, type Kysely } from "kysely";
import { isPostgres } from "../../db/dialect";
import type { Database } from "../../db/schema";
import { resolveCts } from "../territories/territories.server";
import { GRADES, mulberry32, type Grade } from "../tally";
import type { BallotContent } from "./ballot-content";
import { applyChanges, logEvents, readMethodParams, type CellChange } from "./ballots.server";

/**
 * Generates n plausible ballots for a consultation (demos and benchmarks; never on by default):
 * spread over the region's arrondissements in proportion to population, each proposal with a
 * popularity of its own, varied a little per arrondissement. No user is attached to them. Written
 * in batches through the kept-count write path of real ballots (applyChanges), once per batch.
 */
export async function generateDemoBallots(
  db: Kysely<Database>,
  input: { consultationSlug: string; count: number; seed?: number; batchSize?: number },
  onProgress: (done: number) => void = () => {},
): Promise<{ inserted: number; arrondissements: number }> {
  const consultation = await db
    .selectFrom("consultations")
    .select(["id", "region_code", "cts_code", "method", "method_params"])
    .where("slug", "=", input.consultationSlug)
    .executeTakeFirst();
  if (!consultation) throw new Error(`Consultation inconnue : ${input.consultationSlug}`);
  const rules = readMethodParams(consultation.method, consultation.method_params);
  const proposals = (
    await db
      .selectFrom("proposals")
      .select("id")
      .where("consultation_id", "=", consultation.id)
      .orderBy("position")
      .execute()
  ).map((p) => p.id);
  const places: { code: string; cts: string; population: number }[] = [];
  for (const a of await db
    .selectFrom("arrondissements")
    .select(["code", "departement_code", "population"])
    .where("region_code", "=", consultation.region_code)
    .execute()) {
    const cts =
      (await resolveCts(db, { communeCodes: [], arrondissement: a.code, departement: a.departement_code }))?.code ??
      a.departement_code;
    if (consultation.cts_code && cts !== consultation.cts_code) continue;
    places.push({ code: a.code, cts, population: Number(a.population) });
  }
  if (!places.length || !proposals.length)
    throw new Error("Aucun arrondissement ou aucune proposition pour cette consultation.");
  const random = mulberry32(input.seed ?? 20221208);
  const totalPopulation = places.reduce((s, p) => s + p.population, 0);
  const cumulative: number[] = [];
  places.reduce((s, p) => (cumulative.push(s + p.population), s + p.population), 0);
  const popularity = proposals.map(() => 0.2 + random() ** 3);
  const local = places.map(() => proposals.map(() => 0.7 + 0.6 * random()));

  const pickPlace = () => {
    const x = random() * totalPopulation;
    let lo = 0;
    let hi = cumulative.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cumulative[mid]! > x) hi = mid;
      else lo = mid + 1;
    }
    return lo;
  };
  // Draws `n` distinct proposals, each with chance in proportion to its (local) popularity.
  const drawDistinct = (placeIndex: number, n: number) => {
    const weights = proposals.map((_, i) => popularity[i]! * local[placeIndex]![i]!);
    const chosen: string[] = [];
    for (let k = 0; k < n; k++) {
      const total = weights.reduce((a, b) => a + b, 0);
      let x = random() * total;
      let i = 0;
      while (i < weights.length - 1 && x >= weights[i]!) x -= weights[i++]!;
      chosen.push(proposals[i]!);
      weights[i] = 0;
    }
    return chosen;
  };
  const makeContent = (placeIndex: number): BallotContent => {
    if (rules.method === "approval")
      return { selections: drawDistinct(placeIndex, 1 + Math.floor(random() * rules.k)).sort() };
    if (rules.method === "ranked") return { order: drawDistinct(placeIndex, 1 + Math.floor(random() * rules.k)) };
    const graded = drawDistinct(placeIndex, Math.min(proposals.length, 5 + Math.floor(random() * 15)));
    const grades: Record<string, Grade> = {};
    for (const id of graded.sort()) {
      const lean = popularity[proposals.indexOf(id)]! * local[placeIndex]![proposals.indexOf(id)]!;
      const g = Math.min(4, Math.max(0, Math.floor(random() * 3 + (1.2 - lean) * 2.5)));
      grades[id] = GRADES[g]!;
    }
    return { grades };
  };

  const batchSize = input.batchSize ?? 5000;
  // Cast over the last 30 days, so participation over time looks like a real vote's.
  const now = Date.now();
  const castAt = () => new Date(now - Math.floor(random() * 30 * 86_400_000)).toISOString();
  let inserted = 0;
  while (inserted < input.count) {
    const size = Math.min(batchSize, input.count - inserted);
    const rows: Database["ballots"][] = [];
    const changes: CellChange[] = [];
    for (let i = 0; i < size; i++) {
      const placeIndex = pickPlace();
      const place = places[placeIndex]!;
      const content = makeContent(placeIndex);
      const at = castAt();
      rows.push({
        id: randomUUID(),
        consultation_id: consultation.id,
        user_id: null,
        arrondissement_code: place.code,
        cts_code: place.cts,
        channel: "online",
        content: JSON.stringify(content),
        assurance_level: "email",
        created_at: at,
        updated_at: at,
      });
      changes.push({ where: { arrondissement: place.code, cts: place.cts }, content, sign: 1 });
    }
    // The same write path as a resident's vote (kept counts, totals and their revision, events),
    // a batch at a time.
    await db.transaction().execute(async (trx) => {
      if (isPostgres(trx)) {
        // One statement of arrays per batch (no per-row parameters): 10 M ballots in minutes.
        const column = <K extends keyof Database["ballots"]>(k: K) => rows.map((r) => r[k]);
        await sql`insert into ballots (id, consultation_id, user_id, arrondissement_code, cts_code, channel, content,
            assurance_level, created_at, updated_at)
          select x.id, ${consultation.id}, null, x.arrondissement, x.cts, 'online', x.content, 'email', x.at, x.at
          from unnest(${column("id")}::text[], ${column("arrondissement_code")}::text[], ${column("cts_code")}::text[],
            ${column("content")}::text[], ${column("created_at")}::text[]) as x(id, arrondissement, cts, content, at)`.execute(
          trx,
        );
      } else
        for (let i = 0; i < rows.length; i += 500) {
          await trx
            .insertInto("ballots")
            .values(rows.slice(i, i + 500))
            .execute();
        }
      await applyChanges(trx, consultation.id, "online", changes);
      await logEvents(
        trx,
        consultation.id,
        "online",
        rows.map((b) => ({
          outcome: "cast",
          where: { arrondissement: b.arrondissement_code, cts: b.cts_code },
          at: b.created_at,
        })),
      );
    });
    inserted += size;
    onProgress(inserted);
  }
  return { inserted, arrondissements: places.length };
}
