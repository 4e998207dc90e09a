// The open dataset's columns and codes, in one place: the CSV's header row, its JSON description
// (`donnees-resultats.json`) and the README's table all read them from here.
import { GRADE_LABELS, STATUS_LABELS, withheldLabel, type Method } from "../tally";
import { figureColumns } from "./figures";

export interface DatasetColumn {
  /** The CSV header cell. */
  title: string;
  /** Stable English name, for programs (CSVW `name`). */
  name: string;
  datatype: "string" | "integer" | "number";
  description: string;
  /** Code → French label, for columns holding codes. */
  values?: Readonly<Record<string, string>>;
}

/** The licence of every open figure (the dataset, the API). */
export const LICENCE = "etalab-2.0 (Licence Ouverte / Open Licence 2.0)";

export const LEVEL_LABELS = { région: "la région", CTS: "un territoire de CTS", arrondissement: "un arrondissement" };

/** Status codes of a line: a ranking row's status, or why a territory shows no figure. */
export const DATASET_STATUS_LABELS: Readonly<Record<string, string>> = {
  ...STATUS_LABELS,
  small: withheldLabel("small"),
  secondary: withheldLabel("secondary"),
};

export const DATASET_COLUMNS: readonly DatasetColumn[] = [
  {
    title: "Niveau",
    name: "level",
    datatype: "string",
    description: "Niveau du territoire : « région », « CTS » ou « arrondissement ».",
    values: LEVEL_LABELS,
  },
  {
    title: "Code",
    name: "territory_code",
    datatype: "string",
    description:
      "Code du territoire : code INSEE de la région ou de l’arrondissement, code du territoire de CTS (« 14 », « 76-rouen-elbeuf »).",
  },
  { title: "Territoire", name: "territory_name", datatype: "string", description: "Nom du territoire." },
  {
    title: "Bulletins",
    name: "ballots",
    datatype: "integer",
    description: "Bulletins comptés dans le territoire (en ligne et papier) ; vide quand le territoire est masqué.",
  },
  {
    title: "Classement",
    name: "weighting",
    datatype: "string",
    description:
      "« brut » : un bulletin vaut une voix ; « pondéré » : chaque arrondissement pèse selon sa population (voir le rapport).",
    values: { brut: "classement brut (raw)", pondéré: "classement pondéré par la population (population)" },
  },
  {
    title: "Rang",
    name: "rank",
    datatype: "integer",
    description: "1 = première priorité ; les ex æquo partagent un rang ; vide quand la proposition n’est pas classée.",
  },
  { title: "Proposition", name: "proposal", datatype: "string", description: "Identifiant (slug) de la proposition." },
  { title: "Titre", name: "title", datatype: "string", description: "Titre de la proposition." },
  {
    title: "Statut",
    name: "status_label",
    datatype: "string",
    description: "Statut de la ligne en toutes lettres, tel que le rapport l’affiche.",
  },
  {
    title: "Code statut",
    name: "status",
    datatype: "string",
    description:
      "Le même statut en code stable : ranked, not_enough_grades, no_ballots pour une proposition ; small (moins de 10 votants) ou secondary (secret statistique) pour un territoire masqué, sur une seule ligne sans chiffre.",
    values: DATASET_STATUS_LABELS,
  },
];

const FIGURE_DESCRIPTIONS: Record<Method, string[]> = {
  approval: [
    "Part des bulletins (ou du poids, pour le classement pondéré) qui retiennent la proposition, en pourcentage.",
    "Nombre de bulletins qui la retiennent.",
  ],
  ranked: [
    "Points de Borda par bulletin (ou par unité de poids, pour le classement pondéré).",
    "Total des points (pondérés pour le classement pondéré).",
  ],
  majority_judgment: [
    "Mention majoritaire, ou « pas assez d’avis ».",
    "Part des avis meilleurs que la mention majoritaire, en pourcentage.",
    "Part des avis moins bons que la mention majoritaire, en pourcentage.",
    "Nombre d’avis exprimés.",
  ],
};

/** The method's figure columns, described. */
export function figureDatasetColumns(method: Method): DatasetColumn[] {
  return figureColumns(method, false).map((title, i) => ({
    title,
    name: `figure_${i + 1}`,
    datatype: title === "Mention majoritaire" ? "string" : /^(Nombre|Bulletins)/.test(title) ? "integer" : "number",
    description: FIGURE_DESCRIPTIONS[method][i]!,
    ...(title === "Mention majoritaire" ? { values: GRADE_LABELS } : {}),
  }));
}

export interface DatasetDescription {
  "@context": ["http://www.w3.org/ns/csvw", { "@language": "fr" }];
  url: string;
  "dc:title": string;
  "dc:description": string;
  "dc:license": string;
  consultation: { slug: string; title: string; method: Method };
  generatedAt: string;
  tallyVersion: number;
  dialect: { delimiter: ";"; encoding: "utf-8"; header: true; decimalSeparator: "," };
  tableSchema: { columns: DatasetColumn[] };
}

/**
 * What the CSV is, in the W3C "CSV on the Web" metadata vocabulary (CSVW), with its codes and labels:
 * the CSV itself starts with its header row.
 */
export function datasetDescription(input: {
  csvUrl: string;
  consultation: { slug: string; title: string; method: Method };
  generatedAt: string;
  tallyVersion: number;
}): DatasetDescription {
  return {
    "@context": ["http://www.w3.org/ns/csvw", { "@language": "fr" }],
    url: input.csvUrl,
    "dc:title": `Résultats de la consultation « ${input.consultation.title} »`,
    "dc:description":
      "Classement de chaque territoire (région, territoires de CTS, arrondissements), brut et pondéré, une ligne par proposition ; un territoire masqué par le secret statistique a une seule ligne qui dit pourquoi, sans chiffre. Séparateur « ; », virgule décimale, UTF-8 avec BOM, première ligne = en-tête.",
    "dc:license": LICENCE,
    consultation: input.consultation,
    generatedAt: input.generatedAt,
    tallyVersion: input.tallyVersion,
    dialect: { delimiter: ";", encoding: "utf-8", header: true, decimalSeparator: "," },
    tableSchema: { columns: [...DATASET_COLUMNS, ...figureDatasetColumns(input.consultation.method)] },
  };
}
