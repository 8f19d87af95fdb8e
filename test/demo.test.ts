import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestEnv, loginCookie, type TestEnv } from './helpers.js';
import { buildDemoCity } from '../src/demo/demo.js';
import { buildDemoHistory } from '../src/demo/demo.history.js';
import { DEMO_PASSWORD, DEMO_USERS } from '../src/demo/demo.departments.js';

const END = new Date('2026-11-26T04:00:00Z');

async function snapshot(env: TestEnv) {
  const db = env.app.store.db;
  const cases = await db.selectFrom('cases').select(['number', 'status', 'category_code', 'grid_code', 'department_id', 'deadline', 'light']).orderBy('number').execute();
  const events = await db.selectFrom('case_events').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  return { cases, events: Number(events.n) };
}

let a: TestEnv;
let b: TestEnv;
beforeAll(async () => {
  [a, b] = await Promise.all([createTestEnv({ clock: () => new Date(END) }), createTestEnv({ clock: () => new Date(END) })]);
  await buildDemoCity(a.sys());
  await buildDemoCity(b.sys());
});
afterAll(async () => {
  await a.close();
  await b.close();
});

// The demo's grid count is fixed by the generator's input, not read back from the store: 640 is
// generateDemoGrids' target (src/demo/geometry.ts, `targetGrids` default; README: "640 synthetic
// unit grids"), and allocateGrids meets a target exactly whenever the per-kind ranges allow it,
// which they do for Wuhai's 87 communities (urban 6–12, town 4–8, village/zone 2–4 grids each).
const DEMO_GRIDS = 640;

