import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiKey } from '../src/auth/auth.service.js';
import { snapshotIndicators } from '../src/indicators/indicator.service.js';
import { patrolRepository } from '../src/patrols/patrol.repository.js';
import { createTestEnv, dialectUnderTest, frozenClock, type TestEnv } from './helpers.js';
import { buildWorld, PLACES, type World } from './world.js';

// 2026-11-26 10:00 in 乌海 (UTC+8) is 02:00Z.
const clock = frozenClock('2026-11-26T02:00:00Z');
let env: TestEnv;
let world: World;
let key: string;

const admin = () => ({ cookie: world.cookies.admin });
const post = (url: string, payload: unknown, headers: Record<string, string> = admin()) => env.http.inject({ method: 'POST', url, payload: payload as object, headers });
const patch = (url: string, payload: unknown) => env.http.inject({ method: 'PATCH', url, payload: payload as object, headers: admin() });
const get = (url: string, headers: Record<string, string> = admin()) => env.http.inject({ method: 'GET', url, headers });
const send = (items: unknown[]) => post('/api/v1/readings', items, { authorization: `Bearer ${key}` });
type Indicator = { code: string; name: string; unit: string; target: number | string; targetLabel: string; targetYear: number; planFigure: boolean; source: string; actual: number | string | null; actualLabel: string | null; asOf: string | null; evidence: string | null; onTrack: boolean | null; trend: string | null };
const indicators = async () => (await get('/api/v1/indicators')).json().items as Indicator[];
const indicator = async (code: string) => (await indicators()).find((i) => i.code === code) as Indicator;

beforeAll(async () => {
  env = await createTestEnv({ clock, config: { sessionTtlHours: 24 * 30 } }); // the clock moves a day on
  world = await buildWorld(env);
  key = (await createApiKey(env.sys(), { name: 'stations', orgCode: '150300', scopes: ['readings:write'] })).key;
  // A 黄河 reach (as the 河长制 register writes it) in 和平社区, target Ⅱ类.
  await patrolRepository.insertTarget(env.app.store.db, {
    code: 'HH-WH-02', kind: 'river', name: '黄河 海勃湾区段', org_code: PLACES.heping.community, org_path: '/150300/150302/150302001/150302001002/', geometry: null,
    attributes: JSON.stringify({ waterBody: 'HH-WH', waterBodyName: '黄河乌海段', waterBodyKind: 'river', qualityTarget: 'II' }), active: 1, created_at: clock().toISOString(),
  });
  for (const [id, kind, place, reachCode] of [['AIR-1', 'air_station', PLACES.heping, undefined], ['AIR-2', 'air_station', PLACES.gongyuan, undefined], ['SZ-1', 'water_quality_station', PLACES.heping2, 'HH-WH-02']] as const) {
    const res = await post('/api/v1/devices', { id, kind, lon: place.lon, lat: place.lat, ...(reachCode ? { reachCode } : {}) });
    expect(res.statusCode, res.body).toBe(201);
  }
}, 60_000);
afterAll(() => env.close());

