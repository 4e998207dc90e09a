import type { AnswerStatus } from "../../db/schema";

// How a CTS's answer is named to residents and members; shared by the browser and the server.

export const ANSWER_STATUSES = [
  "retenue",
  "retenue_en_partie",
  "a_l_etude",
  "non_retenue",
  "hors_competence",
] as const satisfies readonly AnswerStatus[];

export const ANSWER_STATUS_LABELS: Record<AnswerStatus, string> = {
  retenue: "Retenue",
  retenue_en_partie: "Retenue en partie",
  a_l_etude: "À l’étude",
  non_retenue: "Non retenue",
  hors_competence: "Hors compétence du CTS",
};

/** DSFR badge colour of each status. */
export const ANSWER_STATUS_BADGES: Record<AnswerStatus, string> = {
  retenue: "fr-badge--success",
  retenue_en_partie: "fr-badge--green-emeraude",
  a_l_etude: "fr-badge--info",
  non_retenue: "fr-badge--warning",
  hors_competence: "fr-badge--purple-glycine",
};

export const JUSTIFICATION_MIN = 20;
export const JUSTIFICATION_MAX = 4000;

/** How many of a territory's first priorities the follow-up figures look at. */
export const TOP_N = 10;
