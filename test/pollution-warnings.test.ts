import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiKey } from '../src/auth/auth.service.js';
import { createDepartment } from '../src/catalogue/catalogue.service.js';
import { assessMeasured } from '../src/air/warning.service.js';
import { loadConfig } from '../src/config.js';
import { createTestEnv, dialectUnderTest, frozenClock, type TestEnv } from './helpers.js';
import { buildWorld, PLACES, type World } from './world.js';

// 2026-11-26 10:00 in 乌海 (UTC+8) is 02:00Z.
const clock = frozenClock('2026-11-26T02:00:00Z');
let env: TestEnv;
let world: World;
let key: string;
const depts: Record<string, number> = {};

const admin = () => ({ cookie: world.cookies.admin });
const post = (url: string, payload: unknown, headers: Record<string, string> = admin()) => env.http.inject({ method: 'POST', url, payload: payload as object, headers });
const get = (url: string) => env.http.inject({ method: 'GET', url, headers: admin() });
type Task = { level: string; departmentCode: string; departmentId: number | null; task: string; dueAt: string; caseId: number; done: boolean; overdue: boolean };
type Warning = { id: number; level: string; levelName: string; status: string; trigger: string; reason: string; completion: { total: number; done: number; overdue: number }; tasks: Task[] };

beforeAll(async () => {
  env = await createTestEnv({ clock, config: { sessionTtlHours: 24 * 30 } });
  world = await buildWorld(env);
  for (const [code, name] of [['ZJ', '住建局'], ['JJ', '交警支队'], ['STHJ', '生态环境局']]) depts[code] = await createDepartment(env.sys(), { code, name, orgCode: '150300' });
  depts.HW = world.departments.HW;
  depts.CG = world.departments.CG;
  key = (await createApiKey(env.sys(), { name: 'air', orgCode: '150300', scopes: ['readings:write'] })).key;
}, 60_000);
afterAll(() => env.close());

