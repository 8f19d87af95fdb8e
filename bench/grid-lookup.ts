// `npm run bench -- grid-lookup`: point-in-grid lookups/s of GridIndex against a linear scan with
// @turf/boolean-point-in-polygon, measured in the same run on the same grids and points.
import booleanPointInPolygon from '@turf/boolean-point-in-polygon';
import type { Feature, Polygon } from 'geojson';
import { GridIndex } from '../src/grids/grid.index.js';
import { seededRandom, syntheticLattice } from '../src/grids/grid.synthetic.js';

const ROWS = 100;
const COLS = 100;
const CELL_DEG = 0.003; // ≈ 260 m × 330 m cells, a typical urban unit grid
const ORIGIN: [number, number] = [106.7, 39.5];
const QUERIES = 2_000_000;
const ROUNDS = 5;
const BASELINE_QUERIES = 300;

const cells = syntheticLattice({ rows: ROWS, cols: COLS, origin: ORIGIN, cellDeg: CELL_DEG, jitter: 0.2, edgeVertices: 2, holeEvery: 7, seed: 20261126 });
const vertices = cells.reduce((n, c) => n + c.polygons[0].reduce((m, r) => m + r.length - 1, 0), 0);
const holes = cells.filter((c) => c.polygons[0].length > 1).length;

// Queries cover the lattice plus a 5% margin on every side, so some fall outside or in holes.
const rand = seededRandom(7);
const [w, h] = [COLS * CELL_DEG, ROWS * CELL_DEG];
const xs = new Float64Array(QUERIES);
const ys = new Float64Array(QUERIES);
for (let i = 0; i < QUERIES; i++) {
  xs[i] = ORIGIN[0] - 0.05 * w + rand() * 1.1 * w;
  ys[i] = ORIGIN[1] - 0.05 * h + rand() * 1.1 * h;
}

console.log('grid-lookup: which grid contains a point (closed polygons, holes, smallest code on shared edges)');
console.log(`inputs: ${cells.length} grids (jittered ${ROWS}×${COLS} lattice, ${CELL_DEG}° cells, non-axis-aligned edges), ${vertices} vertices (${(vertices / cells.length).toFixed(1)}/grid), ${holes} grids with a hole`);
console.log(`        ${QUERIES} uniform random points over the lattice + 5% margin (seeded), ${ROUNDS} timed rounds after a warm-up`);

let t0 = performance.now();
const index = GridIndex.build(cells);
console.log(`GridIndex.build: ${(performance.now() - t0).toFixed(1)} ms`);

/**
 * Runs `fn` and returns its CPU time (user + system, ms) next to its wall time. Rates are per CPU
 * second, i.e. per core: on a shared machine wall time also counts waiting for a core.
 */
function timed<T>(fn: () => T): { value: T; cpuMs: number; wallMs: number } {
  const cpu = process.cpuUsage();
  const wall = performance.now();
  const value = fn();
  const used = process.cpuUsage(cpu);
  return { value, cpuMs: (used.user + used.system) / 1000, wallMs: performance.now() - wall };
}

function indexRound(): number {
  let inside = 0;
  for (let i = 0; i < QUERIES; i++) if (index.containing(xs[i], ys[i]) >= 0) inside++;
  return inside;
}

indexRound(); // warm-up: let the JIT settle
const rounds = Array.from({ length: ROUNDS }, () => timed(indexRound)).sort((a, b) => a.cpuMs - b.cpuMs);
const median = rounds[Math.floor(ROUNDS / 2)];
const lookupsPerSec = QUERIES / (median.cpuMs / 1000);
console.log(`GridIndex: median ${median.cpuMs.toFixed(1)} ms CPU (${median.wallMs.toFixed(1)} ms wall) per ${QUERIES} lookups; rounds ${rounds.map((r) => r.cpuMs.toFixed(0)).join(', ')} ms CPU; ${median.value} points inside a grid`);
console.log(`           ${Math.round(lookupsPerSec)} lookups per CPU second (${Math.round(QUERIES / (median.wallMs / 1000))} per wall second)`);

// Baseline: scan every grid in code order with turf and stop at the first that contains the point,
// which is the smallest code among those containing it, i.e. the same answer the index gives.
const features: Feature<Polygon>[] = cells.map((c) => ({ type: 'Feature', properties: { code: c.code }, geometry: { type: 'Polygon', coordinates: c.polygons[0] } }));
function linearScan(x: number, y: number): number {
  for (let g = 0; g < features.length; g++) if (booleanPointInPolygon([x, y], features[g])) return g;
  return -1;
}
const step = Math.floor(QUERIES / BASELINE_QUERIES);
const sample = Array.from({ length: BASELINE_QUERIES }, (_, k) => k * step);
for (let k = 0; k < 20; k++) linearScan(xs[sample[k]], ys[sample[k]]);
const baseline = timed(() => sample.map((i) => linearScan(xs[i], ys[i])));
const expected = baseline.value;
const baselinePerSec = BASELINE_QUERIES / (baseline.cpuMs / 1000);
console.log(`turf linear scan: ${baseline.cpuMs.toFixed(1)} ms CPU (${baseline.wallMs.toFixed(1)} ms wall) for ${BASELINE_QUERIES} of the same points → ${baselinePerSec.toFixed(1)} lookups per CPU second`);

// Codes are the lattice ordinals, so the scan's position is the index's ordinal.
const mismatches = sample.filter((i, k) => index.containing(xs[i], ys[i]) !== expected[k]).length;
console.log(`agreement on the baseline sample: ${BASELINE_QUERIES - mismatches}/${BASELINE_QUERIES}`);
if (mismatches > 0) {
  console.error('GridIndex and the turf scan disagree');
  process.exitCode = 1;
}

const ratio = lookupsPerSec / baselinePerSec;
console.log(`ratio: ${ratio.toFixed(0)}× (target ≥ 1,000,000 lookups/s and ≥ 100×)`);
console.log(JSON.stringify({ bench: 'grid-lookup', lookupsPerSec: Math.round(lookupsPerSec), baselinePerSec: Math.round(baselinePerSec * 10) / 10, ratio: Math.round(ratio) }));
