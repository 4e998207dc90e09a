import { Link } from "@remix-run/react";

/** The DSFR breadcrumb: links up to the current page, which is the last item. */
export function Breadcrumb({ items }: { items: { to?: string; label: string }[] }) {
  return (
    <nav role="navigation" className="fr-breadcrumb" aria-label="vous êtes ici :">
      <ol className="fr-breadcrumb__list">
        {items.map((item, i) => (
          <li key={i}>
            {item.to && i < items.length - 1 ? (
              <Link className="fr-breadcrumb__link" to={item.to}>
                {item.label}
              </Link>
            ) : (
              <a className="fr-breadcrumb__link" aria-current="page">
                {item.label}
              </a>
            )}
          </li>
        ))}
      </ol>
    </nav>
  );
}
