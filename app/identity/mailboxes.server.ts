import { createHmac } from "node:crypto";
import type { Kysely } from "kysely";
import type { Database } from "../../db/schema";
import { canonicalEmail } from "./email-canonical";

export interface MailboxDuplicate {
  /** The canonical form the accounts share. */
  mailbox: string;
  /** Oldest first: the first holds the canonical form, the others were left without it. */
  accounts: { id: string; email: string; createdAt: string; verified: boolean }[];
}

/**
 * Mailboxes holding several accounts: only accounts made before migration
 * 2026_12_04_1900_electorate can share one (the unique canonical form refuses new ones); those
 * left without a canonical form are looked up against the account that holds it. Listed for
 * administrators to decide (`npm run accounts:duplicates`, /admin/signaux): nothing is merged.
 */
export async function listMailboxDuplicates(db: Kysely<Database>): Promise<MailboxDuplicate[]> {
  const orphans = await db
    .selectFrom("users")
    .select(["id", "email", "created_at", "email_verified_at"])
    .where("email_canonical", "is", null)
    .orderBy("created_at")
    .orderBy("id")
    .execute();
  const groups = new Map<string, MailboxDuplicate>();
  for (const row of orphans) {
    const mailbox = canonicalEmail(row.email);
    let group = groups.get(mailbox);
    if (!group) {
      const holder = await db
        .selectFrom("users")
        .select(["id", "email", "created_at", "email_verified_at"])
        .where("email_canonical", "=", mailbox)
        .executeTakeFirst();
      group = { mailbox, accounts: holder ? [account(holder)] : [] };
      groups.set(mailbox, group);
    }
    group.accounts.push(account(row));
  }
  return [...groups.values()]
    .filter((g) => g.accounts.length > 1)
    .sort((a, b) => (a.mailbox < b.mailbox ? -1 : a.mailbox > b.mailbox ? 1 : 0));
}

function account(row: { id: string; email: string; created_at: string; email_verified_at: string | null }) {
  return { id: row.id, email: row.email, createdAt: row.created_at, verified: row.email_verified_at !== null };
}

const NETWORK_KEY = "signup_network_key";
const keys = new WeakMap<Kysely<Database>, string>();

/**
 * What a sign-up keeps of its network (the client's IPv4 address or IPv6 /64, `networkKey`): an
 * HMAC-SHA-256 under a random key the migration stored in app_state, cut to 16 bytes. Equal
 * networks give equal values, so bursts from one network can be counted; the address is never
 * stored. Whoever holds the database holds the key too and could test guessed addresses one by
 * one: say so (README, docs/domain.md#signals).
 */
export async function signupNetworkHash(db: Kysely<Database>, network: string): Promise<string | null> {
  let key = keys.get(db);
  if (!key) {
    const row = await db.selectFrom("app_state").select("value").where("key", "=", NETWORK_KEY).executeTakeFirst();
    if (!row) return null;
    key = row.value;
    keys.set(db, key);
  }
  return createHmac("sha256", key).update(network).digest("base64url").slice(0, 22);
}
