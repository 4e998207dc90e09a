import type { ProposalKind, ProposalLevel, Theme } from "../../db/schema";

// French labels shared by pages, filters and exports.

export const THEME_LABELS: Record<Theme, string> = {
  acces: "Accès à un médecin traitant et exercice coordonné",
  continuite: "Continuité et permanence des soins",
  attractivite: "Attractivité et fidélisation des métiers de la santé",
  prevention: "Prévention",
  environnement: "Environnement favorable à la santé",
};

export const THEME_SHORT: Record<Theme, string> = {
  acces: "Accès aux soins",
  continuite: "Continuité des soins",
  attractivite: "Attractivité des métiers",
  prevention: "Prévention",
  environnement: "Environnement",
};

export const LEVEL_LABELS: Record<ProposalLevel, string> = {
  impulsion_locale: "Impulsion locale",
  travaux_nationaux: "Travaux nationaux",
};

export const KIND_LABELS: Record<ProposalKind, string> = {
  proposition: "Proposition",
  engagement: "Engagement régional",
  idee_cle: "Idée clé",
};

export const METHOD_LABELS = {
  approval: "Vote par approbation : choisissez jusqu’à 5 priorités",
  majority_judgment: "Jugement majoritaire : donnez une mention à chaque proposition",
  ranked: "Classement : rangez vos priorités de la plus importante à la moins importante",
} as const;

export const STATUS_LABELS = {
  draft: "En préparation",
  open: "Ouverte",
  closed: "Close",
  results_published: "Résultats publiés",
} as const;
