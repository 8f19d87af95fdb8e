import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestEnv, frozenClock, type TestEnv } from './helpers.js';
import { buildWorld, PLACES, type World } from './world.js';
import { caseApi } from './support/case-api.js';
import { areaM2 } from '../src/grids/geometry.js';

// Wednesday 2026-11-25 10:00 in Wuhai (UTC+8) = 02:00Z
const clock = frozenClock('2026-11-25T02:00:00Z');
let env: TestEnv;
let world: World;
let api: ReturnType<typeof caseApi>;
const made: Record<string, { id: number; number: string }[]> = { heping: [], gongyuan: [], xinqiao: [] };

beforeAll(async () => {
  env = await createTestEnv({ clock });
  world = await buildWorld(env);
  api = caseApi(env, world);
  // 3 cases in 和平社区 (海勃湾区), 1 in 公园社区 (海勃湾区), 2 in 新桥社区 (海南区); one of 和平 goes all the way to closed
  for (let i = 0; i < 3; i++) made.heping.push(await api.report('workerA', {}, i === 2 ? PLACES.heping2 : PLACES.heping));
  made.gongyuan.push(await api.report('workerB', {}, PLACES.gongyuan));
  for (let i = 0; i < 2; i++) made.xinqiao.push(await api.report('dispatcher', { channel: 'hotline' }, PLACES.xinqiao));
  const c = made.heping[0].id;
  for (const [who, action, extra] of [
    ['dispatcher', 'verify', {}], ['dispatcher', 'register', {}], ['dispatcher', 'dispatch', { departmentId: world.departments.HW }],
    ['handler', 'accept', {}], ['handler', 'complete', {}], ['inspector', 'check_pass', {}], ['dispatcher', 'close', {}],
  ] as const) await api.act(who, c, action, extra);
  // a leader's 督办 on a 新桥 case
  await api.act('leader', made.xinqiao[0].id, 'supervise', { note: '尽快' });
});
afterAll(() => env?.close());

const get = async (who: keyof World['cookies'], url: string, status = 200) => {
  const res = await api.get(who, url);
  expect(res.statusCode, res.body).toBe(status);
  return res.json();
};

