/**
 * The abbreviations of the source reports (seeds/*.txt), explained for residents.
 *
 * - `abbr`: the abbreviation as written in the texts (upper case, or as the source writes it:
 *   "OSyS"); AnnotatedText also accepts, for sigles of four letters or more, a capitalised or
 *   accented form ("Asalée" for ASALEE); used lower-cased as the anchor on /glossaire: "#ipa".
 * - `expansion`: the spelled-out form as it would appear in running text (lower case unless a
 *   proper name).
 * - `aliases`: other forms found in the texts (plural, feminine, variants), used by search.
 * - `definition`: one or two plain sentences.
 *
 * Kept sorted by `abbr`. When a sigle has two meanings in the sources, the definition says so.
 */
export interface GlossaryEntry {
  abbr: string;
  expansion: string;
  definition: string;
  aliases?: string[];
}

export const GLOSSARY: GlossaryEntry[] = [
  {
    abbr: "ALD",
    expansion: "affection de longue durée",
    aliases: ["affections de longue durée", "affection longue durée", "affections longue durée"],
    definition:
      "Maladie grave ou chronique qui demande un traitement long et coûteux (diabète, cancer, maladie du cœur…). Les soins liés à cette maladie sont alors remboursés à 100 % par l’Assurance maladie, sur la base de ses tarifs.",
  },
  {
    abbr: "AME",
    expansion: "aide médicale de l’État",
    definition:
      "Aide qui permet à des personnes étrangères sans titre de séjour, vivant en France depuis au moins trois mois avec de faibles ressources, de faire prendre en charge leurs soins.",
  },
  {
    abbr: "ARM",
    expansion: "assistant de régulation médicale",
    aliases: [
      "assistants de régulation médicale",
      "assistante de régulation médicale",
      "assistantes de régulation médicale",
    ],
    definition:
      "Personne qui répond en premier aux appels du 15 : elle note la situation, évalue l’urgence et transmet l’appel au médecin régulateur du SAMU.",
  },
  {
    abbr: "ARS",
    expansion: "agence régionale de santé",
    aliases: ["agences régionales de santé"],
    definition:
      "Service de l’État qui organise la santé dans chaque région : hôpitaux, médecins de ville, prévention, établissements pour personnes âgées ou handicapées. Ce sont les ARS qui ont organisé les ateliers du CNR Santé et qui organisent les consultations de ce site.",
  },
  {
    abbr: "ASALEE",
    expansion: "Action de santé libérale en équipe",
    aliases: ["Asalée", "Azalée", "AZALEE", "infirmière Asalée", "infirmières Asalée", "IDE Asalée", "IDE Azalée"],
    definition:
      "Dispositif dans lequel des infirmières et infirmiers travaillent avec des médecins généralistes pour suivre des patients atteints de maladies chroniques (diabète, par exemple) et faire de la prévention. Les textes l’écrivent aussi « Azalée ».",
  },
  {
    abbr: "CAF",
    expansion: "caisse d’allocations familiales",
    aliases: ["caisses d’allocations familiales"],
    definition:
      "Organisme qui verse les prestations familiales et sociales, comme les allocations familiales ou les aides au logement.",
  },
  {
    abbr: "CAPS",
    expansion: "centre d’accueil et de permanence des soins",
    definition:
      "Dans les ateliers de Nouvelle-Aquitaine, structure qui accueille les patients pour des soins non programmés, avec les médecins libéraux du secteur. Attention : dans le rapport du Centre-Val de Loire, « CAPS » désigne autre chose, un centre unique de coordination des financements de la prévention en Eure-et-Loir, dont le rapport ne développe pas le sigle.",
  },
  {
    abbr: "CCAS",
    expansion: "centre communal d’action sociale",
    aliases: ["centres communaux d’action sociale"],
    definition: "Service social de la commune : il aide et accompagne les habitants en difficulté.",
  },
  {
    abbr: "CDS",
    expansion: "centre de santé",
    aliases: ["centres de santé"],
    definition:
      "Lieu de soins où les médecins et les autres soignants sont salariés (d’une commune, d’une association, d’une mutuelle…). Le patient n’y avance pas les frais pris en charge par l’Assurance maladie.",
  },
  {
    abbr: "CFA",
    expansion: "centre de formation d’apprentis",
    aliases: ["centre de formation des apprentis", "centres de formation d’apprentis"],
    definition: "École qui forme des apprentis : ils alternent les cours et le travail chez un employeur.",
  },
  {
    abbr: "CH",
    expansion: "centre hospitalier",
    aliases: ["centres hospitaliers"],
    definition:
      "Hôpital public. Un « CH de proximité » (ou hôpital de proximité) assure des soins courants près de chez les habitants.",
  },
  {
    abbr: "CHU",
    expansion: "centre hospitalier universitaire",
    aliases: ["centres hospitaliers universitaires"],
    definition:
      "Grand hôpital public lié à une faculté de médecine : il soigne, forme les futurs médecins et fait de la recherche.",
  },
  {
    abbr: "CLS",
    expansion: "contrat local de santé",
    aliases: ["contrats locaux de santé"],
    definition:
      "Accord signé entre l’ARS, une commune ou un groupement de communes et d’autres partenaires pour mener ensemble des actions de santé sur un territoire : prévention, accès aux soins, accompagnement médico-social.",
  },
  {
    abbr: "CLSM",
    expansion: "contrat local de santé mentale",
    aliases: ["contrats locaux de santé mentale", "contrat local en santé mentale", "contrats locaux en santé mentale"],
    definition:
      "Accord local, souvent lancé par les élus, qui réunit les acteurs de la psychiatrie, du social et de la vie locale pour mener ensemble des actions en santé mentale. Les textes l’appellent aussi « contrat local en santé mentale ».",
  },
  {
    abbr: "CMP",
    expansion: "centre médico-psychologique",
    aliases: ["centres médico-psychologiques"],
    definition:
      "Lieu public de consultations gratuites en santé mentale (psychiatres, psychologues, infirmiers…). Il en existe pour les adultes et pour les enfants et adolescents.",
  },
  {
    abbr: "CNR",
    expansion: "Conseil national de la refondation",
    aliases: ["CNR Santé", "Conseil national de la refondation en santé"],
    definition:
      "Démarche de concertation lancée par le Président de la République le 8 septembre 2022. Son volet santé, le « CNR Santé », a réuni fin 2022 élus, soignants, associations et habitants dans les territoires : leurs propositions sont celles que présente ce site.",
  },
  {
    abbr: "CPAM",
    expansion: "caisse primaire d’assurance maladie",
    aliases: ["caisses primaires d’assurance maladie"],
    definition:
      "Organisme local de l’Assurance maladie, le plus souvent un par département : il rembourse les soins et gère les droits des assurés.",
  },
  {
    abbr: "CPS",
    expansion: "centre de premiers soins",
    aliases: ["centres de premiers soins"],
    definition:
      "Lieu de soins proposé par les ateliers de Normandie : ouvert 12 heures par jour et si possible près des urgences, il recevrait les personnes qui ont besoin d’un soin rapide.",
  },
  {
    abbr: "CPTS",
    expansion: "communauté professionnelle territoriale de santé",
    aliases: ["communautés professionnelles territoriales de santé"],
    definition:
      "Réseau des professionnels de santé d’un même territoire (médecins, infirmiers, pharmaciens, kinésithérapeutes…), parfois avec des acteurs sociaux et médico-sociaux, qui s’organisent ensemble : trouver un médecin traitant, soins sans rendez-vous, prévention. Ce n’est pas un bâtiment, mais une organisation.",
  },
  {
    abbr: "CRSA",
    expansion: "conférence régionale de la santé et de l’autonomie",
    aliases: ["conférences régionales de la santé et de l’autonomie"],
    definition:
      "Assemblée de la région qui réunit tous les acteurs de la santé, dont des représentants des usagers. Elle donne son avis sur la politique de santé de la région (104 membres titulaires en Normandie).",
  },
  {
    abbr: "CTS",
    expansion: "conseil territorial de santé",
    aliases: ["conseils territoriaux de santé"],
    definition:
      "Assemblée locale où élus, soignants, établissements, associations et représentants des usagers discutent des besoins de santé de leur territoire, souvent un département. Les résultats des consultations de ce site leur sont transmis.",
  },
  {
    abbr: "DAC",
    expansion: "dispositif d’appui à la coordination",
    aliases: ["dispositifs d’appui à la coordination"],
    definition:
      "Service qui aide les professionnels, et les personnes elles-mêmes, quand une situation de santé est complexe (grand âge, maladie grave, handicap, difficultés sociales) : il coordonne les différents intervenants. Il a remplacé notamment les plateformes territoriales d’appui (PTA).",
  },
  {
    abbr: "DMP",
    expansion: "dossier médical partagé",
    aliases: ["dossiers médicaux partagés", "dossier médical personnel"],
    definition:
      "Carnet de santé numérique qui garde vos informations médicales (comptes rendus, résultats d’examens, traitements), consultable par les soignants que vous autorisez. Il fait aujourd’hui partie de Mon espace santé ; le document de 2017 l’appelle « dossier médical personnel ».",
  },
  {
    abbr: "EHPAD",
    expansion: "établissement d’hébergement pour personnes âgées dépendantes",
    aliases: ["établissements d’hébergement pour personnes âgées dépendantes"],
    definition:
      "Maison de retraite médicalisée : elle accueille des personnes âgées qui ont besoin d’aide au quotidien et de soins.",
  },
  {
    abbr: "EPCI",
    expansion: "établissement public de coopération intercommunale",
    aliases: ["établissements publics de coopération intercommunale"],
    definition:
      "Groupement de communes (communauté de communes, communauté d’agglomération, métropole…) qui gèrent ensemble certains services.",
  },
  {
    abbr: "ESMS",
    expansion: "établissements et services sociaux et médico-sociaux",
    aliases: ["établissement social et médico-social", "établissements sociaux et médico-sociaux"],
    definition:
      "Ensemble des structures qui accueillent ou accompagnent les personnes âgées, handicapées ou en difficulté : EHPAD, foyers, services d’aide à domicile…",
  },
  {
    abbr: "ESP",
    expansion: "équipe de soins primaires",
    aliases: ["équipes de soins primaires"],
    definition:
      "Groupe de professionnels de santé de proximité, avec au moins un médecin généraliste, qui s’engagent à travailler ensemble pour leurs patients, sans forcément partager les mêmes locaux.",
  },
  {
    abbr: "ETP",
    expansion: "éducation thérapeutique du patient",
    definition:
      "Séances qui aident une personne atteinte d’une maladie chronique (diabète, asthme…) à comprendre sa maladie et son traitement, et à mieux vivre avec. Attention : dans un compte rendu de Nouvelle-Aquitaine, « ETP » veut aussi dire « équivalent temps plein », c’est-à-dire un poste à temps plein.",
  },
  {
    abbr: "GHT",
    expansion: "groupement hospitalier de territoire",
    aliases: ["groupements hospitaliers de territoire"],
    definition:
      "Regroupement des hôpitaux publics d’un territoire, qui coopèrent autour d’un projet médical commun. L’un d’eux, l’« établissement support », pilote le groupement.",
  },
  {
    abbr: "GPEC",
    expansion: "gestion prévisionnelle des emplois et des compétences",
    aliases: ["gestion prévisionnel des emplois et des compétences"],
    definition:
      "Démarche qui consiste à prévoir les besoins en personnel et en compétences des années à venir, pour recruter et former à temps.",
  },
  {
    abbr: "HAD",
    expansion: "hospitalisation à domicile",
    definition:
      "Soins de niveau hospitalier donnés chez le patient par une équipe spécialisée, à la place d’un séjour à l’hôpital.",
  },
  {
    abbr: "HAS",
    expansion: "Haute Autorité de santé",
    definition:
      "Autorité publique indépendante qui évalue les médicaments et les soins, et publie des recommandations pour les professionnels de santé.",
  },
  {
    abbr: "HPV",
    expansion: "papillomavirus humain",
    aliases: ["papillomavirus humains", "papillomavirus", "human papillomavirus"],
    definition:
      "Virus très fréquent, transmis lors des relations sexuelles, qui peut provoquer des cancers (col de l’utérus, gorge, anus…). Un vaccin est recommandé pour les filles et les garçons dès 11 ans.",
  },
  {
    abbr: "IAO",
    expansion: "infirmier d’accueil et d’orientation",
    aliases: [
      "infirmière d’accueil et d’orientation",
      "infirmiers d’accueil et d’orientation",
      "infirmières d’accueil et d’orientation",
    ],
    definition:
      "Infirmier ou infirmière qui accueille les patients à leur arrivée (aux urgences, par exemple), évalue leur état et les oriente vers la bonne prise en charge.",
  },
  {
    abbr: "IDE",
    expansion: "infirmier diplômé d’État",
    aliases: ["infirmière diplômée d’État", "infirmiers diplômés d’État", "infirmières diplômées d’État"],
    definition:
      "Infirmier ou infirmière. Le sigle rappelle le diplôme d’État nécessaire pour exercer ce métier, à l’hôpital, à domicile ou en cabinet.",
  },
  {
    abbr: "IDEL",
    expansion: "infirmier diplômé d’État libéral",
    aliases: [
      "infirmière diplômée d’État libérale",
      "infirmiers diplômés d’État libéraux",
      "infirmier libéral",
      "infirmière libérale",
      "infirmiers libéraux",
      "infirmières libérales",
    ],
    definition:
      "Infirmier ou infirmière qui travaille à son compte (et non comme salarié), dans son cabinet et au domicile des patients.",
  },
  {
    abbr: "IFSI",
    expansion: "institut de formation en soins infirmiers",
    aliases: ["instituts de formation en soins infirmiers"],
    definition: "École qui forme, en trois ans, les infirmières et infirmiers.",
  },
  {
    abbr: "IPA",
    expansion: "infirmier en pratique avancée",
    aliases: [
      "infirmière en pratique avancée",
      "infirmiers en pratique avancée",
      "infirmières en pratique avancée",
      "infirmier en pratiques avancées",
      "infirmière en pratiques avancées",
      "infirmiers en pratiques avancées",
      "infirmières en pratiques avancées",
      "infirmiers de pratiques avancées",
      "infirmières de pratiques avancées",
      "infirmière pratique avancée",
    ],
    definition:
      "Infirmier ou infirmière expérimenté qui a suivi deux années de formation en plus (niveau master). En lien avec un médecin, il peut suivre des patients atteints de certaines maladies, prescrire des examens et renouveler ou adapter des traitements.",
  },
  {
    abbr: "IVG",
    expansion: "interruption volontaire de grossesse",
    aliases: ["interruptions volontaires de grossesse"],
    definition:
      "Avortement demandé par la femme enceinte. Il est encadré par la loi et entièrement remboursé par l’Assurance maladie.",
  },
  {
    abbr: "MAS",
    expansion: "maison d’accueil spécialisée",
    aliases: ["maisons d’accueil spécialisées"],
    definition:
      "Établissement qui accueille des adultes très lourdement handicapés, qui ont besoin d’aide et de soins en permanence.",
  },
  {
    abbr: "MDPH",
    expansion: "maison départementale des personnes handicapées",
    aliases: ["maisons départementales des personnes handicapées"],
    definition:
      "Guichet unique du département pour les personnes handicapées et leurs proches : il informe, évalue les besoins et ouvre les droits (allocations, orientation, aides).",
  },
  {
    abbr: "MES",
    expansion: "Mon espace santé",
    definition:
      "Service numérique public et gratuit de l’Assurance maladie : chacun peut y garder ses documents de santé, dont le dossier médical partagé (DMP), et échanger de façon sécurisée avec ses soignants.",
  },
  {
    abbr: "MG",
    expansion: "médecin généraliste",
    aliases: ["médecins généralistes"],
    definition:
      "Médecin qui soigne les problèmes de santé courants et suit ses patients dans la durée ; c’est le plus souvent lui qui est médecin traitant.",
  },
  {
    abbr: "MK",
    expansion: "masseur-kinésithérapeute",
    aliases: ["masseurs-kinésithérapeutes", "kinésithérapeute", "kinésithérapeutes", "kiné", "kinés"],
    definition: "Professionnel de santé qui soigne par le mouvement, les massages et la rééducation : le « kiné ».",
  },
  {
    abbr: "MSP",
    expansion: "maison de santé pluriprofessionnelle",
    aliases: [
      "maisons de santé pluriprofessionnelles",
      "maison de santé pluridisciplinaire",
      "maisons de santé pluridisciplinaires",
      "maison de santé",
      "maisons de santé",
    ],
    definition:
      "Lieu où plusieurs professionnels de santé libéraux (médecins, infirmiers, kinésithérapeutes…) travaillent ensemble, autour d’un projet de santé commun pour leurs patients.",
  },
  {
    abbr: "MSU",
    expansion: "maître de stage universitaire",
    aliases: ["maîtres de stage universitaires"],
    definition:
      "Médecin agréé par l’université pour accueillir et former des étudiants et des internes dans son cabinet ou son service.",
  },
  {
    abbr: "MT",
    expansion: "médecin traitant",
    aliases: ["médecins traitants"],
    definition:
      "Médecin que vous déclarez à l’Assurance maladie pour vous suivre et vous orienter vers d’autres soignants. Le déclarer permet d’être mieux remboursé.",
  },
  {
    abbr: "NGAP",
    expansion: "nomenclature générale des actes professionnels",
    definition:
      "Liste officielle de nombreux actes de soins (consultations, soins infirmiers, kinésithérapie…) et de leur tarif, qui sert au remboursement par l’Assurance maladie.",
  },
  {
    abbr: "ONDAM",
    expansion: "objectif national de dépenses d’assurance maladie",
    definition: "Montant des dépenses de l’Assurance maladie à ne pas dépasser, voté chaque année par le Parlement.",
  },
  {
    abbr: "OSAT",
    expansion: "dispositif de l’Indre (sigle non développé dans le rapport)",
    definition:
      "Dispositif de l’Indre que le rapport du Centre-Val de Loire cite pour organiser la prise en charge des patients atteints de maladies chroniques qui n’ont pas de médecin traitant. Le rapport n’en donne ni le nom complet ni le détail.",
  },
  {
    abbr: "OSyS",
    expansion: "orientation dans le système de soins",
    definition:
      "Expérimentation bretonne dans laquelle le pharmacien est la porte d’entrée pour certains problèmes de santé courants : il évalue la situation, conseille et oriente si besoin vers un médecin. Le rapport du Centre-Val de Loire la cite en exemple.",
  },
  {
    abbr: "PADHUE",
    expansion: "praticien à diplôme hors Union européenne",
    aliases: ["praticiens à diplôme hors Union européenne"],
    definition:
      "Médecin, dentiste, sage-femme ou pharmacien diplômé hors de l’Union européenne. Pour exercer pleinement en France, il doit réussir des épreuves puis suivre un parcours de consolidation de ses compétences.",
  },
  {
    abbr: "PAIS",
    expansion: "plateforme alternative d’innovation en santé",
    aliases: ["plateformes alternatives d’innovation en santé"],
    definition:
      "Regroupement local de professionnels de santé libéraux. Un compte rendu de Nouvelle-Aquitaine cite une PAIS réunissant 10 médecins généralistes ; en Centre-Val de Loire, le « dispositif PAIS » du Loir-et-Cher est cité pour les soins non programmés.",
  },
  {
    abbr: "PASS",
    expansion: "permanence d’accès aux soins de santé",
    aliases: ["permanences d’accès aux soins de santé"],
    definition:
      "Service de l’hôpital qui soigne les personnes en situation de précarité, sans couverture santé ou avec des droits incomplets, et les aide à ouvrir leurs droits. Attention : dans un compte rendu de Nouvelle-Aquitaine, « PASS » désigne le « parcours d’accès spécifique santé », une première année d’études qui mène notamment aux études de médecine.",
  },
  {
    abbr: "PDS",
    expansion: "permanence des soins",
    definition:
      "Organisation qui permet de voir un médecin quand les cabinets sont fermés (soir, nuit, week-end, jours fériés). Elle comprend la PDSA, en ville, et la permanence des soins dans les hôpitaux et cliniques.",
  },
  {
    abbr: "PDSA",
    expansion: "permanence des soins ambulatoires",
    aliases: ["permanence des soins ambulatoire"],
    definition:
      "Gardes des médecins de ville, le soir, la nuit, le week-end et les jours fériés, pour les besoins de soins qui ne peuvent pas attendre la réouverture des cabinets. On y accède en appelant le 15 ou, selon les régions, le 116 117.",
  },
  {
    abbr: "PH",
    expansion: "personnes handicapées",
    aliases: ["personne handicapée"],
    definition:
      "Dans le compte rendu du Centre-Val de Loire, « PH » veut dire « personnes handicapées ». Attention : dans un compte rendu de Nouvelle-Aquitaine, il veut dire « praticien hospitalier », un médecin salarié d’un hôpital public.",
  },
  {
    abbr: "PMI",
    expansion: "protection maternelle et infantile",
    definition:
      "Service du département qui suit gratuitement la santé des futures mères et des enfants de moins de 6 ans : consultations, vaccinations, bilans de santé à l’école maternelle.",
  },
  {
    abbr: "PPS",
    expansion: "prévention et promotion de la santé",
    aliases: ["prévention promotion de la santé", "prévention et la promotion de la santé"],
    definition:
      "Ensemble des actions qui aident chacun à rester en bonne santé : éviter les maladies ou les repérer tôt (prévention), et agir sur ce qui influence la santé, comme l’alimentation, le sport, le logement ou l’environnement (promotion de la santé).",
  },
  {
    abbr: "PS",
    expansion: "professionnel de santé",
    aliases: ["professionnels de santé", "professionnelle de santé", "professionnelles de santé"],
    definition:
      "Personne dont le métier est de soigner : médecin, infirmier, pharmacien, sage-femme, kinésithérapeute, dentiste…",
  },
  {
    abbr: "PSLA",
    expansion: "pôle de santé libéral et ambulatoire",
    aliases: [
      "pôles de santé libéraux et ambulatoires",
      "pôle de santé libéral ambulatoire",
      "pôles de santé libéraux ambulatoires",
    ],
    definition:
      "Nom donné en Normandie aux maisons de santé où des professionnels de santé libéraux exercent ensemble, parfois sur plusieurs sites, autour d’un projet de santé commun.",
  },
  {
    abbr: "QPV",
    expansion: "quartier prioritaire de la politique de la ville",
    aliases: [
      "quartiers prioritaires de la politique de la ville",
      "quartier prioritaire de la ville",
      "quartiers prioritaires de la ville",
      "quartier prioritaire",
      "quartiers prioritaires",
    ],
    definition:
      "Quartier où beaucoup d’habitants ont de faibles revenus, et où l’État et les collectivités mènent des actions renforcées (emploi, éducation, santé…).",
  },
  {
    abbr: "SAMU",
    expansion: "service d’aide médicale urgente",
    definition:
      "Service de l’hôpital que l’on joint en appelant le 15. Un médecin régulateur évalue l’urgence et décide de la réponse : conseil, envoi d’un médecin, d’une ambulance, des pompiers ou d’une équipe du SMUR.",
  },
  {
    abbr: "SAS",
    expansion: "service d’accès aux soins",
    definition:
      "Service qui répond, jour et nuit, aux personnes qui ont besoin d’un soin rapide et qui ne trouvent pas leur médecin : il oriente vers un rendez-vous chez un médecin de ville, une téléconsultation ou les urgences. Il associe le SAMU et les médecins de ville, et se joint par le 15.",
  },
  {
    abbr: "SDIS",
    expansion: "service départemental d’incendie et de secours",
    aliases: ["services départementaux d’incendie et de secours"],
    definition: "Les sapeurs-pompiers du département, qui assurent aussi une grande partie des secours aux personnes.",
  },
  {
    abbr: "SF",
    expansion: "sage-femme",
    aliases: ["sages-femmes"],
    definition:
      "Professionnel de santé qui suit la grossesse, l’accouchement et ses suites, et assure aussi le suivi gynécologique et la contraception.",
  },
  {
    abbr: "SMR",
    expansion: "soins médicaux et de réadaptation",
    aliases: ["soins de suite et de réadaptation"],
    definition:
      "Services ou établissements où l’on poursuit les soins et la rééducation après une hospitalisation ou une maladie. On les appelait avant « soins de suite et de réadaptation » (SSR), un sigle encore présent dans certains textes.",
  },
  {
    abbr: "SMUR",
    expansion: "structure mobile d’urgence et de réanimation",
    aliases: ["structures mobiles d’urgence et de réanimation"],
    definition:
      "Équipe de l’hôpital (médecin, infirmier, conducteur) envoyée par le SAMU avec un véhicule équipé, pour soigner sur place les urgences graves.",
  },
  {
    abbr: "SNP",
    expansion: "soins non programmés",
    aliases: ["soin non programmé"],
    definition:
      "Soins nécessaires dans la journée ou dans les deux jours, sans être une urgence grave : une forte fièvre ou une petite blessure, par exemple. Un médecin de ville peut souvent y répondre, sans passer par les urgences de l’hôpital.",
  },
  {
    abbr: "SSIAD",
    expansion: "service de soins infirmiers à domicile",
    aliases: ["services de soins infirmiers à domicile"],
    definition:
      "Service qui envoie des infirmiers et des aides-soignants chez des personnes âgées, handicapées ou malades, sur prescription d’un médecin.",
  },
  {
    abbr: "TLC",
    expansion: "téléconsultation",
    aliases: ["téléconsultations"],
    definition:
      "Consultation médicale à distance, par vidéo. Elle peut être « assistée » : un infirmier ou un pharmacien est alors à côté du patient.",
  },
  {
    abbr: "TPMR",
    expansion: "transport de personnes à mobilité réduite",
    definition:
      "Véhicule ou service de transport adapté aux personnes en fauteuil roulant ou qui ont du mal à se déplacer.",
  },
  {
    abbr: "TROD",
    expansion: "test rapide d’orientation diagnostique",
    aliases: ["tests rapides d’orientation diagnostique"],
    definition:
      "Test simple, fait en quelques minutes (par exemple en pharmacie), qui donne une première indication sur une infection. Il doit parfois être confirmé par une analyse en laboratoire.",
  },
  {
    abbr: "UDAF",
    expansion: "union départementale des associations familiales",
    aliases: ["unions départementales des associations familiales"],
    definition:
      "Organisme qui représente les familles du département et gère des services pour elles, comme la protection des majeurs vulnérables.",
  },
  {
    abbr: "UFS",
    expansion: "urbanisme favorable à la santé",
    definition:
      "Façon d’aménager les villes et les villages (transports, espaces verts, logements, pistes cyclables…) pour protéger et améliorer la santé des habitants. Les comptes rendus citent ce sigle sans l’expliquer ; c’est son sens habituel en santé publique.",
  },
  {
    abbr: "URPS",
    expansion: "union régionale des professionnels de santé",
    aliases: ["unions régionales des professionnels de santé"],
    definition:
      "Assemblée élue qui représente, dans chaque région, les professionnels de santé libéraux d’un même métier (médecins, infirmiers, pharmaciens…).",
  },
  {
    abbr: "VAE",
    expansion: "validation des acquis de l’expérience",
    definition:
      "Démarche qui permet d’obtenir tout ou partie d’un diplôme grâce à son expérience professionnelle ou bénévole.",
  },
  {
    abbr: "VIH",
    expansion: "virus de l’immunodéficience humaine",
    definition:
      "Virus responsable du sida. Un dépistage et un traitement précoces permettent de vivre normalement et de ne pas transmettre le virus.",
  },
  {
    abbr: "ZAC",
    expansion: "zone d’action complémentaire",
    aliases: ["zones d’action complémentaire"],
    definition:
      "Zone où l’ARS juge l’accès aux médecins fragile, un peu moins toutefois qu’en ZIP. Les médecins qui s’y installent peuvent recevoir des aides, surtout des collectivités locales. À ne pas confondre avec la « zone d’aménagement concerté » de l’urbanisme.",
  },
  {
    abbr: "ZIP",
    expansion: "zone d’intervention prioritaire",
    aliases: ["zones d’intervention prioritaire"],
    definition:
      "Zone où l’ARS juge l’accès aux médecins le plus difficile. Les médecins qui s’y installent ou y exercent ont droit à toutes les aides : celles de l’Assurance maladie, des collectivités, et des avantages fiscaux.",
  },
  {
    abbr: "ZRR",
    expansion: "zone de revitalisation rurale",
    aliases: ["zones de revitalisation rurale"],
    definition:
      "Commune rurale classée par l’État comme fragile (peu d’habitants, difficultés économiques), où les entreprises et les professionnels qui s’installent ont des réductions d’impôts. Depuis 2024, ce classement est remplacé par « France Ruralités Revitalisation ».",
  },
];

/** The anchor of an entry on /glossaire: "IPA" → "ipa". */
export function glossaryId(abbr: string): string {
  return abbr.toLowerCase();
}

/** The entry for an abbreviation, whatever its case ("ipa", "IPA"), or undefined. */
export function findGlossaryEntry(abbr: string): GlossaryEntry | undefined {
  const wanted = abbr.trim().toUpperCase();
  return GLOSSARY.find((entry) => entry.abbr.toUpperCase() === wanted);
}
