/**
 * CTS territories (territoires de démocratie sanitaire) that do not follow the département.
 * Everything else gets one CTS per département. Seine-Maritime's three CTS are approximated by its
 * arrondissements until the official commune lists are imported (npm run territories:import).
 */
export interface CtsSplit {
  departement: string;
  territories: { code: string; name: string; arrondissements: string[] }[];
}

export const CTS_SPLITS: CtsSplit[] = [
  {
    departement: "76",
    territories: [
      { code: "76-dieppe", name: "Dieppe", arrondissements: ["761"] },
      { code: "76-le-havre", name: "Le Havre", arrondissements: ["762"] },
      { code: "76-rouen-elbeuf", name: "Rouen-Elbeuf", arrondissements: ["763"] },
    ],
  },
];

/** Mayotte has no arrondissement: it is one territory of its own, under this pseudo-code. */
export const MAYOTTE = { departement: "976", arrondissement: "976", name: "Mayotte" } as const;
