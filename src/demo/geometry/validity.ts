import Flatbush from 'flatbush';
import pc, { type MultiPolygon, type Pair } from 'polygon-clipping';
import { boxOf, multiPolygonArea } from './planar.js';

function orientation(a: Pair, b: Pair, c: Pair): number {
  const v = (b[0] - a[0]) * (c[1] - a[1]) - (b[1] - a[1]) * (c[0] - a[0]);
  return v > 0 ? 1 : v < 0 ? -1 : 0;
}

function onSegment(a: Pair, b: Pair, p: Pair): boolean {
  return Math.min(a[0], b[0]) <= p[0] && p[0] <= Math.max(a[0], b[0]) && Math.min(a[1], b[1]) <= p[1] && p[1] <= Math.max(a[1], b[1]);
}

/** True when segments ab and cd share any point (crossing, touching or collinear overlap). */
export function segmentsTouch(a: Pair, b: Pair, c: Pair, d: Pair): boolean {
  const o1 = orientation(a, b, c);
  const o2 = orientation(a, b, d);
  const o3 = orientation(c, d, a);
  const o4 = orientation(c, d, b);
  if (o1 !== o2 && o3 !== o4) return true;
  return (o1 === 0 && onSegment(a, b, c)) || (o2 === 0 && onSegment(a, b, d)) || (o3 === 0 && onSegment(c, d, a)) || (o4 === 0 && onSegment(c, d, b));
}

/**
 * Index pairs of edges of a closed ring that touch although they are not neighbours — a
 * self-intersection, a pinch (repeated vertex) or a fold. Empty for a simple ring.
 */
export function ringSelfIntersections(ring: Pair[]): [number, number][] {
  const n = ring.length - 1;
  const hits: [number, number][] = [];
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      const adjacent = j === i + 1 || (i === 0 && j === n - 1);
      if (adjacent) {
        // neighbours may only share their common vertex: a fold back along the edge is invalid
        const [p, q, r] = j === i + 1 ? [ring[i], ring[j], ring[j + 1]] : [ring[j], ring[0], ring[1]];
        if (orientation(p, q, r) === 0 && (r[0] - q[0]) * (p[0] - q[0]) + (r[1] - q[1]) * (p[1] - q[1]) > 0) hits.push([i, j]);
      } else if (segmentsTouch(ring[i], ring[i + 1], ring[j], ring[j + 1])) hits.push([i, j]);
    }
  }
  return hits;
}

/**
 * Pairs of shapes whose interiors overlap by more than `maxArea` (in squared coordinate units),
 * with the overlap area; bounding boxes prefilter the pairs through a Flatbush index.
 */
export function overlappingPairs(shapes: MultiPolygon[], maxArea: number): { i: number; j: number; area: number }[] {
  const index = new Flatbush(Math.max(1, shapes.length));
  const boxes = shapes.map((s) => boxOf(s));
  for (const b of boxes) index.add(b[0], b[1], b[2], b[3]);
  if (shapes.length === 0) index.add(0, 0, 0, 0);
  index.finish();
  const found: { i: number; j: number; area: number }[] = [];
  boxes.forEach((b, i) => {
    for (const j of index.search(b[0], b[1], b[2], b[3])) {
      if (j <= i) continue;
      const area = multiPolygonArea(pc.intersection(shapes[i], shapes[j]));
      if (area > maxArea) found.push({ i, j, area });
    }
  });
  return found;
}
