import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { createTestEnv, frozenClock, type TestEnv } from './helpers.js';
import { buildWorld, PLACES, type World } from './world.js';
import { caseApi } from './support/case-api.js';
import { KPI_COUNTER_KEYS } from '../src/kpis/formulas.js';

// KPI counters are written by each transition, in its transaction, into kpi_rollup (every unit from the city to the grid, by day and month); GET /kpis sums
// them. A small fixture with every number worked out by hand:
//
// Urban, 和平社区 (150302001002), category 06010 暴露垃圾 (核实 2, 立案 1, 派遣 1 工作时; 处置 and
// the case deadline 4 工作时). Thursday 2026-11-26, local time:
//   09:00  C1…C6 reported (C1–C3, C6 in grid …001; C4, C5 in grid …002)  reported 6
//          case deadline: 09:00 + 4 工作时 = 12:00 (3 h) + 13:30–14:30 (1 h) = 14:30
//   09:10  C6 rejected                                                   rejected 1
//          C1–C5 verified and registered (派遣 due 10:10)               registered 5, 应结案 5
//   09:20  C1–C4 dispatched to 环卫局 HW (处置 due 09:20 + 4 h = 14:50)     dispatched 4, on time 4
//   09:30  C1–C4 accepted; C1, C2 completed (10 min after dispatch)      handled 2, on time 2
//   09:40  C1 check passed and closed (≤ 14:30)                           closed 1, on time 1
//          C2 check failed                                               reworked 1
// Friday 2026-11-27:
//   10:00  C3 completed (24 h 40 min after dispatch, after 14:50 Thu)     handled 1, on time 0;
//          its 处置 stage ended past its deadline before any sweep saw it:  超期 (overdue) 1
//   10:20  C3 checked and closed; one stage was late, so not 按期         closed 1, on time 0
// → 立案率 5/6 = 0.8333; 按时派遣率 4/4 = 1; 按期处置率 2/3 = 0.6667; 返工率 1/3 = 0.3333;
//   结案率 2/5 = 0.4; 按期结案率 1/5 = 0.2; handling 10 + 10 + 1480 min = 1500 min = 25 h over 3
//   → 8.33 h; urban composite 100 × (0.4 × 0.4 + 0.4 × 0.2 + 0.2 × (1 − 1/3)) = 37.33 → E.
//
// 12345, 公园社区 (150302001003), category L1203 投诉 (派单 2 h, 处置 7 自然日), Thursday 09:00 taken
// by an agent (受理 counts reported and registered), dispatched 09:20 to 城管局 CG, accepted and
// answered 09:30; Friday 09:00 callbacks, 09:10 closed:
//   H1 contacted, solved, 满意;  H2 contacted, solved, 基本满意;  H3 contacted, not solved, 不满意;
//   H4 not reached.
// → 响应率 3/4 = 0.75; 解决率 2/4 = 0.5; 满意率 (1 + 0.9 × 1)/4 = 0.475;
//   composite 100 × (0.1 × 0.75 + 0.5 × 0.5 + 0.4 × 0.475) = 100 × (0.075 + 0.25 + 0.19) = 51.5 → D.

const clock = frozenClock('2026-11-26T01:00:00Z');
let env: TestEnv;
let world: World;
let api: ReturnType<typeof caseApi>;
const C: Record<string, number> = {};
const Hs: number[] = [];
const HEPING = PLACES.heping.community;
const GONGYUAN = PLACES.gongyuan.community;
const PERIOD = 'from=2026-11-26&to=2026-11-27';

/** Sets the clock to a local time on a day of the fixture week. */
const at = (day: number, hhmm: string) => clock.set(`2026-11-${day}T${hhmm}:00+08:00`);

