import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestEnv, frozenClock, type TestEnv } from './helpers.js';
import { buildDemoCity } from '../src/demo/demo.js';
import { loginCookie } from './helpers.js';
import { waterRepository } from '../src/water/water.repository.js';

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

describe('河长公示牌 (public)', () => {
  it("shows each reach's chiefs by level, the office phone, the department and the quality target, without signing in", async () => {
    const res = await env.http.inject({ url: '/api/v1/public/river-boards/HH-WH-02' });
    expect(res.statusCode, res.body).toBe(200);
    const board = res.json();
    expect(board).toMatchObject({ code: 'HH-WH-02', name: '黄河 海勃湾区段', waterBody: { code: 'HH-WH', name: '黄河乌海段' }, qualityTarget: 'II', officePhone: '0473-12345', department: '市水务局', demoGeometry: true });
    expect((board.chiefs as { level: string; org: string }[]).map((c) => c.level)).toEqual(['city', 'district', 'street', 'community']);
    expect(board.chiefs[0].org).toBe('乌海市');
    expect(board.chiefs[1].org).toBe('海勃湾区');
    expect(board.chiefs[3].frequency).toEqual({ period: 'week', times: 1, label: '每周 1 次' });
    // A point on the reach for the report link: one of its vertices.
    expect([[106.79, 39.55], [106.785, 39.62], [106.79, 39.70], [106.80, 39.78]]).toContainEqual(board.at);
    expect(board.waterClass).toBeNull();
    // No personal data: the demo users' phone never appears.
    expect(res.body).not.toContain('13800000000');
  });

  it("shows the class last measured at the reach's station", async () => {
    await env.app.store.db.insertInto('reach_quality_states').values({ reach_code: 'HH-WH-01', state: 'below', case_id: null, last_class: 'IV', last_ts: '2026-11-26T01:00:00Z', updated_at: '2026-11-26T01:00:00Z' }).execute();
    const board = (await env.http.inject({ url: '/api/v1/public/river-boards/HH-WH-01' })).json();
    expect(board.waterClass).toEqual({ class: 'IV', at: '2026-11-26T01:00:00Z' });
  });

  it('lists every reach of the city, and answers 404 for an unknown reach', async () => {
    const list = await env.http.inject({ url: '/api/v1/public/river-boards' });
    expect(list.statusCode).toBe(200);
    expect((list.json().items as { code: string }[]).map((b) => b.code).sort()).toEqual(['FHL-PG-01', 'GDEH-01', 'HH-WH-01', 'HH-WH-02', 'HH-WH-03', 'WHH-01']);
    const missing = await env.http.inject({ url: '/api/v1/public/river-boards/NO-SUCH' });
    expect(missing.statusCode).toBe(404);
    expect(missing.json().error).toBe('not_found');
    expect((await env.http.inject({ url: '/api/v1/public/river-boards/bad%20code' })).statusCode).toBe(400);
  });

  it('the register names the responsible department of each water body', async () => {
    const res = await env.http.inject({ url: '/api/v1/rivers', headers: { cookie: admin } });
    const bodies = res.json().items as { code: string; department: { code: string; name: string } | null }[];
    expect(bodies.map((b) => b.department)).toEqual(bodies.map(() => ({ code: 'SW', name: '市水务局' })));
  });

  it('shows each reach\'s latest measured water class against its target, on the register and the public board', async () => {
    const reachOf = async (code: string) => {
      const bodies = (await env.http.inject({ url: '/api/v1/rivers', headers: { cookie: admin } })).json().items as { reaches: { code: string; quality: unknown }[] }[];
      return bodies.flatMap((b) => b.reaches).find((r) => r.code === code);
    };
    expect((await reachOf('HH-WH-02'))?.quality).toBeNull();
    // As the water-quality stations' evaluation leaves it (water/reach.quality.ts): 黄河 (target Ⅱ) measured Ⅳ, 凤凰岭排干 (target Ⅳ) measured Ⅲ.
    await waterRepository.saveState(env.app.store.db, { reach_code: 'HH-WH-02', state: 'below', case_id: null, last_class: 'IV', last_ts: '2026-11-26T01:00:00.000Z', updated_at: '2026-11-26T01:00:00.000Z' });
    await waterRepository.saveState(env.app.store.db, { reach_code: 'FHL-PG-01', state: 'normal', case_id: null, last_class: 'III', last_ts: '2026-11-26T01:00:00.000Z', updated_at: '2026-11-26T01:00:00.000Z' });
    expect((await reachOf('HH-WH-02'))?.quality).toEqual({ waterClass: 'IV', label: 'Ⅳ类', at: '2026-11-26T01:00:00.000Z', meetsTarget: false });
    expect((await reachOf('FHL-PG-01'))?.quality).toMatchObject({ waterClass: 'III', meetsTarget: true });
    const board = await env.http.inject({ url: '/api/v1/public/river-boards/HH-WH-02' });
    expect(board.json()).toMatchObject({ qualityTarget: 'II', quality: { waterClass: 'IV', meetsTarget: false } });
  });
});
