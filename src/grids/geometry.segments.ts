import type { Ring } from './geometry.js';

/** How two segments meet: not at all, at one point without crossing, crossing, or along a stretch. */
export type SegmentRelation = 'none' | 'touch' | 'cross' | 'overlap';

/** Where rings of one feature meet in a way a valid polygon forbids. */
export interface RingClash {
  ringA: number;
  ringB: number;
  kind: 'self' | 'between';
}

const orient = (ax: number, ay: number, bx: number, by: number, cx: number, cy: number) => (bx - ax) * (cy - ay) - (by - ay) * (cx - ax);

const within = (a: number, b: number, v: number) => (a <= b ? a <= v && v <= b : b <= v && v <= a);

/** The relation of segment ab to segment cd (exact sign tests on the coordinates as given). */
export function segmentRelation(ax: number, ay: number, bx: number, by: number, cx: number, cy: number, dx: number, dy: number): SegmentRelation {
  const d1 = orient(cx, cy, dx, dy, ax, ay);
  const d2 = orient(cx, cy, dx, dy, bx, by);
  const d3 = orient(ax, ay, bx, by, cx, cy);
  const d4 = orient(ax, ay, bx, by, dx, dy);
  if (((d1 > 0 && d2 < 0) || (d1 < 0 && d2 > 0)) && ((d3 > 0 && d4 < 0) || (d3 < 0 && d4 > 0))) return 'cross';
  if (d1 === 0 && d2 === 0 && d3 === 0 && d4 === 0) {
    // Collinear: compare the projections on the dominant axis.
    const useX = Math.abs(bx - ax) + Math.abs(dx - cx) >= Math.abs(by - ay) + Math.abs(dy - cy);
    const [a0, a1] = useX ? [Math.min(ax, bx), Math.max(ax, bx)] : [Math.min(ay, by), Math.max(ay, by)];
    const [c0, c1] = useX ? [Math.min(cx, dx), Math.max(cx, dx)] : [Math.min(cy, dy), Math.max(cy, dy)];
    const length = Math.min(a1, c1) - Math.max(a0, c0);
    return length > 0 ? 'overlap' : length === 0 ? 'touch' : 'none';
  }
  const touches =
    (d1 === 0 && within(cx, dx, ax) && within(cy, dy, ay)) ||
    (d2 === 0 && within(cx, dx, bx) && within(cy, dy, by)) ||
    (d3 === 0 && within(ax, bx, cx) && within(ay, by, cy)) ||
    (d4 === 0 && within(ax, bx, dx) && within(ay, by, dy));
  return touches ? 'touch' : 'none';
}

interface Segments {
  xy: Float64Array;
  ring: Int32Array;
  seg: Int32Array;
  ringSize: number[];
}

function collectSegments(rings: Ring[]): Segments {
  const total = rings.reduce((n, r) => n + r.length - 1, 0);
  const s: Segments = { xy: new Float64Array(total * 4), ring: new Int32Array(total), seg: new Int32Array(total), ringSize: rings.map((r) => r.length - 1) };
  let k = 0;
  rings.forEach((r, ri) => {
    for (let i = 0; i < r.length - 1; i++, k++) {
      s.xy[k * 4] = r[i][0];
      s.xy[k * 4 + 1] = r[i][1];
      s.xy[k * 4 + 2] = r[i + 1][0];
      s.xy[k * 4 + 3] = r[i + 1][1];
      s.ring[k] = ri;
      s.seg[k] = i;
    }
  });
  return s;
}

/** Whether a meeting of segments i and j of one ring is allowed: neighbours may share their common vertex. */
function allowedWithinRing(rel: SegmentRelation, i: number, j: number, size: number): boolean {
  const adjacent = Math.abs(i - j) === 1 || Math.abs(i - j) === size - 1;
  return adjacent ? rel !== 'overlap' : false;
}

/**
 * Finds rings of one feature that cross themselves (any meeting of non-adjacent segments, or
 * adjacent ones doubling back) or cross each other (a proper crossing or a shared stretch; rings
 * touching at single points are allowed, as in OGC simple features). Sort-and-sweep on
 * longitude, so typical rings cost O(n log n). Each ring pair is reported once.
 */
export function findRingClashes(rings: Ring[]): RingClash[] {
  const s = collectSegments(rings);
  const n = s.ring.length;
  const minX = new Float64Array(n);
  const maxX = new Float64Array(n);
  for (let k = 0; k < n; k++) {
    minX[k] = Math.min(s.xy[k * 4], s.xy[k * 4 + 2]);
    maxX[k] = Math.max(s.xy[k * 4], s.xy[k * 4 + 2]);
  }
  const order = Array.from({ length: n }, (_, k) => k).sort((a, b) => minX[a] - minX[b]);
  const seen = new Set<number>();
  const ringCount = rings.length;
  const clashes: RingClash[] = [];
  let active: number[] = [];
  for (const k of order) {
    const x0 = minX[k];
    active = active.filter((a) => maxX[a] >= x0);
    for (const a of active) {
      const pair = Math.min(s.ring[a], s.ring[k]) * ringCount + Math.max(s.ring[a], s.ring[k]);
      if (seen.has(pair)) continue;
      const rel = segmentRelation(s.xy[a * 4], s.xy[a * 4 + 1], s.xy[a * 4 + 2], s.xy[a * 4 + 3], s.xy[k * 4], s.xy[k * 4 + 1], s.xy[k * 4 + 2], s.xy[k * 4 + 3]);
      if (rel === 'none') continue;
      const sameRing = s.ring[a] === s.ring[k];
      const bad = sameRing ? !allowedWithinRing(rel, s.seg[a], s.seg[k], s.ringSize[s.ring[k]]) : rel === 'cross' || rel === 'overlap';
      if (!bad) continue;
      seen.add(pair);
      clashes.push({ ringA: Math.min(s.ring[a], s.ring[k]), ringB: Math.max(s.ring[a], s.ring[k]), kind: sameRing ? 'self' : 'between' });
    }
    active.push(k);
  }
  return clashes.sort((p, q) => p.ringA - q.ringA || p.ringB - q.ringB);
}
