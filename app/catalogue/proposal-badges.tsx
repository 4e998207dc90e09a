import type { ProposalKind, ProposalLevel, Theme } from "../../db/schema";
import { KIND_LABELS, LEVEL_LABELS, THEME_LABELS, THEME_SHORT } from "./themes";

/**
 * How often the report mentions an entry, said plainly: a voter sees which ideas came up in many
 * workshops and which rest on one voice. Null when the report prints no count.
 */
export function mentionsLabel(mentions: number | null): string | null {
  if (mentions === null) return null;
  return mentions === 1 ? "Citée 1 fois dans les ateliers" : `Citée ${mentions} fois dans les ateliers`;
}

/**
 * A proposal's mention count (first, as it weighs most), theme (and second theme), level and kind
 * as DSFR badges: short and small on cards, full on its page.
 */
export function ProposalBadges({
  theme,
  secondaryTheme = null,
  mentions = null,
  level,
  kind,
  size = "md",
  className,
}: {
  theme: Theme;
  secondaryTheme?: Theme | null;
  mentions?: number | null;
  level: ProposalLevel | null;
  kind: ProposalKind;
  size?: "sm" | "md";
  className?: string;
}) {
  const sm = size === "sm" ? " fr-badge--sm" : "";
  const cited = mentionsLabel(mentions);
  return (
    <ul className={`fr-badges-group${className ? ` ${className}` : ""}`}>
      {cited ? (
        <li>
          <p className={`fr-badge${sm} fr-badge--yellow-tournesol`} data-testid="mentions">
            {cited}
          </p>
        </li>
      ) : null}
      {[theme, secondaryTheme].map((t) =>
        t ? (
          <li key={t}>
            <p className={`fr-badge${sm} fr-badge--blue-ecume`}>{size === "sm" ? THEME_SHORT[t] : THEME_LABELS[t]}</p>
          </li>
        ) : null,
      )}
      {level ? (
        <li>
          <p className={`fr-badge${sm}`}>{LEVEL_LABELS[level]}</p>
        </li>
      ) : null}
      {kind !== "proposal" ? (
        <li>
          <p className={`fr-badge${sm} fr-badge--purple-glycine`}>{KIND_LABELS[kind]}</p>
        </li>
      ) : null}
    </ul>
  );
}
