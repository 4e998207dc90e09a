// Charts drawn as SVG on the server: readable without JavaScript, printable, each with a text
// summary for screen readers (and a table beside it in the page). Colours from the DSFR palette;
// a colour never carries meaning alone (labels and tables say the same).
import { Link } from "@remix-run/react";
import { colourClass, intervalGeometry, rankTicks, rankX, type ShiftRow } from "./chart-geometry";
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

// Rank charts are one row per proposal: its title in HTML (it wraps and stays legible at 320 px)
// above or beside a strip of SVG drawn in percentages of the strip's width, on an axis shared by
// every row. The strip says the same as the text next to it (rank, interval), for screen readers too.
const STRIP = { left: 3, right: 97 };
const pct = (x: number) => `${x.toFixed(2)}%`;

function RankAxis({ max }: { max: number }) {
  return (
    <svg className="ps-rank-strip ps-rank-strip--axis" width="100%" height="22" aria-hidden="true" focusable="false">
      <line x1={pct(STRIP.left)} x2={pct(STRIP.right)} y1="4" y2="4" stroke="#929292" />
      {rankTicks(max).map((t) => {
        const x = pct(rankX(t, max, STRIP.left, STRIP.right));
        return (
          <g key={t}>
            <line x1={x} x2={x} y1="1" y2="7" stroke="#929292" />
            <text x={x} y="19" fontSize="11" textAnchor="middle" fill="#3a3a3a">
              {t}
            </text>
          </g>
        );
      })}
    </svg>
  );
}

export interface ChartRow {
  id: string;
  slug: string;
  title: string;
  rank: number | null;
  interval: [number, number] | null;
  figure: string;
  indistinct: boolean;
}

/** Rank, and the interval it could take (5th–95th percentile of the bootstrap), of each row. */
export function RankIntervalChart({
  id,
  caption,
  rows,
  proposalHref,
}: {
  id: string;
  caption: string;
  rows: ChartRow[];
  proposalHref: (slug: string) => string;
}) {
  const geometry = intervalGeometry(rows, STRIP.left, STRIP.right);
  const ranked = rows.filter((r) => r.rank !== null);
  return (
    <figure className="ps-chart ps-rank-chart" aria-labelledby={`${id}-caption`} id={id}>
      <figcaption id={`${id}-caption`} className="fr-text--bold fr-mb-1w">
        {caption}
      </figcaption>
      <div className="ps-rank-chart__row ps-rank-chart__row--axis">
        <span className="ps-rank-chart__label fr-text--xs fr-mb-0">
          Rang (le point) et intervalle de rang (le trait)
        </span>
        <RankAxis max={geometry.max} />
      </div>
      <ol className="ps-rank-chart__rows">
        {ranked.map((r, i) => {
          const g = geometry.rows[i]!;
          const words = r.interval
            ? `Rang ${r.rank}, intervalle du ${r.interval[0]}e au ${r.interval[1]}e rang`
            : `Rang ${r.rank}, intervalle pas encore calculé`;
          return (
            <li key={r.id} className="ps-rank-chart__row">
              <span className="ps-rank-chart__label">
                <span className="ps-rank-chart__rank">
                  {r.rank}
                  {r.indistinct ? (
                    <abbr title="rang non distinguable de celui de la ligne précédente" className="fr-ml-1v">
                      ≈
                    </abbr>
                  ) : null}
                </span>{" "}
                <Link to={proposalHref(r.slug)}>{r.title}</Link>{" "}
                <span className="fr-text--xs ps-muted">
                  ({r.figure}
                  {r.interval ? `, rang ${r.interval[0]} à ${r.interval[1]}` : ""})
                </span>
              </span>
              <svg className="ps-rank-strip" width="100%" height="16" role="img" aria-label={words}>
                <title>{words}</title>
                {g.whisker ? (
                  <>
                    <line
                      x1={pct(g.whisker[0])}
                      x2={pct(g.whisker[1])}
                      y1="8"
                      y2="8"
                      stroke="#6a6af4"
                      strokeWidth="3"
                    />
                    <line
                      x1={pct(g.whisker[0])}
                      x2={pct(g.whisker[0])}
                      y1="3"
                      y2="13"
                      stroke="#6a6af4"
                      strokeWidth="2"
                    />
                    <line
                      x1={pct(g.whisker[1])}
                      x2={pct(g.whisker[1])}
                      y1="3"
                      y2="13"
                      stroke="#6a6af4"
                      strokeWidth="2"
                    />
                  </>
                ) : null}
                <circle cx={pct(g.dot)} cy="8" r="5" fill="#000091" />
              </svg>
            </li>
          );
        })}
      </ol>
    </figure>
  );
}