beforeAll(async () => {
  env = await createTestEnv({ clock, config: { sessionTtlHours: 24 * 30 } });
  world = await buildWorld(env);
  api = caseApi(env, world);
  const { HW, CG } = world.departments;

  at(26, '09:00');
  for (const name of ['C1', 'C2', 'C3', 'C6']) C[name] = (await api.report('workerA')).id;
  for (const name of ['C4', 'C5']) C[name] = (await api.report('workerA', {}, PLACES.heping2)).id;
  const hotline = { categoryCode: 'L1203', channel: 'hotline', description: '小区门口噪音投诉', reporter: { name: '李四', phone: '13900001111' } };
  for (let i = 0; i < 4; i++) Hs.push((await api.report('dispatcher', hotline, PLACES.gongyuan)).id);
  at(26, '09:10');
  await api.act('dispatcher', C.C6, 'reject', { note: '不属于受理范围' });
  for (const n of ['C1', 'C2', 'C3', 'C4', 'C5']) {
    await api.act('dispatcher', C[n], 'verify');
    await api.act('dispatcher', C[n], 'register');
  }
  at(26, '09:20');
  for (const n of ['C1', 'C2', 'C3', 'C4']) await api.act('dispatcher', C[n], 'dispatch', { departmentId: HW });
  for (const h of Hs) await api.act('dispatcher', h, 'dispatch', { departmentId: CG });
  at(26, '09:30');
  for (const n of ['C1', 'C2', 'C3', 'C4']) await api.act('handler', C[n], 'accept');
  for (const n of ['C1', 'C2']) await api.act('handler', C[n], 'complete', { note: '已清理' });
  for (const h of Hs) {
    await api.act('handler2', h, 'accept');
    await api.act('handler2', h, 'reply', { note: '已协调物业处理并答复来电人' });
  }
  at(26, '09:40');
  await api.act('inspector', C.C1, 'check_pass');
  await api.act('dispatcher', C.C1, 'close');
  await api.act('inspector', C.C2, 'check_fail', { note: '仍有残留' });
  at(27, '09:00');
  const callbacks = [
    { contacted: true, solved: true, satisfaction: 'satisfied' },
    { contacted: true, solved: true, satisfaction: 'basically_satisfied' },
    { contacted: true, solved: false, satisfaction: 'dissatisfied' },
    { contacted: false, solved: null, satisfaction: null },
  ];
  for (const [i, h] of Hs.entries()) await api.act('dispatcher', h, 'callback', { callback: callbacks[i] });
  at(27, '09:10');
  for (const h of Hs) await api.act('dispatcher', h, 'close');
  at(27, '10:00');
  await api.act('handler', C.C3, 'complete', { note: '已清理' });
  at(27, '10:10');
  await api.act('inspector', C.C3, 'check_pass');
  at(27, '10:20');
  await api.act('dispatcher', C.C3, 'close');
});
afterAll(() => env.close());

const URBAN = {
  reported: 6, registered: 5, rejected: 1, dispatched: 4, dispatchedOnTime: 4, handled: 3, handledOnTime: 2, reworked: 1,
  closed: 2, closedOnTime: 1, shouldClose: 5, overdue: 1, handlingMsSum: 25 * 3_600_000, handlingCount: 3, voided: 0,
  callbacks: 0, contacted: 0, solved: 0, satisfied: 0, basicallySatisfied: 0, dissatisfied: 0,
  registrationRate: 0.8333, onTimeDispatchRate: 1, onTimeHandlingRate: 0.6667, reworkRate: 0.3333, closureRate: 0.4, onTimeClosureRate: 0.2,
  averageHandlingHours: 8.33, responseRate: null, resolutionRate: null, satisfactionRate: null, composite: null, grade: null,
  urbanComposite: 37.33, urbanGrade: 'E',
};
const HOTLINE = {
  reported: 4, registered: 4, rejected: 0, dispatched: 4, dispatchedOnTime: 4, handled: 4, handledOnTime: 4, reworked: 0,
  closed: 4, closedOnTime: 4, shouldClose: 4, overdue: 0, handlingMsSum: 4 * 600_000, handlingCount: 4, voided: 0,
  callbacks: 4, contacted: 3, solved: 2, satisfied: 1, basicallySatisfied: 1, dissatisfied: 1,
  responseRate: 0.75, resolutionRate: 0.5, satisfactionRate: 0.475, composite: 51.5, grade: 'D',
  closureRate: 1, onTimeClosureRate: 1, reworkRate: 0, urbanComposite: 100, urbanGrade: 'A',
};
type Counters = Record<(typeof KPI_COUNTER_KEYS)[number], number>;
const countersOf = (kpi: Record<string, unknown>) => Object.fromEntries(KPI_COUNTER_KEYS.map((k) => [k, kpi[k]])) as Counters;
const sumOf = (a: Counters, b: Counters) => Object.fromEntries(KPI_COUNTER_KEYS.map((k) => [k, a[k] + b[k]])) as Counters;

