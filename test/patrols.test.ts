import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addUser } from '../src/auth/auth.service.js';
import { createTestEnv, frozenClock, loginCookie, type TestEnv } from './helpers.js';
import { buildWorld, PASSWORD, type World } from './world.js';

// Thursday 2026-11-26 12:00 in Wuhai (UTC+8).
const clock = frozenClock('2026-11-26T04:00:00Z');
let env: TestEnv;
let world: World;
const chief = { heping: '', gongyuan: '' };
let workerAId = 0;
let gridPlanId = 0;

const GRID = { type: 'Polygon', coordinates: [[[106.8, 39.67], [106.81, 39.67], [106.81, 39.68], [106.8, 39.68], [106.8, 39.67]]] };

/** A walk north along lon 106.805 from 39.6705, `metres` long (0.001° ≈ 111 m), over `minutes`, a fix every 30 s; times as 4th coordinate. */
function walk(startIso: string, minutes: number, metres: number, lon = 106.805) {
  const n = Math.max(2, minutes * 2 + 1);
  const t0 = Date.parse(startIso);
  const coordinates = Array.from({ length: n }, (_, i) => [lon, 39.6705 + ((metres / 111_195) * i) / (n - 1), 1100, t0 + ((minutes * 60_000) * i) / (n - 1)]);
  return { type: 'LineString', coordinates };
}
const end = (startIso: string, minutes: number) => new Date(Date.parse(startIso) + minutes * 60_000).toISOString();

async function post(cookie: string, url: string, payload: unknown) {
  return env.http.inject({ method: 'POST', url, headers: { cookie }, payload: payload as object });
}
async function get(cookie: string, url: string) {
  return env.http.inject({ method: 'GET', url, headers: { cookie } });
}

beforeAll(async () => {
  env = await createTestEnv({ clock });
  world = await buildWorld(env);
  const sys = env.sys();
  await addUser(sys, { username: 'chief_heping', password: PASSWORD, role: 'leader', orgCode: '150302001002', phone: '13800000001' });
  await addUser(sys, { username: 'chief_gongyuan', password: PASSWORD, role: 'leader', orgCode: '150302001003', phone: '13800000002' });
  chief.heping = await loginCookie(env.http, 'chief_heping', PASSWORD);
  chief.gongyuan = await loginCookie(env.http, 'chief_gongyuan', PASSWORD);
  workerAId = (await env.app.store.db.selectFrom('users').select('id').where('username', '=', 'workerA').executeTakeFirstOrThrow()).id;
  const targets = [
    { code: 'G-150302001002001', kind: 'grid', name: '和平社区 网格001', orgCode: '150302001002001', geometry: GRID },
    { code: 'R-T-01', kind: 'river', name: '试验渠 和平段', orgCode: '150302001002', geometry: { type: 'LineString', coordinates: [[106.805, 39.67], [106.805, 39.69]] } },
    { code: 'R-T-02', kind: 'river', name: '试验渠 公园段', orgCode: '150302001003', geometry: { type: 'LineString', coordinates: [[106.825, 39.67], [106.825, 39.69]] } },
  ];
  for (const t of targets) expect((await post(world.cookies.admin, '/api/v1/patrol-targets', t)).statusCode).toBe(201);
  const plan = await post(world.cookies.admin, '/api/v1/patrol-plans', { target: 'G-150302001002001', assigneeUserId: workerAId, frequency: '每日 1 次', minDurationMinutes: 10, minDistanceMetres: 500, startsOn: '2026-11-01' });
  expect(plan.statusCode, plan.body).toBe(201);
  gridPlanId = plan.json().id;
  for (const [target, who] of [['R-T-01', 'chief_heping'], ['R-T-02', 'chief_gongyuan']]) {
    const id = (await env.app.store.db.selectFrom('users').select('id').where('username', '=', who).executeTakeFirstOrThrow()).id;
    const res = await post(world.cookies.admin, '/api/v1/patrol-plans', { target, assigneeUserId: id, level: 'community', frequency: 'week:1', startsOn: '2026-11-01' });
    expect(res.statusCode, res.body).toBe(201);
  }
});
afterAll(async () => env?.close());

