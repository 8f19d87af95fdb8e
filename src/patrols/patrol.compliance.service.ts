import type { Ctx } from '../context.js';
import { getOrgUnitInScope } from '../org/org.service.js';
import { orgRepository } from '../org/org.repository.js';
import { LEVELS } from '../org/levels.js';
import { localDate } from '../time/zoned-time.js';
import { complianceOf, type PatrolFacts } from './patrol.compliance.js';
import { formatFrequency, type PeriodUnit } from './patrol.frequency.js';
import { patrolRepository, type PatrolRow, type PlanRow } from './patrol.repository.js';
import { windowOf } from './patrol.query.js';

export const COMPLIANCE_GROUPS = ['plan', 'district', 'street', 'community', 'grid'] as const;
export type ComplianceGroup = (typeof COMPLIANCE_GROUPS)[number];

export interface ComplianceRow {
  planId: number;
  person: string;
  personId: number | null;
  role: string | null;
  target: string;
  targetName: string;
  kind: string;
  org: string;
  orgName: string;
  level: string | null;
  frequency: string;
  required: number;
  done: number;
  missed: number;
  rate: number | null;
  tooShort: number;
  flagged: number;
}

/** Whether a patrol is one the plan's assignee made: the person, or anybody of the role under (or above) the plan's org unit. */
function madeFor(plan: PlanRow, p: PatrolRow, userPath: Map<number, string>): boolean {
  if (p.target_id !== plan.target_id) return false;
  if (plan.assignee_user_id !== null) return p.user_id === plan.assignee_user_id;
  // A role at an org unit: that role's people in its subtree, or above it (a city inspector inspects a district's points).
  const path = userPath.get(p.user_id) ?? '';
  return p.user_role === plan.assignee_role && path !== '' && (path.startsWith(plan.org_path) || plan.org_path.startsWith(path));
}

/**
 * Compliance of every active plan whose target lies under `org` (default the actor's unit) over
 * [from, to]: required, done (patrols meeting the plan's minimums and not flagged), missed and
 * the rate, per person (or role) and target; optionally summed per org unit at a level (the
 * drill-down). Throws org_unit_not_found, validation_failed.
 */
export async function complianceReport(ctx: Ctx, q: { org?: string; from?: string; to?: string; kind?: string; groupBy?: ComplianceGroup }) {
  const org = await getOrgUnitInScope(ctx, q.org ?? ctx.actor.orgCode, 'org');
  const w = windowOf(ctx, q.from, q.to);
  const plans = await patrolRepository.listPlans(ctx.db, org.path, { kind: q.kind });
  const targetIds = [...new Set(plans.map((p) => p.target_id))];
  const patrols = plans.length ? await patrolRepository.listPatrols(ctx.db, '/', { fromIso: w.fromIso, toIso: w.toIso, targetIds }) : [];
  const userPath = new Map((await patrolRepository.userPaths(ctx.db, [...new Set(patrols.map((p) => p.user_id))])).map((u) => [u.id, u.path]));
  const tz = ctx.app.config.timeZone;
  const facts = new Map(patrols.map((p) => [p.id, { date: localDate(new Date(p.started_at), tz), durationS: p.duration_s, distanceM: p.distance_m, coverage: p.coverage, flags: JSON.parse(p.flags) as string[] } satisfies PatrolFacts]));
  const rows: ComplianceRow[] = plans.map((plan) => {
    const mine = patrols.filter((p) => madeFor(plan, p, userPath)).map((p) => facts.get(p.id) as PatrolFacts);
    const rule = { period: plan.period as PeriodUnit, times: plan.times };
    const fig = complianceOf(rule, { minDurationS: plan.min_duration_s, minDistanceM: plan.min_distance_m, minCoverage: plan.min_coverage }, mine, { from: w.from, to: w.to, startsOn: plan.starts_on, today: w.today });
    return {
      planId: plan.id, person: plan.assignee_name ?? `${plan.assignee_role}@${plan.org_name}`, personId: plan.assignee_user_id, role: plan.assignee_role,
      target: plan.target_code, targetName: plan.target_name, kind: plan.kind, org: plan.org_code, orgName: plan.org_name, level: plan.level,
      frequency: formatFrequency(rule), ...fig,
    };
  });
  const groups = q.groupBy && q.groupBy !== 'plan' ? await groupRows(ctx, plans, rows, q.groupBy) : [];
  return { org: { code: org.code, name: org.name, level: org.level }, from: w.from, to: w.to, kind: q.kind ?? null, rows, groups };
}

/** Sums rows per org unit at `level` above each plan's target (the unit that owns the target, cut at that level). */
async function groupRows(ctx: Ctx, plans: PlanRow[], rows: ComplianceRow[], level: Exclude<ComplianceGroup, 'plan'>) {
  const depth = LEVELS.indexOf(level);
  const sums = new Map<string, { required: number; done: number; missed: number; tooShort: number; flagged: number }>();
  plans.forEach((plan, i) => {
    const code = plan.target_path.split('/').filter(Boolean)[depth] ?? null;
    const key = code ?? '';
    const s = sums.get(key) ?? { required: 0, done: 0, missed: 0, tooShort: 0, flagged: 0 };
    for (const k of ['required', 'done', 'missed', 'tooShort', 'flagged'] as const) s[k] += rows[i][k];
    sums.set(key, s);
  });
  const units = new Map((await orgRepository.findManyByCode(ctx.db, [...sums.keys()].filter(Boolean))).map((u) => [u.code, u.name]));
  return [...sums.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([code, s]) => ({ code: code || null, name: code ? units.get(code) ?? code : null, ...s, rate: s.required ? s.done / s.required : null }));
}