/** Where the raw and the population-weighted rankings put the same proposals. */
export function RankShiftChart({
  id,
  caption,
  rows,
  proposalHref,
}: {
  id: string;
  caption: string;
  rows: (ShiftRow & { slug: string; shift: number | null; clear: boolean })[];
  proposalHref: (slug: string) => string;
}) {
  const max = Math.max(1, ...rows.flatMap((r) => [r.raw ?? 1, r.weighted ?? 1]));
  const x = (rank: number) => pct(rankX(rank, max, STRIP.left, STRIP.right));
  return (
    <figure className="ps-chart ps-rank-chart" aria-labelledby={`${id}-caption`} id={id}>
      <figcaption id={`${id}-caption`} className="fr-text--bold fr-mb-1w">
        {caption}
      </figcaption>
      <ul className="ps-legend fr-text--sm fr-mb-1w">
        <li>
          <svg width="14" height="14" aria-hidden="true">
            <circle cx="7" cy="7" r="5" fill="#fff" stroke="#000091" strokeWidth="2" />
          </svg>{" "}
          rang brut
        </li>
        <li>
          <svg width="14" height="14" aria-hidden="true">
            <circle cx="7" cy="7" r="5" fill="#000091" />
          </svg>{" "}
          rang pondéré
        </li>
      </ul>
      <div className="ps-rank-chart__row ps-rank-chart__row--axis">
        <span className="ps-rank-chart__label fr-text--xs fr-mb-0">Rang</span>
        <RankAxis max={max} />
      </div>
      <ul className="ps-rank-chart__rows">
        {rows.map((r) => {
          const words =
            r.raw === null || r.weighted === null
              ? "non classée dans l’un des deux classements"
              : r.shift === 0
                ? `${r.raw}e dans les deux classements`
                : `${r.raw}e en brut, ${r.weighted}e en pondéré${r.clear ? " : écart net (intervalles disjoints)" : ""}`;
          return (
            <li key={r.id} className="ps-rank-chart__row">
              <span className="ps-rank-chart__label">
                <Link to={proposalHref(r.slug)}>{r.title}</Link>{" "}
                <span className={`fr-text--xs${r.clear ? " fr-text--bold" : " ps-muted"}`}>({words})</span>
              </span>
              <svg className="ps-rank-strip" width="100%" height="16" role="img" aria-label={words}>
                <title>{words}</title>
                {r.raw !== null && r.weighted !== null ? (
                  <>
                    <line x1={x(r.raw)} x2={x(r.weighted)} y1="8" y2="8" stroke="#6a6af4" strokeWidth="2" />
                    <circle cx={x(r.weighted)} cy="8" r="5" fill="#000091" />
                    <circle cx={x(r.raw)} cy="8" r="5" fill="#fff" stroke="#000091" strokeWidth="2" />
                  </>
                ) : null}
              </svg>
            </li>
          );
        })}
      </ul>
    </figure>
  );
}

export interface MapShape {
  code: string;
  name: string;
  path: string;
  /** The rate (0…1), or null when not published. */
  value: number | null;
  label: string;
}

/** Shades for the map's classes, light to dark (DSFR "bleu France"), and the withheld grey. */
const MAP_SHADES = [SEQUENTIAL[0], SEQUENTIAL[1], SEQUENTIAL[3], SEQUENTIAL[4]] as const;
const WITHHELD = "#e5e5e5";

/** A choropleth of the région's départements, with its legend; the table beside it has the figures. */
export function DepartementMap({
  id,
  title,
  viewBox,
  shapes,
  breaks,
  formatBreak,
}: {
  id: string;
  title: string;
  viewBox: string;
  shapes: MapShape[];
  breaks: number[];
  formatBreak: (v: number) => string;
}) {
  const summary = `${title} : ${shapes.map((s) => `${s.name} ${s.label}`).join(", ")}.`;
  const [, , w, h] = viewBox.split(" ").map(Number);
  return (
    <figure className="ps-chart ps-map" aria-labelledby={`${id}-caption`}>
      <svg viewBox={viewBox} role="img" aria-labelledby={`${id}-summary`} width="100%" className="ps-map__svg">
        <title id={`${id}-summary`}>{summary}</title>
        {shapes.map((s) => (
          <path
            key={s.code}
            d={s.path}
            fill={s.value === null ? WITHHELD : MAP_SHADES[colourClass(s.value, breaks)]}
            stroke="#fff"
            strokeWidth={Math.max(w!, h!) / 250}
          >
            <title>{`${s.name} : ${s.label}`}</title>
          </path>
        ))}
      </svg>
      <ul className="ps-legend fr-text--sm fr-mt-1w" aria-label="Légende">
        {MAP_SHADES.map((shade, i) => (
          <li key={shade}>
            <svg width="14" height="14" aria-hidden="true">
              <rect width="14" height="14" fill={shade} stroke="#929292" />
            </svg>{" "}
            {`de ${formatBreak(breaks[i]!)} à ${i === MAP_SHADES.length - 1 ? "" : "moins de "}${formatBreak(breaks[i + 1]!)}`}
          </li>
        ))}
        {shapes.some((s) => s.value === null) ? (
          <li>
            <svg width="14" height="14" aria-hidden="true">
              <rect width="14" height="14" fill={WITHHELD} stroke="#929292" />
            </svg>{" "}
            non publié (un arrondissement au moins est masqué)
          </li>
        ) : null}
      </ul>
      <figcaption id={`${id}-caption`} className="fr-text--sm">
        {title}. Plus la teinte est foncée, plus la participation est forte ; les chiffres sont dans le tableau qui
        suit.
      </figcaption>
    </figure>
  );
}
