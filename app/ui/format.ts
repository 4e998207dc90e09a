/** "8 décembre 2022" from an ISO date or timestamp, read in Paris time. */
export function formatDate(iso: string): string {
  const date = iso.length === 10 ? new Date(`${iso}T12:00:00Z`) : new Date(iso);
  return date.toLocaleDateString("fr-FR", { day: "numeric", month: "long", year: "numeric", timeZone: "Europe/Paris" });
}

export function formatNumber(n: number): string {
  return n.toLocaleString("fr-FR");
}