describe('the 12345 flow over HTTP', () => {
  it('walks 受理 → 派单 → 接单 → 答复 → 回访 → 办结 with its timeline and callback', async () => {
    const h = await api.case(Hs[0]);
    expect(h).toMatchObject({ workflow: 'hotline', status: 'closed', statusLabel: '办结', departmentId: world.departments.CG, light: 'none', callback: { contacted: true, solved: true, satisfaction: 'satisfied' } });
    expect(h.closedAt).toBe('2026-11-27T01:10:00.000Z');
    const timeline = await api.timeline(Hs[0]);
    expect(timeline.map((e) => `${e.action}:${e.from ?? ''}→${e.to}`)).toEqual([
      'report:→accepted', 'dispatch:accepted→dispatched', 'accept:dispatched→handling', 'reply:handling→replied', 'callback:replied→callback_done', 'close:callback_done→closed',
    ]);
    expect(timeline[4].data.callback).toEqual({ contacted: true, solved: true, satisfaction: 'satisfied' });
    expect((await api.case(Hs[3])).callback).toEqual({ contacted: false, solved: false, satisfaction: null });
  });

  it('refuses a callback without an answer from a reached caller', async () => {
    at(30, '08:00'); // away from the fixture's days and communities
    const h = await api.report('dispatcher', { categoryCode: 'L1203', channel: 'hotline', description: '测试' }, PLACES.xinqiao);
    await api.act('dispatcher', h.id, 'dispatch', { departmentId: world.departments.CG });
    await api.act('handler2', h.id, 'accept');
    await api.act('handler2', h.id, 'reply', { note: '已答复' });
    const res = await api.act('dispatcher', h.id, 'callback', { callback: { contacted: true, solved: null, satisfaction: null } }, 400);
    expect(res).toMatchObject({ error: 'validation_failed', details: { field: 'callback.solved' } });
  });
});

