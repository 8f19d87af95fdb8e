import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiKey } from '../src/auth/auth.service.js';
import { patrolRepository } from '../src/patrols/patrol.repository.js';
import { createTestEnv, dialectUnderTest, frozenClock, type TestEnv } from './helpers.js';
import { buildWorld, PLACES, type World } from './world.js';

// A reach whose sampled class falls below its target opens one case for the river's department.
const clock = frozenClock('2026-11-26T02:00:00Z');
let env: TestEnv;
let world: World;
let key: string;

const admin = () => ({ cookie: world.cookies.admin });
const post = (url: string, payload: unknown, headers: Record<string, string> = admin()) => env.http.inject({ method: 'POST', url, payload: payload as object, headers });
const get = (url: string) => env.http.inject({ method: 'GET', url, headers: admin() });
const send = (items: unknown[]) => post('/api/v1/readings', items, { authorization: `Bearer ${key}` });
const waterCases = async () => ((await get('/api/v1/cases?channel=sensor&limit=100')).json().items as { id: number; categoryCode: string; description: string; status: string }[]).filter((c) => c.categoryCode === 'LGZ11');
const timeline = async (id: number) => ((await get(`/api/v1/cases/${id}/timeline`)).json() as { action: string }[]).map((e) => e.action);

async function reach(code: string, target: string | null, kind: 'river' | 'lake', departmentCode: string) {
  await patrolRepository.insertTarget(env.app.store.db, {
    code, kind: 'river', name: `${code} 段`, org_code: PLACES.heping.community, org_path: '/150300/150302/150302001/150302001002/', geometry: null,
    attributes: JSON.stringify({ waterBody: code.split('-')[0], waterBodyName: '测试水体', waterBodyKind: kind, ...(target ? { qualityTarget: target } : {}), departmentCode }), active: 1, created_at: clock().toISOString(),
  });
}

beforeAll(async () => {
  env = await createTestEnv({ clock });
  world = await buildWorld(env);
  key = (await createApiKey(env.sys(), { name: 'stations', orgCode: '150300', scopes: ['readings:write'] })).key;
  await reach('HH-01', 'II', 'river', 'CG');
  await reach('HU-01', 'II', 'lake', 'CG');
  await reach('XX-01', null, 'river', 'CG');
  for (const [id, place, reachCode] of [['SZ-1', PLACES.heping, 'HH-01'], ['SZ-2', PLACES.heping2, 'HH-01'], ['SZ-L', PLACES.gongyuan, 'HU-01'], ['SZ-X', PLACES.heping, 'XX-01']] as const) {
    const res = await post('/api/v1/devices', { id, kind: 'water_quality_station', lon: place.lon, lat: place.lat, reachCode });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json().reachCode).toBe(reachCode);
  }
}, 60_000);
afterAll(() => env.close());

describe(`断面水质不达标 → cases (${dialectUnderTest})`, () => {
  it('a station names an existing reach', async () => {
    const res = await post('/api/v1/devices', { id: 'SZ-9', kind: 'water_quality_station', lon: PLACES.heping.lon, lat: PLACES.heping.lat, reachCode: 'NOPE-01' });
    expect(res.json().error).toBe('reach_not_found');
  });

  it('a sample below the Ⅱ类 target opens ONE case for the river\'s department; recovery and new falls go to its timeline', async () => {
    // NH3-N 0.3 → Ⅱ (meets); 0.8 → Ⅲ (below: a case); the other station 1.2 → Ⅳ (still below: nothing new)
    await send([
      { deviceId: 'SZ-1', ts: '2026-11-26T00:00:00Z', values: { do: 7, nh3n: 0.3 } },
      { deviceId: 'SZ-1', ts: '2026-11-26T01:00:00Z', values: { do: 7, nh3n: 0.8 } },
    ]);
    await send([{ deviceId: 'SZ-2', ts: '2026-11-26T01:30:00Z', values: { nh3n: 1.2 } }]);
    let cases = await waterCases();
    expect(cases).toHaveLength(1);
    expect(cases[0].description).toContain('Ⅲ类（nh3n 决定），低于目标 Ⅱ类');
    const detail = (await get(`/api/v1/cases/${cases[0].id}`)).json();
    expect(detail).toMatchObject({ departmentId: world.departments.CG, channel: 'sensor' });
    expect(detail.routing.explanation).toContain('reach HH-01');
    // recovered (Ⅱ), then Ⅲ again (CODMn 5): the same case
    await send([
      { deviceId: 'SZ-1', ts: '2026-11-26T01:40:00Z', values: { nh3n: 0.2 } },
      { deviceId: 'SZ-1', ts: '2026-11-26T01:50:00Z', values: { codmn: 5 } },
    ]);
    cases = await waterCases();
    expect(cases).toHaveLength(1);
    expect(await timeline(cases[0].id)).toEqual(['report', 'water_recovered', 'water_below_target']);
    // replaying the samples, and an older sample, change nothing
    await send([{ deviceId: 'SZ-1', ts: '2026-11-26T01:00:00Z', values: { do: 7, nh3n: 0.8 } }, { deviceId: 'SZ-2', ts: '2026-11-25T01:00:00Z', values: { nh3n: 0.1 } }]);
    expect(await timeline(cases[0].id)).toHaveLength(3);
  });

  it('a closed case is not reopened: the next fall opens a new one', async () => {
    const [open] = await waterCases();
    const detail = (await get(`/api/v1/cases/${open.id}`)).json();
    expect((await post(`/api/v1/cases/${open.id}/transitions`, { action: 'void', version: detail.version, note: '已核实为采样误差' })).statusCode).toBe(200);
    clock.set('2026-11-26T03:00:00Z');
    await send([{ deviceId: 'SZ-1', ts: '2026-11-26T02:30:00Z', values: { nh3n: 0.2 } }, { deviceId: 'SZ-1', ts: '2026-11-26T02:40:00Z', values: { nh3n: 1.6 } }]);
    expect(await waterCases()).toHaveLength(2);
  });

  it('a lake uses the lake TP limits; a reach without a target opens nothing', async () => {
    // TP 0.04: river Ⅱ, lake Ⅲ → the lake reach falls below Ⅱ
    const before = (await waterCases()).length;
    await send([{ deviceId: 'SZ-L', ts: '2026-11-26T02:50:00Z', values: { tp: 0.04 } }, { deviceId: 'SZ-X', ts: '2026-11-26T02:50:00Z', values: { nh3n: 3 } }]);
    const cases = await waterCases();
    expect(cases.length - before).toBe(1);
    expect(cases.some((c) => c.description.includes('HU-01') && c.description.includes('tp'))).toBe(true);
  });
});
