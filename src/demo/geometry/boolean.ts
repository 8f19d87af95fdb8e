import pc, { type MultiPolygon, type Pair, type Polygon } from 'polygon-clipping';

type Geom = Polygon | MultiPolygon;
type Op = 'intersection' | 'union' | 'difference';

const QUANTUM = 1e-7;

function quantise(g: Geom): Geom {
  const isMulti = Array.isArray(g[0][0][0]);
  const polys = (isMulti ? g : [g]) as MultiPolygon;
  return polys.map((poly) => poly.map((ring) => ring.map(([x, y]): Pair => [Math.round(x / QUANTUM) * QUANTUM, Math.round(y / QUANTUM) * QUANTUM])));
}

/**
 * Runs a polygon-clipping operation; if the sweep line trips over near-coincident vertices
 * (its known "Unable to complete output ring" failure), retries once with every coordinate
 * snapped to 1e-7 plane units (0.1 mm), which merges the near-duplicates. Throws if both fail.
 */
export function clip(op: Op, subject: Geom, ...others: Geom[]): MultiPolygon {
  try {
    return pc[op](subject, ...others);
  } catch {
    return pc[op](quantise(subject), ...others.map(quantise));
  }
}
