import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiKey } from '../src/auth/auth.service.js';
import { sweepOffline } from '../src/sensors/alarm.service.js';
import { purgeOldReadings } from '../src/sensors/sensor.jobs.js';
import { createTestEnv, dialectUnderTest, frozenClock, type TestEnv } from './helpers.js';
import { buildWorld, PLACES, type World } from './world.js';

// 2026-11-26 10:00 in 乌海 (UTC+8) is 02:00Z.
const clock = frozenClock('2026-11-26T02:00:00Z');
let env: TestEnv;
let world: World;
let key: string;
let outKey: string;

const admin = () => ({ cookie: world.cookies.admin });
const post = (url: string, payload: unknown, headers: Record<string, string> = admin()) => env.http.inject({ method: 'POST', url, payload: payload as object, headers });
const get = (url: string, headers: Record<string, string> = admin()) => env.http.inject({ method: 'GET', url, headers });
const send = (items: unknown[], k = key) => post('/api/v1/readings', items, { authorization: `Bearer ${k}` });
const sensorCases = async () => (await get('/api/v1/cases?channel=sensor&limit=100')).json().items as { id: number; number: string; categoryCode: string; status: string; description: string }[];
const timeline = async (id: number) => (await get(`/api/v1/cases/${id}/timeline`)).json() as { action: string; note: string | null }[];

beforeAll(async () => {
  env = await createTestEnv({ clock });
  world = await buildWorld(env);
  key = (await createApiKey(env.sys(), { name: 'sensors', orgCode: '150300', scopes: ['readings:write'] })).key;
  outKey = (await createApiKey(env.sys(), { name: 'sensors haina', orgCode: '150303', scopes: ['readings:write'] })).key;
  for (const [id, kind, place] of [['AIR-1', 'air_station', PLACES.heping], ['AIR-2', 'air_station', PLACES.gongyuan], ['JG-1', 'manhole_tilt', PLACES.heping2], ['WL-1', 'water_level', PLACES.xinqiao]] as const) {
    const res = await post('/api/v1/devices', { id, kind, lon: place.lon, lat: place.lat });
    expect(res.statusCode, res.body).toBe(201);
  }
}, 60_000);
afterAll(() => env.close());

describe(`device register (${dialectUnderTest})`, () => {
  it('locates a device to its grid, lists by kind, refuses bad ids, unknown kinds, points outside the city and repeats', async () => {
    const one = (await get('/api/v1/devices/AIR-1')).json();
    expect(one).toMatchObject({ id: 'AIR-1', kind: 'air_station', gridCode: PLACES.heping.grid, status: 'active', lastSeenAt: null });
    expect((await get('/api/v1/devices?kind=air_station')).json().items.map((d: { id: string }) => d.id)).toEqual(['AIR-1', 'AIR-2']);
    expect((await post('/api/v1/devices', { id: 'bad id!', kind: 'smoke', lon: PLACES.heping.lon, lat: PLACES.heping.lat })).statusCode).toBe(400);
    expect((await post('/api/v1/devices', { id: 'x'.repeat(65), kind: 'smoke', lon: PLACES.heping.lon, lat: PLACES.heping.lat })).statusCode).toBe(400);
    expect((await post('/api/v1/devices', { id: 'S-1', kind: 'volcano', lon: PLACES.heping.lon, lat: PLACES.heping.lat })).json().error).toBe('validation_failed');
    expect((await post('/api/v1/devices', { id: 'S-1', kind: 'smoke', lon: 100, lat: 30 })).json().error).toBe('outside_jurisdiction');
    expect((await post('/api/v1/devices', { id: 'AIR-1', kind: 'smoke', lon: PLACES.heping.lon, lat: PLACES.heping.lat })).json().error).toBe('already_exists');
    expect((await get('/api/v1/devices?limit=100')).json().total).toBe(4);
  });

  it('moves, re-assigns and retires a device; a new kind is data', async () => {
    const kind = await post('/api/v1/device-kinds', { code: 'gas', name: '燃气泄漏探测器', metrics: ['ch4'], alarmCategory: 'LYH01' });
    expect(kind.statusCode, kind.body).toBe(201);
    expect((await post('/api/v1/devices', { id: 'GAS-1', kind: 'gas', lon: PLACES.heping.lon, lat: PLACES.heping.lat, departmentCode: 'CG' })).json()).toMatchObject({ departmentId: world.departments.CG });
    const moved = await env.http.inject({ method: 'PATCH', url: '/api/v1/devices/GAS-1', payload: { lon: PLACES.gongyuan.lon, lat: PLACES.gongyuan.lat, status: 'maintenance' }, headers: admin() });
    expect(moved.json()).toMatchObject({ gridCode: PLACES.gongyuan.grid, status: 'maintenance' });
    expect((await env.http.inject({ method: 'DELETE', url: '/api/v1/devices/GAS-1', headers: admin() })).statusCode).toBe(204);
    expect((await get('/api/v1/devices/GAS-1')).statusCode).toBe(404);
  });

  it('only an admin writes the register; a district user sees its own devices only', async () => {
    expect((await post('/api/v1/devices', { id: 'S-2', kind: 'smoke', lon: PLACES.heping.lon, lat: PLACES.heping.lat }, { cookie: world.cookies.dispatcher })).statusCode).toBe(403);
    const ids = (await get('/api/v1/devices', { cookie: world.cookies.hbDispatcher })).json().items.map((d: { id: string }) => d.id);
    expect(ids).toEqual(['AIR-1', 'AIR-2', 'JG-1']);
  });
});

