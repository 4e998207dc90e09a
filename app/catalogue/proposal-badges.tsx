import type { ProposalKind, ProposalLevel, Theme } from "../../db/schema";
import { KIND_LABELS, LEVEL_LABELS, THEME_LABELS, THEME_SHORT } from "./themes";

/** A proposal's theme, level and kind as DSFR badges: short and small on cards, full on its page. */
export function ProposalBadges({
  theme,
  level,
  kind,
  size = "md",
  className,
}: {
  theme: Theme;
  level: ProposalLevel | null;
  kind: ProposalKind;
  size?: "sm" | "md";
  className?: string;
}) {
  const sm = size === "sm" ? " fr-badge--sm" : "";
  return (
    <ul className={`fr-badges-group${className ? ` ${className}` : ""}`}>
      <li>
        <p className={`fr-badge${sm} fr-badge--blue-ecume`}>
          {size === "sm" ? THEME_SHORT[theme] : THEME_LABELS[theme]}
        </p>
      </li>
      {level ? (
        <li>
          <p className={`fr-badge${sm}`}>{LEVEL_LABELS[level]}</p>
        </li>
      ) : null}
      {kind !== "proposition" ? (
        <li>
          <p className={`fr-badge${sm} fr-badge--purple-glycine`}>{KIND_LABELS[kind]}</p>
        </li>
      ) : null}
    </ul>
  );
}
