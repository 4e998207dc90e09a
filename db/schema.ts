import type { Generated, Insertable, Selectable } from "kysely";

/**
 * The one hand-written schema type, shared by SQLite and PostgreSQL. Conventions that keep both
 * dialects identical: text ids made in the app, timestamps as ISO-8601 UTC text, booleans as 0/1
 * integers, enums as text with CHECK constraints, no bigint.
 */
export interface Database {
  regions: RegionTable;
  departements: DepartementTable;
  arrondissements: ArrondissementTable;
  communes: CommuneTable;
  cts_territories: CtsTerritoryTable;
  cts_rules: CtsRuleTable;
  users: UserTable;
  user_verifications: UserVerificationTable;
  franceconnect_logins: FranceConnectLoginTable;
  user_roles: UserRoleTable;
  postal_letters: PostalLetterTable;
  census_entries: CensusEntryTable;
  sessions: SessionTable;
  email_tokens: EmailTokenTable;
  outbox: OutboxTable;
  app_state: AppStateTable;
  consultations: ConsultationTable;
  proposals: ProposalTable;
  proposal_sources: ProposalSourceTable;
  proposal_departement_counts: ProposalDepartementCountTable;
  proposal_verbatims: ProposalVerbatimTable;
  workshops: WorkshopTable;
  ballots: BallotTable;
  ballot_counts: BallotCountTable;
  ballot_totals: BallotTotalTable;
  ballot_events: BallotEventTable;
  ballot_event_days: BallotEventDayTable;
  associations: AssociationTable;
  association_territories: AssociationTerritoryTable;
  comments: CommentTable;
  comment_useful: CommentUsefulTable;
  contributions: ContributionTable;
  contribution_files: ContributionFileTable;
  flags: FlagTable;
  moderation_log: ModerationLogTable;
  cts_invitations: CtsInvitationTable;
  report_exports: ReportExportTable;
  live_counts: BallotCountTable;
  live_totals: LiveTotalTable;
  audit_events: AuditEventTable;
  cts_answers: CtsAnswerTable;
  cts_answer_versions: CtsAnswerVersionTable;
  cts_answer_publications: CtsAnswerPublicationTable;
  answer_notice_optins: AnswerNoticeOptinTable;
  answer_notice_choices: AnswerNoticeChoiceTable;
  answer_notices_sent: AnswerNoticeSentTable;
  rank_intervals: RankIntervalTable;
}

export interface RegionTable {
  code: string;
  name: string;
}

export interface DepartementTable {
  code: string;
  name: string;
  region_code: string;
}

export interface ArrondissementTable {
  /** "142", "2A1", "9711"; Mayotte, which has none, is the pseudo-arrondissement "976". */
  code: string;
  name: string;
  departement_code: string;
  region_code: string;
  /** Sum of its communes' municipal populations (commune-actuelle rows only). */
  population: number;
}

export type CommuneKind = "commune" | "arrondissement_municipal";

export interface CommuneTable {
  code: string;
  name: string;
  kind: CommuneKind;
  /** For a municipal arrondissement of Paris, Lyon or Marseille: its commune's code. */
  parent_code: string | null;
  arrondissement_code: string;
  departement_code: string;
  region_code: string;
  population: number;
  /** Space-separated postal codes. */
  postal_codes: string;
  /** Lower-case name without accents or punctuation, for search. */
  search_name: string;
}

export interface CtsTerritoryTable {
  code: string;
  name: string;
  region_code: string;
}

export type CtsRuleLevel = "departement" | "arrondissement" | "commune";
export type CtsRuleSource = "default" | "import" | "admin";

/** commune → CTS territory, as data: the most specific rule (commune, arrondissement, département) wins. */
export interface CtsRuleTable {
  level: CtsRuleLevel;
  code: string;
  cts_code: string;
  source: CtsRuleSource;
  updated_at: string;
}

