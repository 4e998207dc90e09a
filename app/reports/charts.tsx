// Charts drawn as SVG on the server: readable without JavaScript, printable, each with a text
// summary for screen readers (and a table beside it in the page). Colours from the DSFR palette;
// a colour never carries meaning alone (labels and tables say the same).
import { formatPercent } from "./figures";
import type { Segment } from "./figures";
import { formatShortDate } from "../ui/format";

/** Sequential blues of the DSFR ("bleu France"), light to dark, for quantities. */
export const SEQUENTIAL = ["#e3e3fd", "#cacafb", "#8585f6", "#6a6af4", "#000091"] as const;
/** Ordered categories (grades, places), best first: dark to light, then grey. */
export const CATEGORICAL = ["#000091", "#6a6af4", "#8585f6", "#cacafb", "#e5e5e5", "#f6f6f6"] as const;

const dayLabel = formatShortDate;

/** Ballots kept at the end of each day, as columns. */
export function TimelineChart({ id, days }: { id: string; days: { day: string; total: number }[] }) {
  if (!days.length) return null;
  const width = 600;
  const height = 180;
  const top = 10;
  const bottom = 30;
  const left = 48;
  const max = Math.max(1, ...days.map((d) => d.total));
  const step = (width - left) / days.length;
  const bar = Math.max(1, step * 0.8);
  const y = (v: number) => top + (height - top - bottom) * (1 - v / max);
  const first = days[0]!;
  const last = days[days.length - 1]!;
  const summary = `Bulletins cumulés par jour, du ${dayLabel(first.day)} (${first.total}) au ${dayLabel(last.day)} (${last.total}).`;
  return (
    <figure className="ps-chart" aria-labelledby={`${id}-caption`}>
      <svg
        viewBox={`0 0 ${width} ${height}`}
        role="img"
        aria-labelledby={`${id}-summary`}
        width="100%"
        preserveAspectRatio="xMinYMin meet"
      >
        <title id={`${id}-summary`}>{summary}</title>
        <line x1={left} x2={width} y1={y(0)} y2={y(0)} stroke="#666" />
        <text x={left - 6} y={y(max) + 4} textAnchor="end" fontSize="11" fill="#3a3a3a">
          {max.toLocaleString("fr-FR")}
        </text>
        <text x={left - 6} y={y(0) + 4} textAnchor="end" fontSize="11" fill="#3a3a3a">
          0
        </text>
        {days.map((d, i) => (
          <rect
            key={d.day}
            x={left + i * step}
            y={y(d.total)}
            width={bar}
            height={y(0) - y(d.total)}
            fill={SEQUENTIAL[4]}
          />
        ))}
        <text x={left} y={height - 8} fontSize="11" fill="#3a3a3a">
          {dayLabel(first.day)}
        </text>
        <text x={width} y={height - 8} fontSize="11" fill="#3a3a3a" textAnchor="end">
          {dayLabel(last.day)}
        </text>
      </svg>
      <figcaption id={`${id}-caption`} className="fr-text--sm">
        {summary}
      </figcaption>
    </figure>
  );
}

/** One proposal's split of ballots (grade profile, places, for/not) as a stacked bar. */
export function StackedBar({ segments, label }: { segments: Segment[]; label: string }) {
  const total = segments.reduce((s, x) => s + x.share, 0) || 1;
  let x = 0;
  const text = `${label} : ${segments.map((s) => `${s.label} ${formatPercent(s.share)}`).join(", ")}`;
  return (
    <svg viewBox="0 0 200 14" width="200" height="14" role="img" aria-label={text} className="ps-stacked-bar">
      <title>{text}</title>
      {segments.map((s, i) => {
        const w = (200 * s.share) / total;
        const rect = (
          <rect
            key={s.label}
            x={x}
            y={0}
            width={w}
            height={14}
            fill={CATEGORICAL[Math.min(i, CATEGORICAL.length - 1)]}
          />
        );
        x += w;
        return rect;
      })}
      <rect x={0} y={0} width={200} height={14} fill="none" stroke="#929292" />
    </svg>
  );
}

/** The colour key of stacked bars. */
export function Legend({ labels }: { labels: string[] }) {
  return (
    <ul className="ps-legend">
      {labels.map((l, i) => (
        <li key={l}>
          <svg width="14" height="14" aria-hidden="true">
            <rect width="14" height="14" fill={CATEGORICAL[Math.min(i, CATEGORICAL.length - 1)]} stroke="#929292" />
          </svg>{" "}
          {l}
        </li>
      ))}
    </ul>
  );
}

export interface Tile {
  code: string;
  name: string;
  group: string;
  /** 0…1, or null without data. */
  value: number | null;
  label: string;
}

/**
 * A tile grid instead of a map (no arrondissement geometry is shipped in a maintained package):
 * one row per département, one tile per arrondissement, shaded by quintile of `value`.
 */
export function TileGrid({ id, tiles, title }: { id: string; tiles: Tile[]; title: string }) {
  const values = tiles
    .map((t) => t.value)
    .filter((v): v is number => v !== null)
    .sort((a, b) => a - b);
  const cut = (q: number) => values[Math.min(values.length - 1, Math.floor(q * values.length))] ?? 0;
  const thresholds = [cut(0.2), cut(0.4), cut(0.6), cut(0.8)];
  const shade = (v: number | null) => (v === null ? 0 : thresholds.filter((t) => v > t).length);
  const groups = [...new Set(tiles.map((t) => t.group))];
  const size = 92;
  const gap = 4;
  const labelWidth = 120;
  const columns = Math.max(1, ...groups.map((g) => tiles.filter((t) => t.group === g).length));
  const width = labelWidth + columns * (size + gap);
  const height = groups.length * (size + gap);
  return (
    <figure className="ps-chart" aria-labelledby={`${id}-caption`}>
      <svg
        viewBox={`0 0 ${width} ${height}`}
        width="100%"
        role="img"
        aria-labelledby={`${id}-title`}
        preserveAspectRatio="xMinYMin meet"
      >
        <title id={`${id}-title`}>{title}</title>
        {groups.map((g, row) => (
          <g key={g} transform={`translate(0 ${row * (size + gap)})`}>
            <text x={0} y={size / 2 + 4} fontSize="12" fill="#161616">
              {g}
            </text>
            {tiles
              .filter((t) => t.group === g)
              .map((t, col) => {
                const s = shade(t.value);
                const dark = s >= 3;
                return (
                  <g key={t.code} transform={`translate(${labelWidth + col * (size + gap)} 0)`}>
                    <rect width={size} height={size} fill={SEQUENTIAL[s]} stroke="#929292" />
                    <text
                      x={size / 2}
                      y={size / 2 - 6}
                      fontSize="11"
                      textAnchor="middle"
                      fill={dark ? "#fff" : "#161616"}
                    >
                      {t.name.length > 14 ? `${t.name.slice(0, 13)}…` : t.name}
                    </text>
                    <text
                      x={size / 2}
                      y={size / 2 + 12}
                      fontSize="12"
                      fontWeight="bold"
                      textAnchor="middle"
                      fill={dark ? "#fff" : "#161616"}
                    >
                      {t.label}
                    </text>
                  </g>
                );
              })}
          </g>
        ))}
      </svg>
      <figcaption id={`${id}-caption`} className="fr-text--sm">
        {title}. Teinte par quintile, de la plus claire (participation la plus faible) à la plus foncée ; les chiffres
        sont dans le tableau qui suit.
      </figcaption>
    </figure>
  );
}
