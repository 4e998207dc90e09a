/**
 * Communes the picker lists at most. The search reads one more, so the picker can say there are
 * more (and ask for a closer search) instead of cutting the list without a word.
 */
export const COMMUNE_SEARCH_LIMIT = 20;

export const TOO_MANY_COMMUNES = `Plus de ${COMMUNE_SEARCH_LIMIT} communes : précisez votre saisie (nom plus complet ou code postal).`;
