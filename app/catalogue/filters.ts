import { z } from "zod";
import { KINDS, LEVELS, THEMES } from "./catalogue-schema";

export const PROPOSAL_SORTS = ["source", "mentions", "alpha"] as const;
export const SEARCH_MAX = 200;
export const PAGE_SIZE = 20;

const emptyIsAbsent = (value: unknown) => (value === "" || value === null ? undefined : value);

/** The proposal list's URL parameters (?theme=…&level=…&kind=…&q=…&sort=…&page=…). */
export const proposalFiltersSchema = z.object({
  theme: z.preprocess(emptyIsAbsent, z.enum(THEMES, { error: "thème inconnu" }).optional()),
  level: z.preprocess(emptyIsAbsent, z.enum(LEVELS, { error: "niveau inconnu" }).optional()),
  kind: z.preprocess(emptyIsAbsent, z.enum(KINDS, { error: "type inconnu" }).optional()),
  // A long search is cut, not refused: what was cut is said on the page.
  q: z.preprocess(emptyIsAbsent, z.string().trim().optional()),
  sort: z.preprocess(emptyIsAbsent, z.enum(PROPOSAL_SORTS, { error: "tri inconnu" }).default("source")),
  page: z.preprocess(
    emptyIsAbsent,
    z.coerce
      .number({ error: "numéro de page invalide" })
      .int("numéro de page invalide")
      .min(1, "numéro de page invalide")
      .max(100_000, "numéro de page invalide")
      .default(1),
  ),
});

export type ProposalFiltersInput = z.infer<typeof proposalFiltersSchema>;

export type ParsedFilters =
  | { ok: true; filters: ProposalFiltersInput & { q: string | undefined }; truncated: boolean }
  | { ok: false; message: string };

export function parseProposalFilters(params: URLSearchParams): ParsedFilters {
  const raw = Object.fromEntries(["theme", "level", "kind", "q", "sort", "page"].map((k) => [k, params.get(k)]));
  const parsed = proposalFiltersSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const value = raw[String(issue.path[0])];
    return {
      ok: false,
      message: `Filtre invalide : ${issue.message}${value ? ` (« ${String(value).slice(0, 40)} »)` : ""}.`,
    };
  }
  const q = parsed.data.q;
  const truncated = !!q && q.length > SEARCH_MAX;
  return { ok: true, filters: { ...parsed.data, q: q?.slice(0, SEARCH_MAX) }, truncated };
}
