import type { Position } from './geometry.js';

/** A grid waiting for a serial: its feature index, centroid and bounding-box height (degrees). */
export interface Unnumbered {
  feature: number;
  centroid: Position;
  height: number;
}

/**
 * The order in which grids of one community receive serials, "west to east, north to south"
 * (GB/T 30428 style), made exact:
 * 1. sort by centroid latitude, north first;
 * 2. cut into rows: a grid joins the current row while its centroid is at most half the median
 *    grid height below the centroid of the row's first (northernmost) grid; otherwise it starts
 *    the next row;
 * 3. within a row, sort by centroid longitude, west first (ties: north first, then feature index).
 */
export function numberingOrder(grids: Unnumbered[]): number[] {
  if (grids.length === 0) return [];
  const heights = grids.map((g) => g.height).sort((a, b) => a - b);
  const band = heights[Math.floor(heights.length / 2)] / 2;
  const byLat = [...grids].sort((a, b) => b.centroid[1] - a.centroid[1] || a.feature - b.feature);
  const rows: Unnumbered[][] = [];
  let top = Infinity;
  for (const g of byLat) {
    if (rows.length === 0 || top - g.centroid[1] > band) {
      rows.push([]);
      top = g.centroid[1];
    }
    rows[rows.length - 1].push(g);
  }
  const westFirst = (a: Unnumbered, b: Unnumbered) => a.centroid[0] - b.centroid[0] || b.centroid[1] - a.centroid[1] || a.feature - b.feature;
  return rows.flatMap((row) => row.sort(westFirst).map((g) => g.feature));
}

/**
 * Serials for `count` grids: the lowest numbers from `start` up that are not `taken`, at most
 * `max` (999 for a 3-digit serial). Returns null when they run out.
 */
export function nextSerials(count: number, taken: ReadonlySet<number>, start: number, max: number): number[] | null {
  const serials: number[] = [];
  for (let s = start; serials.length < count; s++) {
    if (s > max) return null;
    if (!taken.has(s)) serials.push(s);
  }
  return serials;
}

/** A grid code: the community code followed by the zero-padded serial. */
export function gridCode(communityCode: string, serial: number, digits: number): string {
  return communityCode + String(serial).padStart(digits, '0');
}
