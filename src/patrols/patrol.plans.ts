import type { Ctx } from '../context.js';
import { AppError } from '../errors.js';
import { isRole } from '../auth/actor.js';
import { getOrgUnitInScope } from '../org/org.service.js';
import { localDate } from '../time/zoned-time.js';
import { parseFrequency } from './patrol.frequency.js';
import { patrolRepository, type PlanRow } from './patrol.repository.js';
import { getTargetInScope } from './patrol.targets.js';

export interface PlanInput {
  target: string;
  /** A person (user id) … */
  assigneeUserId?: number;
  /** … or a role at an org unit (anybody of that role in its subtree). */
  assigneeRole?: string;
  /** The responsible org unit; default the person's, else the target's. */
  orgCode?: string;
  level?: string;
  /** "week:1" or "每周 1 次". */
  frequency: string;
  minDurationMinutes?: number;
  minDistanceMetres?: number;
  minCoverage?: number;
  startsOn?: string;
  note?: string;
}

/**
 * Plans who patrols a target how often, with the minimums a patrol must meet (defaults from
 * configuration). Throws validation_failed, not_found (target), user_not_found, org_unit_not_found.
 */
export async function createPlan(ctx: Ctx, input: PlanInput): Promise<PlanRow> {
  const target = await getTargetInScope(ctx, input.target);
  const rule = parseFrequency(input.frequency);
  if ((input.assigneeUserId === undefined) === (input.assigneeRole === undefined)) throw new AppError('validation_failed', 'name either assigneeUserId or assigneeRole', { field: 'assigneeUserId' });
  if (input.assigneeRole !== undefined && !isRole(input.assigneeRole)) throw new AppError('validation_failed', `unknown role ${input.assigneeRole}`, { field: 'assigneeRole' });
  let orgCode = input.orgCode ?? target.org_code;
  if (input.assigneeUserId !== undefined) {
    const user = await patrolRepository.findUser(ctx.db, input.assigneeUserId);
    if (!user) throw new AppError('user_not_found', `user ${input.assigneeUserId} does not exist`, { field: 'assigneeUserId' });
    orgCode = input.orgCode ?? user.org_code;
  }
  const org = await getOrgUnitInScope(ctx, orgCode, 'orgCode');
  const cfg = ctx.app.config.patrol;
  const now = ctx.now.toISOString();
  const id = await patrolRepository.insertPlan(ctx.db, {
    target_id: target.id, kind: target.kind, assignee_user_id: input.assigneeUserId ?? null, assignee_role: input.assigneeRole ?? null,
    org_code: org.code, org_path: org.path, level: input.level ?? null, period: rule.period, times: rule.times,
    min_duration_s: Math.round((input.minDurationMinutes ?? cfg.minDurationS / 60) * 60), min_distance_m: input.minDistanceMetres ?? cfg.minDistanceM,
    min_coverage: input.minCoverage ?? 0, starts_on: input.startsOn ?? localDate(ctx.now, ctx.app.config.timeZone), active: 1, note: input.note ?? null,
    created_at: now, updated_at: now,
  });
  const [plan] = await patrolRepository.listPlans(ctx.db, '/', { planId: id });
  return plan;
}

/** Active plans in the actor's area (or an org unit inside it), optionally of one kind. Throws org_unit_not_found. */
export async function listPlans(ctx: Ctx, filter: { org?: string; kind?: string }): Promise<PlanRow[]> {
  const scope = filter.org ? (await getOrgUnitInScope(ctx, filter.org, 'org')).path : ctx.actor.orgPath;
  return patrolRepository.listPlans(ctx.db, scope, { kind: filter.kind });
}

export interface PlanPatch {
  frequency?: string;
  level?: string | null;
  minDurationMinutes?: number;
  minDistanceMetres?: number;
  minCoverage?: number;
  note?: string | null;
  /** false retires the plan: it stops counting in compliance and leaves the lists. */
  active?: boolean;
}

/**
 * Changes a plan in the actor's area: its frequency rule, minimums, level or note, or retires it.
 * Throws not_found (plan outside the area), validation_failed (a frequency that is no rule).
 */
export async function updatePlan(ctx: Ctx, id: number, patch: PlanPatch): Promise<PlanRow> {
  const [plan] = await patrolRepository.listPlans(ctx.db, ctx.actor.orgPath, { planId: id });
  if (!plan) throw new AppError('not_found', `plan ${id} does not exist or is outside your area`, { field: 'id' });
  const rule = patch.frequency === undefined ? null : parseFrequency(patch.frequency);
  await patrolRepository.updatePlan(ctx.db, id, {
    ...(rule ? { period: rule.period, times: rule.times } : {}),
    ...(patch.level !== undefined ? { level: patch.level } : {}),
    ...(patch.minDurationMinutes !== undefined ? { min_duration_s: Math.round(patch.minDurationMinutes * 60) } : {}),
    ...(patch.minDistanceMetres !== undefined ? { min_distance_m: patch.minDistanceMetres } : {}),
    ...(patch.minCoverage !== undefined ? { min_coverage: patch.minCoverage } : {}),
    ...(patch.note !== undefined ? { note: patch.note } : {}),
    ...(patch.active === false ? { active: 0 } : {}),
    updated_at: ctx.now.toISOString(),
  });
  return plan.active && patch.active === false ? { ...plan, active: 0 } : (await patrolRepository.listPlans(ctx.db, '/', { planId: id }))[0];
}
