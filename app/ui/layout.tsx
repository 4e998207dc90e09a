import { Form, Link, NavLink } from "@remix-run/react";
import type { ReactNode } from "react";
import { arrondissementLabel } from "./place-names";

export interface HeaderUser {
  email: string;
  emailVerified: boolean;
  place: { commune: string; arrondissement: string; arrondissementCode: string } | null;
  /** The working spaces the person's roles open, shown in the navigation. */
  spaces: { to: string; label: string }[];
}

/** Navigation entries for the roles that have a space of their own. */
export function spacesFor(roles: readonly { role: string }[]): { to: string; label: string }[] {
  const has = (role: string) => roles.some((r) => r.role === role);
  return [
    ...(has("cts_member") ? [{ to: "/cts", label: "Espace CTS" }] : []),
    ...(has("association") ? [{ to: "/espace-association", label: "Espace association" }] : []),
    ...(has("moderator") ? [{ to: "/moderation", label: "Modération" }] : []),
    ...(has("admin") ? [{ to: "/admin", label: "Administration" }] : []),
  ];
}

const NAV = [
  { to: "/", label: "Accueil", end: true },
  { to: "/consultations", label: "Consultations", end: false },
  { to: "/contexte", label: "Le CNR Santé", end: false },
  { to: "/associations", label: "Associations", end: false },
  { to: "/glossaire", label: "Glossaire", end: false },
  { to: "/mon-compte", label: "Mon compte", end: false },
];

/** The DSFR page frame: skip links, header with the service and the resident's place, footer. */
export function Layout({ user, children }: { user: HeaderUser | null; children: ReactNode }) {
  return (
    <>
      <div className="fr-skiplinks">
        <nav className="fr-container" aria-label="Accès rapide">
          <ul className="fr-skiplinks__list">
            <li>
              <a className="fr-link" href="#contenu">
                Contenu
              </a>
            </li>
            <li>
              <a className="fr-link" href="#navigation">
                Menu
              </a>
            </li>
            <li>
              <a className="fr-link" href="#pied-de-page">
                Pied de page
              </a>
            </li>
          </ul>
        </nav>
      </div>
      <header className="fr-header">
        <div className="fr-header__body">
          <div className="fr-container">
            <div className="fr-header__body-row">
              <div className="fr-header__brand fr-enlarge-link">
                <div className="fr-header__brand-top">
                  <div className="fr-header__logo">
                    <p className="fr-logo">
                      République
                      <br />
                      Française
                    </p>
                  </div>
                  <div className="fr-header__navbar">
                    <button
                      className="fr-btn--menu fr-btn"
                      data-fr-opened="false"
                      aria-controls="modal-menu"
                      aria-haspopup="menu"
                      id="button-menu"
                      title="Menu"
                      type="button"
                    >
                      Menu
                    </button>
                  </div>
                </div>
                <div className="fr-header__service">
                  <Link to="/" title="Accueil — Priorités Santé">
                    <p className="fr-header__service-title">Priorités Santé</p>
                  </Link>
                  <p className="fr-header__service-tagline">Vos priorités pour la santé dans votre territoire</p>
                </div>
              </div>
              <div className="fr-header__tools">
                <div className="fr-header__tools-links">
                  <HeaderTools user={user} />
                </div>
              </div>
            </div>
          </div>
        </div>
        <div className="fr-header__menu fr-modal" id="modal-menu" aria-labelledby="button-menu">
          <div className="fr-container">
            <button className="fr-btn--close fr-btn" aria-controls="modal-menu" title="Fermer" type="button">
              Fermer
            </button>
            {/* Below 992 px the DSFR hides the tools and shows this copy in the menu; in React mode it
                leaves the copying to us (otherwise phones could not log in or out). */}
            <div className="fr-header__menu-links">
              <HeaderTools user={user} />
            </div>
            <nav className="fr-nav" id="navigation" aria-label="Menu principal">
              <ul className="fr-nav__list">
                {[...NAV, ...(user?.spaces ?? []).map((s) => ({ ...s, end: false }))].map((item) => (
                  <li className="fr-nav__item" key={item.to}>
                    <NavLink className="fr-nav__link" to={item.to} end={item.end}>
                      {item.label}
                    </NavLink>
                  </li>
                ))}
              </ul>
            </nav>
          </div>
        </div>
      </header>
      <main id="contenu" tabIndex={-1} className="fr-container fr-py-6w">
        {children}
      </main>
      <Footer />
    </>
  );
}

function HeaderTools({ user }: { user: HeaderUser | null }) {
  if (!user) {
    return (
      <ul className="fr-btns-group">
        <li>
          <Link className="fr-btn fr-icon-lock-line" to="/connexion">
            Se connecter
          </Link>
        </li>
        <li>
          <Link className="fr-btn fr-icon-account-line" to="/inscription">
            Créer un compte
          </Link>
        </li>
      </ul>
    );
  }
  return (
    <ul className="fr-btns-group">
      {user.place ? (
        <li>
          <Link className="fr-btn fr-icon-map-pin-2-line" to="/mon-compte" data-testid="header-place">
            {user.place.commune} · {arrondissementLabel(user.place.arrondissement)}
          </Link>
        </li>
      ) : null}
      <li>
        <Form method="post" action="/deconnexion">
          <button className="fr-btn fr-icon-logout-box-r-line" type="submit">
            Se déconnecter
          </button>
        </Form>
      </li>
    </ul>
  );
}

function Footer() {
  return (
    <footer className="fr-footer" id="pied-de-page">
      <div className="fr-container">
        <div className="fr-footer__body">
          <div className="fr-footer__brand fr-enlarge-link">
            <Link to="/" title="Retour à l’accueil — Priorités Santé">
              <p className="fr-logo">
                République
                <br />
                Française
              </p>
            </Link>
          </div>
          <div className="fr-footer__content">
            <p className="fr-footer__content-desc">
              Priorités Santé rend aux habitants les propositions convergentes des ateliers territoriaux du Conseil
              national de la refondation en santé (2022), recueille leurs priorités et les transmet à chaque conseil
              territorial de santé.
            </p>
          </div>
        </div>
        <div className="fr-footer__bottom">
          <ul className="fr-footer__bottom-list">
            <li className="fr-footer__bottom-item">
              <Link className="fr-footer__bottom-link" to="/accessibilite">
                Accessibilité : partiellement conforme
              </Link>
            </li>
            <li className="fr-footer__bottom-item">
              <Link className="fr-footer__bottom-link" to="/mentions-legales">
                Mentions légales
              </Link>
            </li>
            <li className="fr-footer__bottom-item">
              <Link className="fr-footer__bottom-link" to="/donnees-personnelles">
                Données personnelles
              </Link>
            </li>
          </ul>
          <div className="fr-footer__bottom-copy">
            <p>
              Sauf mention contraire, les contenus de ce site sont sous licence etalab-2.0. Données territoriales : Code
              officiel géographique (INSEE), populations municipales.
            </p>
          </div>
        </div>
      </div>
    </footer>
  );
}
