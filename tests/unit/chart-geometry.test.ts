import { describe, expect, it } from "vitest";
import {
  colourBreaks,
  colourClass,
  firstRanks,
  intervalGeometry,
  pathBounds,
  rankShifts,
  rankTicks,
  rankX,
  unionBox,
} from "../../app/reports/chart-geometry";
import { departementShapes } from "../../app/reports/departement-map.server";
import { formatRate } from "../../app/reports/figures";
import { formatBytes } from "../../app/ui/download-link";

describe("rank axis", () => {
  it("puts rank 1 at the left end and the last rank at the right end, linearly", () => {
    expect(rankX(1, 10, 0, 90)).toBe(0);
    expect(rankX(10, 10, 0, 90)).toBe(90);
    expect(rankX(4, 10, 0, 90)).toBe(30);
    // Out of range: held at the ends; a one-rank axis is its left end.
    expect(rankX(0, 10, 0, 90)).toBe(0);
    expect(rankX(12, 10, 0, 90)).toBe(90);
    expect(rankX(1, 1, 5, 90)).toBe(5);
  });
  it("ticks start at 1, step roundly, end at the maximum, and never crowd", () => {
    expect(rankTicks(1)).toEqual([1]);
    expect(rankTicks(10)).toEqual([1, 2, 4, 6, 8, 10]);
    expect(rankTicks(14)).toEqual([1, 5, 10, 14]);
    expect(rankTicks(100)).toEqual([1, 20, 40, 60, 80, 100]);
    for (let max = 2; max <= 300; max++) {
      const ticks = rankTicks(max);
      expect(ticks[0]).toBe(1);
      expect(ticks.at(-1)).toBe(max);
      expect(ticks.length).toBeLessThanOrEqual(7);
      for (let i = 1; i < ticks.length; i++) expect(ticks[i]!).toBeGreaterThan(ticks[i - 1]!);
    }
  });
});

describe("dot-and-whisker geometry", () => {
  const rows = [
    { rank: 1, interval: [1, 2] as [number, number] },
    { rank: 2, interval: [1, 4] as [number, number] },
    { rank: 3, interval: null },
    { rank: null, interval: null },
  ];
  it("spans the axis to the largest interval bound, dots at the rank, whiskers at the bounds", () => {
    const g = intervalGeometry(rows, 0, 300);
    expect(g.max).toBe(4);
    expect(g.rows).toHaveLength(3);
    expect(g.rows[0]).toEqual({ rank: 1, dot: 0, whisker: [0, 100] });
    expect(g.rows[1]).toEqual({ rank: 2, dot: 100, whisker: [0, 300] });
    expect(g.rows[2]!.whisker).toBeNull();
    for (const r of g.rows) if (r.whisker) expect(r.whisker[0] <= r.dot && r.dot <= r.whisker[1]).toBe(true);
    expect(g.ticks.map((t) => t.rank)).toEqual([1, 2, 3, 4]);
  });
  it("first ten keeps ties at the tenth rank", () => {
    const ranks = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 10, 12, null].map((rank) => ({ rank }));
    expect(firstRanks(ranks)).toHaveLength(11);
  });
});

describe("raw against weighted ranks", () => {
  const raw = [
    { id: "a", title: "A", rank: 1, interval: [1, 2] as [number, number] },
    { id: "b", title: "B", rank: 2, interval: [1, 3] as [number, number] },
    { id: "c", title: "C", rank: 3, interval: [2, 4] as [number, number] },
    { id: "d", title: "D", rank: 4, interval: [3, 5] as [number, number] },
  ];
  const weighted = [
    { id: "d", rank: 1, interval: [1, 1] as [number, number] },
    { id: "a", rank: 2, interval: [1, 3] as [number, number] },
    { id: "b", rank: 3, interval: [2, 4] as [number, number] },
    { id: "c", rank: 4, interval: [3, 5] as [number, number] },
  ];
  it("lists the first n of either ranking, in raw order, with the shift and whether it is clear", () => {
    const shifts = rankShifts(raw, weighted, 1);
    expect(shifts.map((s) => [s.id, s.raw, s.weighted, s.shift, s.clear])).toEqual([
      ["a", 1, 2, 1, false],
      // D: 4th raw [3, 5], 1st weighted [1, 1]: the intervals do not meet.
      ["d", 4, 1, -3, true],
    ]);
  });
});

