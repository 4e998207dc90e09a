import type { MetaFunction } from "@remix-run/node";

export const meta: MetaFunction = () => [{ title: "Mentions légales — Priorités Santé" }];

export default function LegalNotice() {
  return (
    <>
      <h1>Mentions légales</h1>
      <h2>Éditeur</h2>
      <p>
        Le site est édité, pour chaque consultation, par l’agence régionale de santé (ARS) qui l’organise. Le directeur
        général de l’ARS est directeur de la publication.
      </p>
      <h2>Hébergement</h2>
      <p>L’hébergeur est indiqué par l’ARS qui déploie le service.</p>
      <h2>Sources et licences</h2>
      <p>
        Les propositions présentées proviennent des restitutions publiques des ateliers territoriaux du CNR Santé
        (2022). Les données territoriales proviennent du Code officiel géographique et des populations municipales de
        l’INSEE, via le paquet « découpage administratif » d’Etalab. Sauf mention contraire, les contenus sont sous
        licence ouverte etalab-2.0.
      </p>
      <h2>Marque de l’État</h2>
      <p>
        Le site utilise le système de design de l’État, réservé aux services de l’État : les ARS sont des établissements
        publics de l’État.
      </p>
    </>
  );
}
