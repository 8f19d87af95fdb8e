import type { Ctx } from '../context.js';
import { getCluster } from '../cluster/cluster.js';
import { AppError } from '../errors.js';
import { getOrgUnitInScope } from '../org/org.service.js';
import { localParts } from '../time/zoned-time.js';
import { catalogueRepository, type CategoryRow, type DepartmentRow, type RoutingRuleRow } from './catalogue.repository.js';
import { matchRoute, type RoutingRule, type RuleVerdict } from './routing.js';
import { parseTimeLimits, type TimeLimits } from './time-limits.js';
import { cachedRead } from '../cache/reference-cache.js';

const KIND_PREFERENCE: Record<CategoryRow['kind'], number> = { matter: 0, local: 1, component: 2 };

/**
 * Resolves a category code to one active category. A 5-digit code shared by a 管理部件 and its
 * 管理事项 twin ("<部件>异常") resolves to the matter: a case is always about a matter.
 * Throws category_not_found.
 */
export async function resolveCategory(ctx: Ctx, code: string, kind?: CategoryRow['kind']): Promise<CategoryRow> {
  const all = await cachedRead(ctx.app.store, ctx.db, 'catalogue', `category:${code}`, () => catalogueRepository.findCategoriesByCode(ctx.db, code));
  const rows = all.filter((r) => !kind || r.kind === kind);
  rows.sort((a, b) => KIND_PREFERENCE[a.kind] - KIND_PREFERENCE[b.kind]);
  if (rows.length === 0) throw new AppError('category_not_found', `category ${code} does not exist`, { field: 'categoryCode', code });
  return rows[0];
}

export function categoryTimeLimits(category: Pick<CategoryRow, 'time_limits'>): TimeLimits {
  return parseTimeLimits(JSON.parse(category.time_limits));
}

export function toRoutingRule(row: RoutingRuleRow): RoutingRule {
  return {
    id: row.id,
    position: row.position,
    name: row.name,
    categoryCode: row.category_code,
    classCode: row.class_code,
    orgCode: row.org_code,
    channel: row.channel,
    weekdays: row.weekdays ? row.weekdays.split(',').map(Number) : null,
    timeFrom: row.time_from,
    timeTo: row.time_to,
    departmentCode: row.department_code,
  };
}

export interface RouteDecision {
  department: DepartmentRow | null;
  ruleId: number | null;
  /** How the department was chosen: 'rule', 'category_default' or 'none'. */
  via: 'rule' | 'category_default' | 'none';
  explanation: string;
  trace: RuleVerdict[];
}

/**
 * Chooses the responsible department for a case: the first active routing rule that matches wins;
 * otherwise the category's default department; otherwise none (a dispatcher decides).
 */
export async function routeCase(ctx: Ctx, input: { category: CategoryRow; orgPath: string; channel: string; at: Date }): Promise<RouteDecision> {
  const rules = await cachedRead(ctx.app.store, ctx.db, 'catalogue', 'routing:active', async () => (await catalogueRepository.listRoutingRules(ctx.db, true)).map(toRoutingRule));
  const local = localParts(input.at, ctx.app.config.timeZone);
  const { rule, trace } = matchRoute(rules, { categoryCode: input.category.code, classCode: input.category.class_code, orgPath: input.orgPath, channel: input.channel, local });
  if (rule) {
    const department = await departmentByCode(ctx, rule.departmentCode);
    const verdict = trace[trace.length - 1];
    return { department: department ?? null, ruleId: rule.id, via: 'rule', explanation: `rule #${rule.id} "${rule.name}" matched: ${verdict.reasons.join('; ')}`, trace };
  }
  if (input.category.department_code) {
    const department = await departmentByCode(ctx, input.category.department_code);
    return { department: department ?? null, ruleId: null, via: 'category_default', explanation: `no rule matched; default department of category ${input.category.code}`, trace };
  }
  return { department: null, ruleId: null, via: 'none', explanation: 'no rule matched and the category has no default department', trace };
}

/** A department by code, through the reference cache. */
function departmentByCode(ctx: Ctx, code: string): Promise<DepartmentRow | undefined> {
  return cachedRead(ctx.app.store, ctx.db, 'catalogue', `department:${code}`, () => catalogueRepository.findDepartmentByCode(ctx.db, code));
}

