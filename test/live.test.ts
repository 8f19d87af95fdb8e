import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestEnv, type TestEnv } from './helpers.js';
import { buildWorld, PLACES, type World } from './world.js';
import { caseApi } from './support/case-api.js';
import { connectLive as connect } from './support/sse.js';

describe('GET /live (server-sent events)', () => {
  let env: TestEnv;
  let world: World;
  let base: string;
  let api: ReturnType<typeof caseApi>;

  beforeAll(async () => {
    env = await createTestEnv({ config: { live: { heartbeatSeconds: 1 } } });
    world = await buildWorld(env);
    api = caseApi(env, world);
    await env.http.listen({ port: 0, host: '127.0.0.1' });
    base = `http://127.0.0.1:${(env.http.server.address() as AddressInfo).port}`;
  });
  afterAll(async () => env?.close());

  it('needs a login', async () => {
    const res = await env.http.inject({ url: '/api/v1/live' });
    expect(res.statusCode).toBe(401);
  });

  it('streams case.created and case.changed to a leader, and nothing of it to another community\'s worker', async () => {
    const leader = await connect(base, world.cookies.leader);
    const other = await connect(base, world.cookies.workerB);
    const own = await connect(base, world.cookies.workerA);
    expect(leader.status).toBe(200);
    const created = await api.report('workerA', {}, PLACES.heping);
    const seen = await leader.waitFor((e) => e.event === 'case.created' && e.data.id === created.id);
    expect(seen.data).toMatchObject({ number: created.number, status: 'reported', categoryCode: '06010', grid: { code: PLACES.heping.grid }, communityCode: PLACES.heping.community });
    expect(seen.data).not.toHaveProperty('reporter');
    await own.waitFor((e) => e.data.id === created.id);
    await api.act('dispatcher', created.id, 'verify');
    const changed = await leader.waitFor((e) => e.event === 'case.changed' && e.data.id === created.id);
    expect(changed.data.status).toBe('verified');
    // workerB (公园社区) had the chance to receive both events by now: the leader has.
    await new Promise((r) => setTimeout(r, 200));
    expect(other.events.filter((e) => e.data.id === created.id)).toEqual([]);
    for (const c of [leader, other, own]) c.close();
  });

  it('resumes from Last-Event-ID with the events missed, in scope only', async () => {
    const first = await connect(base, world.cookies.leader);
    const a = await api.report('workerA', {}, PLACES.heping);
    const eventA = await first.waitFor((e) => e.data.id === a.id);
    first.close();
    const b = await api.report('workerB', {}, PLACES.gongyuan);
    const c = await api.report('workerA', {}, PLACES.heping2);
    const resumedLeader = await connect(base, world.cookies.leader, { 'last-event-id': String(eventA.id) });
    await resumedLeader.waitFor((e) => e.data.id === c.id);
    expect(resumedLeader.events.map((e) => e.data.id)).toEqual([b.id, c.id]);
    const resumedWorker = await connect(base, world.cookies.workerA, { 'last-event-id': String(eventA.id) });
    await resumedWorker.waitFor((e) => e.data.id === c.id);
    expect(resumedWorker.events.map((e) => e.data.id)).toEqual([c.id]);
    resumedLeader.close();
    resumedWorker.close();
  });

  it('sends heartbeat comments', async () => {
    const client = await connect(base, world.cookies.leader);
    await new Promise((r) => setTimeout(r, 2300));
    expect(client.comments.filter((c) => c.startsWith('heartbeat')).length).toBeGreaterThanOrEqual(1);
    client.close();
  });

  it('delivers one event to 200 concurrent clients, and forgets clients that leave', async () => {
    const clients = await Promise.all(Array.from({ length: 200 }, () => connect(base, world.cookies.leader)));
    const created = await api.report('workerA');
    await Promise.all(clients.map((c) => c.waitFor((e) => e.data.id === created.id, 15_000)));
    for (const c of clients) c.close();
    const { getLiveHub } = await import('../src/live/live.hub.js');
    for (let i = 0; i < 50 && getLiveHub(env.app).clientCount > 0; i++) await new Promise((r) => setTimeout(r, 100));
    expect(getLiveHub(env.app).clientCount).toBe(0);
  });
});
