import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestEnv, frozenClock, type TestEnv } from './helpers.js';
import { buildWorld, PLACES, type World } from './world.js';
import { caseApi } from './support/case-api.js';
import { recomputeRollups, storedRollups, timelineOf } from './support/rollup-check.js';

// The roll-ups (every unit from the city to the grid × category × department × channel, by day
// and by month, plus closure-time histograms) against a recomputation from the timeline: a seeded
// random walk of urban and 12345 cases through the closed loop over several days, then every
// roll-up row is compared with counts of the events that imply it.

const clock = frozenClock('2026-10-28T01:00:00Z');
let env: TestEnv;
let world: World;
let api: ReturnType<typeof caseApi>;

/** mulberry32: a small seeded generator, so a failure replays. */
function random(seed: number) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Step = [who: Parameters<ReturnType<typeof caseApi>['act']>[0], action: string, extra?: Record<string, unknown>];

beforeAll(async () => {
  env = await createTestEnv({ clock, config: { sessionTtlHours: 24 * 90 } });
  world = await buildWorld(env);
  api = caseApi(env, world);
  const rnd = random(Number(process.env.ROLLUP_SEED ?? 20261130));
  const places = Object.values(PLACES);
  const plans: { id: number; steps: Step[] }[] = [];
  for (let i = 0; i < 16; i++) {
    const place = places[Math.floor(rnd() * places.length)];
    clock.advance(Math.floor(rnd() * 90) * 60_000);
    if (rnd() < 0.3) {
      const id = (await api.report('dispatcher', { categoryCode: 'L1203', channel: 'hotline', description: '噪音投诉', reporter: { name: '王五', phone: '13900002222' } }, place)).id;
      const all: Step[] = [['dispatcher', 'dispatch', { departmentId: world.departments.CG }], ['handler2', 'accept'], ['handler2', 'reply', { note: '已答复' }],
        ['dispatcher', 'callback', { callback: { contacted: true, solved: rnd() < 0.5, satisfaction: 'satisfied' } }], ['dispatcher', 'close']];
      plans.push({ id, steps: rnd() < 0.6 ? all : all.slice(0, Math.floor(rnd() * all.length)) });
    } else {
      const id = (await api.report('dispatcher', {}, place)).id;
      if (rnd() < 0.15) { plans.push({ id, steps: [['dispatcher', 'reject', { note: '不予立案' }]] }); continue; }
      const rework: Step[] = rnd() < 0.3 ? [['inspector', 'check_fail', { note: '仍有残留' }], ['handler', 'complete', { note: '已清理' }]] : [];
      const all: Step[] = [['dispatcher', 'verify'], ['dispatcher', 'register'], ['dispatcher', 'dispatch', { departmentId: world.departments.HW }], ['handler', 'accept'],
        ['handler', 'complete', { note: '已清理' }], ...rework, ['inspector', 'check_pass'], ['dispatcher', 'close']];
      plans.push({ id, steps: rnd() < 0.6 ? all : all.slice(0, Math.floor(rnd() * all.length)) });
    }
  }
  // Interleave the cases' steps, minutes to days apart, across a month boundary.
  for (;;) {
    const pending = plans.filter((p) => p.steps.length);
    if (!pending.length) break;
    const plan = pending[Math.floor(rnd() * pending.length)];
    clock.advance(Math.floor(1 + rnd() * (rnd() < 0.2 ? 3000 : 240)) * 60_000);
    const [who, action, extra] = plan.steps.shift() as Step;
    await api.act(who, plan.id, action, extra ?? {});
  }
}, 240_000);
afterAll(() => env.close());

const timeline = () => timelineOf(env.app.store.db);