describe(`readings over HTTP (${dialectUnderTest})`, () => {
  it('stores each metric once, answers a replay as a duplicate and refuses bad items into the dead letters', async () => {
    const first = await send([
      { deviceId: 'AIR-1', ts: '2026-11-26T01:10:00Z', values: { pm25: 40, pm10: 80 } },
      { deviceId: 'AIR-1', ts: '2026-11-26T09:20:00+08:00', values: { pm25: 60 } },
      { deviceId: 'AIR-1', ts: '2026-11-26T01:30:00Z', values: { pm25: Number.NaN } },
      { deviceId: 'AIR-1', ts: '2026-11-26T03:00:00Z', values: { pm25: 1 } },
      { deviceId: 'NOPE', ts: '2026-11-26T01:30:00Z', values: { pm25: 1 } },
      { deviceId: 'AIR-1', ts: '2026-11-26T01:30:00Z', values: { rain: 1 } },
      { deviceId: 'AIR-1', ts: '2026-02-30T01:30:00Z', values: { pm25: 1 } },
    ]);
    expect(first.statusCode, first.body).toBe(200);
    expect(first.json()).toEqual({
      stored: 2, duplicates: 0,
      refused: [
        { index: 2, reason: 'values.pm25: not a finite number' },
        { index: 3, reason: 'ts: too far in the future' },
        { index: 4, reason: 'device: unknown' },
        { index: 5, reason: 'values.rain: not a metric of kind air_station' },
        { index: 6, reason: 'ts: not an ISO-8601 instant with Z or an offset' },
      ],
    });
    const again = await send([{ deviceId: 'AIR-1', ts: '2026-11-26T01:10:00.000Z', values: { pm25: 40, pm10: 80 } }]);
    expect(again.json()).toEqual({ stored: 0, duplicates: 1, refused: [] });
    const dead = (await get('/api/v1/readings/dead-letters')).json();
    expect(dead.total).toBe(5); // a city-wide admin also sees NOPE's, a device nobody registered
    expect(dead.items.map((d: { reason: string }) => d.reason)).toContain('device: unknown');
    expect((await get('/api/v1/devices/AIR-1')).json().lastSeenAt).toBe('2026-11-26T01:20:00.000Z');
  });

  it('answers hourly and daily series from the rollups, per device and per area', async () => {
    await send([{ deviceId: 'AIR-2', ts: '2026-11-26T01:40:00Z', values: { pm25: 100 } }]);
    const hour = (await get('/api/v1/readings/series?metric=pm25&period=hour&from=2026-11-26T00:00:00Z&to=2026-11-27T00:00:00Z&deviceId=AIR-1')).json();
    expect(hour.items).toEqual([{ bucket: '2026-11-26T01:00:00.000Z', n: 2, avg: 50, min: 40, max: 60, devices: 1 }]);
    const area = (await get('/api/v1/readings/series?metric=pm25&period=day&from=2026-11-26&to=2026-11-27&orgCode=150302')).json();
    expect(area.items).toEqual([{ bucket: '2026-11-26', n: 3, avg: (40 + 60 + 100) / 3, min: 40, max: 100, devices: 2 }]);
  });

  it('a key sends only for devices of its area, and needs readings:write', async () => {
    expect((await send([{ deviceId: 'AIR-1', ts: '2026-11-26T01:50:00Z', values: { pm25: 5 } }], outKey)).json().refused).toEqual([{ index: 0, reason: 'device: unknown' }]);
    expect((await send([{ deviceId: 'WL-1', ts: '2026-11-26T01:50:00Z', values: { level: 5 } }], outKey)).json().stored).toBe(1);
    expect((await post('/api/v1/readings', [{ deviceId: 'AIR-1', ts: '2026-11-26T01:50:00Z', values: { pm25: 5 } }])).statusCode).toBe(403);
  });

  it('purges raw readings past the retention but keeps the rollups', async () => {
    const before = (await get('/api/v1/readings/series?metric=level&period=day&from=2026-11-01&to=2026-12-01&deviceId=WL-1')).json().items;
    const purged = await purgeOldReadings(env.app, new Date('2027-06-01T00:00:00Z'));
    expect(purged).toBeGreaterThanOrEqual(5);
    expect(await env.app.store.db.selectFrom('readings').select('ts').execute()).toEqual([]);
    expect((await get('/api/v1/readings/series?metric=level&period=day&from=2026-11-01&to=2026-12-01&deviceId=WL-1')).json().items).toEqual(before);
  });
});

