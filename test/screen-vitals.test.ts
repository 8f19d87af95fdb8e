import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestEnv, loginCookie, type TestEnv } from './helpers.js';
import { buildDemoCity } from '../src/demo/demo.js';
import { buildDemoSensors, ingestDemoLiveHour, SILENT_DEVICES } from '../src/demo/demo.readings.js';
import { DEMO_PASSWORD } from '../src/demo/demo.departments.js';

const END = new Date('2026-11-26T04:20:00Z');
const nextDay = (d: string) => new Date(Date.parse(`${d}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);

let env: TestEnv;
let leader: string;
beforeAll(async () => {
  env = await createTestEnv({ clock: () => new Date(END) });
  await buildDemoCity(env.sys());
  await buildDemoSensors(env.sys(), { days: 400, end: END });
  await ingestDemoLiveHour(env.app, END);
  leader = await loginCookie(env.http, 'leader', DEMO_PASSWORD);
}, 300_000);
afterAll(async () => env?.close());

const get = async (url: string, cookie = leader) => {
  const res = await env.http.inject({ url, headers: { cookie } });
  expect(res.statusCode, res.body).toBe(200);
  return res.json();
};

describe('GET /screen/vitals (城市体征)', () => {
  it('answers the city AQI now from the stations pooled, by the standard, and every station now and today', async () => {
    const v = await get('/api/v1/screen/vitals?org=150300');
    expect(v.air.stations).toHaveLength(7);
    for (const s of v.air.stations) {
      expect(s.now?.aqi, s.id).toBeGreaterThan(0);
      expect(s.today?.aqi, s.id).toBeGreaterThan(0);
    }
    expect(v.air.now.hour).toBe('2026-11-26T04:00:00.000Z');
    const q: string[] = [];
    for (const metric of ['pm25', 'pm10', 'so2', 'no2', 'o3', 'co']) {
      const s = await get(`/api/v1/readings/series?kind=air_station&orgCode=150300&metric=${metric}&period=hour&from=2026-11-26T04:00:00.000Z&to=2026-11-26T05:00:00.000Z`);
      expect(s.items).toHaveLength(1);
      q.push(`${metric}=${s.items[0].avg}`);
    }
    const aqi = await get(`/api/v1/air/aqi?period=hour&${q.join('&')}`);
    expect(v.air.now.aqi).toBe(aqi.aqi);
    expect(v.air.now.level).toBe(aqi.level.name);
    expect(v.air.hourly.length).toBeGreaterThanOrEqual(24);
    expect(v.air.daily.length).toBeGreaterThanOrEqual(30);
    // the year so far: 1 Jan … 26 Nov (today) have readings; the share is the 优良天数比例 indicator's
    expect(v.air.goodDays).toMatchObject({ year: 2026, days: 330 });
    expect(v.air.goodDays.good).toBeGreaterThan(0);
    const indicator = (await get('/api/v1/indicators')).items.find((i: { sourceRef: string | null }) => i.sourceRef === 'air.good_days_share');
    expect(indicator.actual).toBe(Math.round((v.air.goodDays.good / v.air.goodDays.days) * 1000) / 10);
    expect(v.air.goodDays.good).toBeLessThan(330); // summer ozone and winter smog days
  });

  it('classes each water station against its reach target, lists the firing alarms with their cases, and counts devices online', async () => {
    const v = await get('/api/v1/screen/vitals');
    expect(v.water).toHaveLength(6);
    for (const w of v.water) {
      expect(w.waterClass, w.id).not.toBeNull();
      const sample = Object.fromEntries(await Promise.all(['do', 'codmn', 'cod', 'bod5', 'nh3n', 'tp', 'tn'].map(async (m) => [m, (await get(`/api/v1/readings/series?deviceId=${w.id}&metric=${m}&period=day&from=${w.day}&to=${nextDay(w.day)}`)).items[0].avg])));
      const expected = await get(`/api/v1/water/class?waterBody=${w.id === 'WQ-WHH-01' ? 'lake' : 'river'}&${new URLSearchParams(sample).toString()}`);
      expect(w.waterClass, w.id).toBe(expected.waterClass);
    }
    expect(v.water.find((w: { reach: string }) => w.reach === 'HH-WH-02')).toMatchObject({ target: 'II', targetLabel: 'Ⅱ类', waterBody: '黄河乌海段' });
    expect(v.alarms.map((a: { deviceId: string }) => a.deviceId).sort()).toEqual(['JG-HBW-05', 'JS-HN-01', 'YG-HBW-02']);
    for (const a of v.alarms) expect(a.caseNumber, a.deviceId).toMatch(/\d/);
    const devices = await get('/api/v1/devices?limit=500', await loginCookie(env.http, 'admin', DEMO_PASSWORD));
    expect(v.devices.total).toBe(devices.total);
    expect(v.devices.online).toBe(devices.total - SILENT_DEVICES.length);
  });

  it('keeps to the area asked for', async () => {
    const v = await get('/api/v1/screen/vitals?org=150303');
    expect(v.air.stations.map((s: { id: string }) => s.id).sort()).toEqual(['AIR-HN-1', 'AIR-HN-2']);
    expect(v.alarms.map((a: { deviceId: string }) => a.deviceId)).toEqual(['JS-HN-01']);
    const inspector = await loginCookie(env.http, 'inspector', DEMO_PASSWORD); // 海勃湾区
    expect((await env.http.inject({ url: '/api/v1/screen/vitals?org=150303', headers: { cookie: inspector } })).statusCode).toBe(404);
  });
});