describe('roll-ups against a recomputation from the timeline', () => {
  it('holds, for every unit of every level, category, day and month, the counts the events imply', async () => {
    const db = env.app.store.db;
    const expected = await recomputeRollups(db, env.app.config.timeZone);
    const actual = await storedRollups(db);
    const rows = await db.selectFrom('kpi_rollup').select(['org_level', 'period']).execute();
    // Levels: the city, a district, a street, communities and grids all appear.
    expect(new Set(rows.map((r) => r.org_level))).toEqual(new Set(['city', 'district', 'street', 'community', 'grid']));
    expect(new Set(rows.map((r) => r.period.slice(0, 7)))).toEqual(new Set(['2026-10', '2026-11']));
    expect(expected.size).toBeGreaterThan(20);
    for (const [key, want] of expected) expect(actual.get(key), key).toEqual(want);
    // Nothing beyond what the events imply (rows only holding counters not recomputed here, e.g. overdue, aside).
    for (const [key, got] of actual) if (Object.values(got).some((n) => n !== 0)) expect(expected.has(key), key).toBe(true);
  });

  it("reads each unit's median hours to close from its histogram within 5 % of the exact median", async () => {
    const closes = (await timeline()).filter((e) => e.action === 'close');
    expect(closes.length).toBeGreaterThan(2);
    const units = new Set(closes.flatMap((e) => e.org_path.split('/').filter(Boolean)));
    for (const unit of units) {
      const hours = closes.filter((e) => e.org_path.includes(`/${unit}/`)).map((e) => (Date.parse(e.at) - Date.parse(e.created_at)) / 3_600_000).sort((a, b) => a - b);
      const mid = Math.floor(hours.length / 2);
      const exact = hours.length % 2 ? hours[mid] : (hours[mid - 1] + hours[mid]) / 2;
      const kpi = await api.kpis(`org=${unit}&from=2026-10-01&to=2026-12-31`);
      expect(kpi.closed, unit).toBe(hours.length);
      expect(Math.abs(kpi.medianHoursToClose - exact) / exact, `${unit}: ${kpi.medianHoursToClose} vs ${exact}`).toBeLessThanOrEqual(0.05);
    }
  });

  it("gives the screen's weekday × hour heat map from the per-hour roll-up, equal to the cases' report times", async () => {
    const cases = await env.app.store.db.selectFrom('cases').select(['created_at', 'org_path']).execute();
    const fmt = new Intl.DateTimeFormat('en-US', { timeZone: env.app.config.timeZone, hourCycle: 'h23', hour: '2-digit', weekday: 'short' });
    const weekdays = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'];
    for (const org of ['150300', PLACES.heping.community, PLACES.heping.grid]) {
      const want = new Map<string, number>();
      for (const c of cases.filter((x) => x.org_path.includes(`/${org}/`))) {
        const p = Object.fromEntries(fmt.formatToParts(new Date(c.created_at)).map((x) => [x.type, x.value]));
        const key = `${weekdays.indexOf(p.weekday)}:${Number(p.hour)}`;
        want.set(key, (want.get(key) ?? 0) + 1);
      }
      const res = await api.get('admin', `/api/v1/screen/trends?org=${org}&from=2026-10-01&to=2026-12-31`);
      expect(res.statusCode, res.body).toBe(200);
      const got = new Map(res.json().heatmap.map((h: { weekday: number; hour: number; reported: number }) => [`${h.weekday}:${h.hour}`, h.reported]));
      expect(got, org).toEqual(want);
    }
  });

  it('answers a range from month rows and edge days the same as from day rows alone', async () => {
    const wide = await api.kpis('org=150300&from=2026-10-15&to=2026-12-31&groupBy=category');
    const byDay = await api.kpis('org=150300&from=2026-10-15&to=2026-12-31&groupBy=day');
    expect(byDay.groups.reduce((s: number, g: { reported: number }) => s + g.reported, 0)).toBe(wide.reported);
    expect(byDay.groups.reduce((s: number, g: { closed: number }) => s + g.closed, 0)).toBe(wide.closed);
    expect(wide.reported).toBeGreaterThan(0);
  });
});
