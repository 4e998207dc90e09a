import { sql, type Kysely } from "kysely";
import type { Database } from "../../db/schema";
import { listMailboxDuplicates, type MailboxDuplicate } from "./mailboxes.server";

// Signals, not silent removal (docs/domain.md#signals): bursts an administrator should look at,
// with their figures and time windows. Nothing here changes or removes anything.

/** The thresholds and windows of each signal; shown on the page with the figures. */
export const SIGNAL_RULES = {
  /** Sign-ups from one network (keyed hash of its IPv4 address or IPv6 /64) within one hour. */
  network: { accounts: 5, window: "1 heure", lookbackDays: 30 },
  /** Sign-ups in one commune within one day. */
  commune: { accounts: 20, window: "1 jour", lookbackDays: 30 },
  /** Identical online ballots in one consultation within ten minutes. */
  ballots: { ballots: 5, window: "10 minutes", lookbackDays: 30 },
  /** Distinct people reporting the comments of one author (each person once per author). */
  reportedAuthors: { reporters: 3, lookbackDays: 30 },
} as const;

const DAY_MS = 24 * 60 * 60 * 1000;

export interface Signals {
  generatedAt: string;
  networks: { network: string; from: string; accounts: number; verified: number }[];
  communes: { commune: string; communeName: string; day: string; accounts: number; verified: number }[];
  mailboxes: MailboxDuplicate[];
  ballots: { consultation: string; consultationTitle: string; from: string; ballots: number; content: string }[];
  reportedAuthors: { author: string; reporters: number; flags: number; comments: number }[];
}

/** Every signal, over the look-back windows of SIGNAL_RULES, strongest first. */
export async function listSignals(db: Kysely<Database>, now = new Date()): Promise<Signals> {
  const since = (days: number) => new Date(now.getTime() - days * DAY_MS).toISOString();
  // Text timestamps (ISO-8601 UTC): a prefix is a time bucket on both databases.
  const hour = sql<string>`substr(u.created_at, 1, 13)`;
  const day = sql<string>`substr(u.created_at, 1, 10)`;
  const tenMinutes = sql<string>`substr(b.created_at, 1, 15)`;
  const verified = sql<number>`sum(case when u.email_verified_at is null then 0 else 1 end)`;

  const [networks, communes, mailboxes, ballots, reported] = await Promise.all([
    db
      .selectFrom("users as u")
      .select((eb) => [
        "u.signup_network as network",
        hour.as("bucket"),
        eb.fn.countAll<number>().as("accounts"),
        verified.as("verified"),
      ])
      .where("u.signup_network", "is not", null)
      .where("u.created_at", ">=", since(SIGNAL_RULES.network.lookbackDays))
      .groupBy(["u.signup_network", hour])
      .having((eb) => eb.fn.countAll(), ">=", SIGNAL_RULES.network.accounts)
      .execute(),
    db
      .selectFrom("users as u")
      .innerJoin("communes as c", "c.code", "u.commune_code")
      .select((eb) => [
        "u.commune_code as commune",
        "c.name as commune_name",
        day.as("bucket"),
        eb.fn.countAll<number>().as("accounts"),
        verified.as("verified"),
      ])
      .where("u.created_at", ">=", since(SIGNAL_RULES.commune.lookbackDays))
      .groupBy(["u.commune_code", "c.name", day])
      .having((eb) => eb.fn.countAll(), ">=", SIGNAL_RULES.commune.accounts)
      .execute(),
    listMailboxDuplicates(db),
    db
      .selectFrom("ballots as b")
      .innerJoin("consultations as k", "k.id", "b.consultation_id")
      .select((eb) => [
        "k.slug",
        "k.title",
        "b.content",
        tenMinutes.as("bucket"),
        eb.fn.countAll<number>().as("ballots"),
      ])
      .where("b.channel", "=", "online")
      .where("b.created_at", ">=", since(SIGNAL_RULES.ballots.lookbackDays))
      .groupBy(["k.slug", "k.title", "b.content", tenMinutes])
      .having((eb) => eb.fn.countAll(), ">=", SIGNAL_RULES.ballots.ballots)
      .execute(),
    // One person's reports on one author count once: distinct reporters per author.
    db
      .selectFrom("flags as f")
      .innerJoin("comments as c", "c.id", "f.target_id")
      .innerJoin("users as a", "a.id", "c.user_id")
      .select((eb) => [
        "a.id as author_id",
        "a.display_name",
        eb.fn.count<number>("f.reporter_id").distinct().as("reporters"),
        eb.fn.countAll<number>().as("flags"),
        eb.fn.count<number>("f.target_id").distinct().as("comments"),
      ])
      .where("f.target_kind", "=", "comment")
      .where("f.created_at", ">=", since(SIGNAL_RULES.reportedAuthors.lookbackDays))
      .groupBy(["a.id", "a.display_name"])
      .having((eb) => eb.fn.count("f.reporter_id").distinct(), ">=", SIGNAL_RULES.reportedAuthors.reporters)
      .execute(),
  ]);

  const byCount =
    <T>(key: (row: T) => number, tie: (row: T) => string) =>
    (a: T, b: T) =>
      key(b) - key(a) || (tie(a) < tie(b) ? -1 : tie(a) > tie(b) ? 1 : 0);
  return {
    generatedAt: now.toISOString(),
    networks: networks
      .map((r) => ({
        // A short handle for the hashed network: enough to tell rows apart, nothing to look up.
        network: `réseau ${String(r.network).slice(0, 8)}`,
        from: `${r.bucket}:00`,
        accounts: Number(r.accounts),
        verified: Number(r.verified),
      }))
      .sort(
        byCount(
          (r) => r.accounts,
          (r) => r.from,
        ),
      ),
    communes: communes
      .map((r) => ({
        // Joined on the communes table: never null here.
        commune: r.commune ?? "",
        communeName: r.commune_name,
        day: r.bucket,
        accounts: Number(r.accounts),
        verified: Number(r.verified),
      }))
      .sort(
        byCount(
          (r) => r.accounts,
          (r) => r.day,
        ),
      ),
    mailboxes,
    ballots: ballots
      .map((r) => ({
        consultation: r.slug,
        consultationTitle: r.title,
        from: `${r.bucket}0`,
        ballots: Number(r.ballots),
        content: r.content,
      }))
      .sort(
        byCount(
          (r) => r.ballots,
          (r) => r.from,
        ),
      ),
    reportedAuthors: reported
      .map((r) => ({
        author: r.display_name ?? `compte ${r.author_id.slice(0, 8)}`,
        reporters: Number(r.reporters),
        flags: Number(r.flags),
        comments: Number(r.comments),
      }))
      .sort(
        byCount(
          (r) => r.reporters,
          (r) => r.author,
        ),
      ),
  };
}
