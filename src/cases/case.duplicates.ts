import type { Ctx } from '../context.js';
import type { CategoryRow } from '../catalogue/catalogue.repository.js';
import { METRES_PER_DEGREE } from '../grids/geometry.js';
import { caseRepository, type CaseRow } from './case.repository.js';
import { caseScopeFor } from './case.scope.js';
import { getWorkflow } from './workflow/index.js';

/** Great-circle distance in metres (haversine). */
export function distanceMetres(lon1: number, lat1: number, lon2: number, lat2: number): number {
  const r = (d: number) => (d * Math.PI) / 180;
  const a = Math.sin(r(lat2 - lat1) / 2) ** 2 + Math.cos(r(lat1)) * Math.cos(r(lat2)) * Math.sin(r(lon2 - lon1) / 2) ** 2;
  return 2 * 6_371_008.8 * Math.asin(Math.min(1, Math.sqrt(a)));
}

/**
 * Duplicate candidates of a case: not-closed cases of the same category within the category's
 * radius (metres) reported within its window (hours) before it, nearest first, within the actor's scope.
 */
export async function findDuplicates(ctx: Ctx, row: CaseRow, category: Pick<CategoryRow, 'duplicate_radius_m' | 'duplicate_window_h'>): Promise<CaseRow[]> {
  const radius = category.duplicate_radius_m;
  if (radius <= 0 || category.duplicate_window_h <= 0) return [];
  const dLat = radius / METRES_PER_DEGREE;
  const dLon = dLat / Math.max(0.01, Math.cos((row.lat * Math.PI) / 180));
  const def = getWorkflow(row.workflow);
  const terminal = Object.entries(def.states).filter(([, s]) => s.terminal).map(([k]) => k);
  const since = new Date(Date.parse(row.created_at) - category.duplicate_window_h * 3_600_000).toISOString();
  const candidates = await caseRepository.duplicateCandidates(ctx.db, {
    categoryCode: row.category_code, since, bbox: [row.lon - dLon, row.lat - dLat, row.lon + dLon, row.lat + dLat], excludeId: row.id, scope: caseScopeFor(ctx.actor), terminalStates: terminal,
  });
  return candidates
    .map((c) => ({ c, d: distanceMetres(row.lon, row.lat, c.lon, c.lat) }))
    .filter((x) => x.d <= radius && x.c.created_at <= row.created_at)
    .sort((a, b) => a.d - b.d)
    .map((x) => x.c);
}