describe(`alarms → cases (${dialectUnderTest})`, () => {
  it('a threshold held for N minutes opens ONE case; more firings attach to it; the clear is recorded; after closing, a new case', async () => {
    const rule = await post('/api/v1/alarm-rules', { deviceId: 'JG-1', metric: 'tilt', op: '>', threshold: 15, forMinutes: 5 });
    expect(rule.statusCode, rule.body).toBe(201);
    expect(rule.json()).toMatchObject({ type: 'threshold', categoryCode: 'LGZ01', forMinutes: 5 });
    // 10:00 tilt 20 (pending) · 10:03 25 (3 min: still pending) · 10:06 30 (6 min: fires)
    await send([{ deviceId: 'JG-1', ts: '2026-11-26T02:00:00Z', values: { tilt: 20 } }, { deviceId: 'JG-1', ts: '2026-11-26T02:03:00Z', values: { tilt: 25 } }]);
    expect(await sensorCases()).toEqual([]);
    clock.set('2026-11-26T02:06:30Z');
    await send([{ deviceId: 'JG-1', ts: '2026-11-26T02:06:00Z', values: { tilt: 30 } }, { deviceId: 'JG-1', ts: '2026-11-26T02:07:00Z', values: { tilt: 31 } }]);
    let cases = await sensorCases();
    expect(cases).toHaveLength(1);
    expect(cases[0]).toMatchObject({ categoryCode: 'LGZ01' });
    expect(cases[0].description).toContain('tilt = 30 > 15');
    // back to normal (clear), then above again at once: a 5-minute hold again, then attached to the same case
    clock.set('2026-11-26T02:16:00Z');
    await send([
      { deviceId: 'JG-1', ts: '2026-11-26T02:08:00Z', values: { tilt: 2 } },
      { deviceId: 'JG-1', ts: '2026-11-26T02:09:00Z', values: { tilt: 40 } },
      { deviceId: 'JG-1', ts: '2026-11-26T02:15:00Z', values: { tilt: 41 } },
    ]);
    cases = await sensorCases();
    expect(cases).toHaveLength(1);
    expect((await timeline(cases[0].id)).map((e) => e.action)).toEqual(['report', 'alarm_clear', 'alarm']);
    // a replay of the whole burst changes nothing
    await send([{ deviceId: 'JG-1', ts: '2026-11-26T02:06:00Z', values: { tilt: 30 } }, { deviceId: 'JG-1', ts: '2026-11-26T02:09:00Z', values: { tilt: 40 } }]);
    expect(await timeline(cases[0].id)).toHaveLength(3);
    // the case is closed (voided here): the next firing opens a new case
    const detail = (await get(`/api/v1/cases/${cases[0].id}`)).json();
    const voided = await post(`/api/v1/cases/${cases[0].id}/transitions`, { action: 'void', version: detail.version, note: '误报' });
    expect(voided.statusCode, voided.body).toBe(200);
    clock.set('2026-11-26T02:25:00Z');
    await send([{ deviceId: 'JG-1', ts: '2026-11-26T02:16:00Z', values: { tilt: 1 } }, { deviceId: 'JG-1', ts: '2026-11-26T02:17:00Z', values: { tilt: 50 } }, { deviceId: 'JG-1', ts: '2026-11-26T02:23:00Z', values: { tilt: 50 } }]);
    expect(await sensorCases()).toHaveLength(2);
  });

  it('a kind rule covers every device of the kind; a rate-of-change rule fires on a fast rise', async () => {
    expect((await post('/api/v1/alarm-rules', { kind: 'air_station', metric: 'pm25', op: '>=', threshold: 150 })).statusCode).toBe(201);
    expect((await post('/api/v1/alarm-rules', { type: 'rate', deviceId: 'WL-1', metric: 'level', op: '>', threshold: 2 })).statusCode).toBe(201);
    const before = (await sensorCases()).length;
    clock.set('2026-11-26T02:30:00Z');
    await send([{ deviceId: 'AIR-2', ts: '2026-11-26T02:20:00Z', values: { pm25: 150 } }, { deviceId: 'AIR-1', ts: '2026-11-26T02:20:00Z', values: { pm25: 149 } }]);
    // 1 cm in 1 minute: no; then 15 cm in 5 minutes (3 cm/min): yes
    await send([{ deviceId: 'WL-1', ts: '2026-11-26T02:00:00Z', values: { level: 10 } }, { deviceId: 'WL-1', ts: '2026-11-26T02:01:00Z', values: { level: 11 } }, { deviceId: 'WL-1', ts: '2026-11-26T02:06:00Z', values: { level: 26 } }]);
    const cases = await sensorCases();
    expect(cases.length - before).toBe(2);
    expect(cases.map((c) => c.categoryCode).sort().slice(-2)).toEqual(['LGZ02', 'LGZ05']);
  });

  it('an offline rule fires once per silence and clears when the device speaks again', async () => {
    const r = await post('/api/v1/alarm-rules', { type: 'offline', deviceId: 'AIR-1', forMinutes: 60 });
    expect(r.json()).toMatchObject({ type: 'offline', categoryCode: 'LGZ09' });
    // AIR-1 last spoke at 02:20Z: at 03:10 it is not offline yet; at 03:30 it is, once.
    expect(await sweepOffline(env.app, new Date('2026-11-26T03:10:00Z'))).toBe(0);
    expect(await sweepOffline(env.app, new Date('2026-11-26T03:30:00Z'))).toBe(1);
    expect(await sweepOffline(env.app, new Date('2026-11-26T03:40:00Z'))).toBe(0);
    const offline = (await sensorCases()).find((c) => c.categoryCode === 'LGZ09');
    expect(offline).toBeDefined();
    clock.set('2026-11-26T03:45:00Z');
    await send([{ deviceId: 'AIR-1', ts: '2026-11-26T03:44:00Z', values: { pm25: 20 } }]);
    expect((await timeline(offline!.id)).map((e) => e.action)).toEqual(['report', 'alarm_clear']);
  });

  it('validates rules: one of device or kind, a metric of the kind, op and threshold', async () => {
    expect((await post('/api/v1/alarm-rules', { metric: 'pm25', op: '>', threshold: 1 })).json().error).toBe('validation_failed');
    expect((await post('/api/v1/alarm-rules', { deviceId: 'AIR-1', kind: 'air_station', metric: 'pm25', op: '>', threshold: 1 })).json().error).toBe('validation_failed');
    expect((await post('/api/v1/alarm-rules', { deviceId: 'AIR-1', metric: 'tilt', op: '>', threshold: 1 })).json().error).toBe('validation_failed');
    expect((await post('/api/v1/alarm-rules', { deviceId: 'AIR-1', metric: 'pm25', threshold: 1 })).json().error).toBe('validation_failed');
    expect((await post('/api/v1/alarm-rules', { type: 'offline', deviceId: 'AIR-1' })).json().error).toBe('validation_failed');
    expect((await post('/api/v1/alarm-rules', { deviceId: 'AIR-1', metric: 'pm25', op: '!=', threshold: 1 })).statusCode).toBe(400);
  });
});

