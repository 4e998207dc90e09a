import type { Method, Weighting } from "./types";

const ordinal = (n: number) => (n === 1 ? "1re" : `${n}e`);
const points = (n: number) => (n === 1 ? "1 point" : `${n} points`);

function bordaScale(k: number): string {
  if (k === 1) return "la 1re place vaut 1 point";
  if (k === 2) return "la 1re place vaut 2 points, la 2e 1 point";
  return `la 1re place vaut ${points(k)}, la 2e ${points(k - 1)}, … la ${ordinal(k)} ${points(1)}`;
}

const WEIGHT =
  "chaque bulletin comptant pour la population de son arrondissement divisée par le nombre de bulletins de cet arrondissement";

/** The one sentence every results view shows to say how ranks were decided. */
export function explanation(method: Method, weighting: Weighting, rules: { k: number; quorum: number }): string {
  const weighted = weighting === "population";
  const ties = "les ex æquo exacts partagent le même rang";
  if (method === "approval") {
    return weighted
      ? `Classement par part pondérée des bulletins qui retiennent la proposition, ${WEIGHT} ; ${ties}.`
      : `Classement par part des bulletins qui retiennent la proposition ; ${ties}.`;
  }
  if (method === "ranked") {
    return weighted
      ? `Classement par points de Borda pondérés par unité de poids (${bordaScale(rules.k)}), ${WEIGHT} ; ${ties}.`
      : `Classement par points de Borda par bulletin (${bordaScale(rules.k)}) ; ${ties}.`;
  }
  const quorum =
    rules.quorum > 1
      ? `les propositions ayant moins de ${rules.quorum} avis ne sont pas classées (« pas assez d’avis ») et ${ties}`
      : `les propositions sans avis ne sont pas classées et ${ties}`;
  return (
    `Classement par mention majoritaire${weighted ? ` pondérée (${WEIGHT})` : ""} ; ` +
    "à mention égale, une proposition dont la part d’avis meilleurs que sa mention dépasse la part d’avis moins bons passe devant les autres, " +
    "puis, entre deux qui la dépassent, la plus grande part d’avis meilleurs l’emporte et, entre deux qui ne la dépassent pas, la plus petite part d’avis moins bons ; " +
    `${quorum}.`
  );
}