describe("map colour scale", () => {
  it("breaks at round steps from at or below the smallest value to at or above the largest", () => {
    expect(colourBreaks([0.00043, 0.0005, 0.00047])).toEqual([0.00042, 0.00044, 0.00046, 0.00048, 0.0005]);
    expect(colourBreaks([0.3, 0.9])).toEqual([0.2, 0.4, 0.6, 0.8, 1]);
    expect(colourBreaks([0.5, 0.5])).toEqual([0.5, 0.6, 0.7, 0.8, 0.9]);
    expect(colourBreaks([])).toEqual([0, 1, 2, 3, 4]);
    for (const values of [[0.0001, 0.0123], [1, 2, 3], [0.004, 0.0041], [7]]) {
      const breaks = colourBreaks(values);
      expect(breaks[0]!).toBeLessThanOrEqual(Math.min(...values));
      expect(breaks.at(-1)!).toBeGreaterThanOrEqual(Math.max(...values));
    }
  });
  it("puts every value in one class, the top one included", () => {
    const breaks = [0, 0.25, 0.5, 0.75, 1];
    expect([0, 0.2, 0.25, 0.6, 0.99, 1].map((v) => colourClass(v, breaks))).toEqual([0, 0, 1, 2, 3, 3]);
  });
  it("prints small rates with two significant digits, so they differ", () => {
    expect(formatRate(0.00045)).toBe("0,045\u00a0%");
    expect(formatRate(0.0012)).toBe("0,12\u00a0%");
  });
});

describe("département geometry", () => {
  it("measures straight-segment paths, relative and absolute, and refuses curves", () => {
    expect(pathBounds("m 10,20 5,0 0,5 z m 10,10 -2,-2 z")).toEqual({ x: 10, y: 20, width: 10, height: 10 });
    expect(pathBounds("M 1 1 L 4 5 H 0 V -1 Z")).toEqual({ x: 0, y: -1, width: 4, height: 6 });
    expect(() => pathBounds("M 0 0 C 1 1 2 2 3 3")).toThrow(/unsupported/);
    expect(
      unionBox([
        { x: 0, y: 0, width: 1, height: 1 },
        { x: 2, y: -1, width: 1, height: 1 },
      ]),
    ).toEqual({
      x: 0,
      y: -1,
      width: 3,
      height: 2,
    });
  });
  it("crops the map of France to Normandie's five départements, and has none for overseas ones", () => {
    const normandie = departementShapes(["14", "27", "50", "61", "76"])!;
    expect(normandie.shapes.map((s) => s.code)).toEqual(["14", "27", "50", "61", "76"]);
    const [x, y, w, h] = normandie.viewBox.split(" ").map(Number);
    // The package draws France in 613 × 585: Normandie is its north-west quarter or so.
    expect(x).toBeGreaterThan(100);
    expect(x! + w!).toBeLessThan(400);
    expect(y! + h!).toBeLessThan(250);
    expect(w! / h!).toBeGreaterThan(1);
    expect(departementShapes(["971"])).toBeNull();
  });
});

describe("file sizes in words", () => {
  it.each([
    [1, "1 octet"],
    [850, "850 octets"],
    [1_234, "1,2 Ko"],
    [40_123, "40 Ko"],
    [2_345_678, "2,3 Mo"],
  ])("%d bytes read %s", (bytes, words) => expect(formatBytes(bytes)).toBe(words));
});
