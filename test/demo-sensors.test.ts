import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestEnv, loginCookie, type TestEnv } from './helpers.js';
import { buildDemoCity } from '../src/demo/demo.js';
import { buildDemoHistory } from '../src/demo/demo.history.js';
import { buildDemoSensors, SILENT_DEVICES } from '../src/demo/demo.readings.js';
import { DEMO_PASSWORD } from '../src/demo/demo.departments.js';
import { BUILTIN_KINDS } from '../src/sensors/device.kinds.js';
import { DEMO_WATER_BODIES } from '../src/patrols/river.register.js';

const END = new Date('2026-11-26T04:20:00Z');
const DAYS = 30;

let env: TestEnv;
let admin: string;
beforeAll(async () => {
  env = await createTestEnv({ clock: () => new Date(END) });
  await buildDemoCity(env.sys());
  admin = await loginCookie(env.http, 'admin', DEMO_PASSWORD);
}, 300_000);
afterAll(async () => env?.close());

const get = async (url: string) => {
  const res = await env.http.inject({ url, headers: { cookie: admin } });
  expect(res.statusCode, res.body).toBe(200);
  return res.json();
};

describe('the demo sensors', () => {
  it('registers devices of every built-in kind inside the demo grids, water stations on the demo reaches, and rules', async () => {
    const first = await buildDemoSensors(env.sys(), { days: DAYS, end: END });
    expect(first.created).toBe(first.devices);
    const devices = (await get('/api/v1/devices?limit=500')).items as { id: string; kind: string; gridCode: string; lon: number; lat: number }[];
    expect(devices).toHaveLength(first.devices);
    for (const kind of BUILTIN_KINDS) expect(devices.filter((d) => d.kind === kind.code).length, kind.code).toBeGreaterThan(0);
    // every device lies in a grid: the locator agrees with the stored grid
    for (const d of devices.filter((_, i) => i % 7 === 0)) {
      const located = await get(`/api/v1/locate?lon=${d.lon}&lat=${d.lat}`);
      expect(located.chain.at(-1).code, d.id).toBe(d.gridCode);
    }
    const districts = new Set(devices.filter((d) => d.kind === 'air_station').map((d) => d.gridCode.slice(0, 6)));
    expect([...districts].sort()).toEqual(['150302', '150303', '150304']);
    const reaches = DEMO_WATER_BODIES.flatMap((b) => b.reaches.map((r) => `WQ-${r.code}`)).sort();
    expect(devices.filter((d) => d.kind === 'water_quality_station').map((d) => d.id).sort()).toEqual(reaches);
    const rules = (await get('/api/v1/alarm-rules')).items as { kind: string }[];
    expect(new Set(rules.map((r) => r.kind))).toEqual(new Set(BUILTIN_KINDS.map((k) => k.code)));

    const again = await buildDemoSensors(env.sys(), { days: DAYS, end: END });
    expect(again).toMatchObject({ created: 0, rules: 0, rollups: 0, devices: first.devices });
  });

  it('has a month of daily air readings whose AQI is mostly 优 or 良, and hourly ones for the last two days', async () => {
    const day = await get(`/api/v1/readings/series?deviceId=AIR-HBW-1&metric=pm25&period=day&from=2026-10-01&to=2026-11-27`);
    expect(day.items.length).toBe(DAYS + 1); // 30 × 24 hours over 31 city days, partial at both ends
    const pm10 = await get(`/api/v1/readings/series?deviceId=AIR-HBW-1&metric=pm10&period=day&from=2026-10-01&to=2026-11-27`);
    let good = 0;
    for (const [i, d] of day.items.entries()) {
      if (i > 0 && i < DAYS) expect(d.n).toBe(24); // hourly means
      const aqi = await get(`/api/v1/air/aqi?period=day&pm25=${d.avg}&pm10=${pm10.items[i].avg}`);
      if (aqi.aqi <= 100) good++;
    }
    expect(good / day.items.length).toBeGreaterThan(0.5);
    const hour = await get(`/api/v1/readings/series?deviceId=AIR-HBW-1&metric=pm25&period=hour&from=2026-11-20T00:00:00Z&to=2026-11-27T00:00:00Z`);
    expect(hour.items.length).toBe(48);
    expect(hour.items.at(-1).bucket).toBe('2026-11-26T02:00:00.000Z'); // the hour before the live hour
  });

  it('runs the live hour through the intake after the case history: three incidents open sensor cases, two devices fall silent', async () => {
    const run = await buildDemoHistory(env.app, { days: 2, casesPerDay: 3, seed: 5, end: END });
    expect(run.outcome).toBe('built');
    const db = env.app.store.db;
    const firing = await db.selectFrom('alarm_states').innerJoin('cases', 'cases.id', 'alarm_states.case_id').select(['alarm_states.device_id', 'cases.channel', 'cases.category_code']).where('alarm_states.state', '=', 'firing').orderBy('alarm_states.device_id').execute();
    expect(firing).toEqual([
      { device_id: 'JG-HBW-05', channel: 'sensor', category_code: 'LGZ01' },
      { device_id: 'JS-HN-01', channel: 'sensor', category_code: 'LGZ02' },
      { device_id: 'YG-HBW-02', channel: 'sensor', category_code: 'LGZ03' },
    ]);
    const silent = await db.selectFrom('devices').select(['id', 'last_seen_at']).where('id', 'in', SILENT_DEVICES).execute();
    for (const d of silent) expect(Date.parse(d.last_seen_at ?? '')).toBeLessThan(END.getTime() - 60 * 60_000);
    const air = await db.selectFrom('devices').select('last_seen_at').where('id', '=', 'AIR-HBW-1').executeTakeFirstOrThrow();
    expect(air.last_seen_at).toBe('2026-11-26T04:00:00.000Z');
  });

  it('an air station silent for two hours opens one 设备离线 case (the demo\'s offline rule), once', async () => {
    const { sweepOffline } = await import('../src/sensors/alarm.service.js');
    const db = env.app.store.db;
    const stations = (await db.selectFrom('devices').select(['id', 'last_seen_at']).where('kind', '=', 'air_station').execute());
    const lastSeen = Math.max(...stations.map((d) => Date.parse(d.last_seen_at ?? '')));
    expect(await sweepOffline(env.app, new Date(lastSeen + 119 * 60_000))).toBe(0);
    expect(await sweepOffline(env.app, new Date(lastSeen + 121 * 60_000))).toBe(stations.length);
    expect(await sweepOffline(env.app, new Date(lastSeen + 180 * 60_000))).toBe(0);
    const offline = await db.selectFrom('alarm_states').innerJoin('cases', 'cases.id', 'alarm_states.case_id').innerJoin('alarm_rules', 'alarm_rules.id', 'alarm_states.rule_id')
      .select(['alarm_states.device_id', 'cases.channel']).where('alarm_rules.type', '=', 'offline').where('alarm_states.state', '=', 'firing').execute();
    expect(offline.map((o) => o.device_id).sort()).toEqual(stations.map((d) => d.id).sort());
    expect(new Set(offline.map((o) => o.channel))).toEqual(new Set(['sensor']));
  });
});
