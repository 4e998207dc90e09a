// The geometry of the report's charts, shared by the SVG drawn in pages (charts.tsx) and the
// PDF (exports.server.ts), so both draw the same thing. Pure functions: unit-tested.

/** The rows of the first `n` ranks (ties included), in their order. */
export function firstRanks<T extends { rank: number | null }>(rows: T[], n = 10): T[] {
  return rows.filter((r) => r.rank !== null && r.rank <= n);
}

/** Ticks for a rank axis from 1 to `max`: 1, then round steps (5, 10, 20, 50…), and `max` when apart. */
export function rankTicks(max: number): number[] {
  if (max <= 1) return [1];
  const step = [1, 2, 5, 10, 20, 25, 50, 100, 200, 500].find((s) => max / s <= 5) ?? 1000;
  const ticks = [1];
  for (let t = step; t < max; t += step) if (t - ticks[ticks.length - 1]! >= step / 2) ticks.push(t);
  if (max - ticks[ticks.length - 1]! >= step / 2) ticks.push(max);
  else ticks[ticks.length - 1] = max;
  return ticks;
}

/** x of a rank on an axis from rank 1 (at `left`) to rank `max` (at `right`). */
export function rankX(rank: number, max: number, left: number, right: number): number {
  if (max <= 1) return left;
  return left + ((Math.min(Math.max(rank, 1), max) - 1) / (max - 1)) * (right - left);
}

export interface IntervalRow {
  rank: number | null;
  interval: [number, number] | null;
}

/**
 * Dot-and-whisker geometry for ranked rows: the dot at the rank, the whisker from the interval's
 * low to high rank, all on one axis from 1 to the largest rank or interval bound shown.
 */
export function intervalGeometry(rows: IntervalRow[], left: number, right: number) {
  const ranked = rows.filter((r): r is IntervalRow & { rank: number } => r.rank !== null);
  const max = Math.max(1, ...ranked.map((r) => Math.max(r.rank, r.interval?.[1] ?? r.rank)));
  return {
    max,
    ticks: rankTicks(max).map((t) => ({ rank: t, x: rankX(t, max, left, right) })),
    rows: ranked.map((r) => ({
      rank: r.rank,
      dot: rankX(r.rank, max, left, right),
      whisker: r.interval
        ? ([rankX(r.interval[0], max, left, right), rankX(r.interval[1], max, left, right)] as const)
        : null,
    })),
  };
}

export interface ShiftRow {
  id: string;
  title: string;
  raw: number | null;
  weighted: number | null;
  rawInterval: [number, number] | null;
  weightedInterval: [number, number] | null;
}

/**
 * The proposals among the first `n` of either ranking, with both ranks: what moves between a
 * ballot-per-voice count and a population-weighted one. `clear` when the two intervals do not
 * overlap (the move is more than resampling noise).
 */
export function rankShifts(
  raw: { id: string; title: string; rank: number | null; interval: [number, number] | null }[],
  weighted: { id: string; rank: number | null; interval: [number, number] | null }[],
  n = 10,
) {
  const w = new Map(weighted.map((r) => [r.id, r]));
  const top = new Set([
    ...raw.filter((r) => r.rank !== null && r.rank <= n).map((r) => r.id),
    ...weighted.filter((r) => r.rank !== null && r.rank <= n).map((r) => r.id),
  ]);
  return raw
    .filter((r) => top.has(r.id))
    .map((r) => {
      const o = w.get(r.id);
      const shift = r.rank !== null && o?.rank != null ? o.rank - r.rank : null;
      const clear = !!r.interval && !!o?.interval && (o.interval[0] > r.interval[1] || r.interval[0] > o.interval[1]);
      return {
        id: r.id,
        title: r.title,
        raw: r.rank,
        weighted: o?.rank ?? null,
        rawInterval: r.interval,
        weightedInterval: o?.interval ?? null,
        shift,
        clear,
      };
    })
    .sort((a, b) => (a.raw ?? Infinity) - (b.raw ?? Infinity) || (a.weighted ?? Infinity) - (b.weighted ?? Infinity));
}

