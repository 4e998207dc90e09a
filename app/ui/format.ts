// One formatter each, made once: toLocaleDateString(…, options) builds a new Intl formatter at
// every call, which showed in the consultation page's render profile (one date per workshop).
const DAY = new Intl.DateTimeFormat("fr-FR", {
  day: "numeric",
  month: "long",
  year: "numeric",
  timeZone: "Europe/Paris",
});
const TIME = new Intl.DateTimeFormat("fr-FR", { hour: "2-digit", minute: "2-digit", timeZone: "Europe/Paris" });

/** "8 décembre 2022" from an ISO date or timestamp, read in Paris time. */
export function formatDate(iso: string): string {
  const date = iso.length === 10 ? new Date(`${iso}T12:00:00Z`) : new Date(iso);
  return DAY.format(date);
}

export function formatNumber(n: number): string {
  return n.toLocaleString("fr-FR");
}

/** "8 décembre 2022 à 14:05", read in Paris time. */
export function formatDateTime(iso: string): string {
  const date = new Date(iso);
  const day = DAY.format(date);
  const time = TIME.format(date);
  return `${day} à ${time}`;
}
