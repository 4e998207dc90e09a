/**
 * The DSFR download link: what the file is, then on its detail line the format and size in
 * words. Its accessible name says them together, "Télécharger le rapport (PDF, 40 Ko)" (the
 * detail line being a block, the name computed from the text would read "rapport PDF, 40 Ko").
 */
export function DownloadLink({
  href,
  label,
  format,
  bytes,
  approximate = false,
}: {
  href: string;
  label: string;
  format: string;
  bytes: number | null;
  approximate?: boolean;
}) {
  const size = bytes === null ? null : `${approximate ? "environ " : ""}${formatBytes(bytes)}`;
  const detail = `${format}${size ? `, ${size}` : ""}`;
  return (
    <a className="fr-link fr-link--download" href={href} download aria-label={`${label} (${detail})`}>
      {label} <span className="fr-link__detail">{detail}</span>
    </a>
  );
}

const decimal = new Intl.NumberFormat("fr-FR", { maximumFractionDigits: 1 });

/** A file size as people read it: "850 octets", "40 Ko", "2,3 Mo" (1 Ko = 1 000 octets). */
export function formatBytes(bytes: number): string {
  if (bytes < 1000) return `${bytes} octet${bytes > 1 ? "s" : ""}`;
  if (bytes < 1_000_000) {
    const ko = bytes / 1000;
    return `${ko < 10 ? decimal.format(Math.round(ko * 10) / 10) : Math.round(ko)} Ko`;
  }
  return `${decimal.format(Math.round(bytes / 100_000) / 10)} Mo`;
}
