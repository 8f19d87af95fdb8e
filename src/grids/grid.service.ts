import type { Ctx } from '../context.js';
import { getOrgUnitInScope } from '../org/org.service.js';
import { gridRepository, type GridShapeRow } from './grid.repository.js';

/**
 * Grids with their shapes inside the actor's area, or under `parent` (which must be inside it),
 * ordered by code. Throws org_unit_not_found for a parent outside the area.
 */
export async function listGridShapes(ctx: Ctx, parent?: string): Promise<GridShapeRow[]> {
  const scopePath = parent ? (await getOrgUnitInScope(ctx, parent)).path : ctx.actor.orgPath;
  return gridRepository.listShapes(ctx.db, scopePath);
}
