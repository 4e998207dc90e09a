// Dates shown next to comments, formatted once on the server (the browser only displays the
// string, so server and browser ICU versions can never disagree during hydration).

const PARTS = new Intl.DateTimeFormat("fr-FR", {
  timeZone: "Europe/Paris",
  day: "numeric",
  month: "long",
  year: "numeric",
  hour: "2-digit",
  minute: "2-digit",
  hourCycle: "h23",
});

/** "23 novembre 2026 à 14 h 05", in Paris time. */
export function formatDateTime(iso: string): string {
  const p = Object.fromEntries(PARTS.formatToParts(new Date(iso)).map((part) => [part.type, part.value]));
  return `${p.day} ${p.month} ${p.year} à ${p.hour} h ${p.minute}`;
}
