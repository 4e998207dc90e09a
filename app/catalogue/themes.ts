import type { ProposalKind, ProposalLevel, Theme } from "../../db/schema";

// French labels shared by pages, filters and exports.

export const THEME_LABELS: Record<Theme, string> = {
  access: "Accès à un médecin traitant et exercice coordonné",
  continuity: "Continuité et permanence des soins",
  attractiveness: "Attractivité et fidélisation des métiers de la santé",
  prevention: "Prévention",
  environment: "Environnement favorable à la santé",
};

export const THEME_SHORT: Record<Theme, string> = {
  access: "Accès aux soins",
  continuity: "Continuité des soins",
  attractiveness: "Attractivité des métiers",
  prevention: "Prévention",
  environment: "Environnement",
};

export const LEVEL_LABELS: Record<ProposalLevel, string> = {
  local_impetus: "Impulsion locale",
  national_work: "Travaux nationaux",
};

export const KIND_LABELS: Record<ProposalKind, string> = {
  proposal: "Proposition",
  commitment: "Engagement régional",
  key_idea: "Idée clé",
};

export const METHOD_LABELS = {
  approval: "Vote par approbation : choisissez jusqu’à 5 priorités",
  majority_judgment: "Jugement majoritaire : donnez une mention à chaque proposition",
  ranked: "Classement : rangez vos priorités de la plus importante à la moins importante",
} as const;

/** The method's name alone, for lists and the open-data index. */
export const METHOD_NAMES: Readonly<Record<keyof typeof METHOD_LABELS, string>> = {
  approval: "Vote par approbation",
  majority_judgment: "Jugement majoritaire",
  ranked: "Classement",
};

export const STATUS_LABELS = {
  draft: "En préparation",
  open: "Ouverte",
  closed: "Close",
  results_published: "Résultats publiés",
} as const;