export interface UserTable {
  id: string;
  email: string;
  password_hash: string;
  email_verified_at: string | null;
  commune_code: string | null;
  display_name: string | null;
  /** The highest level the account's verifications still support (see user_verifications). */
  assurance_level: Generated<AssuranceLevel>;
  /** The FranceConnect identity linked to the account (its `sub` for this site), unique. */
  franceconnect_sub: string | null;
  created_at: string;
  updated_at: string;
  /**
   * The address in its canonical form (app/identity/email-canonical.ts), unique: one mailbox, one
   * account. NULL only for accounts that shared a mailbox with an older one before migration
   * 2026_12_04_1900_electorate (`npm run accounts:duplicates` lists them).
   */
  email_canonical: string | null;
  /** When the resident last moved to another region (docs/domain.md#one-voice). */
  region_changed_at: string | null;
  /** Keyed hash of the network the sign-up came from (signals), never the address. */
  signup_network: string | null;
}

/** Lowest to highest (docs/domain.md « Niveaux de garantie »). */
export const ASSURANCE_LEVELS = ["email", "identity", "residence", "in_person"] as const;
export type AssuranceLevel = (typeof ASSURANCE_LEVELS)[number];
export type VerificationMethod = "franceconnect" | "postal_code" | "census" | "counter";

/** One proof a person gave (migration 2026_12_04_1800_assurance). */
export interface UserVerificationTable {
  id: string;
  user_id: string;
  level: AssuranceLevel;
  method: VerificationMethod;
  /** The commune a residence or counter verification vouches for; null for an identity. */
  commune_code: string | null;
  /** The agent who confirmed at a counter. */
  verified_by: string | null;
  created_at: string;
}

/**
 * A FranceConnect sign-in in progress (step authorize: the checks its answer must pass) or an
 * identity waiting for the person to confirm linking or creating an account (step confirm).
 * Found by the SHA-256 of the random key its browser holds; deleted when used.
 */
export interface FranceConnectLoginTable {
  key_hash: string;
  step: "authorize" | "confirm";
  state: string | null;
  nonce: string | null;
  code_verifier: string | null;
  user_id: string | null;
  return_to: string | null;
  sub: string | null;
  email: string | null;
  expires_at: string;
  created_at: string;
}

export const ROLES = ["resident", "association", "cts_member", "moderator", "admin", "counter_agent"] as const;
export type Role = (typeof ROLES)[number];

export interface UserRoleTable {
  user_id: string;
  role: Role;
  /**
   * The CTS code for cts_member, the region code for moderator, the département code for
   * counter_agent; "" when the role has no scope.
   */
  scope: string;
  created_at: string;
}

export type PostalLetterStatus = "requested" | "sent" | "used" | "void";

/** A letter carrying a code to an address in the account's commune (migration 2026_12_04_2100_residence). */
export interface PostalLetterTable {
  id: string;
  user_id: string;
  /** The account's commune when the letter was asked. */
  commune_code: string;
  recipient: string;
  address_line1: string;
  address_line2: string | null;
  postal_code: string;
  status: PostalLetterStatus;
  /** Set at export: sha256(salt + code), hex. The code in clear exists only in the exported file. */
  code_salt: string | null;
  code_hash: string | null;
  /** Wrong codes entered for this letter. */
  attempts: Generated<number>;
  requested_at: string;
  sent_at: string | null;
  expires_at: string | null;
  used_at: string | null;
}

/** One census line an ARS loaded, reduced to the hash of its matching key. */
export interface CensusEntryTable {
  region_code: string;
  /** sha256("census:v1:" + canonical e-mail + "|" + commune code), hex. */
  key_hash: string;
  loaded_at: string;
}

export interface SessionTable {
  id: string;
  user_id: string;
  expires_at: string;
  created_at: string;
}

export type EmailTokenKind = "verify_email" | "reset_password";

export interface EmailTokenTable {
  id: string;
  user_id: string;
  kind: EmailTokenKind;
  /** SHA-256 of the token, hex: the token itself is only in the e-mail. */
  token_hash: string;
  expires_at: string;
  used_at: string | null;
  created_at: string;
}

export interface OutboxTable {
  id: string;
  to_address: string;
  subject: string;
  body_text: string;
  created_at: string;
}

export interface AppStateTable {
  key: string;
  value: string;
}

export type User = Selectable<UserTable>;
export type NewUser = Insertable<UserTable>;
export type Commune = Selectable<CommuneTable>;

