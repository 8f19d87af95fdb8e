import type { Polygons, Position, Ring } from './geometry.js';

/** A synthetic tiling: cells share their edges exactly, so they never overlap. */
export interface LatticeOptions {
  rows: number;
  cols: number;
  /** South-west corner [lon, lat] of the undisturbed lattice. */
  origin: Position;
  /** Cell size in degrees. */
  cellDeg: number;
  /** Corner displacement as a fraction of the cell, below 0.25 (keeps cells simple). */
  jitter: number;
  /** Extra vertices on every edge, wiggled sideways (shared by both neighbours). */
  edgeVertices: number;
  /** Every n-th cell gets a diamond hole around its middle (0: none). */
  holeEvery: number;
  seed: number;
}

export interface LatticeCell {
  code: string;
  row: number;
  col: number;
  polygons: Polygons;
}

/** mulberry32: a small deterministic PRNG for repeatable fixtures and benchmarks. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Points strictly between p and q, each pushed sideways by up to `wiggle` degrees. */
function edgePoints(p: Position, q: Position, count: number, wiggle: number, rand: () => number): Position[] {
  const [dx, dy] = [q[0] - p[0], q[1] - p[1]];
  const len = Math.hypot(dx, dy);
  return Array.from({ length: count }, (_, i) => {
    const t = (i + 1) / (count + 1);
    const side = (rand() * 2 - 1) * wiggle;
    return [p[0] + t * dx - (dy / len) * side, p[1] + t * dy + (dx / len) * side];
  });
}

/**
 * A jittered rows × cols lattice of grid polygons, numbered row by row from the south-west
 * (codes are 6-digit ordinals). Deterministic for a seed. Used by the benchmark and tests.
 */
export function syntheticLattice(o: LatticeOptions): LatticeCell[] {
  const rand = seededRandom(o.seed);
  const jit = () => (rand() * 2 - 1) * o.jitter * o.cellDeg;
  const corner: Position[][] = Array.from({ length: o.rows + 1 }, (_, r) =>
    Array.from({ length: o.cols + 1 }, (_, c) => [o.origin[0] + c * o.cellDeg + jit(), o.origin[1] + r * o.cellDeg + jit()] as Position));
  const wiggle = 0.06 * o.cellDeg;
  // Edge vertices listed from the lower-numbered corner, shared by the cells on both sides.
  const horizontal = corner.map((row) => row.slice(0, -1).map((p, c) => edgePoints(p, row[c + 1], o.edgeVertices, wiggle, rand)));
  const vertical = corner.slice(0, -1).map((row, r) => row.map((p, c) => edgePoints(p, corner[r + 1][c], o.edgeVertices, wiggle, rand)));
  const cells: LatticeCell[] = [];
  for (let r = 0; r < o.rows; r++) {
    for (let c = 0; c < o.cols; c++) {
      const outer: Ring = [
        corner[r][c], ...horizontal[r][c],
        corner[r][c + 1], ...vertical[r][c + 1],
        corner[r + 1][c + 1], ...[...horizontal[r + 1][c]].reverse(),
        corner[r + 1][c], ...[...vertical[r][c]].reverse(),
        corner[r][c],
      ];
      const index = r * o.cols + c;
      const rings: Ring[] = [outer];
      if (o.holeEvery > 0 && index % o.holeEvery === o.holeEvery - 1) {
        const [mx, my] = [o.origin[0] + (c + 0.5) * o.cellDeg, o.origin[1] + (r + 0.5) * o.cellDeg];
        const h = 0.12 * o.cellDeg;
        rings.push([[mx, my - h], [mx - h, my], [mx, my + h], [mx + h, my], [mx, my - h]]);
      }
      cells.push({ code: String(index).padStart(6, '0'), row: r, col: c, polygons: [rings] });
    }
  }
  return cells;
}
