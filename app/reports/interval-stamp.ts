import { formatDateTime } from "../ui/format";

// What pages and exports say of their rank intervals, in one place: they are computed in the
// background (app/ballots/intervals.server.ts), so a report may show those of an older tally
// version, or none yet.

/** Which tally version a report's rank intervals belong to; null when the report has no ranking. */
export interface IntervalStamp {
  /** null: none computed yet ("en cours de calcul"): the rankings are shown without intervals. */
  version: number | null;
  computedAt: string | null;
  /** A computation for a newer tally version is under way. */
  computing: boolean;
}

export const INTERVALS_PENDING = "Intervalles de rang en cours de calcul";

/** The stamp's sentence for a page or an export (null without a ranking). */
export function intervalsSentence(
  stamp: IntervalStamp | null,
  tallyVersion: number,
  where: "page" | "export",
): string | null {
  if (!stamp) return null;
  if (stamp.version === null || stamp.computedAt === null)
    return where === "page"
      ? `${INTERVALS_PENDING} : les classements sont montrés sans eux pour l’instant ; rechargez la page dans quelques instants pour les voir.`
      : `${INTERVALS_PENDING} au moment de cet export : il n’en contient pas ; exportez de nouveau dans quelques instants pour les avoir.`;
  const when = formatDateTime(stamp.computedAt);
  return stamp.version === tallyVersion
    ? `Intervalles de rang calculés sur cette version du décompte (n° ${stamp.version}), le ${when}.`
    : `Les intervalles de rang datent de la version n° ${stamp.version} du décompte (calculés le ${when})${stamp.computing ? " ; leur mise à jour est en cours" : ""}.`;
}
