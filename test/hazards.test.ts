import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestEnv, frozenClock, type TestEnv } from './helpers.js';
import { buildWorld, PLACES, type World } from './world.js';

const clock = frozenClock('2026-11-26T02:00:00Z');
let env: TestEnv;
let world: World;

async function report(level: string | undefined, cookie = world.cookies.inspector) {
  const attributes = level === undefined ? {} : { hazardLevel: level };
  return env.http.inject({ method: 'POST', url: '/api/v1/cases', headers: { cookie }, payload: { categoryCode: 'LYH10', lon: PLACES.heping.lon, lat: PLACES.heping.lat, description: `隐患 ${level}`, channel: 'patrol', attributes } });
}
/** A complete 治理方案 (安全生产事故隐患排查治理暂行规定 第十五条). */
const PLAN = {
  targets: '消除液氯储罐区泄漏隐患', measures: '更换阀门, 加装泄漏报警联锁', funds: 200_000, materials: '阀门 4 套, 报警器 2 台',
  organisation: '企业设备部', responsible: '设备部经理', deadline: '2026-12-20T09:00:00Z', requirements: '年底前完成',
  safetyMeasures: '储罐区隔离, 专人监护', emergencyPlan: '液氯泄漏专项应急预案',
};

async function act(id: number, cookie: string, action: string, extra: Record<string, unknown> = {}) {
  const current = await env.http.inject({ url: `/api/v1/cases/${id}`, headers: { cookie: world.cookies.admin } });
  return env.http.inject({ method: 'POST', url: `/api/v1/cases/${id}/transitions`, headers: { cookie }, payload: { action, version: current.json().version, ...extra } });
}

beforeAll(async () => {
  env = await createTestEnv({ clock });
  world = await buildWorld(env);
});
afterAll(async () => env?.close());