describe(`the city indicators (城市体征) (${dialectUnderTest})`, () => {
  it('ships the plan\'s figures as targets, with no actual before any value', async () => {
    const list = await indicators();
    expect(list.map((i) => [i.code, i.name, i.target, i.targetLabel, i.planFigure, i.source])).toEqual([
      ['water_huanghe_class', '黄河乌海段水质', 'II', 'Ⅱ类', true, 'sensor'],
      ['green_coverage_built_up', '建成区绿化覆盖率', 43, '43 %', true, 'manual'],
      ['park_green_per_capita', '人均公园绿地面积', 19.5, '19.5 m²', true, 'manual'],
      ['air_good_days_share', '空气质量优良天数比例', 80, '80 %', false, 'sensor'],
      ['satisfaction_12345', '12345 热线满意率', 90, '90 %', false, 'cases'],
    ]);
    expect(list.every((i) => i.actual === null && i.onTrack === null)).toBe(true);
  });

  it('a manual indicator takes dated entries with evidence: actual, onTrack and trend follow', async () => {
    const first = await post('/api/v1/indicators/green_coverage_built_up/values', { asOf: '2025-12-31', value: 41.2, evidence: '2025 年统计公报' });
    expect(first.statusCode, first.body).toBe(201);
    expect(first.json()).toMatchObject({ actual: 41.2, actualLabel: '41.2 %', asOf: '2025-12-31', onTrack: false, trend: null, evidence: '2025 年统计公报' });
    await post('/api/v1/indicators/green_coverage_built_up/values', { asOf: '2026-06-30', value: 43.4, evidence: '园林局年中核查' });
    expect(await indicator('green_coverage_built_up')).toMatchObject({ actual: 43.4, onTrack: true, trend: 'better' });
    const series = (await get('/api/v1/indicators/green_coverage_built_up/values')).json();
    expect(series.items.map((v: { asOf: string; value: number }) => [v.asOf, v.value])).toEqual([['2025-12-31', 41.2], ['2026-06-30', 43.4]]);
  });

  it('refuses entries for computed indicators, a class for a number, a future date; only an admin writes', async () => {
    expect((await post('/api/v1/indicators/air_good_days_share/values', { asOf: '2026-06-30', value: 80, evidence: 'x' })).json().error).toBe('validation_failed');
    expect((await post('/api/v1/indicators/park_green_per_capita/values', { asOf: '2026-06-30', value: 'II', evidence: 'x' })).json().error).toBe('validation_failed');
    expect((await post('/api/v1/indicators/park_green_per_capita/values', { asOf: '2026-12-01', value: 20, evidence: 'x' })).json().error).toBe('validation_failed');
    expect((await post('/api/v1/indicators/park_green_per_capita/values', { asOf: '2026-06-30', value: 20 })).statusCode).toBe(400);
    expect((await post('/api/v1/indicators/nope/values', { asOf: '2026-06-30', value: 20, evidence: 'x' })).json().error).toBe('indicator_not_found');
    expect((await post('/api/v1/indicators/park_green_per_capita/values', { asOf: '2026-06-30', value: 20, evidence: 'x' }, { cookie: world.cookies.dispatcher })).statusCode).toBe(403);
    expect((await indicator('park_green_per_capita')).actual).toBeNull();
  });

  it('优良天数比例 from the stations\' daily means by HJ 633-2012; the target is editable', async () => {
    // Hourly readings of three city days (UTC+8). 11-24: PM2.5 30 and 30 → 43 (优). 11-25: AIR-1 140,
    // AIR-2 180 → city mean 160 → 210 (重度污染). 11-26 so far: 70 → 94 (良). Two good days of three.
    const at = (day: string, hour: number) => new Date(`${day}T${String(hour).padStart(2, '0')}:00:00+08:00`).toISOString();
    const items = [];
    for (const [day, a, b] of [['2026-11-24', 30, 30], ['2026-11-25', 140, 180]] as const) {
      for (const hour of [3, 9, 15]) items.push({ deviceId: 'AIR-1', ts: at(day, hour), values: { pm25: a } }, { deviceId: 'AIR-2', ts: at(day, hour), values: { pm25: b } });
    }
    items.push({ deviceId: 'AIR-1', ts: at('2026-11-26', 8), values: { pm25: 70 } });
    expect((await send(items)).json()).toMatchObject({ stored: items.length, refused: [] });
    expect(await indicator('air_good_days_share')).toMatchObject({ actual: 66.7, onTrack: false, asOf: '2026-11-26' });
    expect((await indicator('air_good_days_share')).evidence).toContain('2 of 3 days');
    const edited = await patch('/api/v1/indicators/air_good_days_share', { target: 60, targetYear: 2026 });
    expect(edited.json()).toMatchObject({ target: 60, targetYear: 2026, onTrack: true });
    expect((await patch('/api/v1/indicators/air_good_days_share', { target: 'VII' })).statusCode).toBe(400);
  });

  it('黄河乌海段水质 is the class of its stations\' means by GB 3838-2002; snapshots build the series and the trend', async () => {
    // DO 6.5 → Ⅱ; CODMn 3.5 → Ⅱ; NH3-N (0.4 + 0.8)/2 = 0.6 → Ⅲ (≤1.0): Ⅲ类, below the Ⅱ类 target.
    await send([
      { deviceId: 'SZ-1', ts: '2026-11-25T02:00:00Z', values: { do: 6.5, codmn: 3.5, nh3n: 0.4 } },
      { deviceId: 'SZ-1', ts: '2026-11-25T06:00:00Z', values: { do: 6.5, codmn: 3.5, nh3n: 0.8 } },
    ]);
    const water = await indicator('water_huanghe_class');
    expect(water).toMatchObject({ actual: 'III', actualLabel: 'Ⅲ类', onTrack: false });
    expect(water.evidence).toContain('nh3n');
    expect(await snapshotIndicators(env.app, clock())).toBe(2);
    // The next day NH3-N comes down: the year's mean 0.4 → Ⅱ类, better than yesterday's snapshot.
    clock.set('2026-11-27T02:00:00Z');
    await send([{ deviceId: 'SZ-1', ts: '2026-11-27T01:00:00Z', values: { nh3n: 0.0 } }]);
    expect(await indicator('water_huanghe_class')).toMatchObject({ actual: 'II', onTrack: true, trend: 'better' });
    const series = (await get('/api/v1/indicators/water_huanghe_class/values')).json();
    expect(series.items).toEqual([expect.objectContaining({ asOf: '2026-11-26', value: 'III' })]);
  });

  it('an admin adds an indicator; codes are unique', async () => {
    const res = await post('/api/v1/indicators', { code: 'pm25_mean', name: 'PM2.5 年均浓度', unit: 'μg/m³', direction: 'lower', target: 35, targetYear: 2026 });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json()).toMatchObject({ code: 'pm25_mean', planFigure: false, source: 'manual', actual: null });
    expect((await post('/api/v1/indicators', { code: 'pm25_mean', name: 'x', unit: '', direction: 'lower', target: 1, targetYear: 2026 })).json().error).toBe('already_exists');
    expect((await post('/api/v1/indicators', { code: 'x_sensor', name: 'x', unit: '', direction: 'lower', target: 1, targetYear: 2026, source: 'sensor', sourceRef: 'nope' })).json().error).toBe('validation_failed');
  });
});
