import type { MultiPolygon, Pair, Ring } from 'polygon-clipping';

/** Axis-aligned box [minX, minY, maxX, maxY]. */
export type Box = [number, number, number, number];

/** Signed shoelace area: positive for a counter-clockwise ring (closed or open). */
export function signedRingArea(ring: Ring): number {
  let sum = 0;
  for (let i = 0, n = ring.length; i < n; i++) {
    const [x1, y1] = ring[i];
    const [x2, y2] = ring[(i + 1) % n];
    sum += x1 * y2 - x2 * y1;
  }
  return sum / 2;
}

/** Area of a multipolygon whose holes are rings after the first in each polygon. */
export function multiPolygonArea(mp: MultiPolygon): number {
  let area = 0;
  for (const poly of mp) {
    poly.forEach((ring, i) => {
      area += i === 0 ? Math.abs(signedRingArea(ring)) : -Math.abs(signedRingArea(ring));
    });
  }
  return area;
}

/** Bounding box of the outer rings. */
export function boxOf(mp: MultiPolygon): Box {
  const box: Box = [Infinity, Infinity, -Infinity, -Infinity];
  for (const poly of mp) {
    for (const [x, y] of poly[0]) {
      if (x < box[0]) box[0] = x;
      if (y < box[1]) box[1] = y;
      if (x > box[2]) box[2] = x;
      if (y > box[3]) box[3] = y;
    }
  }
  return box;
}

/** Area-weighted centroid of the outer rings (holes are small enough to ignore for layout). */
export function centroidOf(mp: MultiPolygon): Pair {
  let a = 0;
  let cx = 0;
  let cy = 0;
  for (const poly of mp) {
    const ring = poly[0];
    for (let i = 0, n = ring.length; i < n; i++) {
      const [x1, y1] = ring[i];
      const [x2, y2] = ring[(i + 1) % n];
      const cross = x1 * y2 - x2 * y1;
      a += cross;
      cx += (x1 + x2) * cross;
      cy += (y1 + y2) * cross;
    }
  }
  return a === 0 ? mp[0][0][0] : [cx / (3 * a), cy / (3 * a)];
}

function ringContains(ring: Ring, x: number, y: number): boolean {
  let inside = false;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const [xi, yi] = ring[i];
    const [xj, yj] = ring[j];
    if (yi > y !== yj > y && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) inside = !inside;
  }
  return inside;
}

/** Even-odd point-in-multipolygon test. */
export function containsPoint(mp: MultiPolygon, [x, y]: Pair): boolean {
  return mp.some((poly) => ringContains(poly[0], x, y) && !poly.slice(1).some((hole) => ringContains(hole, x, y)));
}

/** Euclidean distance (plain sqrt, which IEEE 754 rounds identically everywhere). */
export function distance(a: Pair, b: Pair): number {
  const dx = a[0] - b[0];
  const dy = a[1] - b[1];
  return Math.sqrt(dx * dx + dy * dy);
}