describe('hazards (隐患排查治理)', () => {
  it('lists hazard categories', async () => {
    const res = await env.http.inject({ url: '/api/v1/categories?workflow=hazard&limit=50' });
    const codes = res.json().items.map((c: { code: string }) => c.code);
    expect(codes).toContain('LYH10');
    expect(res.json().items.every((c: { workflow: string }) => c.workflow === 'hazard')).toBe(true);
  });

  it('a 重大隐患 is supervised at once, a 一般隐患 is not; a hazard without a level is refused', async () => {
    const major = await report('major');
    expect(major.statusCode, major.body).toBe(201);
    expect(major.json()).toMatchObject({ workflow: 'hazard', supervised: true, status: 'found' });
    const general = await report('general');
    expect(general.json()).toMatchObject({ workflow: 'hazard', supervised: false });
    const none = await report(undefined);
    expect(none.statusCode).toBe(400);
    expect(none.json().details).toMatchObject({ field: 'attributes.hazardLevel' });
  });

  it('重大隐患 needs a 治理方案 before rectification; its plan sets the deadline; 验收 by the department; 销号', async () => {
    const id = (await report('major')).json().id as number;
    expect((await act(id, world.cookies.dispatcher, 'dispatch', { departmentId: world.departments.HW })).json().status).toBe('planning');
    const early = await act(id, world.cookies.handler, 'rectify', { note: '整改完成' });
    expect(early.statusCode).toBe(409);
    expect(early.json().details.allowed).toContain('submit_plan');
    const planned = await act(id, world.cookies.handler, 'submit_plan', { governancePlan: PLAN });
    expect(planned.json()).toMatchObject({ status: 'governing' });
    expect(planned.json().sla.stageDeadline ?? planned.json().stageDeadline).toBe('2026-12-20T09:00:00.000Z');
    expect((await act(id, world.cookies.handler, 'rectify', { note: '治理完成' })).json().status).toBe('awaiting_acceptance');
    expect((await act(id, world.cookies.handler, 'accept_check')).json().status).toBe('acceptance_passed');
    const closed = await act(id, world.cookies.handler, 'close');
    expect(closed.json()).toMatchObject({ status: 'closed', statusLabel: '已销号', supervised: true });
  });

  it('一般隐患 is rectified without a plan', async () => {
    const id = (await report('general')).json().id as number;
    expect((await act(id, world.cookies.dispatcher, 'dispatch', { departmentId: world.departments.HW })).json()).toMatchObject({ status: 'rectifying', allowedActions: expect.any(Array) });
    expect((await act(id, world.cookies.handler, 'submit_plan', { governancePlan: PLAN })).statusCode).toBe(409);
    expect((await act(id, world.cookies.handler, 'rectify', { note: '已整改' })).json().status).toBe('awaiting_acceptance');
  });

  it('a 治理方案 must name every part; a bad one is refused and nothing changes', async () => {
    const id = (await report('major')).json().id as number;
    await act(id, world.cookies.dispatcher, 'dispatch', { departmentId: world.departments.HW });
    const version = (await env.http.inject({ url: `/api/v1/cases/${id}`, headers: { cookie: world.cookies.admin } })).json().version;
    const refused = async (extra: Record<string, unknown>, field: string) => {
      const res = await act(id, world.cookies.handler, 'submit_plan', extra);
      expect(res.statusCode, res.body).toBe(400);
      if (field) expect(res.json().details.field ?? res.json().details.errors?.[0]?.field ?? res.body).toContain(field);
    };
    await refused({ note: '治理方案见附件', newDeadline: '2026-12-20T09:00:00Z' }, 'governancePlan');
    await refused({ governancePlan: { ...PLAN, measures: '   ' } }, 'governancePlan.measures');
    await refused({ governancePlan: { ...PLAN, funds: -1 } }, '');
    const { emergencyPlan: _left, ...withoutPlanB } = PLAN;
    await refused({ governancePlan: withoutPlanB }, '');
    await refused({ governancePlan: PLAN, newDeadline: '2026-12-31T09:00:00Z' }, 'newDeadline');
    // The plan's deadline must move the deadline later, not earlier.
    await refused({ governancePlan: { ...PLAN, deadline: '2026-11-26T03:00:00Z' } }, 'governancePlan.deadline');
    const after = (await env.http.inject({ url: `/api/v1/cases/${id}`, headers: { cookie: world.cookies.admin } })).json();
    expect(after).toMatchObject({ version, status: 'planning' });
    expect((await env.http.inject({ url: `/api/v1/hazards/${id}`, headers: { cookie: world.cookies.admin } })).json().plan).toBeNull();
  });

  it('GET /hazards/{id} shows the submitted 治理方案 and the progress reports; other departments do not see it', async () => {
    const id = (await report('major')).json().id as number;
    await act(id, world.cookies.dispatcher, 'dispatch', { departmentId: world.departments.HW });
    await act(id, world.cookies.handler, 'submit_plan', { governancePlan: PLAN });
    await act(id, world.cookies.handler, 'report_progress', { note: '阀门已到货' });
    const res = await env.http.inject({ url: `/api/v1/hazards/${id}`, headers: { cookie: world.cookies.handler } });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ hazardLevel: 'major', supervised: true, status: 'governing', deadline: '2026-12-20T09:00:00.000Z', rectified: false, open: true });
    expect(res.json().plan).toMatchObject({ ...PLAN, submittedBy: expect.any(String), revisions: 1 });
    expect(res.json().progress.map((p: { note: string }) => p.note)).toEqual(['阀门已到货']);
    expect((await env.http.inject({ url: `/api/v1/hazards/${id}`, headers: { cookie: world.cookies.handler2 } })).statusCode).toBe(404);
    const urban = await env.http.inject({ method: 'POST', url: '/api/v1/cases', headers: { cookie: world.cookies.admin }, payload: { categoryCode: '06010', lon: PLACES.heping.lon, lat: PLACES.heping.lat, description: '不是隐患', channel: 'patrol' } });
    expect((await env.http.inject({ url: `/api/v1/hazards/${urban.json().id}`, headers: { cookie: world.cookies.admin } })).statusCode).toBe(404);
  });
});

/*
 * KPIs on a hand-built November in a fresh world, org 150302 (海勃湾区), today 2026-11-26:
 *   A  一般, enterprise E (attributes.enterprise)  dispatched, rectified, 验收通过          rectified, on time, open
 *   B  一般, enterprise E                          still 已上报, its deadline moved to 11-20  open, overdue
 *   C  重大, no enterprise                          plan, rectified, 验收, 销号            rectified, on time, closed
 *   D  一般, in 海南区                              outside 150302
 * E's red risk point is inspected weekly from 11-01: the whole weeks of 2, 9 and 16 November owe 3
 * inspections and got none; the running week (23–29) owes what was done: one, on the 25th.
 */
