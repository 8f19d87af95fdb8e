import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addUser } from '../src/auth/auth.service.js';
import { createTestEnv, frozenClock, loginCookie, type TestEnv } from './helpers.js';
import { buildWorld, PASSWORD, PLACES, type World } from './world.js';

const clock = frozenClock('2026-11-26T02:00:00Z');
let env: TestEnv;
let world: World;
let outsider = '';
let enterpriseId = 0;

const post = (cookie: string, url: string, payload: unknown) => env.http.inject({ method: 'POST', url, headers: { cookie }, payload: payload as object });
const get = (cookie: string, url: string) => env.http.inject({ url, headers: { cookie } });

beforeAll(async () => {
  env = await createTestEnv({ clock });
  world = await buildWorld(env);
  await addUser(env.sys(), { username: 'hn_dispatcher', password: PASSWORD, role: 'dispatcher', orgCode: '150303', phone: '13800000003' });
  outsider = await loginCookie(env.http, 'hn_dispatcher', PASSWORD);
});
afterAll(async () => env?.close());

describe('enterprises and risk points (双重预防)', () => {
  it('registers an enterprise with a valid 统一社会信用代码 only, placed in its grid', async () => {
    const body = { creditCode: '91440300708461136T', name: '乌达化工示范厂', industry: '危险化学品', lon: PLACES.heping.lon, lat: PLACES.heping.lat, departmentCode: 'HW' };
    expect((await post(world.cookies.admin, '/api/v1/enterprises', { ...body, creditCode: '91440300708461136U' })).json()).toMatchObject({ error: 'validation_failed', details: { field: 'creditCode' } });
    const res = await post(world.cookies.admin, '/api/v1/enterprises', body);
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json()).toMatchObject({ grid: PLACES.heping.grid, level: null, riskPoints: [] });
    enterpriseId = res.json().id;
    expect((await post(world.cookies.admin, '/api/v1/enterprises', body)).statusCode).toBe(409);
    expect((await post(outsider, '/api/v1/enterprises', { ...body, creditCode: '914403001922038216' })).statusCode).toBe(403);
  });

  it('grades risk points into four colours; a red point gets a weekly inspection plan for the district inspectors', async () => {
    const red = await post(world.cookies.admin, `/api/v1/enterprises/${enterpriseId}/risk-points`, { name: '液氯储罐区', assessment: { method: 'lec', l: 6, e: 6, c: 15 }, controlLevel: 'company', measures: '双人双锁, 泄漏报警' });
    expect(red.statusCode, red.body).toBe(201);
    expect(red.json()).toMatchObject({ score: 540, level: 'red', levelLabel: '重大风险' });
    await post(world.cookies.admin, `/api/v1/enterprises/${enterpriseId}/risk-points`, { name: '配电室', assessment: { method: 'matrix', l: 2, s: 3 }, controlLevel: 'workshop', measures: '定期检查' });
    const e = (await get(world.cookies.admin, `/api/v1/enterprises/${enterpriseId}`)).json();
    expect(e.level).toBe('red');
    expect(e.riskPoints.map((p: { level: string }) => p.level)).toEqual(['red', 'blue']);
    const plans = (await get(world.cookies.admin, '/api/v1/patrol-plans?kind=safety')).json().items;
    expect(plans.map((p: { target: { code: string }; frequency: { period: string; times: number }; assignee: { role: string }; org: { code: string } }) => [p.target.code, p.frequency.period, p.assignee.role, p.org.code])).toEqual([
      ['RP-91440300708461136T-1', 'week', 'inspector', '150302'],
      ['RP-91440300708461136T-2', 'quarter', 'inspector', '150302'],
    ]);
  });

  it('an inspection is a patrol: the inspector at the district counts for the plan', async () => {
    // The plans started on Thu 26 Nov; the week of Mon 30 Nov is the first whole one. Now: Tue 8 Dec.
    clock.set('2026-12-08T02:00:00Z');
    world.cookies.inspector = await loginCookie(env.http, 'inspector', PASSWORD);
    world.cookies.admin = await loginCookie(env.http, 'admin', PASSWORD);
    outsider = await loginCookie(env.http, 'hn_dispatcher', PASSWORD);
    const res = await post(world.cookies.inspector, '/api/v1/patrols', { target: 'RP-91440300708461136T-1', startedAt: '2026-12-02T02:00:00Z', endedAt: '2026-12-02T02:40:00Z', track: { type: 'LineString', coordinates: [[PLACES.heping.lon, PLACES.heping.lat, 0, Date.parse('2026-12-02T02:00:00Z')]] } });
    expect(res.statusCode, res.body).toBe(201);
    const c = (await get(world.cookies.admin, '/api/v1/patrols/compliance?org=150302&from=2026-11-30&to=2026-12-06&kind=safety')).json();
    expect(c.rows.map((r: { target: string; required: number; done: number }) => [r.target, r.required, r.done])).toEqual([['RP-91440300708461136T-1', 1, 1], ['RP-91440300708461136T-2', 0, 0]]);
  });

  it('the four-colour map counts enterprises by their worst point; another district sees none', async () => {
    expect((await get(world.cookies.admin, '/api/v1/risk-map')).json().counts).toEqual({ red: 1, orange: 0, yellow: 0, blue: 0, none: 0 });
    expect((await get(outsider, '/api/v1/risk-map')).json()).toEqual({ counts: { red: 0, orange: 0, yellow: 0, blue: 0, none: 0 }, features: [] });
    expect((await get(outsider, `/api/v1/enterprises/${enterpriseId}`)).statusCode).toBe(404);
  });
});