describe(`重污染天气 warnings (${dialectUnderTest})`, () => {
  it('ships a response plan by level', async () => {
    const plan = (await get('/api/v1/pollution-response-plan')).json().items as { level: string; departmentCode: string }[];
    expect(plan.filter((t) => t.level === 'yellow').map((t) => t.departmentCode)).toEqual(['ZJ', 'HW', 'STHJ']);
    expect(plan.filter((t) => t.level === 'orange').map((t) => t.departmentCode)).toEqual(['JJ', 'CG']);
  });

  it('an admin issues a 黄色预警: one task case per yellow task, for its department, due by the plan', async () => {
    expect((await post('/api/v1/pollution-warnings', { level: 'yellow', reason: '预测明日 AQI 210' })).json()).toMatchObject({ error: 'validation_failed', details: { field: 'lon' } });
    expect((await post('/api/v1/pollution-warnings', { level: 'yellow', reason: 'x', lon: PLACES.heping.lon, lat: PLACES.heping.lat }, { cookie: world.cookies.dispatcher })).statusCode).toBe(403);
    const res = await post('/api/v1/pollution-warnings', { level: 'yellow', reason: '预测明日 AQI 210', lon: PLACES.heping.lon, lat: PLACES.heping.lat });
    expect(res.statusCode, res.body).toBe(201);
    const w = res.json() as Warning;
    expect(w).toMatchObject({ level: 'yellow', levelName: '黄色预警', status: 'active', trigger: 'manual', completion: { total: 3, done: 0, overdue: 0 } });
    expect(w.tasks.map((t) => [t.departmentCode, t.departmentId, t.dueAt])).toEqual([
      ['ZJ', depts.ZJ, '2026-11-26T08:00:00.000Z'], ['HW', depts.HW, '2026-11-26T08:00:00.000Z'], ['STHJ', depts.STHJ, '2026-11-26T14:00:00.000Z'],
    ]);
    const c = (await get(`/api/v1/cases/${w.tasks[0].caseId}`)).json();
    expect(c).toMatchObject({ categoryCode: 'LGZ10', departmentId: depts.ZJ, channel: 'staff' });
    expect(c.description).toContain('乌海及周边大气污染联防联控区联合应对：施工工地停止土石方作业');
    expect(res.json().jointZone).toEqual({ name: '乌海及周边大气污染联防联控区', members: ['乌海市', '石嘴山市', '鄂尔多斯市', '阿拉善盟'] });
    expect(c.routing.explanation).toContain('重污染天气应急预案');
    expect((await post('/api/v1/pollution-warnings', { level: 'yellow', reason: '再发', lon: PLACES.heping.lon, lat: PLACES.heping.lat })).json().error).toBe('warning_active');
  });

  it('the rule on a forecast raises it to 橙色 (two days above 200): the orange tasks are added, nothing twice', async () => {
    const r = await post('/api/v1/pollution-warnings/assess', { forecast: [{ date: '2026-11-27', aqi: 230 }, { date: '2026-11-28', aqi: 250 }] });
    expect(r.statusCode, r.body).toBe(200);
    expect(r.json()).toMatchObject({ level: 'orange', action: 'upgraded' });
    const w = (await get(`/api/v1/pollution-warnings/${r.json().warningId}`)).json() as Warning;
    expect(w.level).toBe('orange');
    expect(w.tasks.map((t) => t.departmentCode)).toEqual(['ZJ', 'HW', 'STHJ', 'JJ', 'CG']);
    expect((await post('/api/v1/pollution-warnings/assess', { forecast: [{ date: '2026-11-27', aqi: 230 }, { date: '2026-11-28', aqi: 250 }] })).json()).toMatchObject({ level: 'orange', action: 'none' });
    expect((await post('/api/v1/pollution-warnings/assess', { forecast: [{ date: '2026-11-27', aqi: 120 }] })).json()).toMatchObject({ level: null, action: 'none' });
  });

  it('measured days count: two measured days above 200 and a forecast above 300 make it 红色', async () => {
    expect((await post('/api/v1/devices', { id: 'AIR-1', kind: 'air_station', lon: PLACES.gongyuan.lon, lat: PLACES.gongyuan.lat })).statusCode).toBe(201);
    // PM2.5 200 → 150–250 → 200–300: IAQI 250 on 11-25 and 11-26 (city days)
    const sent = await post('/api/v1/readings', [
      { deviceId: 'AIR-1', ts: '2026-11-25T10:00:00+08:00', values: { pm25: 200 } },
      { deviceId: 'AIR-1', ts: '2026-11-26T09:00:00+08:00', values: { pm25: 200 } },
    ], { authorization: `Bearer ${key}` });
    expect(sent.json().stored).toBe(2);
    const r = (await post('/api/v1/pollution-warnings/assess', { forecast: [{ date: '2026-11-27', aqi: 310 }] })).json();
    expect(r.days).toEqual([{ date: '2026-11-25', aqi: 250, source: 'measured' }, { date: '2026-11-26', aqi: 250, source: 'measured' }, { date: '2026-11-27', aqi: 310, source: 'forecast' }]);
    expect(r).toMatchObject({ level: 'red', action: 'upgraded' });
    const w = (await get(`/api/v1/pollution-warnings/${r.warningId}`)).json() as Warning;
    expect(w.completion.total).toBe(7);
  });

  it('tracks completion (closed tasks, overdue ones) until the warning is lifted', async () => {
    const [w] = (await get('/api/v1/pollution-warnings')).json().items as Warning[];
    const first = w.tasks[0];
    const detail = (await get(`/api/v1/cases/${first.caseId}`)).json();
    expect((await post(`/api/v1/cases/${first.caseId}/transitions`, { action: 'void', version: detail.version, note: '已落实' })).statusCode).toBe(200);
    clock.set('2026-11-26T09:00:00Z'); // past the 6-hour tasks' deadline, before the 12-hour ones
    const now = (await get(`/api/v1/pollution-warnings/${w.id}`)).json() as Warning;
    expect(now.completion).toEqual({ total: 7, done: 1, overdue: now.tasks.filter((t) => !t.done && t.dueAt < '2026-11-26T09:00:00.000Z').length });
    expect(now.completion.overdue).toBeGreaterThan(0);
    const lifted = await post(`/api/v1/pollution-warnings/${w.id}/lift`, { note: '气象条件转好' });
    expect(lifted.json()).toMatchObject({ status: 'lifted', liftNote: '气象条件转好' });
    expect((await post(`/api/v1/pollution-warnings/${w.id}/lift`, {})).json().error).toBe('conflict');
    const again = await post('/api/v1/pollution-warnings', { level: 'yellow', reason: '新一轮过程' });
    expect(again.statusCode, again.body).toBe(201);
    expect(again.json().id).not.toBe(w.id);
  });

  it('the plan is editable by an admin; its departments must exist', async () => {
    expect((await env.http.inject({ method: 'PUT', url: '/api/v1/pollution-response-plan', payload: [{ level: 'yellow', departmentCode: 'NOPE', task: 'x', deadlineHours: 2 }], headers: admin() })).json().error).toBe('department_not_found');
    const put = await env.http.inject({ method: 'PUT', url: '/api/v1/pollution-response-plan', payload: [{ level: 'red', departmentCode: 'HW', task: '全天候洒水', deadlineHours: 2 }], headers: admin() });
    expect(put.json().items).toEqual([{ level: 'red', departmentCode: 'HW', task: '全天候洒水', deadlineHours: 2 }]);
  });

  it('the measured trigger (serve\'s job) counts only days after the latest lift', async () => {
    const [active] = ((await get('/api/v1/pollution-warnings')).json().items as Warning[]).filter((w) => w.status === 'active');
    expect((await post(`/api/v1/pollution-warnings/${active.id}/lift`, {})).statusCode).toBe(200);
    // 11-25 and 11-26 measured 250 (橙色 by themselves), but the lift was on 11-26: nothing
    expect(await assessMeasured(env.app, clock())).toBe('none');
    clock.set('2026-11-27T04:00:00Z');
    await post('/api/v1/readings', [{ deviceId: 'AIR-1', ts: '2026-11-27T11:00:00+08:00', values: { pm25: 200 } }], { authorization: `Bearer ${key}` });
    expect(await assessMeasured(env.app, clock())).toBe('issued');
    const [latest] = (await get('/api/v1/pollution-warnings')).json().items as Warning[];
    expect(latest).toMatchObject({ level: 'yellow', trigger: 'rule', status: 'active' });
    expect(latest.reason).toContain('日 AQI > 200');
    expect(await assessMeasured(env.app, clock())).toBe('none');
  });

  it('GRIDLOOP_AIR_JOINT_ZONE: name:members, off for none, anything else refused', () => {
    expect(loadConfig({ GRIDLOOP_AIR_JOINT_ZONE: 'off' }).sensors.jointZone).toBeNull();
    expect(loadConfig({ GRIDLOOP_AIR_JOINT_ZONE: '京津冀: 北京市, 天津市 ,' }).sensors.jointZone).toEqual({ name: '京津冀', members: ['北京市', '天津市'] });
    expect(() => loadConfig({ GRIDLOOP_AIR_JOINT_ZONE: '只有名字' })).toThrow(/GRIDLOOP_AIR_JOINT_ZONE/);
  });
});
