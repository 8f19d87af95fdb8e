import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestEnv, frozenClock, type TestEnv } from './helpers.js';
import { buildWorld, PLACES, type World } from './world.js';
import { caseApi, type Who } from './support/case-api.js';

/**
 * Workbench queues (GET /cases/queues) and the list filters the workbench uses: queue, class, sort.
 * Five cases in 和平社区 at known stages; the counts are checked per role and per scope.
 */
const clock = frozenClock('2026-11-26T02:00:00Z');
let env: TestEnv;
let world: World;
let api: ReturnType<typeof caseApi>;
const ids: Record<string, number> = {};

beforeAll(async () => {
  env = await createTestEnv({ clock });
  world = await buildWorld(env);
  api = caseApi(env, world);
  for (const name of ['reported', 'verified', 'dispatched', 'supervised']) ids[name] = (await api.report('workerA')).id;
  ids.manhole = (await api.report('workerA', { categoryCode: '01001', description: '井盖缺失' }, PLACES.heping2)).id;
  ids.gongyuan = (await api.report('workerB', {}, PLACES.gongyuan)).id;
  await api.act('dispatcher', ids.verified, 'verify');
  await api.act('dispatcher', ids.dispatched, 'verify');
  await api.act('dispatcher', ids.dispatched, 'register');
  await api.act('dispatcher', ids.dispatched, 'dispatch', { departmentId: world.departments.HW });
  await api.act('leader', ids.supervised, 'supervise', { note: '请尽快处理' });
});
afterAll(() => env.close());

async function queues(who: Who): Promise<Record<string, number>> {
  const res = await api.get(who, '/api/v1/cases/queues');
  expect(res.statusCode, res.body).toBe(200);
  return Object.fromEntries(res.json().items.map((q: { key: string; count: number }) => [q.key, q.count]));
}

async function listIds(who: Who, query: string): Promise<number[]> {
  const res = await api.get(who, `/api/v1/cases?${query}`);
  expect(res.statusCode, res.body).toBe(200);
  return res.json().items.map((c: { id: number }) => c.id);
}

describe('GET /cases/queues', () => {
  it('counts the dispatcher’s queues over the whole city', async () => {
    expect(await queues('dispatcher')).toEqual({ verify: 4, register: 1, dispatch: 0, handle: 0, callback: 0, close: 0, overdue: 0, supervised: 1 });
  });

  it('counts only the department’s cases for a handler', async () => {
    expect(await queues('handler')).toEqual({ handle: 1, check: 0, close: 0, overdue: 0, supervised: 0 });
    expect(await queues('handler2')).toEqual({ handle: 0, check: 0, close: 0, overdue: 0, supervised: 0 });
  });

  it('counts only the community for a grid worker', async () => {
    expect(await queues('workerA')).toEqual({ verify: 3, check: 0, overdue: 0, supervised: 1 });
    expect(await queues('workerB')).toEqual({ verify: 1, check: 0, overdue: 0, supervised: 0 });
  });

  it('needs a signed-in user and gives a citizen no queues', async () => {
    expect((await env.http.inject({ url: '/api/v1/cases/queues' })).statusCode).toBe(401);
    expect(await queues('citizen')).toEqual({});
  });

  it('labels each queue in Chinese', async () => {
    const res = await api.get('leader', '/api/v1/cases/queues');
    expect(res.json().items.map((q: { label: string }) => q.label)).toEqual(['待核实', '待立案', '待派遣', '待签收/处置中', '待核查', '待回访', '待结案', '超期/红灯', '督办']);
  });
});

describe('list filters for the workbench', () => {
  it('queue= lists exactly the cases the queue counts', async () => {
    expect((await listIds('dispatcher', 'queue=verify')).sort()).toEqual([ids.reported, ids.supervised, ids.manhole, ids.gongyuan].sort());
    expect(await listIds('dispatcher', 'queue=register')).toEqual([ids.verified]);
    expect(await listIds('handler', 'queue=handle')).toEqual([ids.dispatched]);
    expect(await listIds('dispatcher', 'queue=supervised')).toEqual([ids.supervised]);
    expect(await listIds('workerB', 'queue=verify')).toEqual([ids.gongyuan]);
    // A queue combined with a status outside it selects nothing rather than ignoring either.
    expect(await listIds('dispatcher', 'queue=register&status=reported')).toEqual([]);
  });

  it('refuses a queue the role does not have', async () => {
    const res = await api.get('handler', '/api/v1/cases?queue=dispatch');
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ error: 'validation_failed', details: { field: 'queue' } });
  });

  it('class= selects every category of a class', async () => {
    expect(await listIds('dispatcher', 'class=01')).toEqual([ids.manhole]);
    expect((await listIds('dispatcher', 'class=06')).length).toBe(5);
  });

  it('sort= orders by number both ways', async () => {
    const asc = await listIds('admin', 'sort=number');
    const desc = await listIds('admin', 'sort=-number');
    const numbers = (await api.get('admin', '/api/v1/cases?sort=number')).json().items.map((c: { number: string }) => c.number);
    expect(numbers).toEqual([...numbers].sort());
    expect(desc).toEqual([...asc].reverse());
    expect((await api.get('admin', '/api/v1/cases?sort=colour')).statusCode).toBe(400);
  });
});

describe('the case page’s SLA view', () => {
  it('shows the stage and case lights with the remaining working time, counting down and past due', async () => {
    // Reported Thursday 2026-11-26 10:00 in Shanghai; 核实 has 2 working hours: due 12:00.
    const fresh = await api.case(ids.reported, 'dispatcher');
    expect(fresh.actionInputs).toMatchObject({ verify: [], reject: ['note'], merge: ['targetCaseId'], void: ['note'] });
    expect(fresh.sla.stage).toEqual({ light: 'green', deadline: '2026-11-26T04:00:00.000Z', remainingMinutes: 120, unit: 'working', suspended: false });
    expect(fresh.sla.case.light).toBe('green');
    expect(fresh.sla.case.remainingMinutes).toBeGreaterThan(120);
    clock.set('2026-11-26T03:45:00Z'); // 11:45: 105 of 120 minutes used
    expect((await api.case(ids.reported, 'dispatcher')).sla.stage).toMatchObject({ light: 'yellow', remainingMinutes: 15 });
    clock.set('2026-11-26T06:00:00Z'); // 14:00: the lunch break 12:00–13:30 is not working time
    expect((await api.case(ids.reported, 'dispatcher')).sla.stage).toMatchObject({ light: 'red', remainingMinutes: -30 });
  });
});
