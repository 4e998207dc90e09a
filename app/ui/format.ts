// The one place where dates and numbers become French text, in Paris time. Each formatter is made
// once: toLocaleDateString(…, options) builds a new Intl formatter at every call, which showed in
// the consultation page's render profile (one date per workshop). Pages get these strings from
// the server, so server and browser ICU versions can never disagree during hydration.

const ZONE = "Europe/Paris";
const DAY = new Intl.DateTimeFormat("fr-FR", { day: "numeric", month: "long", year: "numeric", timeZone: ZONE });
const SHORT_DAY = new Intl.DateTimeFormat("fr-FR", { day: "numeric", month: "short", timeZone: ZONE });
const NUMERIC_DAY = new Intl.DateTimeFormat("fr-FR", {
  day: "2-digit",
  month: "2-digit",
  year: "numeric",
  timeZone: ZONE,
});
const TIME = new Intl.DateTimeFormat("fr-FR", { hour: "2-digit", minute: "2-digit", hourCycle: "h23", timeZone: ZONE });

/** A calendar day ("2022-12-08") is read at noon UTC, the same day in Paris; a timestamp as it is. */
function toDate(iso: string): Date {
  return new Date(iso.length === 10 ? `${iso}T12:00:00Z` : iso);
}

/** "8 décembre 2022" from an ISO date or timestamp, read in Paris time. */
export function formatDate(iso: string): string {
  return DAY.format(toDate(iso));
}

/** "8 déc." (charts' axes). */
export function formatShortDate(iso: string): string {
  return SHORT_DAY.format(toDate(iso));
}

/** "08/12/2022" (table cells). */
export function formatNumericDate(iso: string): string {
  return NUMERIC_DAY.format(toDate(iso));
}

/** "8 décembre 2022 à 14 h 05", read in Paris time (the French typographic way to write an hour). */
export function formatDateTime(iso: string): string {
  const date = toDate(iso);
  const time = Object.fromEntries(TIME.formatToParts(date).map((part) => [part.type, part.value]));
  return `${DAY.format(date)} à ${time.hour} h ${time.minute}`;
}

export function formatNumber(n: number): string {
  return n.toLocaleString("fr-FR");
}
