import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestEnv, frozenClock, type TestEnv } from './helpers.js';
import { buildWorld, PLACES, type World } from './world.js';

const clock = frozenClock('2026-11-26T02:00:00Z');
let env: TestEnv;
let world: World;

async function report(level: string | undefined, cookie = world.cookies.inspector) {
  const attributes = level === undefined ? {} : { hazardLevel: level };
  return env.http.inject({ method: 'POST', url: '/api/v1/cases', headers: { cookie }, payload: { categoryCode: 'LYH10', lon: PLACES.heping.lon, lat: PLACES.heping.lat, description: `隐患 ${level}`, channel: 'patrol', attributes } });
}
async function act(id: number, cookie: string, action: string, extra: Record<string, unknown> = {}) {
  const current = await env.http.inject({ url: `/api/v1/cases/${id}`, headers: { cookie: world.cookies.admin } });
  return env.http.inject({ method: 'POST', url: `/api/v1/cases/${id}/transitions`, headers: { cookie }, payload: { action, version: current.json().version, ...extra } });
}

beforeAll(async () => {
  env = await createTestEnv({ clock });
  world = await buildWorld(env);
});
afterAll(async () => env?.close());

describe('hazards (隐患排查治理)', () => {
  it('lists hazard categories', async () => {
    const res = await env.http.inject({ url: '/api/v1/categories?workflow=hazard&limit=50' });
    const codes = res.json().items.map((c: { code: string }) => c.code);
    expect(codes).toContain('LYH10');
    expect(res.json().items.every((c: { workflow: string }) => c.workflow === 'hazard')).toBe(true);
  });

  it('a 重大隐患 is supervised at once, a 一般隐患 is not; a hazard without a level is refused', async () => {
    const major = await report('major');
    expect(major.statusCode, major.body).toBe(201);
    expect(major.json()).toMatchObject({ workflow: 'hazard', supervised: true, status: 'found' });
    const general = await report('general');
    expect(general.json()).toMatchObject({ workflow: 'hazard', supervised: false });
    const none = await report(undefined);
    expect(none.statusCode).toBe(400);
    expect(none.json().details).toMatchObject({ field: 'attributes.hazardLevel' });
  });

  it('重大隐患 needs a 治理方案 before rectification; its plan sets the deadline; 验收 by the department; 销号', async () => {
    const id = (await report('major')).json().id as number;
    expect((await act(id, world.cookies.dispatcher, 'dispatch', { departmentId: world.departments.HW })).json().status).toBe('planning');
    const early = await act(id, world.cookies.handler, 'rectify', { note: '整改完成' });
    expect(early.statusCode).toBe(409);
    expect(early.json().details.allowed).toContain('submit_plan');
    const planned = await act(id, world.cookies.handler, 'submit_plan', { note: '治理方案: 停产整改, 经费 20 万', newDeadline: '2026-12-20T09:00:00Z' });
    expect(planned.json()).toMatchObject({ status: 'governing' });
    expect(planned.json().sla.stageDeadline ?? planned.json().stageDeadline).toBe('2026-12-20T09:00:00.000Z');
    expect((await act(id, world.cookies.handler, 'rectify', { note: '治理完成' })).json().status).toBe('awaiting_acceptance');
    expect((await act(id, world.cookies.handler, 'accept_check')).json().status).toBe('acceptance_passed');
    const closed = await act(id, world.cookies.handler, 'close');
    expect(closed.json()).toMatchObject({ status: 'closed', statusLabel: '已销号', supervised: true });
  });

  it('一般隐患 is rectified without a plan', async () => {
    const id = (await report('general')).json().id as number;
    expect((await act(id, world.cookies.dispatcher, 'dispatch', { departmentId: world.departments.HW })).json()).toMatchObject({ status: 'rectifying', allowedActions: expect.any(Array) });
    expect((await act(id, world.cookies.handler, 'submit_plan', { note: 'x', newDeadline: '2026-12-20T09:00:00Z' })).statusCode).toBe(409);
    expect((await act(id, world.cookies.handler, 'rectify', { note: '已整改' })).json().status).toBe('awaiting_acceptance');
  });
});
