import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createTestEnv, frozenClock, type TestEnv } from './helpers.js';
import { buildWorld, PLACES, type World } from './world.js';
import { caseApi } from './support/case-api.js';
import { sweepLights } from '../src/cases/case.sweeper.js';
import { intakeCase } from '../src/cases/case.intake.js';
import { cliCommands } from '../src/cli-commands.js';

// Deadlines and traffic lights of real cases, end to end: POST /cases with a frozen clock against
// the seeded chinese-days calendar, and the SLA sweeper run at chosen shares of a stage's limit.
// Work periods are the defaults, 08:30–12:00 and 13:30–17:30 (7.5 工作时 a day); Wuhai is UTC+8,
// so local 16:00 = 08:00Z.

const H = 3_600_000;
const M = 60_000;

/** A fresh store with the test world and a frozen clock, for one describe block. */
function useWorld(startIso: string) {
  const clock = frozenClock(startIso);
  const ctx = {} as { env: TestEnv; world: World; api: ReturnType<typeof caseApi> };
  beforeAll(async () => {
    // Sessions must outlive the clock's travels (a session lasts 12 h by default).
    ctx.env = await createTestEnv({ clock, config: { sessionTtlHours: 24 * 30 } });
    ctx.world = await buildWorld(ctx.env);
    ctx.api = caseApi(ctx.env, ctx.world);
  });
  afterAll(() => ctx.env.close());
  return { clock, ctx };
}

