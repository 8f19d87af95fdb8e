import Flatbush from 'flatbush';
import type { MultiPolygon, Pair } from 'polygon-clipping';
import { signedRingArea } from './planar.js';

/**
 * Snap-rounds a set of polygon layers together so that they stay a valid, gap- and
 * overlap-free mosaic after their coordinates are rounded:
 * 1. vertices closer than `tolerance` become one shared vertex (the first seen wins, so pass
 *    coarse layers first);
 * 2. every vertex lying within `tolerance` of another ring's edge is inserted into that edge,
 *    which removes T-junctions left by clipping children against their parent;
 * 3. shared vertices are rounded once, so neighbours keep bit-identical boundaries.
 * Rings come back closed, exteriors counter-clockwise and holes clockwise (RFC 7946).
 */
export function snapRound(layers: MultiPolygon[], tolerance: number, decimals: number): MultiPolygon[] {
  const table = new VertexTable(tolerance);
  const idLayers = layers.map((mp) => mp.map((poly) => poly.map((ring) => cleanRing(ring.map(([x, y]) => table.idOf(x, y))))));
  const splitter = new EdgeSplitter(table, tolerance);
  const rings = idLayers.flatMap((mp) => mp.flat());
  for (let pass = 0, changed = true; changed && pass < 6; pass++) {
    changed = false;
    for (const ring of rings) {
      const split = cleanRing(ring.flatMap((a, i) => [a, ...splitter.between(a, ring[(i + 1) % ring.length])]));
      if (split.length !== ring.length || split.some((id, i) => id !== ring[i])) changed = true;
      ring.splice(0, ring.length, ...split);
    }
  }
  const scale = Number(`1e${decimals}`);
  const round = (v: number) => Math.round(v * scale) / scale;
  const coords = table.xs.map((x, i): Pair => [round(x), round(table.ys[i])]);
  return idLayers.map((mp) => mp.flatMap((poly) => {
    const exterior = toCoordinates(poly[0], coords);
    if (exterior.length < 4) return [];
    const holes = poly.slice(1).map((ring) => toCoordinates(ring, coords)).filter((ring) => ring.length >= 4);
    return [[orient(exterior, true), ...holes.map((ring) => orient(ring, false))]];
  }));
}

class VertexTable {
  readonly xs: number[] = [];
  readonly ys: number[] = [];
  private readonly buckets = new Map<string, number[]>();

  constructor(private readonly tolerance: number) {}

  idOf(x: number, y: number): number {
    const bx = Math.floor(x / this.tolerance);
    const by = Math.floor(y / this.tolerance);
    let found = -1;
    for (let dx = -1; dx <= 1; dx++) {
      for (let dy = -1; dy <= 1; dy++) {
        for (const id of this.buckets.get(`${bx + dx},${by + dy}`) ?? []) {
          const ex = this.xs[id] - x;
          const ey = this.ys[id] - y;
          if (ex * ex + ey * ey <= this.tolerance * this.tolerance && (found < 0 || id < found)) found = id;
        }
      }
    }
    if (found >= 0) return found;
    const id = this.xs.push(x) - 1;
    this.ys.push(y);
    const key = `${bx},${by}`;
    const bucket = this.buckets.get(key);
    if (bucket) bucket.push(id);
    else this.buckets.set(key, [id]);
    return id;
  }
}

/** Finds, once per undirected edge, the shared vertices that lie on it. */
class EdgeSplitter {
  private readonly index: Flatbush;
  private readonly memo = new Map<string, number[]>();

  constructor(private readonly table: VertexTable, private readonly tolerance: number) {
    this.index = new Flatbush(Math.max(1, table.xs.length));
    table.xs.forEach((x, i) => this.index.add(x, table.ys[i], x, table.ys[i]));
    if (table.xs.length === 0) this.index.add(0, 0, 0, 0);
    this.index.finish();
  }

  /** Vertices strictly between a and b, in order from a to b. */
  between(a: number, b: number): number[] {
    const lo = Math.min(a, b);
    const hi = Math.max(a, b);
    const key = `${lo},${hi}`;
    let inner = this.memo.get(key);
    if (!inner) {
      inner = this.onSegment(lo, hi);
      this.memo.set(key, inner);
    }
    return a === lo ? inner : [...inner].reverse();
  }

  private onSegment(lo: number, hi: number): number[] {
    const { xs, ys } = this.table;
    const tol = this.tolerance;
    const ax = xs[lo];
    const ay = ys[lo];
    const dx = xs[hi] - ax;
    const dy = ys[hi] - ay;
    const len2 = dx * dx + dy * dy;
    const hits: { id: number; t: number }[] = [];
    const candidates = this.index.search(Math.min(ax, xs[hi]) - tol, Math.min(ay, ys[hi]) - tol, Math.max(ax, xs[hi]) + tol, Math.max(ay, ys[hi]) + tol);
    for (const id of candidates) {
      if (id === lo || id === hi || len2 === 0) continue;
      const t = ((xs[id] - ax) * dx + (ys[id] - ay) * dy) / len2;
      if (t <= 0 || t >= 1) continue;
      const ex = ax + t * dx - xs[id];
      const ey = ay + t * dy - ys[id];
      if (ex * ex + ey * ey <= tol * tol) hits.push({ id, t });
    }
    return hits.sort((p, q) => p.t - q.t || p.id - q.id).map((h) => h.id);
  }
}

/** Drops repeated vertices and zero-width spikes (a, b, a) from an open ring of vertex ids. */
function cleanRing(ids: number[]): number[] {
  let ring = ids.filter((id, i) => id !== ids[(i + 1) % ids.length]);
  for (;;) {
    const n = ring.length;
    if (n < 3) return ring;
    const tip = ring.findIndex((_, k) => ring[(k + n - 1) % n] === ring[(k + 1) % n]);
    if (tip < 0) return ring;
    const after = (tip + 1) % n;
    ring = ring.filter((_, k) => k !== tip && k !== after);
  }
}

function toCoordinates(ring: number[], coords: Pair[]): Pair[] {
  if (ring.length < 3) return [];
  const out = ring.map((id): Pair => [coords[id][0], coords[id][1]]);
  out.push([out[0][0], out[0][1]]);
  return out;
}

function orient(ring: Pair[], exterior: boolean): Pair[] {
  const ccw = signedRingArea(ring) > 0;
  return ccw === exterior ? ring : [...ring].reverse();
}
