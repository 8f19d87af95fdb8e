import type { Ctx } from '../context.js';
import { inTransaction } from '../context.js';
import { AppError } from '../errors.js';
import { locatePoint } from '../grids/grid.locate.js';
import { orgRepository } from '../org/org.repository.js';
import { getOrgUnitInScope } from '../org/org.service.js';
import { catalogueRepository } from '../catalogue/catalogue.repository.js';
import { patrolRepository } from '../patrols/patrol.repository.js';
import { localDate } from '../time/zoned-time.js';
import { parseFrequency } from '../patrols/patrol.frequency.js';
import { isValidCreditCode } from './credit-code.js';
import { assessRisk, CONTROL_LEVELS, type RiskAssessment } from './risk.js';
import { safetyRepository, type EnterpriseRow, type RiskPointRow } from './safety.repository.js';

export interface EnterpriseInput {
  creditCode: string;
  name: string;
  industry: string;
  address?: string;
  lon: number;
  lat: number;
  departmentCode?: string;
}

/**
 * Registers an enterprise: its 统一社会信用代码 checked (GB 32100 check character), its location
 * placed in a grid of the actor's area. Throws validation_failed, outside_jurisdiction, forbidden,
 * department_not_found, already_exists.
 */
export async function createEnterprise(ctx: Ctx, input: EnterpriseInput): Promise<EnterpriseRow> {
  const located = locatePoint(ctx.app, input.lon, input.lat);
  if (!located.grid) throw new AppError('outside_jurisdiction', 'the location lies outside every grid of the city', { field: 'lon' });
  const grid = await orgRepository.findByCode(ctx.db, located.grid.code);
  if (!grid) throw new AppError('outside_jurisdiction', `grid ${located.grid.code} is not in the store`);
  if (!grid.path.startsWith(ctx.actor.orgPath)) throw new AppError('forbidden', 'the location is outside your area', { field: 'lon' });
  const code = input.creditCode.trim().toUpperCase();
  if (!isValidCreditCode(code)) throw new AppError('validation_failed', `${input.creditCode} is not a valid 统一社会信用代码 (18 characters, GB 32100 check character)`, { field: 'creditCode' });
  if (input.departmentCode && !(await catalogueRepository.findDepartmentByCode(ctx.db, input.departmentCode))) throw new AppError('department_not_found', `department ${input.departmentCode} does not exist`, { field: 'departmentCode' });
  if (await safetyRepository.findEnterpriseByCreditCode(ctx.db, code)) throw new AppError('already_exists', `an enterprise with 统一社会信用代码 ${code} is registered`, { field: 'creditCode' });
  const id = await safetyRepository.insertEnterprise(ctx.db, {
    credit_code: code, name: input.name, industry: input.industry, address: input.address ?? null, lon: input.lon, lat: input.lat,
    grid_code: grid.code, org_path: grid.path, department_code: input.departmentCode ?? null, created_at: ctx.now.toISOString(),
  });
  return (await safetyRepository.findEnterprise(ctx.db, id)) as EnterpriseRow;
}

/** An enterprise in the actor's area. Throws not_found. */
export async function getEnterprise(ctx: Ctx, id: number): Promise<EnterpriseRow> {
  const e = await safetyRepository.findEnterprise(ctx.db, id);
  if (!e || !e.org_path.startsWith(ctx.actor.orgPath)) throw new AppError('not_found', `enterprise ${id} does not exist or is outside your area`, { field: 'id' });
  return e;
}

export interface RiskPointInput {
  name: string;
  assessment: RiskAssessment;
  controlLevel: (typeof CONTROL_LEVELS)[number];
  measures: string;
  /** Where the point is, default the enterprise's location. */
  lon?: number;
  lat?: number;
}

/**
 * Adds a risk point to an enterprise: graded (LEC, matrix, 5 grades or a direct colour) into the
 * four colours, registered as a patrol target (kind safety), with an inspection plan for the
 * district's inspectors at the frequency of its colour (GRIDLOOP_RISK_FREQUENCIES). One
 * transaction. Throws not_found, validation_failed.
 */
export async function createRiskPoint(ctx: Ctx, enterpriseId: number, input: RiskPointInput): Promise<RiskPointRow> {
  const e = await getEnterprise(ctx, enterpriseId);
  const { score, level } = assessRisk(input.assessment, ctx.app.config.patrol.riskThresholds);
  const rule = parseFrequency(ctx.app.config.patrol.riskFrequencies[level] ?? 'month:1');
  const district = e.org_path.split('/').filter(Boolean)[1] ?? e.grid_code;
  // The inspectors who look after it sit at the enterprise's district (安监 is a district matter).
  const districtUnit = (await orgRepository.findByCode(ctx.db, district)) ?? (await orgRepository.findByCode(ctx.db, e.grid_code));
  if (!districtUnit) throw new AppError('org_unit_not_found', `org unit ${district} is not in the store`);
  const now = ctx.now.toISOString();
  const id = await inTransaction(ctx, async (trx) => {
    const n = (await safetyRepository.countRiskPoints(trx.db, e.id)) + 1;
    const targetId = await patrolRepository.insertTarget(trx.db, {
      code: `RP-${e.credit_code}-${n}`, kind: 'safety', name: `${e.name} · ${input.name}`, org_code: e.grid_code, org_path: e.org_path,
      geometry: JSON.stringify({ type: 'Point', coordinates: [input.lon ?? e.lon, input.lat ?? e.lat] }),
      attributes: JSON.stringify({ enterpriseId: e.id, level }), active: 1, created_at: now,
    });
    await patrolRepository.insertPlan(trx.db, {
      target_id: targetId, kind: 'safety', assignee_user_id: null, assignee_role: 'inspector', org_code: districtUnit.code, org_path: districtUnit.path,
      level, period: rule.period, times: rule.times, min_duration_s: 0, min_distance_m: 0, min_coverage: 0,
      starts_on: localDate(ctx.now, ctx.app.config.timeZone), active: 1, note: `风险分级: ${level}`, created_at: now, updated_at: now,
    });
    return safetyRepository.insertRiskPoint(trx.db, {
      enterprise_id: e.id, target_id: targetId, name: input.name, method: input.assessment.method, assessment: JSON.stringify(input.assessment),
      score, level, control_level: input.controlLevel, measures: input.measures, created_at: now,
    });
  });
  return (await safetyRepository.riskPoints(ctx.db, [e.id])).find((r) => r.id === id) as RiskPointRow;
}

/** Enterprises in the actor's area (or an org unit inside it) with their risk points. Throws org_unit_not_found. */
export async function listEnterprises(ctx: Ctx, q: { org?: string; department?: string; industry?: string }) {
  const scope = q.org ? (await getOrgUnitInScope(ctx, q.org, 'org')).path : ctx.actor.orgPath;
  const rows = await safetyRepository.listEnterprises(ctx.db, scope, q);
  const points = await safetyRepository.riskPoints(ctx.db, rows.map((r) => r.id));
  return rows.map((e) => ({ enterprise: e, points: points.filter((p) => p.enterprise_id === e.id) }));
}