/**
 * Class breaks for a choropleth: `classes` equal, round steps covering the values from a round
 * number at or below the smallest to one at or above the largest, so the legend reads
 * "de 0,042 % à 0,044 %" and close rates still get different shades (the legend says how close).
 */
export function colourBreaks(values: number[], classes = 4): number[] {
  const hi = Math.max(0, ...values);
  if (hi === 0) return Array.from({ length: classes + 1 }, (_, i) => i);
  const lo = Math.min(...values);
  const spread = hi - lo || hi;
  const power = 10 ** Math.floor(Math.log10(spread / classes));
  const steps = [1, 2, 2.5, 5, 10, 20, 25, 50, 100].map((m) => m * power);
  for (const step of steps) {
    const start = Math.floor(lo / step) * step;
    if (start + classes * step >= hi)
      return Array.from({ length: classes + 1 }, (_, i) => Number((start + i * step).toPrecision(12)));
  }
  return Array.from({ length: classes + 1 }, (_, i) => Number(((i * hi) / classes).toPrecision(12)));
}

/** Which class (0…breaks.length − 2) a value falls in; the top class includes its upper bound. */
export function colourClass(value: number, breaks: number[]): number {
  for (let i = 1; i < breaks.length - 1; i++) if (value < breaks[i]!) return i - 1;
  return breaks.length - 2;
}

export interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}

/**
 * Bounding box of an SVG path made of straight segments (M/m, L/l, H/h, V/v, Z/z), as the
 * département map's paths are. A curve command is refused rather than measured wrongly.
 */
export function pathBounds(d: string): Box {
  const tokens = d.match(/[a-zA-Z]|-?\d*\.?\d+(?:e[-+]?\d+)?/g) ?? [];
  let x = 0;
  let y = 0;
  let startX = 0;
  let startY = 0;
  let minX = Infinity;
  let minY = Infinity;
  let maxX = -Infinity;
  let maxY = -Infinity;
  let command = "";
  let first = false;
  const mark = () => {
    minX = Math.min(minX, x);
    maxX = Math.max(maxX, x);
    minY = Math.min(minY, y);
    maxY = Math.max(maxY, y);
  };
  for (let i = 0; i < tokens.length;) {
    const t = tokens[i]!;
    if (/[a-zA-Z]/.test(t)) {
      command = t;
      first = true;
      i++;
      if (t === "z" || t === "Z") {
        x = startX;
        y = startY;
      }
      continue;
    }
    const n = () => Number(tokens[i++]);
    const relative = command === command.toLowerCase();
    switch (command.toLowerCase()) {
      case "m":
      case "l": {
        const dx = n();
        const dy = n();
        x = relative ? x + dx : dx;
        y = relative ? y + dy : dy;
        if (command.toLowerCase() === "m" && first) {
          startX = x;
          startY = y;
        }
        break;
      }
      case "h":
        x = relative ? x + n() : n();
        break;
      case "v":
        y = relative ? y + n() : n();
        break;
      default:
        throw new Error(`pathBounds: unsupported path command ${command}`);
    }
    first = false;
    mark();
  }
  if (minX === Infinity) return { x: 0, y: 0, width: 0, height: 0 };
  return { x: minX, y: minY, width: maxX - minX, height: maxY - minY };
}

/** The smallest box holding every box given. */
export function unionBox(boxes: Box[]): Box {
  if (!boxes.length) return { x: 0, y: 0, width: 0, height: 0 };
  const x = Math.min(...boxes.map((b) => b.x));
  const y = Math.min(...boxes.map((b) => b.y));
  return {
    x,
    y,
    width: Math.max(...boxes.map((b) => b.x + b.width)) - x,
    height: Math.max(...boxes.map((b) => b.y + b.height)) - y,
  };
}