export type BallotMethod = "approval" | "majority_judgment" | "ranked";
export type ConsultationStatus = "draft" | "open" | "closed" | "results_published";
export type Theme = "access" | "continuity" | "attractiveness" | "prevention" | "environment";
export type ProposalLevel = "local_impetus" | "national_work";
export type ProposalKind = "proposal" | "commitment" | "key_idea";

export interface ConsultationTable {
  id: string;
  slug: string;
  region_code: string;
  /** Set when the consultation covers one CTS territory only. */
  cts_code: string | null;
  title: string;
  description: string;
  source_file: string;
  method: BallotMethod;
  /** JSON: the method's parameters (k, quorum…). */
  method_params: string;
  status: ConsultationStatus;
  opens_at: string | null;
  closes_at: string | null;
  position: number;
  /** 1: residents see the live ranking while the vote is open (off by default). */
  live_results: Generated<0 | 1>;
  /** The lowest assurance level allowed to vote. */
  min_assurance_level: Generated<AssuranceLevel>;
  created_at: string;
  updated_at: string;
}

export interface ProposalTable {
  id: string;
  consultation_id: string;
  slug: string;
  title: string;
  summary: string | null;
  text: string;
  theme: Theme;
  /** A second theme the entry is also found under (migration 2026_12_04_1100). */
  secondary_theme: Theme | null;
  /** The source's full wording, when the title is a shortened form of it. */
  source_wording: string | null;
  level: ProposalLevel | null;
  kind: ProposalKind;
  group_slug: string | null;
  /** Order in the source. */
  position: number;
  /** Mentions printed in the source at its heading (regional level), when it prints one. */
  mentions: number | null;
  /** searchKey of title, summary, text and glossary expansions: what search matches. */
  search_text: string;
  updated_at: string;
}

export interface ProposalSourceTable {
  proposal_id: string;
  position: number;
  file: string;
  section: string;
  mentions: number | null;
  departement_code: string | null;
  /** Space-separated workshop slugs. */
  workshops: string;
  /** The theme the source prints it under, when not the entry's own (a merged entry). */
  theme: Theme | null;
}

export interface ProposalDepartementCountTable {
  proposal_id: string;
  departement_code: string;
  mentions: number;
  section: string;
}

export interface ProposalVerbatimTable {
  proposal_id: string;
  position: number;
  text: string;
}

export interface WorkshopTable {
  id: string;
  consultation_id: string;
  slug: string;
  place: string;
  arrondissement_code: string | null;
  departement_code: string | null;
  date: string | null;
  participants: number | null;
  /** JSON object: category → count, as printed in the source. */
  participants_by_category: string | null;
  position: number;
}

export type BallotChannel = "online" | "paper";

export interface BallotTable {
  id: string;
  consultation_id: string;
  user_id: string | null;
  /** Where the voter lived when the ballot was cast (or last changed). */
  arrondissement_code: string;
  cts_code: string;
  channel: BallotChannel;
  /** JSON, by method: {"selections": [ids]}, {"grades": {id: grade}}, {"order": [ids]}. */
  content: string;
  /** The voter's level when the ballot was cast or last changed; null for a paper ballot. */
  assurance_level: AssuranceLevel | null;
  created_at: string;
  updated_at: string;
}

export interface BallotCountTable {
  consultation_id: string;
  proposal_id: string;
  arrondissement_code: string;
  cts_code: string;
  cell: number;
  count: number;
}

export interface BallotTotalTable {
  consultation_id: string;
  arrondissement_code: string;
  cts_code: string;
  channel: BallotChannel;
  ballots: number;
  /** Writes to this row so far; Σ over a consultation = its tally version. */
  revision: Generated<number>;
}

/** A place's kept totals as of its last step (migration 2026_12_04_1200_live_snapshots). */
export interface LiveTotalTable {
  consultation_id: string;
  arrondissement_code: string;
  cts_code: string;
  channel: BallotChannel;
  ballots: number;
}

export interface BallotEventTable {
  id: string;
  consultation_id: string;
  kind: "cast" | "changed" | "withdrawn";
  arrondissement_code: string;
  cts_code: string;
  channel: BallotChannel;
  created_at: string;
}

