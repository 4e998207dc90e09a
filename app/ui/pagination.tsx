import { Link } from "@remix-run/react";

/** DSFR pagination whose links keep every other search parameter (filters stay in the URL). */
export function Pagination({ page, pageCount, params }: { page: number; pageCount: number; params: URLSearchParams }) {
  if (pageCount <= 1) return null;
  const href = (p: number) => {
    const next = new URLSearchParams(params);
    if (p === 1) next.delete("page");
    else next.set("page", String(p));
    const qs = next.toString();
    return qs ? `?${qs}` : "?";
  };
  const pages = [...new Set([1, page - 1, page, page + 1, pageCount])]
    .filter((p) => p >= 1 && p <= pageCount)
    .sort((a, b) => a - b);
  return (
    <nav role="navigation" className="fr-pagination fr-mt-4w" aria-label="Pagination">
      <ul className="fr-pagination__list">
        <li>
          {page > 1 ? (
            <Link
              className="fr-pagination__link fr-pagination__link--prev fr-pagination__link--lg-label"
              to={href(page - 1)}
            >
              Page précédente
            </Link>
          ) : (
            <a
              className="fr-pagination__link fr-pagination__link--prev fr-pagination__link--lg-label"
              aria-disabled="true"
              role="link"
            >
              Page précédente
            </a>
          )}
        </li>
        {pages.map((p) => (
          <li key={p}>
            <Link
              className="fr-pagination__link"
              to={href(p)}
              aria-current={p === page ? "page" : undefined}
              title={`Page ${p}`}
            >
              {p}
            </Link>
          </li>
        ))}
        <li>
          {page < pageCount ? (
            <Link
              className="fr-pagination__link fr-pagination__link--next fr-pagination__link--lg-label"
              to={href(page + 1)}
            >
              Page suivante
            </Link>
          ) : (
            <a
              className="fr-pagination__link fr-pagination__link--next fr-pagination__link--lg-label"
              aria-disabled="true"
              role="link"
            >
              Page suivante
            </a>
          )}
        </li>
      </ul>
    </nav>
  );
}