describe('KPIs from the counters', () => {
  it('gives the hand-computed urban numbers for 和平社区', async () => {
    expect(await api.kpis(`org=${HEPING}&${PERIOD}`)).toMatchObject({ org: { code: HEPING, level: 'community' }, ...URBAN });
  });

  it('gives the hand-computed 三率, composite and grade for the 12345 cases of 公园社区', async () => {
    expect(await api.kpis(`org=${GONGYUAN}&${PERIOD}`)).toMatchObject({ org: { code: GONGYUAN }, ...HOTLINE });
  });

  it('groups by community, category, department and day', async () => {
    const { HW, CG } = world.departments;
    const byCommunity = await api.kpis(`org=150300&${PERIOD}&groupBy=community`);
    expect(byCommunity.groups.map((g: { group: string }) => g.group)).toEqual([HEPING, GONGYUAN]);
    expect(byCommunity.groups[0]).toMatchObject(URBAN);
    expect(byCommunity.groups[1]).toMatchObject({ callbacks: 4, composite: 51.5, grade: 'D' });
    expect(byCommunity.reported).toBe(6 + 4);

    const byCategory = await api.kpis(`org=150300&${PERIOD}&groupBy=category`);
    expect(byCategory.groups.map((g: { group: string; reported: number; closed: number }) => [g.group, g.reported, g.closed])).toEqual([['06010', 6, 2], ['L1203', 4, 4]]);

    // Intake, 核实, 立案 and 不予立案 happen before any department: they count under department 0.
    const byDept = await api.kpis(`org=150300&${PERIOD}&groupBy=department`);
    const dept = Object.fromEntries(byDept.groups.map((g: { group: string }) => [g.group, g]));
    expect(Object.keys(dept).sort()).toEqual(['0', String(HW), String(CG)].sort());
    expect(dept['0']).toMatchObject({ reported: 10, registered: 9, rejected: 1, dispatched: 0, shouldClose: 9 });
    expect(dept[String(HW)]).toMatchObject({ reported: 0, dispatched: 4, handled: 3, handledOnTime: 2, reworked: 1, closed: 2, closedOnTime: 1 });
    expect(dept[String(CG)]).toMatchObject({ dispatched: 4, handled: 4, closed: 4, callbacks: 4, shouldClose: 0, composite: 51.5 });
    // A department's staff see their department only, whatever they ask for.
    expect(await api.kpis(`org=150300&${PERIOD}`, 'handler')).toMatchObject({ reported: 0, dispatched: 4, handled: 3, closed: 2 });

    const byDay = await api.kpis(`org=150300&${PERIOD}&groupBy=day`);
    expect(byDay.groups.map((g: Record<string, unknown>) => [g.group, g.reported, g.handled, g.handledOnTime, g.closed, g.closedOnTime, g.callbacks])).toEqual([
      ['2026-11-26', 10, 6, 6, 1, 1, 0],
      ['2026-11-27', 0, 1, 0, 5, 4, 4],
    ]);
  });

  it('groupBy=category: one row per category with its code, closures, on-time rate and median hours to close', async () => {
    // 06010: C1 closed 40 min after its report, C3 25 h 20 min after → exact median 13 h;
    //        closedOnTime 1 (C1), 按期结案率 1 (C1 by its deadline) / 5 应结案 = 0.2.
    // L1203: H1–H4 closed Fri 09:10, reported Thu 09:00 → 24 h 10 min each; all 4 on time of 4.
    const res = await api.kpis(`org=150300&${PERIOD}&groupBy=category`);
    const rows = res.groups.map((g: Record<string, unknown>) => ({ categoryCode: g.categoryCode, reported: g.reported, closed: g.closed, closedOnTime: g.closedOnTime, onTimeClosureRate: g.onTimeClosureRate }));
    expect(rows).toEqual([
      { categoryCode: '06010', reported: 6, closed: 2, closedOnTime: 1, onTimeClosureRate: 0.2 },
      { categoryCode: 'L1203', reported: 4, closed: 4, closedOnTime: 4, onTimeClosureRate: 1 },
    ]);
    const within5 = (got: number, want: number) => expect(Math.abs(got - want) / want, `${got} vs ${want}`).toBeLessThanOrEqual(0.05);
    within5(res.groups[0].medianHoursToClose, 13);
    within5(res.groups[1].medianHoursToClose, 24 + 10 / 60);
    // Over several years the answer is the same (month rows for the whole months, days at the ends).
    const years = await api.kpis('org=150300&from=2024-03-15&to=2027-02-10&groupBy=category');
    expect(years.groups.map((g: Record<string, unknown>) => [g.categoryCode, g.closed, g.medianHoursToClose])).toEqual(res.groups.map((g: Record<string, unknown>) => [g.categoryCode, g.closed, g.medianHoursToClose]));
  });

  it("limits a community worker to their community: own KPIs by default, 404 outside", async () => {
    expect(await api.kpis(PERIOD, 'workerA')).toMatchObject({ org: { code: HEPING }, ...URBAN });
    for (const org of [GONGYUAN, '150302001', '150300']) {
      const res = await api.get('workerA', `/api/v1/kpis?org=${org}&${PERIOD}`);
      expect(res.statusCode, org).toBe(404);
      expect(res.json().error).toBe('org_unit_not_found');
    }
    expect((await api.get('citizen', `/api/v1/kpis?${PERIOD}`)).statusCode).toBe(403);
  });

  it("a community's KPIs are the sum of its grids'", async () => {
    const community = countersOf(await api.kpis(`org=${HEPING}&${PERIOD}`));
    const g1 = countersOf(await api.kpis(`org=${PLACES.heping.grid}&${PERIOD}`));
    const g2 = countersOf(await api.kpis(`org=${PLACES.heping2.grid}&${PERIOD}`));
    expect(g2).toMatchObject({ reported: 2, registered: 2, dispatched: 1, handled: 0 });
    expect(sumOf(g1, g2)).toEqual(community);
    const byGrid = await api.kpis(`org=${HEPING}&${PERIOD}&groupBy=grid`);
    expect(byGrid.groups.map((g: { group: string }) => g.group)).toEqual([PLACES.heping.grid, PLACES.heping2.grid]);
    expect(countersOf(byGrid.groups[1])).toEqual(g2);
  });

  it('reads kpi_rollup, not the cases: the answer is the direct sum of its rows and follows them', async () => {
    const db = env.app.store.db;
    const rows = await db.selectFrom('kpi_rollup').selectAll().where('org_code', '=', HEPING).where('grain', '=', 'd').where('period', '>=', '2026-11-26').where('period', '<=', '2026-11-27').execute();
    const direct = Object.fromEntries(KPI_COUNTER_KEYS.map((k) => {
      const col = k.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`) as keyof (typeof rows)[number];
      return [k, rows.reduce((s, r) => s + Number(r[col]), 0)];
    }));
    expect(countersOf(await api.kpis(`org=${HEPING}&${PERIOD}`))).toEqual(direct);
    // Change one counter row by hand: the KPI answer moves with it, the cases are untouched.
    const row = { day: '2026-11-26', org: HEPING };
    const bump = (n: number) => db.updateTable('kpi_rollup').set((eb) => ({ reported: eb('reported', '+', n) })).where('grain', '=', 'd').where('period', '=', row.day).where('org_code', '=', row.org).where('department_id', '=', 0).execute();
    await bump(100);
    expect((await api.kpis(`org=${HEPING}&${PERIOD}`)).reported).toBe(106);
    await bump(-100);
    expect((await api.kpis(`org=${HEPING}&${PERIOD}`)).reported).toBe(6);
  });
});

describe('counters share the transition transaction', () => {
  const XINQIAO = PLACES.xinqiao.community;
  const DAY = 'from=2026-11-30&to=2026-11-30';

  it('a stale version changes neither the case nor the counters', async () => {
    at(30, '09:00');
    const c = await api.report('admin', {}, PLACES.xinqiao);
    await api.act('dispatcher', c.id, 'verify');
    const before = await api.kpis(`org=${XINQIAO}&${DAY}`);
    const stale = await api.post('dispatcher', `/api/v1/cases/${c.id}/transitions`, { action: 'register', version: 1 });
    expect(stale.statusCode).toBe(409);
    expect(await api.kpis(`org=${XINQIAO}&${DAY}`)).toEqual(before);
    expect(await api.case(c.id)).toMatchObject({ status: 'verified', version: 2, registeredAt: null });
    await api.act('dispatcher', c.id, 'register');
    expect((await api.kpis(`org=${XINQIAO}&${DAY}`)).registered).toBe(before.registered + 1);
  });

  it('a transition failing after its counters were bumped rolls them back with everything else', async () => {
    // 结案 of an original bumps `closed`, then closes its merged duplicate and notifies that
    // reporter. Make the notification insert fail (a trigger) and the whole 结案 must vanish.
    at(30, '10:00');
    const original = await api.report('admin', {}, PLACES.xinqiao);
    for (const [who, action, extra] of [
      ['dispatcher', 'verify', {}], ['dispatcher', 'register', {}], ['dispatcher', 'dispatch', { departmentId: world.departments.HW }],
      ['handler', 'accept', {}], ['handler', 'complete', {}], ['inspector', 'check_pass', {}],
    ] as const) await api.act(who, original.id, action, extra);
    const dup = await api.report('admin', { description: '重复' }, PLACES.xinqiao);
    await api.act('dispatcher', dup.id, 'merge', { targetCaseId: original.id });
    const kpiBefore = await api.kpis(`org=${XINQIAO}&${DAY}`);
    const [origBefore, dupBefore] = [await api.case(original.id), await api.case(dup.id)];
    const eventsBefore = [(await api.timeline(original.id)).length, (await api.timeline(dup.id)).length];

    await failNotificationInserts(true);
    try {
      const res = await api.post('dispatcher', `/api/v1/cases/${original.id}/transitions`, { action: 'close', version: origBefore.version });
      expect(res.statusCode).toBe(500);
    } finally {
      await failNotificationInserts(false);
    }
    expect(await api.kpis(`org=${XINQIAO}&${DAY}`)).toEqual(kpiBefore);
    expect(await api.case(original.id)).toMatchObject({ status: 'checked', version: origBefore.version, closedAt: null });
    expect(await api.case(dup.id)).toMatchObject({ status: 'merged', version: dupBefore.version });
    expect([(await api.timeline(original.id)).length, (await api.timeline(dup.id)).length]).toEqual(eventsBefore);

    await api.act('dispatcher', original.id, 'close');
    expect(await api.kpis(`org=${XINQIAO}&${DAY}`)).toMatchObject({ closed: kpiBefore.closed + 1, closedOnTime: kpiBefore.closedOnTime + 1 });
    expect((await api.case(dup.id)).status).toBe('closed');
  });
});

/** Installs or removes a trigger that makes every insert into notifications fail (fault injection). */
async function failNotificationInserts(on: boolean): Promise<void> {
  const db = env.app.store.db;
  if (env.app.store.dialect === 'postgres') {
    if (on) {
      await sql`create function test_fail_notifications() returns trigger language plpgsql as $$ begin raise exception 'injected failure'; end $$`.execute(db);
      await sql`create trigger test_fail_notifications before insert on notifications for each row execute function test_fail_notifications()`.execute(db);
    } else {
      await sql`drop trigger test_fail_notifications on notifications`.execute(db);
      await sql`drop function test_fail_notifications()`.execute(db);
    }
  } else if (on) {
    await sql`create trigger test_fail_notifications before insert on notifications begin select raise(abort, 'injected failure'); end`.execute(db);
  } else {
    await sql`drop trigger test_fail_notifications`.execute(db);
  }
}
