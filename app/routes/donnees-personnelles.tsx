import type { MetaFunction } from "@remix-run/node";
import { Link } from "@remix-run/react";
import { DataTable } from "~/ui/table";

export const meta: MetaFunction = () => [{ title: "Données personnelles — Priorités Santé" }];

export default function Privacy() {
  return (
    <>
      <h1>Données personnelles</h1>
      <p>
        Priorités Santé traite des données personnelles pour une mission d’intérêt public : recueillir l’avis des
        habitants sur les propositions du CNR Santé et en rendre compte aux conseils territoriaux de santé (article 6,
        paragraphe 1, point e, du RGPD). Le responsable de traitement est l’agence régionale de santé qui organise la
        consultation. Nous ne gardons que ce qui sert à cette mission, et rien n’est vendu, cédé ni utilisé à d’autres
        fins.
      </p>

      <h2>Ce que nous gardons, pourquoi et combien de temps</h2>
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
            <td>Adresse électronique et mot de passe (conservé sous forme d’empreinte, jamais lisible)</td>
            <td>Vous connecter, vous envoyer les liens de confirmation et de nouveau mot de passe</td>
            <td>Jusqu’à la suppression de votre compte</td>
          </tr>
          <tr>
            <td>Commune (et donc arrondissement, département, région, conseil territorial de santé)</td>
            <td>Savoir dans quelles consultations vous votez et dans quel territoire comptent vos votes</td>
            <td>Jusqu’à la suppression de votre compte</td>
          </tr>
          <tr>
            <td>Nom public (facultatif)</td>
            <td>Signer vos commentaires quand vous le choisissez</td>
            <td>Jusqu’à ce que vous l’effaciez ou supprimiez votre compte</td>
          </tr>
          <tr>
            <td>Votre bulletin, relié à votre compte</td>
            <td>
              Vous permettre de le voir et de le modifier tant que la consultation est ouverte ; garantir un seul
              bulletin par personne
            </td>
            <td>
              Jusqu’à la clôture de la consultation : le bulletin perd alors tout lien avec votre compte et ses dates
              sont arrondies au jour. Il reste compté, anonyme, dans les résultats.
            </td>
          </tr>
          <tr>
            <td>
              Si vous avez demandé à être prévenu·e des réponses des CTS (case décochée par défaut) : votre souhait et,
              pour chaque consultation où vous votez, votre territoire de CTS et la liste des propositions que vous avez
              choisies (pas vos mentions ni votre ordre), gardés au moment du vote, et la trace des e-mails envoyés
            </td>
            <td>
              Vous écrire, après la clôture, ce que le CTS a répondu aux propositions que vous aviez choisies — alors
              que votre bulletin, lui, n’est plus relié à votre compte. C’est un choix : pour vous, ce lien entre votre
              compte et vos choix survit à la clôture ; sans cette demande, rien n’est gardé
            </td>
            <td>
              Jusqu’à ce que vous décochiez la case (tout est effacé aussitôt) ou supprimiez votre compte ; retirer
              votre vote efface aussi vos choix gardés
            </td>
          </tr>
          <tr>
            <td>Commentaires, mentions « utile », signalements</td>
            <td>Le débat public sur les propositions, sa modération</td>
            <td>Tant que la consultation est en ligne, ou jusqu’à leur suppression par vous</td>
          </tr>
          <tr>
            <td>Sessions de connexion (dates seulement)</td>
            <td>Vous garder connecté</td>
            <td>30 jours sans activité, et 30 jours après la connexion au plus</td>
          </tr>
          <tr>
            <td>Journaux techniques du serveur (sans contenu de vote)</td>
            <td>Sécurité du service, détection des abus</td>
            <td>6 mois</td>
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
            <td>
              Journaux techniques des requêtes (page demandée, sans ses paramètres, statut, durée, identifiant du
              compte)
            </td>
            <td>
              Faire fonctionner le site et comprendre ses pannes ; jamais le contenu d’un vote, d’un formulaire ou d’un
              cookie
            </td>
            <td>6 mois au plus</td>
          </tr>
        </tbody>
      </DataTable>

      <h2>Qui voit quoi</h2>
      <ul>
        <li>
          <strong>Votre vote</strong> : vous seul le voyez (« Mon vote »). Personne d’autre, pas même les
          administrateurs ni les membres des CTS : les résultats ne sont publiés que comptés, par territoire, et un
          territoire de moins de 10 votants n’affiche aucun chiffre.
        </li>
        <li>
          <strong>Vos commentaires</strong> : tout le monde, signés de votre nom public ou « un·e habitant·e », avec
          votre arrondissement. Les membres de CTS les exportent pour leur territoire, sous le même nom public, jamais
          avec votre adresse. Les modérateurs voient les commentaires signalés et l’historique de leur auteur.
        </li>
        <li>
          <strong>Votre adresse électronique</strong> : jamais affichée à d’autres personnes ; les administrateurs y ont
          accès pour la gestion des comptes.
        </li>
      </ul>

      <h2>Vos droits et comment les exercer</h2>
      <p>
        Depuis la rubrique <Link to="/mon-compte#mes-donnees">« Mes données » de votre compte</Link>, vous pouvez à tout
        moment :
      </p>
      <ul>
        <li>
          <strong>télécharger toutes vos données</strong> (droit d’accès et à la portabilité) : un fichier JSON avec
          votre compte, votre territoire, vos rôles, vos bulletins des consultations ouvertes, vos commentaires,
          mentions « utile » et signalements, votre association le cas échéant, vos sessions et les messages que nous
          vous avons envoyés ;
        </li>
        <li>
          <strong>supprimer votre compte</strong> (droit à l’effacement) : vos bulletins des consultations ouvertes sont
          retirés et les résultats recalculés aussitôt ; vous choisissez si vos commentaires sont supprimés ou conservés
          sous « participant supprimé », sans lien avec vous.
        </li>
      </ul>
      <p>
        Vous rectifiez votre commune, votre nom public et votre mot de passe dans « Mon compte ». Vous pouvez aussi vous
        opposer au traitement ou poser une question auprès du délégué à la protection des données de l’ARS. En cas de
        difficulté, vous pouvez saisir la CNIL (cnil.fr).
      </p>

      <h2>Aucun traceur</h2>
      <p>
        Le site ne dépose qu’un cookie de session, nécessaire à la connexion, et n’appelle aucun service tiers : les
        polices et icônes sont servies par le site lui-même.
      </p>
    </>
  );
}
