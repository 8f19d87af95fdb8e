import Flatbush from 'flatbush';
import { METRES_PER_DEGREE, segmentDistanceSq, type Polygons } from './geometry.js';

/** A shape to index: a code and its polygons (rings closed, as validated). */
export interface IndexedShape {
  code: string;
  polygons: Polygons;
}

/** A point within this distance (degrees, ≈0.1 mm) of an edge is on the boundary. */
export const EDGE_EPSILON_DEG = 1e-9;
const EPS = EDGE_EPSILON_DEG;
const EPS2 = EPS * EPS;

// Small nodes suit point queries: fewer box tests per level (measured ~15% faster than flatbush's default 16).
const NODE_SIZE = 4;
const OUTSIDE = 0;
const INSIDE = 1;
const BOUNDARY = 2;

/**
 * Static point locator over grid polygons: a flatbush R-tree over grid bounding boxes, then an
 * exact even-odd ray cast over the rings (holes included) stored in flat Float64Arrays. Lookups
 * allocate nothing.
 *
 * Shared-edge rule: containment is closed (a point on a grid's boundary, within
 * EDGE_EPSILON_DEG of an edge, is in that grid). When several grids contain a point — it lies on
 * an edge or vertex they share — the grid with the smallest code wins. Away from boundaries the
 * ray cast orders each edge's endpoints by latitude first, so two grids sharing an edge compute
 * the identical crossing and a point near it falls in exactly one of them.
 */
export class GridIndex {
  readonly size: number;
  private readonly codes: string[];
  private readonly xy: Float64Array;
  /** Vertex offset of each ring (rings stored without the closing vertex); length rings + 1. */
  private readonly ringStart: Uint32Array;
  /** First ring of each grid (ordinal = position in code order); length size + 1. */
  private readonly gridRing: Uint32Array;
  // The flatbush tree's packed arrays, held directly for the hot loop (see search).
  private readonly boxes: Float64Array;
  private readonly nodes: Uint16Array | Uint32Array;
  private readonly levelBounds: number[];
  private readonly found: Int32Array;
  private readonly stack: Int32Array;

  private constructor(shapes: IndexedShape[]) {
    const sorted = [...shapes].sort((a, b) => (a.code < b.code ? -1 : a.code > b.code ? 1 : 0));
    this.size = sorted.length;
    this.codes = sorted.map((s) => s.code);
    const rings = sorted.flatMap((s) => s.polygons.flat());
    const vertices = rings.reduce((n, r) => n + r.length - 1, 0);
    this.xy = new Float64Array(vertices * 2);
    this.ringStart = new Uint32Array(rings.length + 1);
    this.gridRing = new Uint32Array(this.size + 1);
    let v = 0;
    rings.forEach((ring, r) => {
      this.ringStart[r] = v;
      for (let i = 0; i < ring.length - 1; i++, v++) [this.xy[2 * v], this.xy[2 * v + 1]] = ring[i];
    });
    this.ringStart[rings.length] = v;
    sorted.forEach((s, g) => (this.gridRing[g + 1] = this.gridRing[g] + s.polygons.reduce((n, p) => n + p.length, 0)));
    const tree = this.size > 0 ? this.buildTree() : null;
    // Built with the default Float64Array coordinates, so the box array is a Float64Array.
    this.boxes = (tree?._boxes ?? new Float64Array(0)) as Float64Array;
    this.nodes = tree?._indices ?? new Uint16Array(0);
    this.levelBounds = tree?._levelBounds ?? [];
    this.found = new Int32Array(Math.max(1, this.size));
    this.stack = new Int32Array((this.levelBounds.length + 1) * NODE_SIZE * 2);
  }

  /** Builds the index; grids are numbered (ordinals) in code order. */
  static build(shapes: IndexedShape[]): GridIndex {
    return new GridIndex(shapes);
  }

  private buildTree(): Flatbush {
    const tree = new Flatbush(this.size, NODE_SIZE);
    for (let g = 0; g < this.size; g++) {
      let [minX, minY, maxX, maxY] = [Infinity, Infinity, -Infinity, -Infinity];
      for (let v = this.ringStart[this.gridRing[g]]; v < this.ringStart[this.gridRing[g + 1]]; v++) {
        const x = this.xy[2 * v];
        const y = this.xy[2 * v + 1];
        if (x < minX) minX = x;
        if (y < minY) minY = y;
        if (x > maxX) maxX = x;
        if (y > maxY) maxY = y;
      }
      // Widened by the edge tolerance so that boundary points still find their grid.
      tree.add(minX - EPS, minY - EPS, maxX + EPS, maxY + EPS);
    }
    tree.finish();
    return tree;
  }

  /** The code of the grid with this ordinal. */
  code(ordinal: number): string {
    return this.codes[ordinal];
  }

