import type { Ctx } from '../context.js';
import { AppError } from '../errors.js';
import { caseAttributes } from '../cases/case.repository.js';
import { caseScopeFor } from '../cases/case.scope.js';
import { getWorkflow, type GovernancePlan } from '../cases/workflow/index.js';
import { LEVELS } from '../org/levels.js';
import { orgRepository } from '../org/org.repository.js';
import { getOrgUnitInScope } from '../org/org.service.js';
import { complianceReport } from '../patrols/patrol.compliance.service.js';
import { windowOf } from '../patrols/patrol.query.js';
import { catalogueRepository } from '../catalogue/catalogue.repository.js';
import { hazardFacts, hazardFigures, type HazardFacts } from './hazard.kpis.js';
import { hazardRepository } from './hazard.repository.js';
import { safetyRepository, type EnterpriseRow } from './safety.repository.js';

export const HAZARD_GROUPS = ['enterprise', 'industry', 'department', 'district', 'street', 'community'] as const;
export type HazardGroup = (typeof HAZARD_GROUPS)[number];

/** The enterprise a hazard belongs to: its finding's risk point's, else the credit code in `attributes.enterprise`. */
function enterpriseOf(row: { risk_enterprise_id: number | null }, attributes: Record<string, unknown>, byId: Map<number, EnterpriseRow>, byCode: Map<string, EnterpriseRow>): EnterpriseRow | null {
  if (row.risk_enterprise_id !== null && byId.has(row.risk_enterprise_id)) return byId.get(row.risk_enterprise_id) ?? null;
  return typeof attributes.enterprise === 'string' ? byCode.get(attributes.enterprise.trim().toUpperCase()) ?? null : null;
}

/**
 * 隐患排查治理 KPIs of an org subtree (default the actor's) over [from, to] (hazards reported then;
 * inspections owed and done then): found, 重大, rectified, 隐患整改率, 重大隐患整改率, 按期整改率,
 * 销号, open, overdue, and inspections required/done, in total and per enterprise, industry,
 * supervising department or org unit. Hazards are counted within the actor's case scope (a
 * handler: their department's). Throws org_unit_not_found, validation_failed.
 */
export async function hazardKpis(ctx: Ctx, q: { org?: string; from?: string; to?: string; groupBy?: HazardGroup }) {
  const org = await getOrgUnitInScope(ctx, q.org ?? ctx.actor.orgCode, 'org');
  const w = windowOf(ctx, q.from, q.to);
  const hazards = await hazardRepository.listHazards(ctx.db, { ...caseScopeFor(ctx.actor), orgPath: org.path }, w);
  const enterprises = await safetyRepository.listEnterprises(ctx.db, org.path, {});
  const byId = new Map(enterprises.map((e) => [e.id, e]));
  const byCode = new Map(enterprises.map((e) => [e.credit_code, e]));
  const targetEnterprise = new Map((await safetyRepository.riskPoints(ctx.db, enterprises.map((e) => e.id))).map((p) => [p.target_code, byId.get(p.enterprise_id)]));
  const inspections = (await complianceReport(ctx, { org: org.code, from: w.from, to: w.to, kind: 'safety' })).rows;

  const groupBy = q.groupBy;
  const keyOf = (e: EnterpriseRow | null | undefined, orgPath: string | null): string | null => {
    switch (groupBy) {
      case 'enterprise': return e ? String(e.id) : null;
      case 'industry': return e?.industry ?? null;
      case 'department': return e?.department_code ?? null;
      case undefined: return null;
      default: return (orgPath ?? '').split('/').filter(Boolean)[LEVELS.indexOf(groupBy)] ?? null;
    }
  };
  const groups = new Map<string | null, { facts: HazardFacts[]; required: number; done: number }>();
  const group = (key: string | null) => {
    let g = groups.get(key);
    if (!g) groups.set(key, (g = { facts: [], required: 0, done: 0 }));
    return g;
  };
  const all: HazardFacts[] = [];
  for (const h of hazards) {
    const attributes = caseAttributes(h);
    const facts = hazardFacts({ ...h, attributes }, ctx.now);
    all.push(facts);
    if (groupBy) group(keyOf(enterpriseOf(h, attributes, byId, byCode), h.org_path)).facts.push(facts);
  }
  let required = 0;
  let done = 0;
  for (const r of inspections) {
    required += r.required;
    done += r.done;
    if (!groupBy) continue;
    const e = targetEnterprise.get(r.target);
    const g = group(keyOf(e, e?.org_path ?? null));
    g.required += r.required;
    g.done += r.done;
  }
  const names = await groupNames(ctx, groupBy, [...groups.keys()].filter((k): k is string => k !== null), byId);
  return {
    org: { code: org.code, name: org.name, level: org.level }, from: w.from, to: w.to, groupBy: groupBy ?? null,
    total: hazardFigures(all, { required, done }),
    groups: [...groups.entries()]
      .map(([key, g]) => ({ key, name: key === null ? null : names.get(key) ?? key, ...hazardFigures(g.facts, g) }))
      .sort((a, b) => (a.key === null ? 1 : b.key === null ? -1 : a.key.localeCompare(b.key))),
  };
}

