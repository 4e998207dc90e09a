import { ASSURANCE_LEVELS, type AssuranceLevel } from "../../db/schema";

export { ASSURANCE_LEVELS, type AssuranceLevel };

/** How each level is named to people (docs/domain.md « Niveaux de garantie »). */
export const ASSURANCE_LABELS: Record<AssuranceLevel, string> = {
  email: "Adresse électronique",
  identity: "Identité (FranceConnect)",
  residence: "Résidence (code reçu par courrier)",
  in_person: "Guichet (vérifié en personne)",
};

/** What a person does to reach a level, said to a resident below a consultation's minimum. */
export const HOW_TO_REACH: Record<AssuranceLevel, string> = {
  email: "Confirmez votre adresse électronique avec le lien reçu par e-mail.",
  identity: "Connectez-vous avec FranceConnect depuis « Mon compte » pour confirmer votre identité.",
  residence:
    "Demandez un code par courrier à votre adresse depuis « Mon compte », ou faites-vous confirmer à un guichet (mairie, France Services).",
  in_person: "Présentez-vous à un guichet habilité (mairie, France Services, association) avec une pièce d’identité.",
};

export function isAssuranceLevel(value: unknown): value is AssuranceLevel {
  return typeof value === "string" && (ASSURANCE_LEVELS as readonly string[]).includes(value);
}

/** The levels are ordered: each one vouches for at least what the ones below it do. */
export function meetsLevel(level: AssuranceLevel, minimum: AssuranceLevel): boolean {
  return ASSURANCE_LEVELS.indexOf(level) >= ASSURANCE_LEVELS.indexOf(minimum);
}

export function highestLevel(levels: Iterable<AssuranceLevel>): AssuranceLevel {
  let best: AssuranceLevel = "email";
  for (const level of levels) if (!meetsLevel(best, level)) best = level;
  return best;
}

/** Why a resident at `level` cannot vote where `minimum` is required, and how to get there. */
export function belowMinimumMessage(level: AssuranceLevel, minimum: AssuranceLevel): string | null {
  if (meetsLevel(level, minimum)) return null;
  return `Cette consultation demande le niveau de garantie « ${ASSURANCE_LABELS[minimum]} » (le vôtre : « ${ASSURANCE_LABELS[level]} »). ${HOW_TO_REACH[minimum]}`;
}