/** Casts and withdrawals per day and arrondissement, kept with the events (migration 2026_12_05_0500). */
export interface BallotEventDayTable {
  consultation_id: string;
  cts_code: string;
  /** YYYY-MM-DD (UTC), the first ten characters of the events' created_at. */
  day: string;
  arrondissement_code: string;
  kind: "cast" | "withdrawn";
  count: number;
}

// Comments, association contributions and moderation (migration 2026_11_23_1200_comments).

export type Stance = "for" | "against" | "nuanced";
/** visible; pending_review: hidden automatically after 3 distinct reports; hidden: by a moderator. */
export type ModerationState = "visible" | "pending_review" | "hidden";
export type FlagReason = "spam" | "insult" | "personal_data" | "off_topic";
export type AssociationStatus = "pending" | "verified" | "refused";

export interface AssociationTable {
  id: string;
  /** The organisation's own account (role "association"). */
  user_id: string;
  slug: string;
  name: string;
  identifier_kind: "rna" | "siren";
  identifier: string;
  agrement: string | null;
  contact_name: string;
  contact_email: string;
  contact_phone: string | null;
  status: AssociationStatus;
  refusal_reason: string | null;
  decided_by: string | null;
  decided_at: string | null;
  created_at: string;
  updated_at: string;
}

export interface AssociationTerritoryTable {
  association_id: string;
  kind: "departement" | "cts";
  code: string;
}

export interface CommentTable {
  id: string;
  consultation_id: string;
  proposal_id: string;
  /** Set for a reply; a reply's parent is always a top-level comment. */
  parent_id: string | null;
  /** Null once the author's account is deleted. */
  user_id: string | null;
  /** 1: shown as "un·e habitant·e" rather than the author's display name. */
  anonymous: 0 | 1;
  /** Required on a top-level comment, optional on a reply. */
  stance: Stance | null;
  /** Plain text; "" once deleted (tombstone). */
  body: string;
  /** Where the author lived when writing. */
  arrondissement_code: string;
  cts_code: string;
  moderation: ModerationState;
  hidden_reason: FlagReason | null;
  review_requested_at: string | null;
  review_message: string | null;
  reviewed_at: string | null;
  created_at: string;
  updated_at: string;
  edited_at: string | null;
  deleted_at: string | null;
}

export interface CommentUsefulTable {
  comment_id: string;
  user_id: string;
  created_at: string;
}

export interface ContributionTable {
  id: string;
  consultation_id: string;
  proposal_id: string;
  association_id: string;
  title: string;
  body: string;
  /** Null while a draft. */
  published_at: string | null;
  moderation: ModerationState;
  hidden_reason: FlagReason | null;
  review_requested_at: string | null;
  review_message: string | null;
  reviewed_at: string | null;
  created_at: string;
  updated_at: string;
  deleted_at: string | null;
}

export interface ContributionFileTable {
  id: string;
  contribution_id: string;
  filename: string;
  size: number;
  sha256: string;
  /** The PDF itself: blob on SQLite, bytea on PostgreSQL; both drivers give a Buffer. */
  content: Buffer;
  created_at: string;
}

export interface FlagTable {
  id: string;
  target_kind: "comment" | "contribution";
  target_id: string;
  reporter_id: string;
  reason: FlagReason;
  details: string | null;
  created_at: string;
  resolved_at: string | null;
  resolution: "dismissed" | "upheld" | null;
}

export type ModerationAction =
  | "auto_hide"
  | "hide"
  | "restore"
  | "dismiss"
  | "review_requested"
  | "review_upheld"
  | "association_verified"
  | "association_refused";

export interface ModerationLogTable {
  id: string;
  /** Null for the automatic hiding after 3 reports, or once the actor's account is gone. */
  actor_id: string | null;
  /** Who acted, as shown to administrators ("système" for automatic actions). */
  actor_label: string;
  action: ModerationAction;
  target_kind: "comment" | "contribution" | "association";
  target_id: string;
  region_code: string | null;
  reason: string | null;
  note: string | null;
  created_at: string;
}

