import type { MetaFunction } from "@remix-run/node";
import { DataTable } from "~/ui/table";
import { Link } from "@remix-run/react";

export const meta: MetaFunction = () => [
  { title: "Le CNR Santé, d’où viennent les propositions — Priorités Santé" },
  {
    name: "description",
    content:
      "Le Conseil national de la refondation en santé (CNR Santé) : ses quatre thèmes, les ateliers de 2022 en Normandie, Nouvelle-Aquitaine, Centre-Val de Loire et dans les Yvelines, et ce que Priorités Santé fait des propositions.",
  },
];

// Every figure below is taken from the CNR Santé source reports, which are not in the repository
// (docs/domain.md#catalogue); the "Sources" section at the bottom of the page names the file and
// the part of it each one comes from.

const NBSP = "\u00a0";

/** Nouvelle-Aquitaine, 001_69b1a6520f933c0b.txt, 1.1 Introduction. */
const NA_WORKSHOPS: [string, number][] = [
  ["Charente (16)", 3],
  ["Charente-Maritime (17)", 3],
  ["Corrèze (19)", 4],
  ["Creuse (23)", 3],
  ["Dordogne (24)", 4],
  ["Gironde (33)", 6],
  ["Landes (40)", 3],
  ["Lot-et-Garonne (47)", 3],
  ["Pyrénées-Atlantiques (64)", 4],
  ["Deux-Sèvres (79)", 3],
  ["Vienne (86)", 6],
  ["Haute-Vienne (87)", 5],
];

/** Nouvelle-Aquitaine, 001_69b1a6520f933c0b.txt, 1.1 Introduction. */
const NA_CONTRIBUTIONS: [string, string, string][] = [
  ["Accès à un médecin traitant ou à une équipe traitante, exercice coordonné", "908", "50"],
  ["Continuité des soins et soins non programmés", "345", "19"],
  ["Attractivité des métiers de la santé", "243", "13"],
  ["Prévention", "315", "17"],
];

/** Centre-Val de Loire, 000_259f14672463cccc.txt, opening page. */
const CVL_MEETINGS: [string, string, number][] = [
  ["Eure-et-Loir", "27 novembre 2022", 90],
  ["Indre-et-Loire", "30 novembre 2022", 110],
  ["Loir-et-Cher", "2 décembre 2022", 100],
  ["Cher", "2 décembre 2022", 90],
  ["Loiret", "6 décembre 2022", 115],
  ["Indre", "12 décembre 2022", 80],
];

const NORMANDIE_WORKSHOPS = [
  "Alençon",
  "Argentan",
  "Avranches",
  "Bernay",
  "Coutances",
  "Creully-sur-Seulles",
  "Dieppe",
  "Évreux",
  "Gournay-en-Bray",
  "Hérouville-Saint-Clair",
  "Le Havre",
  "Les Andelys",
  "Lisieux",
  "Mortagne-au-Perche",
  "Saint-Lô",
  "Sotteville-lès-Rouen",
  "Valognes",
  "Vire",
];

function n(value: number): string {
  return value.toLocaleString("fr-FR").replace(/\s/g, NBSP);
}

