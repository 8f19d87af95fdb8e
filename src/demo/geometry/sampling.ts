import type { MultiPolygon, Pair } from 'polygon-clipping';
import { boxOf, containsPoint, distance } from './planar.js';
import type { Rng } from './rng.js';

const MAX_REJECTIONS = 10_000;

/**
 * Draws `count` points uniformly inside `area`, keeping each with probability `keep(point)`
 * (a density bias). Throws when the area is too thin to hit, which means a layout bug upstream.
 */
export function drawPool(rng: Rng, area: MultiPolygon, count: number, keep: (p: Pair) => number = () => 1): Pair[] {
  const [minX, minY, maxX, maxY] = boxOf(area);
  const pool: Pair[] = [];
  let misses = 0;
  while (pool.length < count) {
    const p: Pair = [minX + rng.next() * (maxX - minX), minY + rng.next() * (maxY - minY)];
    if (containsPoint(area, p) && rng.next() < keep(p)) {
      pool.push(p);
      misses = 0;
    } else if (++misses > MAX_REJECTIONS) {
      throw new Error(`cannot sample inside area with box ${[minX, minY, maxX, maxY].join(',')}`);
    }
  }
  return pool;
}

/**
 * Mitchell's best-candidate sampling: picks `count` points from `pool`, each the best of `k`
 * random candidates by distance to the points already placed (including `avoid`), which spaces
 * seeds evenly without the cost of relaxation. Points may repeat only if the pool is exhausted.
 */
export function spreadPoints(rng: Rng, pool: Pair[], count: number, avoid: Pair[] = [], k = 12): Pair[] {
  if (count === 0) return [];
  if (pool.length === 0) throw new Error('cannot spread points over an empty pool');
  const placed: Pair[] = [];
  const taken = new Set<number>();
  for (let n = 0; n < count; n++) {
    let best = -1;
    let bestScore = -1;
    for (let c = 0; c < k; c++) {
      const i = Math.floor(rng.next() * pool.length);
      if (taken.has(i) && taken.size < pool.length) continue;
      let score = Infinity;
      for (const q of placed) score = Math.min(score, distance(pool[i], q));
      for (const q of avoid) score = Math.min(score, distance(pool[i], q));
      if (score > bestScore) {
        bestScore = score;
        best = i;
      }
    }
    if (best < 0) best = pool.findIndex((_, i) => !taken.has(i));
    taken.add(best);
    placed.push(pool[best]);
  }
  return placed;
}