// CTS reports (migration 2026_11_23_1400_reports).

export interface CtsInvitationTable {
  id: string;
  /** Lower-case, as typed by the administrator. */
  email: string;
  cts_code: string;
  /** SHA-256 of the token, hex. */
  token_hash: string;
  invited_by: string | null;
  expires_at: string;
  accepted_at: string | null;
  accepted_by: string | null;
  created_at: string;
}

export type ExportFormat = "csv" | "json" | "xlsx" | "pdf";

/** Every report export served, with its fingerprint: a printed copy can be checked against it. */
export interface ReportExportTable {
  id: string;
  consultation_id: string;
  /** "region" for the region's dataset, else the CTS code. */
  territory: string;
  format: ExportFormat;
  tally_version: number;
  generated_at: string;
  sha256: string;
  bytes: number;
}
export type AuditKind =
  | "login_failed"
  | "forbidden"
  | "rate_limited"
  | "export"
  | "data_export"
  | "role_change"
  | "moderation"
  | "account_deleted"
  | "password_changed"
  | "password_reset"
  | "login"
  | "commune_change"
  | "verification"
  | "consultation_setting";

export interface AuditEventTable {
  id: string;
  kind: AuditKind;
  /** The signed-in user who acted (or whose account it is); null when anonymous or deleted. */
  user_id: string | null;
  /** Client address truncated to its network: IPv4 /24 (a.b.c.0), IPv6 /48 (x:y:z::). */
  ip: string | null;
  /** Request path, without its query string. */
  path: string | null;
  /** A short description, never a secret, a password, a token or a ballot. */
  detail: string | null;
  created_at: string;
}

// CTS answers to the proposals (migration 2026_12_04_1600_answers).

export type AnswerStatus = "retenue" | "retenue_en_partie" | "a_l_etude" | "non_retenue" | "hors_competence";

export interface CtsAnswerTable {
  id: string;
  consultation_id: string;
  proposal_id: string;
  cts_code: string;
  /** The newest version, draft or published. */
  version: number;
  /** The newest version residents see; null until published. */
  published_version: number | null;
  created_at: string;
  updated_at: string;
}

export interface CtsAnswerVersionTable {
  answer_id: string;
  version: number;
  status: AnswerStatus;
  justification: string;
  plan_reference: string | null;
  plan_url: string | null;
  next_step: string | null;
  /** YYYY-MM-DD */
  answered_on: string;
  /** YYYY-MM-DD */
  due_on: string | null;
  author_id: string | null;
  created_at: string;
  publication_id: string | null;
  published_at: string | null;
}

export interface CtsAnswerPublicationTable {
  id: string;
  consultation_id: string;
  cts_code: string;
  number: number;
  published_by: string | null;
  published_at: string;
  answers: number;
  notices_total: Generated<number>;
  notices_sent: Generated<number>;
  notices_done_at: string | null;
}

export interface AnswerNoticeOptinTable {
  user_id: string;
  created_at: string;
}

export interface AnswerNoticeChoiceTable {
  consultation_id: string;
  user_id: string;
  cts_code: string;
  /** JSON array of proposal ids. */
  proposal_ids: string;
  updated_at: string;
}

export interface AnswerNoticeSentTable {
  publication_id: string;
  user_id: string;
  sent_at: string;
}

/**
 * The last rank intervals computed for a territory, shared by every app server, and the claim of
 * the one computing newer ones (migration 2026_12_05_0400_rank_intervals).
 */
export interface RankIntervalTable {
  consultation_id: string;
  /** "region:28", "cts:76-rouen-elbeuf", "arrondissement:143". */
  territory: string;
  weighting: "raw" | "population";
  resamples: number;
  /** The tally version the intervals belong to; null until the first ones are computed. */
  version: number | null;
  /** JSON: proposal id → { lo, hi, rankedIn }. */
  intervals: string | null;
  computed_at: string | null;
  /** The server computing newer intervals (a random id per process), while it does. */
  claimed_by: string | null;
  /** Renewed while it computes: a claim older than the lease is a dead server's, and is taken over. */
  claimed_at: string | null;
}
