import Flatbush from 'flatbush';
import polygonClipping from 'polygon-clipping';
import { areaM2, pointInRings, type BBox, type Polygons } from './geometry.js';

export interface Shape {
  polygons: Polygons;
  bbox: BBox;
}

/** Two shapes overlapping by `areaM2`: `a` and `b` index the lists given to findOverlaps. */
export interface OverlapHit {
  a: number;
  b: number;
  areaM2: number;
}

function indexBoxes(shapes: Shape[]): Flatbush {
  const index = new Flatbush(shapes.length);
  for (const { bbox } of shapes) index.add(bbox.minLon, bbox.minLat, bbox.maxLon, bbox.maxLat);
  index.finish();
  return index;
}

// Boxes that only touch cannot overlap with positive area: grids sharing an edge are the common case.
const boxesOverlap = (p: BBox, q: BBox) => p.minLon < q.maxLon && q.minLon < p.maxLon && p.minLat < q.maxLat && q.minLat < p.maxLat;

const anyVertexIn = (p: Polygons, q: Polygons) => p.some((poly) => poly[0].some(([x, y]) => q.some((rings) => pointInRings(x, y, rings))));

/**
 * Area in m² shared by two valid shapes (0 when they only touch). If polygon-clipping gives up on
 * a numerically awkward pair, a vertex of one strictly inside the other counts as an overlap of
 * unknown (infinite) size, so that an overlap is never waved through.
 */
export function overlapAreaM2(p: Polygons, q: Polygons): number {
  try {
    const shared = polygonClipping.intersection(p, q);
    return shared.length === 0 ? 0 : areaM2(shared);
  } catch {
    return anyVertexIn(p, q) || anyVertexIn(q, p) ? Infinity : 0;
  }
}

/**
 * Pairs of shapes overlapping by more than `toleranceM2`: within `left` (each pair once, a < b)
 * when `right` is null, otherwise every left shape against every right shape. Candidate pairs
 * come from a flatbush bbox index; only those are clipped exactly (polygon-clipping).
 */
export function findOverlaps(left: Shape[], right: Shape[] | null, toleranceM2: number): OverlapHit[] {
  const others = right ?? left;
  if (left.length === 0 || others.length === 0) return [];
  const index = indexBoxes(others);
  const hits: OverlapHit[] = [];
  left.forEach((shape, a) => {
    const { minLon, minLat, maxLon, maxLat } = shape.bbox;
    for (const b of index.search(minLon, minLat, maxLon, maxLat).sort((x, y) => x - y)) {
      if ((right === null && b <= a) || !boxesOverlap(shape.bbox, others[b].bbox)) continue;
      const area = overlapAreaM2(shape.polygons, others[b].polygons);
      if (area > toleranceM2) hits.push({ a, b, areaM2: area });
    }
  });
  return hits;
}
