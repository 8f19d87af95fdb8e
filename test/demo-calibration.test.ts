import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestEnv, loginCookie, type TestEnv } from './helpers.js';
import { buildDemoCity } from '../src/demo/demo.js';
import { buildDemoHistory } from '../src/demo/demo.history.js';
import { DEMO_PASSWORD } from '../src/demo/demo.departments.js';
import { demoProfile } from '../src/demo/demo.profile.js';

/*
 * The demo history looks like a working city: on-time closure and satisfaction where cities report
 * them, with the spread the profile builds in (demo.profile.ts). 100 days ending 2026-02-28 hold
 * the bad winter week (8–14 January).
 */
const END = new Date('2026-02-28T10:00:00Z');
let env: TestEnv;
let cookie: string;
const kpis = async (query: string) => {
  const res = await env.http.inject({ url: `/api/v1/kpis?${query}`, headers: { cookie } });
  expect(res.statusCode, res.body).toBe(200);
  return res.json();
};


// The shape of the demo history does not depend on the store: checked once, on SQLite.
describe.skipIf(Boolean(process.env.DATABASE_URL))('the calibrated demo history', () => {
  beforeAll(async () => {
    env = await createTestEnv({ clock: () => new Date(END) });
    await buildDemoCity(env.sys());
    await buildDemoHistory(env.app, { days: 100, casesPerDay: 8, seed: 1503, end: END });
    cookie = await loginCookie(env.http, 'leader', DEMO_PASSWORD);
  }, 900_000);
  afterAll(() => env?.close());
  // to 17 February: the last days' cases are still open, and 应结案数 counts them
  const period = 'from=2025-11-20&to=2026-02-17';

  it('lands the city where real cities report: 按期结案率 90–97 %, 满意率 85–95 %', async () => {
    const city = await kpis(`org=150300&${period}`);
    expect(city.closed).toBeGreaterThan(400);
    // Cities report 按期结案率 for the 城管 and 12345 loop; 信访 and 调解 have their own rates
    // (GET /social/kpis), and their months-long cases would count against a 90-day window's
    // 应结案数 while still within their limits. So: the rate over the other workflows' categories.
    const social = new Set<string>();
    for (const workflow of ['petition', 'mediation']) {
      const res = await env.http.inject({ url: `/api/v1/categories?workflow=${workflow}&limit=100`, headers: { cookie } });
      expect(res.statusCode, res.body).toBe(200);
      for (const c of res.json().items as { code: string }[]) social.add(c.code);
    }
    expect(social.size).toBeGreaterThan(0);
    const loop = ((await kpis(`org=150300&${period}&groupBy=category`)).groups as { group: string; closedByDeadline: number; shouldClose: number }[]).filter((g) => !social.has(g.group));
    const onTime = loop.reduce((n, g) => n + g.closedByDeadline, 0) / loop.reduce((n, g) => n + g.shouldClose, 0);
    expect(onTime).toBeGreaterThanOrEqual(0.9);
    expect(onTime).toBeLessThanOrEqual(0.97);
    expect(city.satisfactionRate).toBeGreaterThanOrEqual(0.85);
    expect(city.satisfactionRate).toBeLessThanOrEqual(0.95);
    expect(city.onTimeDispatchRate).toBeGreaterThan(0.9);
  });

  it('the big screen\'s cards are the KPI API\'s numbers for the city and every district', async () => {
    for (const org of ['150300', '150302', '150303', '150304']) {
      for (const period of ['30d', 'year'] as const) {
        const res = await env.http.inject({ url: `/api/v1/screen/cards?org=${org}&period=${period}`, headers: { cookie } });
        expect(res.statusCode, res.body).toBe(200);
        const cards = res.json();
        const k = await kpis(`org=${org}&from=${cards.from}&to=${cards.to}`);
        expect(k.reported, `${org} ${period}`).toBeGreaterThan(0);
        for (const key of ['reported', 'registered', 'closed', 'closedOnTime', 'overdue', 'onTimeClosureRate', 'responseRate', 'resolutionRate', 'satisfactionRate', 'composite', 'grade']) {
          expect(cards.current[key], `${org} ${period} ${key}`).toEqual(k[key]);
        }
        const areas = (await env.http.inject({ url: `/api/v1/screen/areas?org=${org}&period=${period}&measure=onTimeClosure`, headers: { cookie } })).json();
        const groups = org === '150300' ? (await kpis(`org=${org}&from=${cards.from}&to=${cards.to}&groupBy=district`)).groups : null;
        for (const g of groups ?? []) {
          expect(areas.areas.find((a: { code: string }) => a.code === g.group)?.value, `${g.group} ${period}`).toEqual(g.onTimeClosureRate);
        }
      }
    }
  });

  it('shows two streets clearly behind the others', async () => {
    const streets = (await kpis(`org=150300&${period}&groupBy=street`)).groups as { group: string; onTimeClosureRate: number | null; shouldClose: number }[];
    const slow = demoProfile(streets.map((s) => s.group)).slowStreets;
    const rate = (keep: (code: string) => boolean) => {
      const rows = streets.filter((s) => keep(s.group) && s.onTimeClosureRate !== null);
      const total = rows.reduce((n, s) => n + s.shouldClose, 0);
      return rows.reduce((n, s) => n + (s.onTimeClosureRate ?? 0) * s.shouldClose, 0) / total;
    };
    expect(slow.size).toBe(2);
    expect(rate((c) => slow.has(c))).toBeLessThan(rate((c) => !slow.has(c)) - 0.08);
  });

  it('shows one department, one category and the winter week behind', async () => {
    const byDept = (await kpis(`org=150300&${period}&groupBy=department`)).groups as { group: string; onTimeClosureRate: number | null }[];
    const res = await env.http.inject({ url: '/api/v1/departments', headers: { cookie } });
    const slowDept = (res.json().items ?? res.json()).find((d: { code: string }) => d.code === 'STHJ');
    const slowRate = byDept.find((g) => g.group === String(slowDept.id))?.onTimeClosureRate;
    expect(slowRate).not.toBeUndefined();
    const city = await kpis(`org=150300&${period}`);
    expect(slowRate).toBeLessThan(city.onTimeClosureRate - 0.08);
    const roads = await kpis(`org=150300&${period}&category=06013`);
    expect(roads.onTimeClosureRate).toBeLessThan(0.75);
    // cases reported in the bad week close in the following days: compare closures dated 8–21 January
    const winter = await kpis('org=150300&from=2026-01-08&to=2026-01-21');
    const rest = await kpis('org=150300&from=2026-02-01&to=2026-02-27');
    expect(winter.onTimeClosureRate).toBeLessThan(rest.onTimeClosureRate - 0.1);
  });
});
