// The numbers of the postal-letter code that both the server and the browser's form checks use.

/** Days a code stays valid, counted from its export (the day the letter leaves). */
export const POSTAL_CODE_VALID_DAYS = 30;
/** Wrong codes accepted per letter; the next entry finds the letter locked. */
export const POSTAL_CODE_TRIES = 5;
export const POSTAL_CODE_LENGTH = 8;
