import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestEnv, frozenClock, type TestEnv } from './helpers.js';
import { buildWorld, PLACES, type World } from './world.js';
import { caseApi } from './support/case-api.js';

/*
 * One 暴露垃圾 case (06010: 处置 4 工作时; 核实 2 工作时), working periods 08:30–12:00 and 13:30–17:30:
 *   Wed 2026-11-25 10:00 reported → 核实 due 12:00, case deadline 10:00 + 4 工作时 = 15:30
 *   12:30 verified (late: the 核实 stage ran over) · 13:40 registered · 13:45 dispatched · 13:50 accepted
 *   14:00 completed · 14:10 checked (核查 due 16:00: on time) · 14:20 closed (before 15:30)
 * So the case is 按期结案 by its deadline, but not with every stage on time.
 */
const local = (hhmm: string) => `2026-11-25T${String(Number(hhmm.slice(0, 2)) - 8).padStart(2, '0')}:${hhmm.slice(3)}:00Z`;
const clock = frozenClock(local('10:00'));

describe.each(['deadline', 'stages'] as const)('按期结案 read as %s', (reading) => {
  let env: TestEnv;
  let world: World;
  let api: ReturnType<typeof caseApi>;
  beforeAll(async () => {
    clock.set(local('10:00'));
    env = await createTestEnv({ clock, config: { onTimeClosure: reading } });
    world = await buildWorld(env);
    api = caseApi(env, world);
    const c = await api.report('workerA', {}, PLACES.heping);
    const steps: [string, 'dispatcher' | 'handler' | 'inspector', string, Record<string, unknown>?][] = [
      ['12:30', 'dispatcher', 'verify'], ['13:40', 'dispatcher', 'register'], ['13:45', 'dispatcher', 'dispatch', { departmentId: world.departments.HW }],
      ['13:50', 'handler', 'accept'], ['14:00', 'handler', 'complete'], ['14:10', 'inspector', 'check_pass'], ['14:20', 'dispatcher', 'close'],
    ];
    for (const [at, who, action, extra] of steps) {
      clock.set(local(at));
      await api.act(who, c.id, action, extra ?? {});
    }
  });
  afterAll(() => env?.close());

  it('keeps both counts and the stage rates; the rate follows the configured reading', async () => {
    const k = await api.kpis('org=150300&from=2026-11-25&to=2026-11-25');
    expect(k).toMatchObject({ closed: 1, shouldClose: 1, closedByDeadline: 1, closedOnTime: 0, verified: 1, verifiedOnTime: 0, checked: 1, checkedOnTime: 1, onTimeVerifyRate: 0, onTimeCheckRate: 1 });
    expect(k.onTimeClosureRate).toBe(reading === 'deadline' ? 1 : 0);
  });
});
