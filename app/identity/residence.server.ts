import type { Kysely } from "kysely";
import type { Database } from "../../db/schema";

export type ResidentStanding = { ok: true } | { ok: false; reason: "not-resident" | "unverified" | "elsewhere" };

/**
 * Whether this account is a verified resident of the region (docs/domain.md#verified-resident):
 * it holds the `resident` role, its e-mail address is confirmed and its commune lies in the
 * region. The one place that says what "verified" means: when assurance levels arrive
 * (FranceConnect, postal code, guichet), a consultation's minimum level is checked here.
 */
export async function isVerifiedResident(
  db: Kysely<Database>,
  userId: string,
  regionCode: string,
): Promise<ResidentStanding> {
  const row = await db
    .selectFrom("users as u")
    .leftJoin("communes as c", "c.code", "u.commune_code")
    .select((eb) => [
      "u.email_verified_at",
      "c.region_code",
      eb
        .exists(
          eb
            .selectFrom("user_roles as r")
            .select("r.user_id")
            .whereRef("r.user_id", "=", "u.id")
            .where("r.role", "=", "resident"),
        )
        .as("resident"),
    ])
    .where("u.id", "=", userId)
    .executeTakeFirst();
  if (!row || !row.resident) return { ok: false, reason: "not-resident" };
  if (!row.email_verified_at) return { ok: false, reason: "unverified" };
  if (row.region_code !== regionCode) return { ok: false, reason: "elsewhere" };
  return { ok: true };
}
