import { randomBytes } from "node:crypto";
import type { Kysely } from "kysely";

// Frozen in time: imports nothing from the app, takes Kysely<any>.
//
// 1. One mailbox, one account: `users.email_canonical` holds the address in its canonical form
//    (lower case, `+tag` dropped, dots dropped for the providers that ignore them) under a unique
//    index. Existing accounts are filled in creation order: the first account of a mailbox keeps
//    the canonical form, later ones are left NULL (NULLs never collide in a unique index, on both
//    databases) and are what `npm run accounts:duplicates` lists. Nothing is merged.
// 2. One voice per territory: `users.region_changed_at`, the time of the last change of region.
// 3. Signals: `users.signup_network`, a keyed hash (HMAC-SHA-256) of the network a sign-up came
//    from, never the address itself; the key is made here, kept in app_state.

/** A copy of canonicalEmail (app/identity/email-canonical.ts) as it was when this ran. */
const DOT_BLIND: Record<string, string> = { "gmail.com": "gmail.com", "googlemail.com": "gmail.com" };
function canonical(email: string): string {
  const lower = email.trim().toLowerCase();
  const at = lower.lastIndexOf("@");
  if (at < 1) return lower;
  let local = lower.slice(0, at);
  let domain = lower.slice(at + 1);
  const plus = local.indexOf("+");
  if (plus > 0) local = local.slice(0, plus);
  const alias = DOT_BLIND[domain];
  if (alias) {
    domain = alias;
    local = local.replaceAll(".", "");
  }
  return `${local}@${domain}`;
}

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable("users").addColumn("email_canonical", "text").execute();
  await db.schema.alterTable("users").addColumn("region_changed_at", "text").execute();
  await db.schema.alterTable("users").addColumn("signup_network", "text").execute();
  const users: { id: string; email: string }[] = await db
    .selectFrom("users")
    .select(["id", "email"])
    .orderBy("created_at")
    .orderBy("id")
    .execute();
  const seen = new Set<string>();
  for (const user of users) {
    const key = canonical(user.email);
    if (seen.has(key)) continue;
    seen.add(key);
    await db.updateTable("users").set({ email_canonical: key }).where("id", "=", user.id).execute();
  }
  await db.schema.createIndex("users_email_canonical").unique().on("users").column("email_canonical").execute();
  await db.schema.createIndex("users_created").on("users").column("created_at").execute();
  await db
    .insertInto("app_state")
    .values({ key: "signup_network_key", value: randomBytes(32).toString("base64url") })
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.deleteFrom("app_state").where("key", "=", "signup_network_key").execute();
  await db.schema.dropIndex("users_created").execute();
  await db.schema.dropIndex("users_email_canonical").execute();
  await db.schema.alterTable("users").dropColumn("signup_network").execute();
  await db.schema.alterTable("users").dropColumn("region_changed_at").execute();
  await db.schema.alterTable("users").dropColumn("email_canonical").execute();
}
