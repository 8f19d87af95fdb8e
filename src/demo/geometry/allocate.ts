import { GRID_RANGE, type CommunityKind } from './classify.js';

/** One community's claim on the grid budget. */
export interface GridClaim {
  kind: CommunityKind;
  /** Relative share of the grids above the kind's minimum (denser communities weigh more). */
  weight: number;
}

/**
 * Splits `target` grids over communities: each starts at its kind's minimum, the rest is shared
 * in proportion to weight without exceeding the kind's maximum (water-filling), and rounding
 * leftovers go to the largest remainders. The total equals `target` whenever the ranges allow it;
 * otherwise every community sits at its minimum (or maximum).
 */
export function allocateGrids(claims: GridClaim[], target: number): number[] {
  const mins = claims.map((c) => GRID_RANGE[c.kind][0]);
  const caps = claims.map((c) => GRID_RANGE[c.kind][1] - GRID_RANGE[c.kind][0]);
  const extra = claims.map(() => 0);
  let left = Math.max(0, target - mins.reduce((a, b) => a + b, 0));
  let open = claims.map((_, i) => i).filter((i) => caps[i] > 0);
  while (open.length > 0 && left > 0) {
    const total = open.reduce((sum, i) => sum + claims[i].weight, 0);
    const full = open.filter((i) => (left * claims[i].weight) / total >= caps[i]);
    if (full.length === 0) {
      for (const i of open) extra[i] = (left * claims[i].weight) / total;
      break;
    }
    for (const i of full) {
      extra[i] = caps[i];
      left -= caps[i];
    }
    open = open.filter((i) => !full.includes(i));
  }
  const counts = mins.map((m, i) => m + Math.floor(extra[i]));
  let shortfall = Math.min(target, mins.reduce((a, m, i) => a + m + caps[i], 0)) - counts.reduce((a, b) => a + b, 0);
  const byRemainder = claims
    .map((_, i) => i)
    .sort((a, b) => (extra[b] % 1) - (extra[a] % 1) || a - b);
  for (const i of byRemainder) {
    if (shortfall <= 0) break;
    if (counts[i] < mins[i] + caps[i]) {
      counts[i]++;
      shortfall--;
    }
  }
  return counts;
}
