import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestEnv, frozenClock, type TestEnv } from './helpers.js';
import { buildWorld, type World } from './world.js';

const clock = frozenClock('2026-11-26T04:00:00Z');
let env: TestEnv;
let world: World;
let planId = 0;

const send = (method: 'PATCH' | 'POST' | 'GET', url: string, cookie: string, payload?: object) => env.http.inject({ method, url, headers: { cookie }, payload });

beforeAll(async () => {
  env = await createTestEnv({ clock });
  world = await buildWorld(env);
  expect((await send('POST', '/api/v1/patrol-targets', world.cookies.admin, { code: 'E-1', kind: 'grid', name: '编辑 网格', orgCode: '150302001002001' })).statusCode).toBe(201);
  const plan = await send('POST', '/api/v1/patrol-plans', world.cookies.admin, { target: 'E-1', assigneeRole: 'grid_worker', frequency: 'week:1', startsOn: '2026-11-01' });
  expect(plan.statusCode, plan.body).toBe(201);
  planId = plan.json().id;
});
afterAll(async () => env?.close());

describe('PATCH /patrol-plans/:id', () => {
  it('changes the frequency, minimums and note of a plan', async () => {
    const res = await send('PATCH', `/api/v1/patrol-plans/${planId}`, world.cookies.admin, { frequency: '每旬 2 次', minDurationMinutes: 20, minDistanceMetres: 800, note: '汛期加密' });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ id: planId, frequency: { period: 'xun', times: 2 }, minimums: { durationMinutes: 20, distanceMetres: 800 }, note: '汛期加密' });
    const listed = (await send('GET', '/api/v1/patrol-plans', world.cookies.admin)).json().items.find((p: { id: number }) => p.id === planId);
    expect(listed.frequency.label).toBe('每旬 2 次');
  });

  it('refuses a frequency that is no rule and an empty patch, changing nothing', async () => {
    expect((await send('PATCH', `/api/v1/patrol-plans/${planId}`, world.cookies.admin, { frequency: 'sometimes' })).statusCode).toBe(400);
    expect((await send('PATCH', `/api/v1/patrol-plans/${planId}`, world.cookies.admin, {})).statusCode).toBe(400);
    const listed = (await send('GET', '/api/v1/patrol-plans', world.cookies.admin)).json().items.find((p: { id: number }) => p.id === planId);
    expect(listed.frequency).toMatchObject({ period: 'xun', times: 2 });
  });

  it('retiring a plan takes it off the list', async () => {
    const res = await send('PATCH', `/api/v1/patrol-plans/${planId}`, world.cookies.admin, { active: false });
    expect(res.statusCode, res.body).toBe(200);
    const ids = (await send('GET', '/api/v1/patrol-plans', world.cookies.admin)).json().items.map((p: { id: number }) => p.id);
    expect(ids).not.toContain(planId);
    expect((await send('PATCH', `/api/v1/patrol-plans/${planId}`, world.cookies.admin, { note: 'x' })).statusCode).toBe(404);
  });
});
