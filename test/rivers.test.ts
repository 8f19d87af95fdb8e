import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestEnv, frozenClock, type TestEnv } from './helpers.js';
import { buildDemoCity } from '../src/demo/demo.js';
import { loginCookie } from './helpers.js';

// The demo city (grids, users) without its case history: enough for the rivers and their chiefs.
const clock = frozenClock('2026-11-26T02:00:00Z');
let env: TestEnv;
let admin = '';

beforeAll(async () => {
  env = await createTestEnv({ clock });
  await buildDemoCity(env.sys());
  admin = await loginCookie(env.http, 'admin', 'gridloop-demo');
}, 120_000);
afterAll(async () => env?.close());

describe('河长制 register', () => {
  it('lists the demo water bodies with their reaches and a chief at each of four levels at the level\'s frequency', async () => {
    const res = await env.http.inject({ url: '/api/v1/rivers', headers: { cookie: admin } });
    expect(res.statusCode, res.body).toBe(200);
    const bodies = res.json().items as { code: string; name: string; demoGeometry: boolean; reaches: { code: string; chiefs: { level: string; frequency: string }[] }[] }[];
    expect(bodies.map((b) => b.name).sort()).toEqual(['乌海湖', '凤凰岭排干', '甘德尔河', '黄河乌海段'].sort());
    expect(bodies.every((b) => b.demoGeometry)).toBe(true);
    const yellow = bodies.find((b) => b.code === 'HH-WH');
    expect(yellow?.reaches.map((r) => r.code)).toEqual(['HH-WH-01', 'HH-WH-02', 'HH-WH-03']);
    for (const reach of bodies.flatMap((b) => b.reaches)) {
      expect(reach.chiefs.map((c) => [c.level, c.frequency]), reach.code).toEqual([['city', '每季度 1 次'], ['district', '每月 1 次'], ['street', '每旬 1 次'], ['community', '每周 1 次']]);
    }
  });

  it('running the demo again adds no reach twice', async () => {
    await buildDemoCity(env.sys());
    const targets = await env.app.store.db.selectFrom('patrol_targets').select('code').where('kind', '=', 'river').execute();
    expect(targets).toHaveLength(6);
  });
});
