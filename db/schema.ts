import type { Insertable, Selectable } from "kysely";

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
  user_roles: UserRoleTable;
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
  commune_code: string;
  display_name: string | null;
  created_at: string;
  updated_at: string;
}

export const ROLES = ["resident", "association", "cts_member", "moderator", "admin"] as const;
export type Role = (typeof ROLES)[number];

export interface UserRoleTable {
  user_id: string;
  role: Role;
  /** The CTS code for cts_member, the region code for moderator; "" when the role has no scope. */
  scope: string;
  created_at: string;
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
export type ConsultationStatus = "brouillon" | "ouverte" | "close" | "resultats_publies";
export type Theme = "acces" | "continuite" | "attractivite" | "prevention" | "environnement";
export type ProposalLevel = "impulsion_locale" | "travaux_nationaux";
export type ProposalKind = "proposition" | "engagement" | "idee_cle";

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