describe('patrol records', () => {
  it('merges track batches by point time: repeated and out-of-order batches add only new points; the server measures', async () => {
    const start = '2026-11-25T01:00:00.000Z';
    const full = walk(start, 20, 1000);
    const batch = (from: number, to: number) => ({ planId: gridPlanId, startedAt: start, clientId: 'phone-1', track: { type: 'LineString', coordinates: full.coordinates.slice(from, to) } });
    const first = await post(world.cookies.workerA, '/api/v1/patrols', batch(20, 41));
    expect(first.statusCode, first.body).toBe(201);
    expect(first.json()).toMatchObject({ pointCount: 21, target: { code: 'G-150302001002001' }, person: expect.any(String) });
    const again = await post(world.cookies.workerA, '/api/v1/patrols', batch(20, 41));
    expect(again.statusCode).toBe(200);
    expect(again.json().pointCount).toBe(21);
    const earlier = await post(world.cookies.workerA, '/api/v1/patrols', { ...batch(0, 25), endedAt: end(start, 20) });
    expect(earlier.json()).toMatchObject({ id: first.json().id, pointCount: 41, durationS: 1200, flags: [] });
    expect(earlier.json().distanceM).toBeGreaterThan(990);
    expect(earlier.json().distanceM).toBeLessThan(1010);
    const detail = await get(world.cookies.workerA, `/api/v1/patrols/${first.json().id}`);
    const times: string[] = detail.json().track.properties.times;
    expect(times).toHaveLength(41);
    expect([...times].sort()).toEqual(times);
  });

  it('without a clientId, the same target and start identify the patrol; times may come as properties.times', async () => {
    const start = '2026-11-24T01:00:00.000Z';
    const w = walk(start, 4, 300);
    const feature = (slice: number[][]) => ({ type: 'Feature', geometry: { type: 'LineString', coordinates: slice.map((c) => c.slice(0, 2)) }, properties: { times: slice.map((c) => new Date(c[3]).toISOString()) } });
    const a = await post(world.cookies.workerA, '/api/v1/patrols', { target: 'G-150302001002001', startedAt: start, track: feature(w.coordinates.slice(5)) });
    const b = await post(world.cookies.workerA, '/api/v1/patrols', { target: 'G-150302001002001', startedAt: start, endedAt: end(start, 4), track: feature(w.coordinates.slice(0, 6)) });
    expect([a.statusCode, b.statusCode]).toEqual([201, 200]);
    expect(b.json()).toMatchObject({ id: a.json().id, pointCount: 9, planId: null });
  });

  it('a finding becomes a case through the ordinary intake (channel patrol), once however often it is sent', async () => {
    const start = '2026-11-26T02:00:00.000Z';
    const finding = { categoryCode: '06010', lon: 106.8051, lat: 39.6751, description: '巡查发现 垃圾堆放', clientId: 'f-1' };
    const res = await post(world.cookies.workerA, '/api/v1/patrols', { planId: gridPlanId, startedAt: start, clientId: 'phone-2', track: walk(start, 2, 100), findings: [finding] });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json().findings).toHaveLength(1);
    const again = await post(world.cookies.workerA, '/api/v1/patrols', { planId: gridPlanId, startedAt: start, clientId: 'phone-2', findings: [finding] });
    expect(again.json().findings.map((f: { caseId: number }) => f.caseId)).toEqual([res.json().findings[0].caseId]);
    const kase = await get(world.cookies.admin, `/api/v1/cases/${res.json().findings[0].caseId}`);
    expect(kase.json()).toMatchObject({ channel: 'patrol', description: '巡查发现 垃圾堆放', attributes: { patrolId: res.json().id, patrolTarget: 'G-150302001002001' } });
  });

  it('refuses bad input and writes nothing', async () => {
    const before = await env.app.store.db.selectFrom('patrols').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    const start = '2026-11-23T01:00:00.000Z';
    const cases = [
      { planId: gridPlanId, startedAt: start, track: { type: 'LineString', coordinates: [[106.805, 39.6705]] } },
      { planId: gridPlanId, startedAt: start, endedAt: '2026-11-23T00:00:00.000Z' },
      { planId: gridPlanId, startedAt: '2026-11-27T01:00:00.000Z' },
      { startedAt: start },
      { planId: gridPlanId, startedAt: start, findings: [{ categoryCode: '99999', lon: 106.805, lat: 39.671, description: 'x' }] },
    ];
    const statuses = [];
    for (const body of cases) statuses.push((await post(world.cookies.workerA, '/api/v1/patrols', body)).statusCode);
    expect(statuses).toEqual([400, 400, 400, 400, 404]);
    const after = await env.app.store.db.selectFrom('patrols').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    expect(Number(after.n)).toBe(Number(before.n));
    expect((await post(chief.gongyuan, '/api/v1/patrols', { planId: gridPlanId, startedAt: start })).statusCode).toBe(404);
    expect((await post(world.cookies.citizen, '/api/v1/patrols', { planId: gridPlanId, startedAt: start })).statusCode).toBe(403);
  });

  it('flags a track far from its target', async () => {
    const start = '2026-11-13T01:00:00.000Z';
    const res = await post(world.cookies.workerA, '/api/v1/patrols', { planId: gridPlanId, startedAt: start, endedAt: end(start, 20), track: walk(start, 20, 1000, 106.9) });
    expect(res.json().flags).toEqual(['outside_target']);
  });
});

