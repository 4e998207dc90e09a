/**
 * The public reports the catalogue is taken from, by file name (the files themselves stay outside
 * the repository: see README, « Sources du catalogue »). What a resident is shown as provenance:
 * the report's title and the ARS that published it, never a file name.
 */
export interface SourceReport {
  title: string;
  publisher: string;
  date: string;
}

export const SOURCE_REPORTS: Readonly<Record<string, SourceReport>> = {
  "000_259f14672463cccc.txt": {
    title: "CNR Santé : bilan des réunions départementales en Centre-Val de Loire",
    publisher: "ARS Centre-Val de Loire",
    date: "décembre 2022",
  },
  "001_69b1a6520f933c0b.txt": {
    title: "Synthèse des ateliers CNR Santé organisés en région Nouvelle-Aquitaine",
    publisher: "ARS Nouvelle-Aquitaine",
    date: "2022",
  },
  "002_ff85f5667f6aaf61.txt": {
    title: "Restitution des travaux CNR Santé du conseil territorial de santé des Yvelines",
    publisher: "ARS Île-de-France, CTS 78",
    date: "1er décembre 2022",
  },
  "003_c7321dffdaa4fd0e.txt": {
    title: "Plan régional d’accès aux soins 2017-2018",
    publisher: "ARS Centre-Val de Loire",
    date: "2017",
  },
  "004_6b0e1e4a41bafabe.txt": {
    title: "CNR Santé en Normandie : restitution régionale des 18 ateliers territoriaux",
    publisher: "ARS Normandie",
    date: "8 décembre 2022",
  },
};

/** A report as shown to residents; an unknown file is named as a report, not by its file name. */
export function sourceReport(file: string): SourceReport {
  return SOURCE_REPORTS[file] ?? { title: "Rapport de restitution du CNR Santé", publisher: "ARS", date: "" };
}