export interface RuleInput {
  name: string;
  position?: number;
  categoryCode?: string | null;
  classCode?: string | null;
  orgCode?: string | null;
  channel?: string | null;
  weekdays?: number[] | null;
  timeFrom?: string | null;
  timeTo?: string | null;
  departmentCode: string;
  active?: boolean;
}

/** Validates a routing rule's references and shape. Throws validation_failed / *_not_found naming the field. */
export async function validateRuleInput(ctx: Ctx, input: RuleInput): Promise<void> {
  if (input.categoryCode) await resolveCategory(ctx, input.categoryCode);
  if (input.orgCode) {
    await getOrgUnitInScope(ctx, input.orgCode, 'orgCode');
  }
  if (!(await catalogueRepository.findDepartmentByCode(ctx.db, input.departmentCode))) {
    throw new AppError('department_not_found', `department ${input.departmentCode} does not exist`, { field: 'departmentCode' });
  }
  if ((input.timeFrom == null) !== (input.timeTo == null)) throw new AppError('validation_failed', 'timeFrom and timeTo go together', { field: input.timeFrom == null ? 'timeFrom' : 'timeTo' });
  if (input.weekdays && (input.weekdays.length === 0 || input.weekdays.some((d) => !Number.isInteger(d) || d < 1 || d > 7))) {
    throw new AppError('validation_failed', 'weekdays are ISO day numbers 1 (Monday) … 7 (Sunday)', { field: 'weekdays' });
  }
}

/** Creates a routing rule (appended at the end unless a position is given). */
export async function createRoutingRule(ctx: Ctx, input: RuleInput): Promise<number> {
  await validateRuleInput(ctx, input);
  const position = input.position ?? (await catalogueRepository.maxRulePosition(ctx.db)) + 10;
  const id = await catalogueRepository.insertRoutingRule(ctx.db, ruleRow(input, position, ctx.now));
  await catalogueChanged(ctx);
  return id;
}

/** Replaces a routing rule. Throws routing_rule_not_found. */
export async function updateRoutingRule(ctx: Ctx, id: number, input: RuleInput): Promise<void> {
  const existing = await catalogueRepository.findRoutingRule(ctx.db, id);
  if (!existing) throw new AppError('routing_rule_not_found', `routing rule ${id} does not exist`);
  await validateRuleInput(ctx, input);
  await catalogueRepository.updateRoutingRule(ctx.db, id, ruleRow(input, input.position ?? existing.position, ctx.now));
  await catalogueChanged(ctx);
}

/** Deletes a routing rule. Throws routing_rule_not_found. */
export async function deleteRoutingRule(ctx: Ctx, id: number): Promise<void> {
  const result = await catalogueRepository.deleteRoutingRule(ctx.db, id);
  if (Number(result.numDeletedRows) === 0) throw new AppError('routing_rule_not_found', `routing rule ${id} does not exist`);
  await catalogueChanged(ctx);
}

/**
 * After a change of categories, departments or routing rules: the other instances are told
 * (cluster topic `catalogue`; inside a transaction, on its commit), so any in-memory copy of them
 * is reloaded everywhere.
 */
export async function catalogueChanged(ctx: Ctx): Promise<void> {
  await getCluster(ctx.app).publish('catalogue', null, ctx.db);
}

function ruleRow(input: RuleInput, position: number, now: Date) {
  return {
    position,
    name: input.name,
    category_code: input.categoryCode ?? null,
    class_code: input.classCode ?? null,
    org_code: input.orgCode ?? null,
    channel: input.channel ?? null,
    weekdays: input.weekdays ? input.weekdays.join(',') : null,
    time_from: input.timeFrom ?? null,
    time_to: input.timeTo ?? null,
    department_code: input.departmentCode,
    active: input.active === false ? 0 : 1,
    updated_at: now.toISOString(),
  };
}

/** Creates a department attached to an org unit in the actor's scope. */
export async function createDepartment(ctx: Ctx, input: { code: string; name: string; orgCode: string }): Promise<number> {
  if (!/^[A-Za-z0-9_-]{2,40}$/.test(input.code)) throw new AppError('validation_failed', 'department code must be 2–40 letters, digits, "_" or "-"', { field: 'code' });
  const org = await getOrgUnitInScope(ctx, input.orgCode, 'orgCode');
  const id = await catalogueRepository.insertDepartment(ctx.db, { code: input.code, name: input.name, org_code: org.code, created_at: ctx.now.toISOString() });
  await catalogueChanged(ctx);
  return id;
}
