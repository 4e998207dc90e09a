import type { MetaFunction } from "@remix-run/node";

export const meta: MetaFunction = () => [{ title: "Déclaration d’accessibilité — Priorités Santé" }];

export default function Accessibility() {
  return (
    <>
      <h1>Déclaration d’accessibilité</h1>
      <p>
        Les services publics numériques doivent être accessibles à tous (article 47 de la loi n° 2005-102 du 11 février
        2005). Cette déclaration s’applique au site Priorités Santé.
      </p>
      <h2>État de conformité</h2>
      <p>
        <strong>Priorités Santé est partiellement conforme</strong> au référentiel général d’amélioration de
        l’accessibilité (RGAA 4.1) : aucun audit complet n’a encore été réalisé.
      </p>
      <h2>Ce qui est vérifié</h2>
      <ul>
        <li>
          Chaque page est contrôlée automatiquement (outil axe-core, critères WCAG 2.1 niveaux A et AA) à chaque
          modification du site.
        </li>
        <li>Le site utilise le système de design de l’État (DSFR), conçu pour l’accessibilité.</li>
        <li>
          Tous les formulaires fonctionnent sans JavaScript et au clavier ; les pages restent lisibles sur un écran de
          320 pixels de large.
        </li>
      </ul>
      <h2>Limites connues</h2>
      <ul>
        <li>
          Les contrastes de couleurs n’ont été vérifiés que par les outils automatiques et le DSFR, pas par un audit
          manuel.
        </li>
        <li>Les tests avec lecteurs d’écran (NVDA, VoiceOver) restent à faire.</li>
      </ul>
      <h2>Signaler un problème</h2>
      <p>
        Si vous ne pouvez pas accéder à un contenu ou à un service, écrivez à l’agence régionale de santé qui organise
        la consultation : elle vous proposera une autre façon de participer (par exemple un bulletin papier).
      </p>
      <h2>Voies de recours</h2>
      <p>
        Si vous n’obtenez pas de réponse, vous pouvez saisir le Défenseur des droits (formulaire en ligne, délégué
        territorial ou courrier gratuit : Défenseur des droits, Libre réponse 71120, 75342 Paris CEDEX 07).
      </p>
    </>
  );
}