describe('GET /air/aqi (HJ 633-2012, public)', () => {
  it('answers the maths and refuses what the standard does not index', async () => {
    const r = await env.http.inject({ url: '/api/v1/air/aqi?period=hour&pm25=160&o3=250&no2=150&co=6' });
    expect(r.statusCode, r.body).toBe(200);
    expect(r.json()).toMatchObject({ aqi: 210, primaryPollutant: 'pm25', level: { name: '重度污染' }, iaqi: { pm25: 210, o3: 125, no2: 75, co: 60 } });
    const bad = await env.http.inject({ url: '/api/v1/air/aqi?period=hour&so2=900' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().details).toEqual({ field: 'so2_24h' });
    expect((await env.http.inject({ url: '/api/v1/air/aqi?period=week&pm25=1' })).statusCode).toBe(400);
  });
});

describe('GET /water/class (GB 3838-2002, public)', () => {
  it('classifies a sample with its deciding parameter', async () => {
    const r = await env.http.inject({ url: '/api/v1/water/class?waterBody=river&do=6.5&codmn=3.5&nh3n=0.8&tp=0.15' });
    expect(r.statusCode, r.body).toBe(200);
    expect(r.json()).toMatchObject({ waterClass: 'III', label: 'Ⅲ类', deciding: ['nh3n', 'tp'] });
    expect((await env.http.inject({ url: '/api/v1/water/class?waterBody=river' })).statusCode).toBe(400);
  });
});
