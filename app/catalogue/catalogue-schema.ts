import { z } from "zod";

/**
 * The shape of a catalogue data file (`db/catalogue/*.json`): one consultation per source
 * report, with every convergent proposal of that source. Validated on load so a bad entry is
 * named (file, entry, field) and nothing is loaded.
 */

export const THEMES = ["access", "continuity", "attractiveness", "prevention", "environment"] as const;
export const LEVELS = ["local_impetus", "national_work"] as const;
export const KINDS = ["proposal", "commitment", "key_idea"] as const;

const slug = z
  .string()
  .regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, "slug en minuscules, chiffres et tirets")
  .max(120);
const text = z.string().trim().min(1);

export const sourceSchema = z.object({
  /** Seed file name, e.g. "004_6b0e1e4a41bafabe.txt". */
  file: z.string().regex(/^\d{3}_[0-9a-f]{16}\.txt$/),
  /** The heading under which the proposal appears, as printed in the file (whitespace may differ). */
  section: text,
  /** Mentions (verbatims) printed in the source at that heading, when it prints one. */
  mentions: z.number().int().nonnegative().nullable().default(null),
  /** Slugs of the consultation's workshops that raised it, when known. */
  workshops: z.array(slug).default([]),
  /** INSEE code of the département the source attributes it to, when it names one. */
  departement: z
    .string()
    .regex(/^(\d{2}|2A|2B|97\d)$/)
    .nullable()
    .default(null),
  /** The lines of the seed file the entry comes from, [first, last], 1-based as the file ships. */
  lines: z
    .tuple([z.number().int().positive(), z.number().int().positive()])
    .refine(([a, b]) => a <= b, "lignes dans l’ordre : [première, dernière]"),
  /** The theme under which the source prints it, when it is not the entry's theme (a merged entry). */
  theme: z.enum(THEMES).nullable().default(null),
  /** Its grouping heading there, when it is not the entry's group (a merged entry). */
  group: slug.nullable().default(null),
});

export const departementCountSchema = z.object({
  departement: z.string().regex(/^(\d{2}|2A|2B|97\d)$/),
  mentions: z.number().int().nonnegative(),
  /** The heading in the département synthesis where the count is printed. */
  section: text,
  /** The theme it is counted under, when it is not the entry's theme (a merged entry). */
  theme: z.enum(THEMES).nullable().default(null),
});

/** A title fits on a card: longer source wording goes in `sourceWording`, shown on the page. */
export const TITLE_MAX = 90;

export const proposalSchema = z.object({
  slug,
  title: text.max(
    TITLE_MAX,
    `titre court : ${TITLE_MAX} caractères au plus (la formulation complète va dans sourceWording)`,
  ),
  /** The source's own full wording, when the title had to be shortened. */
  sourceWording: text.max(400).nullable().default(null),
  /** "En bref": one plain-French sentence, shown first on lists. */
  summary: text.max(300).nullable().default(null),
  text,
  theme: z.enum(THEMES),
  /** A second theme a voter filtering on it should also find the entry under (e.g. the SAS, filed under access). */
  secondaryTheme: z.enum(THEMES).nullable().default(null),
  level: z.enum(LEVELS).nullable().default(null),
  kind: z.enum(KINDS).default("proposal"),
  /** Slug of the grouping heading (Nouvelle-Aquitaine's grouped headings); same group = related. */
  group: slug.nullable().default(null),
  sources: z.array(sourceSchema).min(1),
  departementCounts: z.array(departementCountSchema).default([]),
  /** A few verbatims quoted in the source, as illustrations. */
  verbatims: z.array(text).default([]),
  /**
   * Slugs of former entries merged into this one: at load, their ballots and comments move here
   * (a ballot that had both keeps one choice).
   */
  replaces: z.array(slug).default([]),
});

export const workshopSchema = z.object({
  slug,
  place: text,
  /** INSEE code of the arrondissement (e.g. "503"), when it can be told. */
  arrondissement: z
    .string()
    .regex(/^(\d{3,4}|2[AB]\d)$/)
    .nullable()
    .default(null),
  departement: z
    .string()
    .regex(/^(\d{2}|2A|2B|97\d)$/)
    .nullable()
    .default(null),
  date: z
    .string()
    .regex(/^\d{4}-\d{2}-\d{2}$/)
    .nullable()
    .default(null),
  participants: z.number().int().nonnegative().nullable().default(null),
  participantsByCategory: z.record(z.string(), z.number().int().nonnegative()).nullable().default(null),
});

export const consultationFileSchema = z.object({
  slug,
  /** INSEE region code of the ARS that runs it. */
  region: z.string().regex(/^\d{2}$/),
  /** CTS territory code when the source covers one CTS only (Île-de-France: CTS 78). */
  cts: z.string().nullable().default(null),
  title: text.max(200),
  description: text,
  sourceFile: z.string().regex(/^\d{3}_[0-9a-f]{16}\.txt$/),
  workshops: z.array(workshopSchema).default([]),
  proposals: z.array(proposalSchema).min(1),
});

export type ConsultationFile = z.infer<typeof consultationFileSchema>;
export type CatalogueProposal = z.infer<typeof proposalSchema>;
export type CatalogueWorkshop = z.infer<typeof workshopSchema>;