describe('case deadlines on the real calendar', () => {
  const { clock, ctx } = useWorld('2026-11-26T02:00:00Z');

  /** Reports a case at local time `localIso` (+08:00) and returns it. */
  async function reportAt(localIso: string, categoryCode = '06010') {
    clock.set(`${localIso}+08:00`);
    return ctx.api.report('workerA', { categoryCode });
  }

  it('finds the Friday before a holiday in the seeded calendar: 2026-04-03 before 清明', async () => {
    const res = await ctx.api.get('admin', '/api/v1/calendar/days?from=2026-01-01&to=2026-12-31');
    const days: { date: string; isWorkday: boolean; name: string | null }[] = res.json().items;
    const byDate = new Map(days.map((d) => [d.date, d]));
    const next = (date: string) => byDate.get(new Date(Date.parse(`${date}T00:00:00Z`) + 24 * H).toISOString().slice(0, 10));
    const fridaysBeforeHoliday = days.filter((d) => new Date(`${d.date}T00:00:00Z`).getUTCDay() === 5 && d.isWorkday && next(d.date)?.isWorkday === false && next(d.date)?.name);
    expect(fridaysBeforeHoliday.map((d) => d.date)).toEqual(['2026-04-03']);
    // The calendars drawn in the tests below, as the API sees them.
    const shape = (from: string, to: string) => days.filter((d) => d.date >= from && d.date <= to).map((d) => `${d.date.slice(5)} ${d.isWorkday ? 'W' : '-'} ${d.name ?? ''}`.trim());
    expect(shape('2026-04-03', '2026-04-07')).toEqual(['04-03 W', '04-04 - 清明', '04-05 - 清明', '04-06 - 清明', '04-07 W']);
    expect(shape('2026-09-30', '2026-10-08')).toEqual(['09-30 W', ...[1, 2, 3, 4, 5, 6, 7].map((d) => `10-0${d} - 国庆节`), '10-08 W']);
    expect(shape('2026-02-13', '2026-02-24')).toEqual(['02-13 W', '02-14 W 春节补班', ...[15, 16, 17, 18, 19, 20, 21, 22, 23].map((d) => `02-${d} - 春节`), '02-24 W']);
  });

  it('4 工作时 from Friday 16:00 before 清明 runs into Tuesday', async () => {
    //   Fri 04-03  work    16:00–17:30  1.5 h   (1.5)
    //   Sat 04-04  清明节 off
    //   Sun 04-05  清明节 off
    //   Mon 04-06  清明节 off
    //   Tue 04-07  work    08:30–11:00  2.5 h   (4.0)  → Tue 11:00 = 03:00Z
    // The first stage (核实, 2 工作时): 1.5 h on Friday + 0.5 h → Tue 09:00 = 01:00Z.
    const c = await reportAt('2026-04-03T16:00');
    expect(c.deadline).toBe('2026-04-07T03:00:00.000Z');
    expect(c).toMatchObject({ stage: 'verify', stageDeadline: '2026-04-07T01:00:00.000Z', light: 'green' });
  });

  it('4 工作时 from Wednesday 16:00 before 国庆 waits out the whole golden week', async () => {
    //   Wed 09-30  work    16:00–17:30  1.5 h   (1.5)
    //   Thu 10-01 … Wed 10-07  国庆节 off (7 days, a weekend inside)
    //   Thu 10-08  work    08:30–11:00  2.5 h   (4.0)  → Thu 11:00 = 03:00Z
    const c = await reportAt('2026-09-30T16:00');
    expect(c.deadline).toBe('2026-10-08T03:00:00.000Z');
  });

  it('counts Saturday 2026-02-14 (春节补班) as a workday and skips the whole 春节 break', async () => {
    //   Fri 02-13  work        16:00–17:30              1.5 h  (1.5)
    //   Sat 02-14  春节补班    08:30–11:00              2.5 h  (4.0)  → 4 工作时: Sat 11:00 = 03:00Z
    //              (all day:  08:30–12:00, 13:30–17:30  7.5 h  (9.0))
    //   Sun 02-15 … Mon 02-23  春节 off (9 days)
    //   Tue 02-24  work        08:30–12:00              3.5 h  (12.5)
    //                          13:30–17:00              3.5 h  (16.0) → 2 工作日 = 16 工作时: Tue 17:00 = 09:00Z
    const fourHours = await reportAt('2026-02-13T16:00');
    expect(fourHours.deadline).toBe('2026-02-14T03:00:00.000Z');
    const twoDays = await reportAt('2026-02-13T16:00', '06011'); // 积存垃圾渣土: 2 工作日
    expect(twoDays.deadline).toBe('2026-02-24T09:00:00.000Z');
  });

  it('starts counting a report made during the 国庆 holiday on the first workday after it', async () => {
    //   Sat 10-03 10:00  reported (holiday)
    //   Sun 10-04 … Wed 10-07 off
    //   Thu 10-08  08:30–12:00  3.5 h (3.5), 13:30–14:00  0.5 h (4.0)  → Thu 14:00 = 06:00Z
    const c = await reportAt('2026-10-03T10:00');
    expect(c.deadline).toBe('2026-10-08T06:00:00.000Z');
    expect(c.light).toBe('green');
  });

  it('starts counting a report made at night, at lunch or on a Friday evening at the next work period', async () => {
    //   Thu 11-26 22:00 → Fri 11-27  08:30–12:00 3.5 h, 13:30–14:00 0.5 h  → Fri 14:00 = 06:00Z
    const night = await reportAt('2026-11-26T22:00');
    expect(night.deadline).toBe('2026-11-27T06:00:00.000Z');
    expect(night.number).toMatch(/^WH20261126/); // numbered by the city's date, not UTC's
    //   Fri 11-27 00:30 local is still Thursday in UTC; its number and clock follow Wuhai.
    const afterMidnight = await reportAt('2026-11-27T00:30');
    expect(afterMidnight.number).toMatch(/^WH20261127/);
    expect(afterMidnight.deadline).toBe('2026-11-27T06:00:00.000Z');
    //   Thu 11-26 12:30 (lunch) → 13:30–17:30 4.0 h  → Thu 17:30 = 09:30Z (stays on the period end)
    const lunch = await reportAt('2026-11-26T12:30');
    expect(lunch.deadline).toBe('2026-11-26T09:30:00.000Z');
    //   Fri 11-27 18:00 → Sat, Sun off → Mon 11-30 08:30–12:00 3.5 h, 13:30–14:00 0.5 h → Mon 14:00 = 06:00Z
    const friday = await reportAt('2026-11-27T18:00');
    expect(friday.deadline).toBe('2026-11-30T06:00:00.000Z');
    // The public deadline calculator agrees with every stored deadline.
    for (const [c, start] of [[night, '2026-11-26T22:00:00+08:00'], [lunch, '2026-11-26T12:30:00+08:00'], [friday, '2026-11-27T18:00:00+08:00']] as const) {
      const maths = (await ctx.env.http.inject(`/api/v1/calendar/deadline?start=${encodeURIComponent(start)}&amount=4&unit=work_hours`)).json();
      expect(maths.deadline).toBe(c.deadline);
    }
  });
});