describe('the 乌海市 demo city', () => {
  it('has the real hierarchy and its 640 grids, locatable', async () => {
    const admin = await loginCookie(a.http, 'admin', DEMO_PASSWORD);
    const count = async (level: string) => (await a.http.inject({ url: `/api/v1/org-units?level=${level}&limit=1`, headers: { cookie: admin } })).json().total;
    expect([await count('district'), await count('street'), await count('community')]).toEqual([3, 22, 87]);
    expect(await count('grid')).toBe(DEMO_GRIDS);
    const located = (await a.http.inject({ url: '/api/v1/locate?lon=106.818&lat=39.674', headers: { cookie: admin } })).json();
    expect(located.outside).toBe(false);
    expect(located.chain.map((u: { level: string }) => u.level)).toEqual(['city', 'district', 'street', 'community', 'grid']);
    expect(located.chain[1].code).toBe('150302');
    const grid = located.chain[4];
    expect(grid.name).toBe(`${located.chain[3].name.replace(/居委会$/, '')}第${Number(grid.code.slice(-3))}网格`);
  });

  it('has one working demo user per role, departments for every category and routing rules', async () => {
    for (const role of ['admin', 'leader', 'dispatcher', 'handler', 'grid_worker', 'inspector', 'mediator', 'citizen']) {
      const user = DEMO_USERS.find((u) => u.role === role)!;
      const me = (await a.http.inject({ url: '/api/v1/me', headers: { cookie: await loginCookie(a.http, user.username, DEMO_PASSWORD) } })).json();
      expect(me.roles).toEqual([role]);
      expect(me.orgUnit.code).toBe(user.org);
    }
    const withoutDept = await a.app.store.db.selectFrom('categories').select('code').where('department_code', 'is', null).execute();
    expect(withoutDept).toEqual([]);
    expect((await a.app.store.db.selectFrom('routing_rules').select('id').execute()).length).toBeGreaterThan(3);
  });

  it('is idempotent', async () => {
    const gridCodes = async () => (await a.app.store.db.selectFrom('org_units').select('code').where('level', '=', 'grid').orderBy('code').execute()).map((g) => g.code);
    const before = await gridCodes();
    expect(before).toHaveLength(DEMO_GRIDS);
    const again = await buildDemoCity(a.sys());
    expect(again).toMatchObject({ users: 0, grids: DEMO_GRIDS });
    expect(await gridCodes()).toEqual(before);
  });

  it('builds the same case history twice from the same seed, through the domain functions', async () => {
    const opts = { days: 12, casesPerDay: 8, seed: 42, end: END };
    const [ra, rb] = [await buildDemoHistory(a.app, opts), await buildDemoHistory(b.app, opts)];
    expect(ra).toEqual(rb);
    expect(ra.cases).toBeGreaterThan(40);
    const [sa, sb] = [await snapshot(a), await snapshot(b)];
    expect(sa).toEqual(sb);
    const statuses = new Set(sa.cases.map((c) => c.status));
    expect(statuses.has('closed')).toBe(true);
    expect(sa.events).toBeGreaterThan(ra.cases * 3);
    const kpi = (await a.http.inject({ url: '/api/v1/kpis?org=150300&from=2026-11-01&to=2026-11-30', headers: { cookie: await loginCookie(a.http, 'leader', DEMO_PASSWORD) } })).json();
    expect(kpi.reported).toBe(ra.cases);
    expect(kpi.closed).toBeGreaterThan(0);
    expect(kpi.callbacks).toBeGreaterThan(0);
    expect(await buildDemoHistory(a.app, opts)).toMatchObject({ outcome: 'already_built', cases: ra.cases, transitions: ra.transitions });
  });

  it('has disputes with parties and sessions and petitions among its cases, the same for a seed', async () => {
    const social = async (env: TestEnv) => {
      const db = env.app.store.db;
      const rows = await db.selectFrom('cases').select(['number', 'workflow', 'status']).where('workflow', 'in', ['mediation', 'petition']).orderBy('number').execute();
      const parties = await db.selectFrom('dispute_parties').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
      const sessions = await db.selectFrom('dispute_sessions').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
      return { rows, parties: Number(parties.n), sessions: Number(sessions.n) };
    };
    const [sa, sb] = [await social(a), await social(b)];
    expect(sa).toEqual(sb);
    const disputes = sa.rows.filter((r) => r.workflow === 'mediation');
    expect(disputes.length).toBeGreaterThanOrEqual(4);
    expect(sa.rows.filter((r) => r.workflow === 'petition').length).toBeGreaterThanOrEqual(2);
    expect(sa.parties).toBeGreaterThanOrEqual(disputes.length * 2);
    expect(sa.sessions).toBeGreaterThan(0);
    // Not all at intake: the history moved some on.
    expect(new Set(sa.rows.map((r) => r.status)).size).toBeGreaterThan(2);
  });

  it('gives the demo citizen web reports of their own, open and closed, trackable with 1503', async () => {
    const cookie = await loginCookie(a.http, 'citizen', DEMO_PASSWORD);
    const mine = (await a.http.inject({ url: '/api/v1/me/cases?limit=500', headers: { cookie } })).json();
    expect(mine.total).toBeGreaterThanOrEqual(2);
    expect(mine.items.every((c: { channel: string }) => c.channel === 'web')).toBe(true);
    const open = new Set(mine.items.map((c: { openStatus: string }) => c.openStatus));
    expect([...open].sort()).toEqual(['closed', 'open']);
    const tracked = await a.http.inject({ url: `/api/v1/track/${mine.items[0].number}?phone4=1503` });
    expect(tracked.statusCode, tracked.body).toBe(200);
  });

  it('has patrol history: grid workers, river chiefs and inspectors, with missed, flagged patrols and hazards in the flow', async () => {
    const leader = await loginCookie(a.http, 'leader', DEMO_PASSWORD);
    const get = async (url: string) => {
      const res = await a.http.inject({ url, headers: { cookie: leader } });
      expect(res.statusCode, res.body).toBe(200);
      return res.json();
    };
    const report = await get('/api/v1/patrols/compliance?org=150300&from=2026-11-14&to=2026-11-25');
    const kinds = new Set(report.rows.filter((r: { done: number }) => r.done > 0).map((r: { kind: string }) => r.kind));
    expect([...kinds].sort()).toEqual(['grid', 'river', 'safety']);
    const sum = (k: string) => report.rows.reduce((s: number, r: Record<string, number>) => s + r[k], 0);
    expect(sum('done')).toBeGreaterThan(20);
    expect(sum('missed')).toBeGreaterThan(0);
    expect(sum('done')).toBeLessThan(sum('required'));
    // Demo patrols walk their own target (a short walk on a big lake passes none of its sample places).
    const patrols = (await get('/api/v1/patrols?from=2026-11-14&to=2026-11-25&limit=200')).items as { flags: string[]; coverage: number | null; distanceM: number }[];
    expect(patrols.length).toBeGreaterThan(20);
    expect(patrols.filter((p) => (p.coverage ?? 0) > 0).length).toBeGreaterThan(patrols.length * 0.8);
    expect(sum('tooShort') + sum('flagged')).toBeGreaterThan(0);
    const map = await get('/api/v1/risk-map?org=150300');
    expect(map.features.length).toBeGreaterThanOrEqual(10);
    for (const colour of ['red', 'orange', 'yellow', 'blue']) expect(map.counts[colour], colour).toBeGreaterThan(0);
    const rivers = (await get('/api/v1/rivers')).items as { reaches: { chiefs: { name: string }[] }[] }[];
    expect(rivers.flatMap((r) => r.reaches.flatMap((x) => x.chiefs.map((c) => c.name))).every((n) => n.endsWith('河长'))).toBe(true);
    const hazards = await a.app.store.db.selectFrom('cases').select(['status', 'channel']).where('workflow', '=', 'hazard').where('channel', '=', 'patrol').execute();
    expect(hazards.length).toBeGreaterThan(0);
  });
});