export default function Context() {
  const naTotal = NA_WORKSHOPS.reduce((sum, [, count]) => sum + count, 0);
  const cvlTotal = CVL_MEETINGS.reduce((sum, [, , count]) => sum + count, 0);
  return (
    <div className="ps-text">
      <h1>Le CNR Santé, d’où viennent les propositions</h1>
      <p className="fr-text--lead">
        Les propositions que vous trouvez sur Priorités Santé ne viennent pas de nulle part : elles ont été écrites fin
        2022 par des habitants, des élus, des soignants et des associations, lors des ateliers du Conseil national de la
        refondation en santé, le « CNR Santé ».
      </p>
      <div className="fr-callout fr-mb-4w">
        <h2 className="fr-callout__title fr-h6">En bref</h2>
        <ul className="fr-callout__text">
          <li>Le CNR a été lancé le 8 septembre 2022 ; son volet santé a été présenté le 3 octobre 2022.</li>
          <li>
            Dans chaque région, l’agence régionale de santé (ARS) a réuni les acteurs de la santé autour de quatre
            thèmes.
          </li>
          <li>
            Ce site reprend les propositions de quatre rapports : Normandie, Nouvelle-Aquitaine, Centre-Val de Loire et
            Yvelines (Île-de-France).
          </li>
          <li>
            Vous pouvez dire lesquelles sont prioritaires pour vous ; les résultats vont aux conseils territoriaux de
            santé.
          </li>
        </ul>
      </div>

      <h2>Qu’est-ce que le CNR Santé ?</h2>
      <p>
        Le Conseil national de la refondation (CNR) a été lancé le 8 septembre 2022 par le Président de la République.
        C’est une méthode de concertation : construire ensemble, au plus près des Français, des solutions concrètes aux
        grandes transformations à venir, notamment dans le domaine de la santé.
      </p>
      <p>
        Le 3 octobre 2022, au Mans, François Braun, alors ministre de la Santé et de la Prévention, a présenté le volet
        santé du CNR, le « CNR Santé ». Dans chaque région, l’agence régionale de santé (ARS) l’a ensuite mis en œuvre
        avec les préfectures et les élus : des ateliers ont réuni, dans les territoires, des usagers, des élus, des
        professionnels de santé, des associations et des partenaires sociaux. Les synthèses de ces ateliers ont été
        adressées au ministère de la Santé et de la Prévention.
      </p>

      <h2>Quatre thèmes, et un cinquième dans le Cher</h2>
      <p>Partout, les ateliers ont travaillé sur les quatre mêmes défis :</p>
      <ol>
        <li>
          <strong>Accès à la santé</strong> : donner à tous un médecin traitant ou une équipe de soignants, en
          particulier aux personnes les plus fragiles, et aider les professionnels à travailler ensemble (exercice
          coordonné).
        </li>
        <li>
          <strong>Continuité et permanence des soins</strong> : avoir partout une réponse rapide et de qualité quand on
          a besoin d’un soin urgent ou non prévu (soins non programmés).
        </li>
        <li>
          <strong>Attractivité et fidélisation</strong> : utiliser les leviers locaux pour attirer et garder les
          professionnels de santé.
        </li>
        <li>
          <strong>Prévention</strong> : créer une alliance entre les acteurs locaux pour que la prévention entre dans le
          quotidien de chacun.
        </li>
      </ol>
      <p>
        Dans le Cher (Centre-Val de Loire), un cinquième atelier a porté sur l’
        <strong>environnement favorable à la santé</strong>.
      </p>

      <h2>Les ateliers, région par région</h2>
      <p>
        Chaque région a organisé ses ateliers à sa façon. Voici ce que disent les rapports dont les propositions sont
        reprises sur ce site.
      </p>

      <h3>Normandie : 18 ateliers et 5 engagements</h3>
      <p>
        L’ARS Normandie a organisé 18 ateliers territoriaux en novembre 2022, au niveau des arrondissements de chaque
        département. Le premier a eu lieu le 8 novembre à Mortagne-au-Perche. À la fin de chaque atelier, les
        rapporteurs de chaque table présentaient les constats et les propositions des participants. Une enquête auprès
        des Normands sur leurs difficultés d’accès à la santé a nourri les débats.
      </p>
      <p>Villes des ateliers : {NORMANDIE_WORKSHOPS.join(", ")}.</p>
      <DataTable id="tableau-1" caption="Le CNR Santé en Normandie, chiffres clés">
        <thead>
          <tr>
            <th scope="col">Indicateur</th>
            <th scope="col">Valeur</th>
          </tr>
        </thead>
        <tbody>
          <tr>
            <th scope="row">Ateliers territoriaux</th>
            <td>18</td>
          </tr>
          <tr>
            <th scope="row">Période</th>
            <td>
              du 8 au 28 novembre 2022 (l’éditorial du directeur général de l’ARS écrit « entre le 8 et le 29
              novembre »)
            </td>
          </tr>
          <tr>
            <th scope="row">Participants</th>
            <td>près de 1{NBSP}250</td>
          </tr>
          <tr>
            <th scope="row">Qui étaient-ils ?</th>
            <td>
              47{NBSP}% de soignants, 22{NBSP}% d’élus, 17{NBSP}% d’associatifs, 14{NBSP}% de particuliers
            </td>
          </tr>
          <tr>
            <th scope="row">Durée des échanges</th>
            <td>80 heures</td>
          </tr>
          <tr>
            <th scope="row">Agents de l’ARS mobilisés</th>
            <td>une centaine, avec l’Assurance maladie</td>
          </tr>
          <tr>
            <th scope="row">Conseils territoriaux de santé (CTS)</th>
            <td>7, de 34 à 50 membres chacun</td>
          </tr>
          <tr>
            <th scope="row">Restitution régionale</th>
            <td>jeudi 8 décembre 2022</td>
          </tr>
        </tbody>
      </DataTable>
      <p>
        Lors de la restitution du 8 décembre 2022, l’ARS a présenté les propositions revenues le plus souvent dans les
        18 ateliers (les « propositions convergentes »), classées en deux groupes : celles qui peuvent être lancées
        localement (<em>impulsion locale</em>) et celles qui relèvent de décisions nationales (
        <em>travaux nationaux</em>).
      </p>
      <h4>Les 5 engagements pris en Normandie pour 2023</h4>
      <ol>
        <li>
          Développer le travail en équipe, notamment entre médecin, infirmier et pharmacien, pour que certaines tâches
          du médecin soient confiées à d’autres soignants ; trouver un soignant de référence pour chaque personne
          atteinte d’une affection de longue durée qui n’a pas de médecin traitant.
        </li>
        <li>
          Faire nommer au moins un enseignant universitaire en santé dans chaque hôpital « support » de groupement
          hospitalier de territoire (GHT) et dans un pôle de santé de chaque arrondissement.
        </li>
        <li>
          Demander à chaque CPTS de créer un service qui va au-devant des patients, et aux collectivités d’offrir un
          transport à la demande aux habitants peu mobiles pour qu’ils accèdent aux lieux de soin.
        </li>
        <li>
          Permettre à toutes les personnes atteintes de maladies chroniques de profiter des 27 maisons sport santé de la
          région.
        </li>
        <li>
          Renforcer les compétences en prévention et promotion de la santé de tous les adultes qui travaillent auprès
          des enfants et des adolescents.
        </li>
      </ol>
      <p>
        Pour suivre ces engagements, un comité est installé dans chaque département dès janvier 2023, autour du conseil
        territorial de santé. De nouveaux ateliers étaient prévus dans chaque arrondissement à la fin du premier
        semestre 2023.
      </p>

      <h3>Nouvelle-Aquitaine : 47 ateliers dans 12 départements</h3>
      <p>
        En Nouvelle-Aquitaine, 47 ateliers ont été organisés en novembre et décembre 2022 dans les 12 départements de la
        région. Le rapport regroupe les contributions par idées communes et indique, pour chaque proposition, combien de
        fois elle a été citée. Le compte rendu de chaque atelier donne son lieu, sa date et, le plus souvent, le nombre
        de participants par catégorie (élus, professionnels, associations, usagers…).
      </p>
      <DataTable id="tableau-2" caption="Nombre d’ateliers par département en Nouvelle-Aquitaine">
        <thead>
          <tr>
            <th scope="col">Département</th>
            <th scope="col">Ateliers</th>
          </tr>
        </thead>
        <tbody>
          {NA_WORKSHOPS.map(([departement, count]) => (
            <tr key={departement}>
              <th scope="row">{departement}</th>
              <td>{count}</td>
            </tr>
          ))}
        </tbody>
        <tfoot>
          <tr>
            <th scope="row">Total</th>
            <td>{naTotal}</td>
          </tr>
        </tfoot>
      </DataTable>
      <DataTable
        id="tableau-3"
        caption="Contributions recueillies par thème en Nouvelle-Aquitaine (constats, solutions et propositions)"
      >
        <thead>
          <tr>
            <th scope="col">Thème</th>
            <th scope="col">Contributions</th>
            <th scope="col">Part</th>
          </tr>
        </thead>
        <tbody>
          {NA_CONTRIBUTIONS.map(([theme, count, share]) => (
            <tr key={theme}>
              <th scope="row">{theme}</th>
              <td>{count}</td>
              <td>
                {share}
                {NBSP}%
              </td>
            </tr>
          ))}
        </tbody>
        <tfoot>
          <tr>
            <th scope="row">Total</th>
            <td>1{NBSP}811</td>
            <td>100{NBSP}%</td>
          </tr>
        </tfoot>
      </DataTable>
      <p>L’accès à la santé a été le thème le plus discuté : il représente la moitié des contributions.</p>

      <h3>Centre-Val de Loire : 6 réunions départementales</h3>
      <p>
        L’ARS Centre-Val de Loire a organisé une réunion CNR Santé dans chaque département, avec les conseils
        territoriaux de santé, les préfets et les conseils départementaux. Y ont participé de nombreux maires,
        parlementaires, professionnels de santé, représentants de CPTS et des ordres professionnels, et des usagers. Des
        documents préparatoires (constats régionaux et zoom sur chaque département) ont été partagés avant chaque
        réunion.
      </p>
      <DataTable id="tableau-4" caption="Les réunions CNR Santé en Centre-Val de Loire">
        <thead>
          <tr>
            <th scope="col">Département</th>
            <th scope="col">Date</th>
            <th scope="col">Participants</th>
          </tr>
        </thead>
        <tbody>
          {CVL_MEETINGS.map(([departement, date, count]) => (
            <tr key={departement}>
              <th scope="row">{departement}</th>
              <td>{date}</td>
              <td>{n(count)}</td>
            </tr>
          ))}
        </tbody>
        <tfoot>
          <tr>
            <th scope="row">Total</th>
            <td>du 27 novembre au 12 décembre 2022</td>
            <td>
              {n(cvlTotal)} <span className="fr-text--xs">(somme calculée par Priorités Santé)</span>
            </td>
          </tr>
        </tfoot>
      </DataTable>
      <p>
        Les échanges ont eu lieu dans 4 ateliers, un par thème ; en Eure-et-Loir et dans l’Indre, un seul atelier a
        traité les deux premiers thèmes, et le Cher a ajouté un atelier sur l’environnement favorable à la santé. Les
        comptes rendus écrits de chaque réunion, qui font foi, ont été transmis à la conférence régionale de la santé et
        de l’autonomie (CRSA) et devaient être adressés au ministère. Pour la suite, la synthèse régionale propose de
        choisir 4 à 5 projets prioritaires par département, réalisables dans l’année.
      </p>

      <h3>Île-de-France : le conseil territorial de santé des Yvelines (78)</h3>
      <p>
        Dans les Yvelines, la démarche a commencé le 28 octobre 2022 avec le bureau du conseil territorial de santé
        (CTS), puis s’est poursuivie par des auditions, des groupes de travail sur les quatre thèmes et deux soirées de
        concertation. Le CTS a présenté le résultat le 1<sup>er</sup> décembre 2022, avant de remettre sa copie à l’ARS
        Île-de-France début décembre. Une réunion de tous les CTS de la région était prévue le 14 décembre 2022.
      </p>
      <DataTable id="tableau-5" caption="Le CNR Santé dans les Yvelines, chiffres clés">
        <thead>
          <tr>
            <th scope="col">Indicateur</th>
            <th scope="col">Valeur</th>
          </tr>
        </thead>
        <tbody>
          <tr>
            <th scope="row">Soirées de concertation</th>
            <td>2</td>
          </tr>
          <tr>
            <th scope="row">Participants aux soirées</th>
            <td>plus de 130</td>
          </tr>
          <tr>
            <th scope="row">Initiatives, idées ou solutions recueillies</th>
            <td>122</td>
          </tr>
          <tr>
            <th scope="row">Idées clés retenues</th>
            <td>7</td>
          </tr>
          <tr>
            <th scope="row">Restitution</th>
            <td>
              1<sup>er</sup> décembre 2022
            </td>
          </tr>
        </tbody>
      </DataTable>
      <p>
        Les solutions sont rangées en 4 axes (accès au médecin traitant, accès aux soins non programmés, attractivité
        des métiers de la santé, prévention). Le CTS a ensuite retenu 7 idées clés :
      </p>
      <ol>
        <li>mieux articuler les contrats locaux de santé (CLS) et les CPTS ;</li>
        <li>favoriser l’accès à un médecin traitant ;</li>
        <li>renforcer les contrats locaux en santé mentale (CLSM) ;</li>
        <li>poursuivre et faciliter les téléconsultations assistées et coordonnées par le médecin traitant ;</li>
        <li>mobiliser davantage l’éducation : l’école promotrice de santé ;</li>
        <li>développer et intensifier les campagnes nationales, relayées sur tous les territoires ;</li>
        <li>
          davantage de relais en santé (aidants, associations, bénévoles) — numérotée « idée 2 » par erreur dans le
          compte rendu.
        </li>
      </ol>

      <h2>Contexte : le plan d’accès aux soins 2017-2018 en Centre-Val de Loire</h2>
      <p>
        Les difficultés d’accès aux soins ne datent pas du CNR. Dans un document de 2017-2018, l’ARS Centre-Val de Loire
        présentait la mise en œuvre, dans la région, du plan national « Renforcer l’accès territorial aux soins ». Ce
        plan n’est pas une source de propositions du CNR ; il aide à comprendre d’où l’on part. Il avait 4 priorités :
      </p>
      <ol>
        <li>Renforcer l’offre de soins dans les territoires : une présence médicale et soignante accrue.</li>
        <li>Mettre en œuvre la révolution numérique en santé pour abolir les distances (télémédecine).</li>
        <li>
          Mieux organiser les professions de santé pour assurer une présence soignante durable et continue (maisons de
          santé, centres de santé, CPTS, soins non programmés).
        </li>
        <li>Faire confiance aux acteurs des territoires pour construire des projets et innover.</li>
      </ol>
      <DataTable id="tableau-6" caption="Quelques chiffres du plan d’accès aux soins en Centre-Val de Loire (2017)">
        <thead>
          <tr>
            <th scope="col">Sujet</th>
            <th scope="col">Chiffre</th>
          </tr>
        </thead>
        <tbody>
          <tr>
            <th scope="row">Habitants vivant en zone d’intervention prioritaire (ZIP) pour les médecins</th>
            <td>
              39,8{NBSP}% avec le zonage de novembre 2017, contre 14,2{NBSP}% avant
            </td>
          </tr>
          <tr>
            <th scope="row">Médecins retraités qui continuent d’exercer en libéral</th>
            <td>plus de 330, dont 173 médecins généralistes (plus de 9{NBSP}% des médecins libéraux en activité)</td>
          </tr>
          <tr>
            <th scope="row">Médecins agréés pour accueillir des étudiants et internes en médecine générale</th>
            <td>393</td>
          </tr>
          <tr>
            <th scope="row">Infirmières ASALEE formées</th>
            <td>une vingtaine</td>
          </tr>
          <tr>
            <th scope="row">Protocoles de coopération entre professionnels autorisés par l’ARS</th>
            <td>13, avec 80 professionnels de santé participants</td>
          </tr>
          <tr>
            <th scope="row">
              Maisons de santé pluriprofessionnelles (MSP), au 1<sup>er</sup> juillet 2017
            </th>
            <td>65, dont 55 financées par l’État et la Région</td>
          </tr>
          <tr>
            <th scope="row">
              Centres de santé, au 1<sup>er</sup> juillet 2017
            </th>
            <td>53, dont 7 pluriprofessionnels</td>
          </tr>
          <tr>
            <th scope="row">Sites équipés pour la télémédecine</th>
            <td>94</td>
          </tr>
          <tr>
            <th scope="row">Contrats locaux de santé (CLS) donnant la priorité à la démographie médicale</th>
            <td>17</td>
          </tr>
          <tr>
            <th scope="row">Contrats de CPTS signés en 2017</th>
            <td>2 (Sud Lochois en mars, Amboise en novembre)</td>
          </tr>
        </tbody>
      </DataTable>

      <h2>Ce que Priorités Santé fait de ces propositions</h2>
      <p>
        Les ateliers ont produit de nombreuses propositions. Priorités Santé vous demande lesquelles comptent le plus
        pour vous :
      </p>
      <ul>
        <li>
          Chaque consultation reprend les propositions d’un rapport ; chaque proposition indique d’où elle vient (le
          rapport et sa rubrique).
        </li>
        <li>
          Vous indiquez vos priorités, selon la règle de la consultation : choisir quelques propositions, donner une
          mention à chacune, ou les classer. Vous pouvez changer d’avis tant que la consultation est ouverte.
        </li>
        <li>
          Les résultats sont comptés par territoire. Les membres de chaque conseil territorial de santé (CTS) reçoivent
          ceux de leur territoire, pour en débattre lors de leurs réunions ; ils sont ensuite publiés sur ce site.
        </li>
        <li>Personne ne voit pour quoi vous avez voté, et un groupe de moins de 10 votants n’est jamais détaillé.</li>
      </ul>
      <p>
        <Link to="/consultations">Voir les consultations</Link> · <Link to="/glossaire">Comprendre les sigles</Link>
      </p>

      <h2 id="sources">Sources</h2>
      <p className="fr-text--sm">
        Les chiffres de cette page viennent des rapports publics suivants (extraits en texte brut). La somme des
        participants en Centre-Val de Loire est calculée par nous à partir des chiffres de chaque réunion.
      </p>
      <ul className="fr-text--sm">
        <li>
          <code>004_6b0e1e4a41bafabe.txt</code> — ARS Normandie, restitution régionale du 8 décembre 2022 :
          <ul>
            <li>
              « Le CNR, c’est quoi ? » : lancement le 8 septembre (année de la restitution, 2022), présentation du volet
              santé le 3 octobre au Mans, 18 ateliers du 8 au 28 novembre ;
            </li>
            <li>
              « Édito » : ateliers « entre le 8 et le 29 novembre », près de 1{NBSP}250 participants, 80{NBSP}h de
              débats ;
            </li>
            <li>
              « Chiffres clés » : 1{NBSP}250 participants (47{NBSP}% de soignants, 22{NBSP}% d’élus, 17{NBSP}%
              d’associatifs, 14{NBSP}% de particuliers), 80 heures d’échanges, 18 ateliers, une centaine d’agents de
              l’ARS ;
            </li>
            <li>
              encadrés « Conseils territoriaux de santé (CTS) ? » (7 CTS de 34 à 50 membres) et « CRSA ? » ; page de
              restitution : « jeudi 8 décembre 2022 » ; premier atelier le 8 novembre à Mortagne-au-Perche (édito de la
              présidente de la CRSA) ; carte des 18 villes ;
            </li>
            <li>
              « Quelle traduction en Normandie ? » : les quatre thèmes, les 5 engagements (dont les 27 maisons sport
              santé), le comité de suivi dès janvier 2023 ; « La poursuite des travaux engagés ».
            </li>
          </ul>
        </li>
        <li>
          <code>001_69b1a6520f933c0b.txt</code> — Nouvelle-Aquitaine, synthèse des ateliers CNR Santé :
          <ul>
            <li>
              « 1.1 Introduction » : 47 ateliers en novembre et décembre 2022, nombre d’ateliers par département, 1
              {NBSP}811 contributions et leur répartition par thème (908, 345, 243, 315) ;
            </li>
            <li>« 2. Synthèses et comptes-rendus par département » : lieu, date et participants de chaque atelier.</li>
          </ul>
        </li>
        <li>
          <code>000_259f14672463cccc.txt</code> — Centre-Val de Loire, « Bilan des réunions départementales » :
          <ul>
            <li>page d’ouverture : les 6 réunions, leurs dates et leurs participants (90, 110, 100, 90, 115, 80) ;</li>
            <li>
              les 4 ateliers et le 5<sup>e</sup> atelier du Cher ; « Continuité – Permanence des soins » (un seul
              atelier pour les deux premiers thèmes en Eure-et-Loir et dans l’Indre) ;
            </li>
            <li>« Pour poursuivre » : 4 à 5 projets prioritaires par département.</li>
          </ul>
        </li>
        <li>
          <code>002_ff85f5667f6aaf61.txt</code> — Compte rendu de la restitution CNR en CTS 78 du 01/12/2022 :
          <ul>
            <li>
              « 2. Introduction » : démarche débutée le 28/10, plénière des CTS le 14/12, plus de 130 participants aux 2
              soirées, 122 initiatives, idées ou solutions, 7 idées clés ;
            </li>
            <li>« 3. Restitution des solutions identifiées » : les 4 axes ;</li>
            <li>« 4. Priorisation : 7 idées clés ».</li>
          </ul>
        </li>
        <li>
          <code>003_c7321dffdaa4fd0e.txt</code> — ARS Centre-Val de Loire, plan « Renforcer l’accès territorial aux
          soins » (2017-2018) :
          <ul>
            <li>« Les quatre priorités » ;</li>
            <li>
              Priorité n° 1 : zonage (arrêté du 13 novembre 2017 : 39,8{NBSP}% contre 14,2{NBSP}%), médecins retraités
              actifs (plus de 330, dont 173 généralistes, plus de 9{NBSP}%), 393 médecins agréés, une vingtaine
              d’infirmières ASALEE, 13 protocoles de coopération et 80 professionnels ;
            </li>
            <li>Priorité n° 2 : 94 sites équipés ;</li>
            <li>
              Priorité n° 3 : 65 MSP dont 55 financées, 53 centres de santé dont 7 pluriprofessionnels, 2 contrats de
              CPTS ;
            </li>
            <li>Priorité n° 4 : 17 contrats locaux de santé.</li>
          </ul>
        </li>
      </ul>
    </div>
  );
}
