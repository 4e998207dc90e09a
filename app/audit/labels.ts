import type { AuditKind } from "../../db/schema";

/** How each kind of security event is named to administrators. */
export const AUDIT_KIND_LABELS: Record<AuditKind, string> = {
  login_failed: "Connexion échouée",
  forbidden: "Accès refusé (403)",
  rate_limited: "Limite dépassée (429)",
  export: "Export",
  data_export: "Export de données personnelles",
  role_change: "Changement de rôle",
  moderation: "Décision de modération",
  account_deleted: "Compte supprimé",
  password_changed: "Mot de passe changé",
  password_reset: "Mot de passe réinitialisé (lien par e-mail)",
  login: "Connexion réussie",
  commune_change: "Changement de commune",
  verification: "Niveau de garantie",
  consultation_setting: "Réglage d’une consultation",
};

export const AUDIT_KINDS = Object.keys(AUDIT_KIND_LABELS) as AuditKind[];