async function groupNames(ctx: Ctx, groupBy: HazardGroup | undefined, keys: string[], byId: Map<number, EnterpriseRow>): Promise<Map<string, string>> {
  if (groupBy === 'enterprise') return new Map(keys.map((k) => [k, byId.get(Number(k))?.name ?? k]));
  if (groupBy === 'department') return new Map((await catalogueRepository.listDepartments(ctx.db)).map((d) => [d.code, d.name]));
  if (groupBy === 'district' || groupBy === 'street' || groupBy === 'community') return new Map((await orgRepository.findManyByCode(ctx.db, keys)).map((u) => [u.code, u.name]));
  return new Map(keys.map((k) => [k, k]));
}

/**
 * One hazard: its level, state, deadline, the enterprise and risk point it was found at, its
 * 治理方案 (the latest submitted, 重大隐患 only) and its progress reports. Throws not_found
 * (also outside the actor's case scope, or not a hazard).
 */
export async function getHazard(ctx: Ctx, id: number) {
  const row = await hazardRepository.findHazard(ctx.db, caseScopeFor(ctx.actor), id);
  if (!row) throw new AppError('not_found', `hazard ${id} does not exist or is outside your area`, { field: 'id' });
  const attributes = caseAttributes(row);
  const events = await hazardRepository.planEvents(ctx.db, row.id);
  const plans = events.filter((e) => e.action === 'submit_plan').map((e) => ({ e, plan: (JSON.parse(e.data) as { governancePlan?: GovernancePlan }).governancePlan }));
  const latest = plans.at(-1);
  const enterprise = row.risk_enterprise_id !== null ? await safetyRepository.findEnterprise(ctx.db, row.risk_enterprise_id)
    : typeof attributes.enterprise === 'string' ? await safetyRepository.findEnterpriseByCreditCode(ctx.db, attributes.enterprise.trim().toUpperCase()) : undefined;
  const def = getWorkflow(row.workflow);
  return {
    id: row.id, number: row.number, status: row.status, statusLabel: def.states[row.status]?.label ?? row.status,
    hazardLevel: attributes.hazardLevel === 'major' ? 'major' as const : 'general' as const, supervised: row.supervised === 1,
    description: row.description, createdAt: row.created_at, deadline: row.deadline, handledAt: row.handled_at, closedAt: row.closed_at,
    ...hazardFacts({ ...row, attributes }, ctx.now),
    enterprise: enterprise && enterprise.org_path.startsWith(ctx.actor.orgPath) ? { id: enterprise.id, name: enterprise.name, creditCode: enterprise.credit_code, industry: enterprise.industry } : null,
    riskPoint: row.risk_point_id !== null ? { id: row.risk_point_id, name: row.risk_point_name ?? '', level: row.risk_level ?? '', target: row.target_code ?? '' } : null,
    patrolId: row.patrol_id ?? null,
    plan: latest?.plan ? { ...latest.plan, submittedAt: latest.e.at, submittedBy: latest.e.actor_name, revisions: plans.length } : null,
    progress: events.filter((e) => e.action === 'report_progress').map((e) => ({ at: e.at, by: e.actor_name, note: e.note ?? '' })),
  };
}
