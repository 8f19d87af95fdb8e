import type { Ctx } from '../context.js';
import { AppError } from '../errors.js';
import { getOrgUnitInScope } from '../org/org.service.js';
import { patrolRepository, type TargetRow } from './patrol.repository.js';
import type { TargetGeometry } from './patrol.track.js';

export const TARGET_KINDS = ['grid', 'river', 'safety', 'route'] as const;
export type TargetKind = (typeof TARGET_KINDS)[number];

export interface TargetInput {
  code: string;
  kind: TargetKind;
  name: string;
  orgCode: string;
  geometry?: TargetGeometry | null;
  attributes?: Record<string, unknown>;
}

const inScope = (ctx: Ctx, path: string) => path.startsWith(ctx.actor.orgPath);

/** Checks a target geometry's shape: finite WGS84 positions, lines of two or more, closed rings. Throws invalid_geometry. */
export function checkTargetGeometry(g: TargetGeometry): void {
  const pos = (p: number[]) => p.length >= 2 && p[0] >= -180 && p[0] <= 180 && p[1] >= -90 && p[1] <= 90;
  const line = (l: number[][]) => l.length >= 2 && l.every(pos);
  const ring = (r: number[][]) => r.length >= 4 && r.every(pos) && r[0][0] === r[r.length - 1][0] && r[0][1] === r[r.length - 1][1];
  const ok =
    g.type === 'Point' ? pos(g.coordinates)
      : g.type === 'LineString' ? line(g.coordinates)
        : g.type === 'MultiLineString' ? g.coordinates.length > 0 && g.coordinates.every(line)
          : g.type === 'Polygon' ? g.coordinates.length > 0 && g.coordinates.every(ring)
            : g.coordinates.length > 0 && g.coordinates.every((p) => p.length > 0 && p.every(ring));
  if (!ok) throw new AppError('invalid_geometry', `the ${g.type} is not valid WGS84 GeoJSON (lines need two positions, rings must close)`, { field: 'geometry' });
}

/**
 * Adds a thing to look after (a grid, a river reach, a risk point, a route) at an org unit in the
 * actor's area. Throws validation_failed, invalid_geometry, org_unit_not_found, already_exists.
 */
export async function createTarget(ctx: Ctx, input: TargetInput): Promise<TargetRow> {
  const org = await getOrgUnitInScope(ctx, input.orgCode, 'orgCode');
  if (input.geometry) checkTargetGeometry(input.geometry);
  if (await patrolRepository.findTargetByCode(ctx.db, input.code)) throw new AppError('already_exists', `target ${input.code} exists`, { field: 'code' });
  const id = await patrolRepository.insertTarget(ctx.db, {
    code: input.code, kind: input.kind, name: input.name, org_code: org.code, org_path: org.path,
    geometry: input.geometry ? JSON.stringify(input.geometry) : null, attributes: JSON.stringify(input.attributes ?? {}), active: 1, created_at: ctx.now.toISOString(),
  });
  return (await patrolRepository.findTargetById(ctx.db, id)) as TargetRow;
}

/** A target by code inside the actor's area. Throws not_found (also when out of scope). */
export async function getTargetInScope(ctx: Ctx, code: string, field = 'target'): Promise<TargetRow> {
  const t = await patrolRepository.findTargetByCode(ctx.db, code);
  if (!t || !inScope(ctx, t.org_path)) throw new AppError('not_found', `target ${code} does not exist or is outside your area`, { field });
  return t;
}

/**
 * The target of a patrol: its plan's (a plan in the actor's area) or the one named by code.
 * Throws validation_failed (neither, or both disagreeing), not_found.
 */
export async function resolveTarget(ctx: Ctx, input: { planId?: number; target?: string }): Promise<{ target: TargetRow; planId: number | null }> {
  if (input.planId !== undefined) {
    const [plan] = await patrolRepository.listPlans(ctx.db, ctx.actor.orgPath, { planId: input.planId });
    if (!plan) throw new AppError('not_found', `plan ${input.planId} does not exist or is outside your area`, { field: 'planId' });
    if (input.target && input.target !== plan.target_code) throw new AppError('validation_failed', `plan ${plan.id} is for target ${plan.target_code}, not ${input.target}`, { field: 'target' });
    return { target: (await patrolRepository.findTargetById(ctx.db, plan.target_id)) as TargetRow, planId: plan.id };
  }
  if (!input.target) throw new AppError('validation_failed', 'name a planId or a target', { field: 'planId' });
  return { target: await getTargetInScope(ctx, input.target), planId: null };
}

/** Active targets in the actor's area (or an org unit inside it), optionally of one kind. Throws org_unit_not_found. */
export async function listTargets(ctx: Ctx, filter: { org?: string; kind?: string }): Promise<TargetRow[]> {
  const scope = filter.org ? (await getOrgUnitInScope(ctx, filter.org, 'org')).path : ctx.actor.orgPath;
  return patrolRepository.listTargets(ctx.db, scope, { kind: filter.kind });
}