describe('compliance', () => {
  /*
   *  Mo16 Tu17 We18 Th19 Fr20 Sa21 Su22   每日 1 次, ≥10 min and ≥500 m
   *   ok   ok   --   ok   ok  short fast
   */
  beforeAll(async () => {
    const day = (d: number) => `2026-11-${d}T01:00:00.000Z`;
    for (const d of [16, 17, 19, 20]) await post(world.cookies.workerA, '/api/v1/patrols', { planId: gridPlanId, startedAt: day(d), endedAt: end(day(d), 15), track: walk(day(d), 15, 800) });
    await post(world.cookies.workerA, '/api/v1/patrols', { planId: gridPlanId, startedAt: day(21), endedAt: end(day(21), 5), track: walk(day(21), 5, 800) });
    const fast = await post(world.cookies.workerA, '/api/v1/patrols', { planId: gridPlanId, startedAt: day(22), endedAt: end(day(22), 15), track: walk(day(22), 1, 1000) });
    expect(fast.json().flags).toContain('too_fast');
    // The village chiefs: 和平 walked their reach in the week of the 16th, 公园 did not.
    await post(chief.heping, '/api/v1/patrols', { target: 'R-T-01', startedAt: day(18), endedAt: end(day(18), 30), track: walk(day(18), 30, 1500) });
  });

  it('a week with one missed day, a too-short and a too-fast patrol: required 7, done 4', async () => {
    const res = await get(world.cookies.admin, '/api/v1/patrols/compliance?org=150302&from=2026-11-16&to=2026-11-22&kind=grid');
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().rows).toHaveLength(1);
    expect(res.json().rows[0]).toMatchObject({ target: 'G-150302001002001', required: 7, done: 4, missed: 3, tooShort: 1, flagged: 1, frequency: '每日 1 次' });
    expect(res.json().rows[0].rate).toBeCloseTo(4 / 7, 6);
  });

  it('rivers: per chief, per reach; drill-down by community; CSV', async () => {
    const res = await get(world.cookies.admin, '/api/v1/patrols/compliance?org=150302&from=2026-11-16&to=2026-11-22&kind=river&groupBy=community');
    const rows = res.json().rows.map((r: { target: string; required: number; done: number }) => [r.target, r.required, r.done]);
    expect(rows).toEqual([['R-T-01', 1, 1], ['R-T-02', 1, 0]]);
    expect(res.json().groups.map((g: { code: string; rate: number }) => [g.code, g.rate])).toEqual([['150302001002', 1], ['150302001003', 0]]);
    const csv = await get(world.cookies.admin, '/api/v1/patrols/compliance.csv?org=150302&from=2026-11-16&to=2026-11-22&kind=river');
    expect(csv.headers['content-type']).toMatch(/text\/csv/);
    expect(csv.body.split('\r\n')[1]).toMatch(/^[^,]+,R-T-01,试验渠 和平段,river,.*,1,1,0,1\.000,0,0$/);
  });

  it("a village's chief sees only their reaches' records", async () => {
    const mine = await get(chief.heping, '/api/v1/patrols?from=2026-11-01&to=2026-11-30&kind=river');
    expect(mine.json().items.map((p: { target: { code: string } }) => p.target.code)).toEqual(['R-T-01']);
    const theirs = await get(chief.gongyuan, '/api/v1/patrols?from=2026-11-01&to=2026-11-30');
    expect(theirs.json().items).toEqual([]);
    const id = mine.json().items[0].id;
    expect((await get(chief.gongyuan, `/api/v1/patrols/${id}`)).statusCode).toBe(404);
    expect((await get(chief.gongyuan, '/api/v1/patrols/compliance?org=150302001002')).statusCode).toBe(404);
    const plans = await get(chief.heping, '/api/v1/patrol-plans?kind=river');
    expect(plans.json().items.map((p: { target: { code: string } }) => p.target.code)).toEqual(['R-T-01']);
  });
});