describe('traffic lights and the SLA sweeper', () => {
  // Thursday 2026-11-26 08:30 local. The first stage, 核实, allows 2 工作时 = 120 working minutes:
  //   08:30 ──────── 10:06 ──── 10:30 ── 12:00 ~~lunch~~ 13:30 ────────── 16:00 ── 17:30
  //   green          yellow (80 %=96 min)  red (100 %)                      severe (300 % = 360 min:
  //                                                                        210 before lunch + 150 after)
  // Shares used: 79 % = 94.8 min → 10:04:48, 81 % = 97.2 min → 10:07:12,
  //              101 % = 121.2 min → 10:31:12, 301 % = 361.2 min → 13:30 + 151.2 min = 16:01:12.
  const { clock, ctx } = useWorld('2026-11-26T00:30:00Z');
  const at = (local: string) => clock.set(`2026-11-26T${local}+08:00`);
  const community = PLACES.heping.community;
  let l1: number;
  let l2: number;

  const events = async (id: number, action?: string) => (await ctx.api.timeline(id)).filter((e) => !action || e.action === action);
  const allEventCount = async () => Number((await ctx.env.app.store.db.selectFrom('case_events').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
  const notifications = (id: number) =>
    ctx.env.app.store.db.selectFrom('notifications').select(['org_code', 'role', 'kind']).where('case_id', '=', id).orderBy('id').execute();
  const overdueKpi = async (day = '2026-11-26') => (await ctx.api.kpis(`org=${community}&from=${day}&to=${day}`)).overdue;

  it('keeps a stage green at 79 % and does not even look at it', async () => {
    l1 = (await ctx.api.report()).id;
    l2 = (await ctx.api.report()).id;
    expect((await ctx.api.case(l1)).stageDeadline).toBe('2026-11-26T02:30:00.000Z');
    at('10:04:48');
    const r = await sweepLights(ctx.env.app);
    expect(r).toEqual({ examined: 0, changed: 0, overdue: 0, escalated: 0 });
    expect((await ctx.api.case(l1)).light).toBe('green');
    expect(await events(l1, 'light')).toHaveLength(0);
  });

  it('turns yellow at 81 % with a timeline event, nothing counted overdue', async () => {
    at('10:07:12');
    const r = await sweepLights(ctx.env.app);
    expect(r).toEqual({ examined: 2, changed: 2, overdue: 0, escalated: 0 });
    const c = await ctx.api.case(l1);
    expect(c).toMatchObject({ light: 'yellow', version: 2, escalationLevel: 0 });
    expect(await events(l1, 'light')).toMatchObject([{ note: 'green → yellow', from: 'reported', to: 'reported', data: { stage: 'verify', from: 'green', to: 'yellow' } }]);
    expect(await overdueKpi()).toBe(0);
    expect(await notifications(l1)).toEqual([]);
  });

  it('turns red at 101 %: counted overdue once, the community leaders told, no escalation yet', async () => {
    at('10:31:12');
    const r = await sweepLights(ctx.env.app);
    expect(r).toMatchObject({ examined: 2, changed: 2, overdue: 2 });
    // One overdue stage is fewer than escalateAfterOverdue (2 by default): no 提级 yet.
    expect(ctx.env.config.sweeper.escalateAfterOverdue).toBe(2);
    expect(r.escalated).toBe(0);
    expect(await ctx.api.case(l1)).toMatchObject({ light: 'red', escalationLevel: 0 });
    expect((await events(l1, 'light')).map((e) => e.note)).toEqual(['green → yellow', 'yellow → red']);
    expect(await notifications(l1)).toEqual([{ org_code: community, role: 'leader', kind: 'overdue' }]);
    expect(await overdueKpi()).toBe(2);
    const listed = (await ctx.api.get('admin', '/api/v1/cases?overdue=true&limit=500')).json();
    expect(listed.items.map((c: { id: number }) => c.id).sort()).toEqual([l1, l2].sort());
  });

  it(`raises a case a level after escalateAfterOverdue overdue stages, counting the case overdue only once`, async () => {
    // l2 is overdue in 核实 (stage 1). Verified now, 立案 (1 工作时) starts at 10:31:12 and is due at
    // 11:31:12; at 11:40 it is red too: the second overdue stage → 提级 to the street.
    const afterOverdue = ctx.env.config.sweeper.escalateAfterOverdue;
    await ctx.api.act('dispatcher', l2, 'verify');
    expect(await ctx.api.case(l2)).toMatchObject({ stage: 'register', light: 'green', stageDeadline: '2026-11-26T03:31:12.000Z' });
    at('11:40:00');
    const r = await sweepLights(ctx.env.app);
    expect(r).toEqual({ examined: 1, changed: 1, overdue: 1, escalated: afterOverdue === 2 ? 1 : 0 });
    const c = await ctx.api.case(l2);
    expect(c).toMatchObject({ light: 'red', escalationLevel: 1, status: 'verified' });
    expect(await events(l2, 'escalate')).toMatchObject([{ note: '自动提级至 150302001', data: { level: 1, target: '150302001', overdueStages: 2 } }]);
    expect(await notifications(l2)).toEqual([
      { org_code: community, role: 'leader', kind: 'overdue' },
      { org_code: community, role: 'leader', kind: 'overdue' },
      { org_code: '150302001', role: 'leader', kind: 'escalated' },
    ]);
    // 超期数 counts cases, not stages (KpiCounters.overdue): still 2 for two late cases.
    expect(await overdueKpi()).toBe(2);
  });

  it('turns severe at 301 % and escalates a severely overdue case at once', async () => {
    at('16:01:12');
    const r = await sweepLights(ctx.env.app);
    // l1 (核实 since 08:30) and l2 (立案 since 10:31:12, 3 工作时 → 15:01:12) are both severe now.
    expect(r).toEqual({ examined: 2, changed: 2, overdue: 0, escalated: 2 });
    expect(await ctx.api.case(l1)).toMatchObject({ light: 'severe', escalationLevel: 1, version: 4 });
    expect(await ctx.api.case(l2)).toMatchObject({ light: 'severe', escalationLevel: 2 });
    expect((await ctx.api.timeline(l1)).map((e) => `${e.action}:${e.note ?? ''}`)).toEqual([
      'report:', 'light:green → yellow', 'light:yellow → red', 'light:red → severe', 'escalate:自动提级至 150302001',
    ]);
    expect((await notifications(l1)).map((n) => `${n.kind}@${n.org_code}`)).toEqual([`overdue@${community}`, 'escalated@150302001']);
    expect((await notifications(l2)).at(-1)).toEqual({ org_code: '150302', role: 'leader', kind: 'escalated' });
    expect(await overdueKpi()).toBe(2);
  });

  it('is idempotent: a second run at the same instant changes nothing', async () => {
    const before = { events: await allEventCount(), l1: await ctx.api.case(l1), notes: (await notifications(l1)).length, overdue: await overdueKpi() };
    const r = await sweepLights(ctx.env.app);
    expect(r).toEqual({ examined: 0, changed: 0, overdue: 0, escalated: 0 });
    expect(await allEventCount()).toBe(before.events);
    expect((await ctx.api.case(l1)).version).toBe(before.l1.version);
    expect((await notifications(l1)).length).toBe(before.notes);
    expect(await overdueKpi()).toBe(before.overdue);
  });

  it('two concurrent runs write each light change exactly once', async () => {
    // Friday 2026-11-27 08:30: three new cases, then the same shares of 核实 as above.
    clock.set('2026-11-27T00:30:00Z');
    const ids = [(await ctx.api.report()).id, (await ctx.api.report()).id, (await ctx.api.report()).id];
    for (const [local, light] of [['10:07:12', 'yellow'], ['10:31:12', 'red']] as const) {
      clock.set(`2026-11-27T${local}+08:00`);
      const eventsBefore = await allEventCount();
      const [a, b] = await Promise.all([sweepLights(ctx.env.app), sweepLights(ctx.env.app)]);
      expect(a.changed + b.changed).toBe(3);
      expect(a.overdue + b.overdue).toBe(light === 'red' ? 3 : 0);
      expect(await allEventCount()).toBe(eventsBefore + 3);
      for (const id of ids) {
        expect((await ctx.api.case(id)).light).toBe(light);
        expect((await events(id, 'light')).filter((e) => e.data.to === light)).toHaveLength(1);
      }
    }
    expect(await overdueKpi('2026-11-27')).toBe(3);
    for (const id of ids) expect(await notifications(id)).toEqual([{ org_code: community, role: 'leader', kind: 'overdue' }]);
  });

  it('a transition inside a late stage leaves the turn to red to the sweeper, which counts it', async () => {
    // Monday 2026-11-30 08:30 dispatched; 处置 (4 工作时) is due at 14:00 (3.5 h + 0.5 h after lunch).
    // At 14:30 the department accepts (same stage, clock running) before any sweep has run.
    clock.set('2026-11-30T00:30:00Z');
    const id = (await ctx.api.report()).id;
    for (const action of ['verify', 'register']) await ctx.api.act('dispatcher', id, action);
    const dispatched = await ctx.api.act('dispatcher', id, 'dispatch', { departmentId: ctx.world.departments.HW });
    expect(dispatched.stageDeadline).toBe('2026-11-30T06:00:00.000Z');
    clock.set('2026-11-30T06:30:00Z');
    await ctx.api.act('handler', id, 'accept');
    await sweepLights(ctx.env.app);
    expect(await ctx.api.case(id)).toMatchObject({ status: 'handling', light: 'red' });
    expect((await events(id, 'light')).map((e) => e.data.to)).toEqual(['red']);
    expect(await notifications(id)).toEqual([{ org_code: community, role: 'leader', kind: 'overdue' }]);
    expect(await overdueKpi('2026-11-30')).toBe(1);
  });
});

describe('sweeper cost follows the cases that change', () => {
  const { clock, ctx } = useWorld('2026-11-26T00:30:00Z');

  it('examines only the cases whose light changes, not every open case', async () => {
    const intake = () => intakeCase(ctx.env.sys(), { categoryCode: '06010', lon: PLACES.heping.lon, lat: PLACES.heping.lat, description: '暴露垃圾', channel: 'patrol' });
    // 5 cases at 08:30 (yellow at 10:06), then 200 at 10:00 (yellow at 11:36: 96 working minutes).
    for (let i = 0; i < 5; i++) await intake();
    clock.set('2026-11-26T02:00:00Z');
    for (let i = 0; i < 200; i++) await intake();
    clock.set('2026-11-26T02:10:00Z'); // 10:10
    expect(await sweepLights(ctx.env.app)).toEqual({ examined: 5, changed: 5, overdue: 0, escalated: 0 });
    expect(await sweepLights(ctx.env.app)).toEqual({ examined: 0, changed: 0, overdue: 0, escalated: 0 });
    // 11:40: the 5 are red (due 10:30), the 200 yellow; 205 > batchSize 200, so two batches.
    clock.set('2026-11-26T03:40:00Z');
    expect(ctx.env.config.sweeper.batchSize).toBe(200);
    expect(await sweepLights(ctx.env.app)).toEqual({ examined: 205, changed: 205, overdue: 5, escalated: 0 });
    const lights = await ctx.env.app.store.db.selectFrom('cases').select(['light', (eb) => eb.fn.countAll<number>().as('n')]).groupBy('light').orderBy('light').execute();
    expect(lights.map((l) => [l.light, Number(l.n)])).toEqual([['red', 5], ['yellow', 200]]);
  });

  it('`gridloop sweep` runs one sweep and prints what it did', async () => {
    clock.set('2026-11-26T04:00:00Z'); // 12:00 sharp: the 200 are due at 12:00 and red only after it; nothing changes
    const log = vi.spyOn(console, 'log').mockImplementation(() => undefined);
    try {
      expect(await cliCommands.sweep(ctx.env.app, [])).toBe(0);
      expect(log).toHaveBeenCalledWith('sweep: examined 0, lights changed 0, stages turned red 0, escalated 0');
      clock.set('2026-11-26T08:00:00Z'); // 16:00: the 200 are red; the 5 turn severe only after 16:00 (360 working min)
      expect(await cliCommands.sweep(ctx.env.app, [])).toBe(0);
      expect(log).toHaveBeenLastCalledWith('sweep: examined 200, lights changed 200, stages turned red 200, escalated 0');
    } finally {
      log.mockRestore();
    }
  });
});