describe('big screen panels', () => {
  it('cards equal the KPI API for the city and every district, with the open cases now', async () => {
    for (const org of ['150300', '150302', '150303', '150304']) {
      const cards = await get('leader', `/api/v1/screen/cards?org=${org}&period=30d`);
      const kpis = await api.kpis(`org=${org}&from=${cards.from}&to=${cards.to}`, 'leader');
      for (const key of ['reported', 'registered', 'closed', 'closedOnTime', 'overdue', 'onTimeClosureRate', 'satisfactionRate', 'composite', 'grade']) {
        expect(cards.current[key], `${org} ${key}`).toEqual(kpis[key]);
      }
    }
    const city = await get('leader', '/api/v1/screen/cards?period=today');
    expect(city.org.code).toBe('150300');
    expect(city.current.reported).toBe(6);
    expect(city.current.closed).toBe(1);
    expect(city.now).toEqual({ open: 5, overdue: 0, handling: 0, supervised: 1 });
    expect(city.previous).toEqual({ from: '2026-11-24', to: '2026-11-24' });
    expect(city.before.reported).toBe(0);
    const hainan = await get('leader', '/api/v1/screen/cards?org=150303&period=7d');
    expect(hainan.current.reported).toBe(2);
    expect(hainan.now.open).toBe(2);
  });

  it('the choropleth has every unit one level down, with the measure and the figures behind it', async () => {
    const city = await get('leader', '/api/v1/screen/areas?org=150300&period=30d&measure=open');
    expect(city.childLevel).toBe('district');
    expect(city.areas.map((a: { code: string }) => a.code)).toEqual(['150302', '150303', '150304']);
    const by = Object.fromEntries(city.areas.map((a: { code: string }) => [a.code, a]));
    expect(by['150302']).toMatchObject({ value: 3, open: 3, reported: 4, closed: 1 });
    expect(by['150303']).toMatchObject({ value: 2, open: 2, reported: 2, closed: 0 });
    expect(by['150304']).toMatchObject({ value: 0, open: 0, reported: 0, areaKm2: null });
    // density: reports per km² of the district's grids (two 0.01° squares + one in 海勃湾区)
    const density = await get('leader', '/api/v1/screen/areas?org=150300&period=30d&measure=density');
    const hb = density.areas.find((a: { code: string }) => a.code === '150302');
    expect(hb.areaKm2).toBeGreaterThan(2.5);
    expect(hb.areaKm2).toBeLessThan(2.9);
    expect(hb.value).toBeCloseTo(4 / hb.areaKm2, 1);
    const community = await get('leader', `/api/v1/screen/areas?org=${PLACES.heping.community}&period=30d&measure=open`);
    expect(community.childLevel).toBe('grid');
    expect(community.areas.map((a: { code: string; open: number }) => [a.code, a.open])).toEqual([[PLACES.heping.grid, 1], [PLACES.heping2.grid, 1]]);
  });

  it('outlines are the union of grids: a community of two squares is one polygon of their summed area', async () => {
    const street = await get('leader', '/api/v1/screen/outlines?org=150302001');
    expect(street.childLevel).toBe('community');
    const heping = street.features.find((f: { properties: { code: string } }) => f.properties.code === PLACES.heping.community);
    expect(heping.geometry.type).toBe('MultiPolygon');
    expect(heping.geometry.coordinates).toHaveLength(1);
    const grids = await get('leader', `/api/v1/screen/outlines?org=${PLACES.heping.community}`);
    const gridArea = grids.features.filter((f: { properties: { role: string } }) => f.properties.role === 'child').reduce((s: number, f: { geometry: { type: string; coordinates: never } }) => s + areaM2(f.geometry.type === 'Polygon' ? [f.geometry.coordinates] : f.geometry.coordinates), 0);
    expect(areaM2(heping.geometry.coordinates)).toBeCloseTo(gridArea, -2);
    expect(street.features.find((f: { properties: { role: string } }) => f.properties.role === 'self').properties.code).toBe('150302001');
  });

  it('pins are the open cases of the area; rankings and trends follow the area', async () => {
    const pins = await get('leader', `/api/v1/screen/pins?org=${PLACES.heping.grid}`);
    expect(pins.pins.map((p: { id: number }) => p.id).sort()).toEqual([made.heping[1].id]);
    const trends = await get('leader', '/api/v1/screen/trends?org=150300&period=7d');
    expect(trends.daily).toHaveLength(7);
    expect(trends.daily.at(-1)).toEqual({ day: '2026-11-25', reported: 6, closed: 1 });
    expect(trends.daily[0]).toEqual({ day: '2026-11-19', reported: 0, closed: 0 });
    expect(trends.categories).toEqual([{ code: '06010', name: expect.any(String), reported: 6 }]);
    expect(trends.channels.sort((a: { channel: string }, b: { channel: string }) => a.channel.localeCompare(b.channel))).toEqual([{ channel: 'hotline', reported: 2 }, { channel: 'patrol', reported: 4 }]);
    // every report at 10:00 on a Wednesday, city time
    expect(trends.heatmap).toEqual([{ weekday: 2, hour: 10, reported: 6 }]);
    expect(trends.supervised.map((c: { id: number }) => c.id)).toEqual([made.xinqiao[0].id]);
    const hb = await get('leader', '/api/v1/screen/trends?org=150302&period=7d');
    expect(hb.supervised).toEqual([]);
    const rankings = await get('leader', '/api/v1/screen/rankings?org=150300&period=30d');
    expect(rankings.areas.map((a: { code: string; reported: number }) => [a.code, a.reported])).toEqual([['150302', 4], ['150303', 2]]);
  });

  it('is scoped: another community is not found, a handler sees only its department', async () => {
    await get('workerB', `/api/v1/screen/cards?org=${PLACES.heping.community}`, 404);
    await get('workerB', `/api/v1/screen/pins?org=${PLACES.heping.community}`, 404);
    const own = await get('workerB', '/api/v1/screen/cards?period=today');
    expect(own.org.code).toBe(PLACES.gongyuan.community);
    expect(own.current.reported).toBe(1);
    const handler = await get('handler', '/api/v1/screen/cards?period=today');
    expect(handler.now.open).toBe(0);
    await get('citizen', '/api/v1/screen/cards', 403);
    await get('leader', '/api/v1/screen/cards?from=2026-11-02', 400);
  });
});
