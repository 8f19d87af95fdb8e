import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestEnv, type TestEnv } from './helpers.js';
import { buildDemoCity } from '../src/demo/demo.js';
import { buildDemoHistory } from '../src/demo/demo.history.js';
import { demoCommand } from '../src/demo/demo.commands.js';

/*
 * The demo history survives being stopped: a build stopped twice part-way (the abort signal, as
 * on Ctrl-C or shutdown) and continued — once through the API, once through `gridloop demo
 * --history` — ends with exactly the store an uninterrupted build of the same seed makes.
 */
const END = new Date('2026-03-20T06:00:00Z');
const OPTS = { days: 9, casesPerDay: 7, seed: 77, end: END };

/** What the history wrote, independent of row ids: cases, their timelines, KPI counters. */
async function fingerprint(env: TestEnv) {
  const db = env.app.store.db;
  const cases = await db.selectFrom('cases')
    .select(['id', 'number', 'status', 'category_code', 'grid_code', 'department_id', 'created_at', 'closed_at', 'deadline', 'light', 'version', 'overdue_stages', 'callback_satisfaction'])
    .orderBy('number').execute();
  const events = await db.selectFrom('case_events').select(['case_id', 'seq', 'at', 'action', 'to_status', 'actor_name']).orderBy('case_id').orderBy('seq').execute();
  const numberOf = new Map(cases.map((c) => [c.id, c.number]));
  // Packed histograms compare by content: a merged JSON object may list its cells in another order.
  const unpack = (v: unknown) => (v === null ? null : Object.entries(typeof v === 'string' ? (JSON.parse(v) as Record<string, number>) : (v as Record<string, number>)).map(([k, n]) => [Number(k), Number(n)]).sort((a, b) => a[0] - b[0]));
  const kpi = [
    ...(await db.selectFrom('kpi_rollup').selectAll().execute()).map((r) => ({ ...r, durations: unpack(r.durations) })),
    ...(await db.selectFrom('kpi_hours').selectAll().execute()).map((r) => ({ ...r, cells: unpack(r.cells) })),
  ];
  return {
    cases: cases.map(({ id: _id, ...c }) => c),
    events: events.map(({ case_id, ...e }) => ({ case: numberOf.get(case_id), ...e })),
    kpi: kpi.map((r) => JSON.stringify(r)).sort(),
  };
}

let whole: TestEnv;
let stopped: TestEnv;
beforeAll(async () => {
  [whole, stopped] = await Promise.all([createTestEnv({ clock: () => new Date(END) }), createTestEnv({ clock: () => new Date(END) })]);
  await buildDemoCity(whole.sys());
  await buildDemoCity(stopped.sys());
}, 300_000);
afterAll(async () => {
  await whole?.close();
  await stopped?.close();
});

const health = async (env: TestEnv) => {
  const res = await env.http.inject({ url: '/api/v1/health' });
  expect(res.statusCode, res.body).toBe(200);
  return res.json().demo;
};

describe('the demo history, stopped and continued', () => {
  it('reports off before any build', async () => {
    expect(await health(stopped)).toEqual({ state: 'off', day: 0, days: 0, cases: 0 });
  });

  it('stops between steps on the abort signal, records how far it got, and says so', async () => {
    const abort = new AbortController();
    const seen: number[] = [];
    const run = await buildDemoHistory(stopped.app, { ...OPTS, signal: abort.signal }, (p) => {
      seen.push(p.day);
      if (p.day >= 3) abort.abort();
    });
    expect(run.outcome).toBe('stopped');
    expect(run.day).toBe(3);
    expect(seen.length).toBeGreaterThan(3);
    expect(run.cases).toBeGreaterThan(5);
    const status = await health(stopped);
    expect(status).toEqual({ state: 'stopped', day: 3, days: 9, cases: run.cases });
    const inStore = (await fingerprint(stopped)).cases.length;
    expect(inStore).toBe(run.cases);
  });

  it('continues with the options it started with and stops again later', async () => {
    const abort = new AbortController();
    // Other options are ignored: a build continues as it began.
    const run = await buildDemoHistory(stopped.app, { days: 400, casesPerDay: 50, seed: 1, end: new Date('2026-06-01T00:00:00Z'), signal: abort.signal }, (p) => {
      if (p.day >= 6) abort.abort();
    });
    expect(run).toMatchObject({ outcome: 'stopped', resumed: true, day: 6, days: 9 });
  });

  it('is finished by `gridloop demo --history` and equals an uninterrupted build of the same seed', async () => {
    expect(await demoCommand(stopped.app, ['--history'])).toBe(0);
    const uninterrupted = await buildDemoHistory(whole.app, OPTS);
    expect(uninterrupted).toMatchObject({ outcome: 'built', resumed: false, day: 9, days: 9 });
    const [a, b] = [await fingerprint(whole), await fingerprint(stopped)];
    expect(a.cases.length).toBeGreaterThan(40);
    expect(a.cases.some((c) => c.status === 'closed')).toBe(true);
    expect(a.events.length).toBeGreaterThan(a.cases.length * 3);
    expect(b.cases).toEqual(a.cases);
    expect(b.events).toEqual(a.events);
    expect(b.kpi).toEqual(a.kpi);
    const again = await buildDemoHistory(stopped.app, OPTS);
    expect(again).toMatchObject({ outcome: 'already_built', cases: uninterrupted.cases, transitions: uninterrupted.transitions, sweeps: uninterrupted.sweeps });
    expect(await health(stopped)).toEqual({ state: 'done', day: 9, days: 9, cases: uninterrupted.cases });
  });
});