  /**
   * Ordinals of grids whose box meets the query box, written to `this.found`; returns how many.
   * Walks flatbush's packed arrays (its documented serialisation layout) with a preallocated stack,
   * because Flatbush#search allocates its queue and result arrays on every call.
   */
  private search(minX: number, minY: number, maxX: number, maxY: number): number {
    if (this.size === 0) return 0;
    const boxes = this.boxes;
    const indices = this.nodes;
    const bounds = this.levelBounds;
    const nodeSize = NODE_SIZE;
    const leaves = this.size * 4;
    const stack = this.stack;
    let sp = 0;
    let n = 0;
    stack[sp++] = boxes.length - 4;
    stack[sp++] = bounds.length - 1;
    while (sp > 0) {
      const level = stack[--sp];
      const node = stack[--sp];
      const end = node + nodeSize * 4 < bounds[level] ? node + nodeSize * 4 : bounds[level];
      if (node >= leaves) {
        for (let pos = node; pos < end; pos += 4) {
          if (maxX < boxes[pos] || maxY < boxes[pos + 1] || minX > boxes[pos + 2] || minY > boxes[pos + 3]) continue;
          stack[sp++] = indices[pos >> 2];
          stack[sp++] = level - 1;
        }
      } else {
        for (let pos = node; pos < end; pos += 4) {
          if (maxX < boxes[pos] || maxY < boxes[pos + 1] || minX > boxes[pos + 2] || minY > boxes[pos + 3]) continue;
          this.found[n++] = indices[pos >> 2];
        }
      }
    }
    return n;
  }

  /** OUTSIDE, INSIDE or BOUNDARY of grid `g` for the point (x, y). */
  private classify(g: number, x: number, y: number): number {
    const xy = this.xy;
    let inside = false;
    for (let r = this.gridRing[g], rEnd = this.gridRing[g + 1]; r < rEnd; r++) {
      const s = this.ringStart[r];
      const e = this.ringStart[r + 1];
      let xj = xy[2 * e - 2];
      let yj = xy[2 * e - 1];
      for (let i = s; i < e; i++) {
        const xi = xy[2 * i];
        const yi = xy[2 * i + 1];
        if (!((yi > y + EPS && yj > y + EPS) || (yi < y - EPS && yj < y - EPS))) {
          if (nearSegment(x, y, xj, yj, xi, yi)) return BOUNDARY;
          if (yi > y !== yj > y) {
            const xCross = yi < yj ? xi + ((y - yi) * (xj - xi)) / (yj - yi) : xj + ((y - yj) * (xi - xj)) / (yi - yj);
            if (x < xCross) inside = !inside;
          }
        }
        xj = xi;
        yj = yi;
      }
    }
    return inside ? INSIDE : OUTSIDE;
  }

  /** The ordinal of the grid containing (lon, lat) under the shared-edge rule, or -1. Allocation-free. */
  containing(lon: number, lat: number): number {
    const n = this.search(lon, lat, lon, lat);
    let best = -1;
    for (let k = 0; k < n; k++) {
      const g = this.found[k];
      if ((best < 0 || g < best) && this.classify(g, lon, lat) !== OUTSIDE) best = g;
    }
    return best;
  }

  /**
   * The grid whose boundary is nearest to (lon, lat) within `maxMetres` (point-to-segment
   * distance, local equirectangular projection at the point's latitude); ties go to the smaller
   * code. Meant for points outside every grid; null when none is that close.
   */
  nearest(lon: number, lat: number, maxMetres: number): { ordinal: number; metres: number } | null {
    if (!(maxMetres > 0)) return null;
    const kx = Math.cos((lat * Math.PI) / 180) * METRES_PER_DEGREE;
    const dLat = maxMetres / METRES_PER_DEGREE;
    const dLon = kx > maxMetres / 180 ? maxMetres / kx : 360;
    const n = this.search(lon - dLon, lat - dLat, lon + dLon, lat + dLat);
    let best = -1;
    let bestSq = maxMetres * maxMetres;
    for (let k = 0; k < n; k++) {
      const g = this.found[k];
      const d = this.distanceSq(g, lon, lat, kx);
      if (d < bestSq || (d === bestSq && (best < 0 || g < best))) [best, bestSq] = [g, d];
    }
    return best < 0 ? null : { ordinal: best, metres: Math.sqrt(bestSq) };
  }

  /** Squared distance (m²) from the point to grid g's nearest edge. */
  private distanceSq(g: number, x: number, y: number, kx: number): number {
    const xy = this.xy;
    let best = Infinity;
    for (let r = this.gridRing[g]; r < this.gridRing[g + 1]; r++) {
      const s = this.ringStart[r];
      const e = this.ringStart[r + 1];
      for (let i = s, j = e - 1; i < e; j = i++) {
        const d = segmentDistanceSq(x, y, xy[2 * j], xy[2 * j + 1], xy[2 * i], xy[2 * i + 1], kx);
        if (d < best) best = d;
      }
    }
    return best;
  }
}

/** Whether (x, y) lies within EPS degrees of the segment a–b in the lon/lat plane. */
function nearSegment(x: number, y: number, ax: number, ay: number, bx: number, by: number): boolean {
  if ((x < ax - EPS && x < bx - EPS) || (x > ax + EPS && x > bx + EPS)) return false;
  const dx = bx - ax;
  const dy = by - ay;
  const len2 = dx * dx + dy * dy;
  let t = len2 > 0 ? ((x - ax) * dx + (y - ay) * dy) / len2 : 0;
  if (t < 0) t = 0;
  else if (t > 1) t = 1;
  const ex = x - ax - t * dx;
  const ey = y - ay - t * dy;
  return ex * ex + ey * ey <= EPS2;
}
