import type { MetaFunction } from "@remix-run/node";
import { DataTable } from "~/ui/table";

export const meta: MetaFunction = () => [{ title: "Données personnelles — Priorités Santé" }];

export default function Privacy() {
  return (
    <>
      <h1>Données personnelles</h1>
      <p>
        Priorités Santé traite des données personnelles pour une mission d’intérêt public : recueillir l’avis des
        habitants sur les propositions du CNR Santé et en rendre compte aux conseils territoriaux de santé (article 6.1.e
        du RGPD). Le responsable de traitement est l’agence régionale de santé qui organise la consultation.
      </p>
      <h2>Ce que nous gardons, et pourquoi</h2>
      <DataTable id="donnees-conservees" caption="Données conservées">
        <thead>
          <tr>
            <th scope="col">Donnée</th>
            <th scope="col">Pourquoi</th>
            <th scope="col">Combien de temps</th>
          </tr>
        </thead>
        <tbody>
          <tr>
            <td>Adresse électronique et mot de passe (chiffré, jamais lisible)</td>
            <td>Vous connecter, vous envoyer les liens de confirmation</td>
            <td>Jusqu’à la suppression de votre compte</td>
          </tr>
          <tr>
            <td>Commune</td>
            <td>Savoir dans quel arrondissement et quel conseil territorial de santé comptent vos votes</td>
            <td>Jusqu’à la suppression de votre compte</td>
          </tr>
          <tr>
            <td>Sessions de connexion</td>
            <td>Vous garder connecté</td>
            <td>30 jours sans activité au plus</td>
          </tr>
          <tr>
            <td>
              Journal de sécurité : connexions échouées, accès refusés, limites dépassées, exports, changements de rôle,
              décisions de modération (avec l’identifiant du compte et l’adresse IP tronquée au réseau)
            </td>
            <td>Détecter les abus et les attaques ; consultable par les seuls administrateurs</td>
            <td>6 mois, puis effacé automatiquement (chaque jour)</td>
          </tr>
          <tr>
            <td>Journaux techniques des requêtes (page demandée, sans ses paramètres, statut, durée, identifiant du compte)</td>
            <td>Faire fonctionner le site et comprendre ses pannes ; jamais le contenu d’un vote, d’un formulaire ou d’un cookie</td>
            <td>6 mois au plus</td>
          </tr>
        </tbody>
      </DataTable>
      <h2>Qui voit quoi</h2>
      <p>
        Personne ne voit pour quoi vous avez voté, pas même les administrateurs : les résultats ne sont publiés que
        comptés, par territoire. Votre adresse électronique n’est jamais affichée à d’autres personnes.
      </p>
      <h2>Vos droits</h2>
      <p>
        Vous pouvez accéder à vos données, les rectifier (changer de commune depuis « Mon compte ») ou demander leur
        effacement auprès de l’ARS. En cas de difficulté, vous pouvez saisir la CNIL.
      </p>
      <h2>Aucun traceur</h2>
      <p>
        Le site ne dépose qu’un cookie de session, nécessaire à la connexion, et n’appelle aucun service tiers : les polices
        et icônes sont servies par le site lui-même.
      </p>
    </>
  );
}