describe('hazard KPIs', () => {
  let kenv: TestEnv;
  let kworld: World;
  const CODE = '914403001922038216';
  beforeAll(async () => {
    kenv = await createTestEnv({ clock: frozenClock('2026-11-26T02:00:00Z') });
    kworld = await buildWorld(kenv);
  });
  afterAll(async () => kenv?.close());

  it('counts found, rectified, on time, overdue and inspections, in total and per enterprise', async () => {
    const admin = kworld.cookies.admin;
    const post = (url: string, payload: unknown, cookie = admin) => kenv.http.inject({ method: 'POST', url, headers: { cookie }, payload: payload as Record<string, unknown> });
    const e = await post('/api/v1/enterprises', { creditCode: CODE, name: '演示化工', industry: '化工', lon: PLACES.heping.lon, lat: PLACES.heping.lat });
    expect(e.statusCode, e.body).toBe(201);
    const rp = await post(`/api/v1/enterprises/${e.json().id}/risk-points`, { name: '液氯储罐', assessment: { method: 'direct', level: 'red' }, controlLevel: 'company', measures: '双人双锁' });
    expect(rp.statusCode, rp.body).toBe(201);
    await kenv.app.store.db.updateTable('patrol_plans').set({ starts_on: '2026-11-01' }).execute();
    const inspected = await post('/api/v1/patrols', { target: rp.json().target, startedAt: '2026-11-25T02:00:00Z', endedAt: '2026-11-25T02:30:00Z' }, kworld.cookies.inspector);
    expect(inspected.statusCode, inspected.body).toBe(201);

    const hazard = async (level: string, place: { lon: number; lat: number }, enterprise?: string) => (await post('/api/v1/cases', { categoryCode: 'LYH12', lon: place.lon, lat: place.lat, description: `KPI ${level}`, channel: 'patrol', attributes: { hazardLevel: level, ...(enterprise ? { enterprise } : {}) } })).json().id as number;
    const step = async (id: number, cookie: string, action: string, extra: Record<string, unknown> = {}) => {
      const version = (await kenv.http.inject({ url: `/api/v1/cases/${id}`, headers: { cookie: admin } })).json().version;
      const res = await post(`/api/v1/cases/${id}/transitions`, { action, version, ...extra }, cookie);
      expect(res.statusCode, res.body).toBe(200);
    };
    const a = await hazard('general', PLACES.heping, CODE.toLowerCase());
    const b = await hazard('general', PLACES.heping, CODE);
    const c = await hazard('major', PLACES.heping2);
    await hazard('general', PLACES.xinqiao, CODE);
    const HW = kworld.departments.HW;
    await step(a, kworld.cookies.dispatcher, 'dispatch', { departmentId: HW });
    await step(a, kworld.cookies.handler, 'rectify', { note: '已整改' });
    await step(a, kworld.cookies.inspector, 'accept_check');
    await step(c, kworld.cookies.dispatcher, 'dispatch', { departmentId: HW });
    await step(c, kworld.cookies.handler, 'submit_plan', { governancePlan: PLAN });
    await step(c, kworld.cookies.handler, 'rectify', { note: '治理完成' });
    await step(c, kworld.cookies.inspector, 'accept_check');
    await step(c, kworld.cookies.dispatcher, 'close');
    await kenv.app.store.db.updateTable('cases').set({ deadline: '2026-11-20T00:00:00.000Z' }).where('id', '=', b).execute();

    const kpis = await kenv.http.inject({ url: '/api/v1/hazards/kpis?org=150302&from=2026-11-01&to=2026-11-30&groupBy=enterprise', headers: { cookie: kworld.cookies.leader } });
    expect(kpis.statusCode, kpis.body).toBe(200);
    expect(kpis.json().total).toEqual({
      found: 3, major: 1, rectified: 2, majorRectified: 1, rectifiedOnTime: 2, closed: 1, open: 2, overdue: 1,
      rectificationRate: 0.6667, majorRectificationRate: 1, onTimeRate: 1, inspectionsRequired: 4, inspectionsDone: 1, inspectionRate: 0.25,
    });
    const byKey = Object.fromEntries(kpis.json().groups.map((g: { key: string | null }) => [g.key ?? 'none', g]));
    expect(byKey[String(e.json().id)]).toMatchObject({ name: '演示化工', found: 2, rectified: 1, overdue: 1, inspectionsRequired: 4, inspectionsDone: 1 });
    expect(byKey.none).toMatchObject({ name: null, found: 1, major: 1, closed: 1, inspectionsRequired: 0 });

    const csv = await kenv.http.inject({ url: '/api/v1/hazards/kpis.csv?org=150302&from=2026-11-01&to=2026-11-30&groupBy=industry', headers: { cookie: kworld.cookies.leader } });
    expect(csv.statusCode).toBe(200);
    expect(csv.body).toContain('化工,化工,2,0,1,0,1,0,2,1,0.5,,1,4,1,0.25');
    // A handler counts only their department's hazards: HW got A and C, the other department none.
    const cg = (await kenv.http.inject({ url: '/api/v1/hazards/kpis?org=150302&from=2026-11-01&to=2026-11-30', headers: { cookie: kworld.cookies.handler2 } })).json();
    expect(cg.total).toMatchObject({ found: 0 });
  });
});
