import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createTestEnv, dialectUnderTest, frozenClock, type TestEnv } from './helpers.js';
import { buildWorld, PLACES, type World } from './world.js';
import { decodeCursor, encodeCursor } from '../src/cases/case.cursor.js';
import { caseRepository } from '../src/cases/case.repository.js';
import { caseScopeFor } from '../src/cases/case.scope.js';
import { systemActor } from '../src/auth/actor.js';
import { refreshPlannerStats } from '../src/db/planner-stats.js';
import { sql } from 'kysely';

// The case list at scale: keyset cursors, totals exact only up to a cap, text search from an index
// (FTS5 trigram on SQLite, pg_trgm on PostgreSQL) that also finds two-character words.

const clock = frozenClock('2026-11-30T02:00:00Z');
let env: TestEnv;
let world: World;
const DESCRIPTIONS = ['路边井盖缺失', '井盖', '路灯不亮', '垃圾满溢 ABC', '占道经营', '人行道破损积水'];
const created: { id: number; number: string; description: string }[] = [];

beforeAll(async () => {
  env = await createTestEnv({ clock });
  world = await buildWorld(env);
  for (let i = 0; i < 18; i++) {
    clock.advance(60_000);
    const description = DESCRIPTIONS[i % DESCRIPTIONS.length];
    const res = await env.http.inject({ method: 'POST', url: '/api/v1/cases', headers: { cookie: world.cookies.workerA }, payload: { categoryCode: '06010', lon: PLACES.heping.lon, lat: PLACES.heping.lat, description, channel: 'patrol', address: i === 5 ? '井盖路 1 号' : null } });
    expect(res.statusCode, res.body).toBe(201);
    created.push({ id: res.json().id, number: res.json().number, description });
  }
});
afterAll(() => env.close());

const list = (query: string) => env.http.inject({ url: `/api/v1/cases?${query}`, headers: { cookie: world.cookies.admin } });

describe('cursor tokens', () => {
  it('round-trips and refuses damage and another order', () => {
    const token = encodeCursor({ sort: '-createdAt', value: '2026-11-30T02:00:00.000Z', id: 42 });
    expect(token).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(decodeCursor(token, '-createdAt')).toEqual({ sort: '-createdAt', value: '2026-11-30T02:00:00.000Z', id: 42 });
    expect(() => decodeCursor(token, 'deadline')).toThrow(/order/);
    expect(() => decodeCursor('bm9wZQ', '-createdAt')).toThrow(/not a cursor/);
    expect(() => decodeCursor(encodeCursor({ sort: 'x', value: null, id: 0 }), 'x')).toThrow(/not a cursor/);
  });
});

describe(`keyset pages on ${dialectUnderTest}`, () => {
  it('walks every case once by cursor, in the same order as offset pages', async () => {
    for (const sort of ['-createdAt', 'deadline', '-number']) {
      const byOffset: number[] = [];
      for (let offset = 0; offset < 18; offset += 5) byOffset.push(...(await list(`limit=5&offset=${offset}&sort=${sort}`)).json().items.map((c: { id: number }) => c.id));
      const byCursor: number[] = [];
      let cursor: string | null = null;
      let pages = 0;
      do {
        const res = await list(`limit=5&sort=${sort}${cursor ? `&cursor=${cursor}` : ''}`);
        expect(res.statusCode, res.body).toBe(200);
        const body = res.json();
        byCursor.push(...body.items.map((c: { id: number }) => c.id));
        cursor = body.nextCursor;
        pages++;
      } while (cursor && pages < 10);
      expect(byCursor, sort).toEqual(byOffset);
      expect(new Set(byCursor).size).toBe(18);
      expect(pages).toBe(4);
    }
  });

  it('refuses a cursor of another order with 400 naming the field', async () => {
    const first = (await list('limit=5&sort=-createdAt')).json();
    const res = await list(`limit=5&sort=number&cursor=${first.nextCursor}`);
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ error: 'validation_failed', details: { field: 'cursor' } });
  });
});

describe(`totals on ${dialectUnderTest}`, () => {
  it('are exact below the cap and marked as such', async () => {
    const body = (await list('limit=5')).json();
    expect(body).toMatchObject({ total: 18, totalIsEstimate: false });
  });

  it('are an estimate beyond the cap, said so, and near the real count for steady intake', async () => {
    const scope = caseScopeFor(systemActor());
    const count = await caseRepository.countUpTo(env.app.store.db, env.app.dialect, scope, {}, 6);
    expect(count.exact).toBe(false);
    // 18 cases one minute apart: the newest 6 span 5 minutes of 17, so 6 × 17 / 5 ≈ 20.
    expect(count.total).toBe(20);
    expect(await caseRepository.countUpTo(env.app.store.db, env.app.dialect, scope, {}, 18)).toEqual({ total: 18, exact: true });
  });

  it('are counted once for the pages of one list, and again after a case is written', async () => {
    const counts = vi.spyOn(caseRepository, 'countUpTo');
    try {
      const first = (await list('limit=5&category=06010&sort=-number')).json();
      const second = (await list(`limit=5&category=06010&sort=-number&cursor=${first.nextCursor}`)).json();
      const third = (await list('limit=5&category=06010&sort=-number&offset=10')).json();
      expect([first.total, second.total, third.total]).toEqual([18, 18, 18]);
      expect(counts).toHaveBeenCalledTimes(1);
      clock.advance(60_000);
      const res = await env.http.inject({ method: 'POST', url: '/api/v1/cases', headers: { cookie: world.cookies.workerA }, payload: { categoryCode: '06010', lon: PLACES.heping.lon, lat: PLACES.heping.lat, description: '新的一件', channel: 'patrol' } });
      expect(res.statusCode, res.body).toBe(201);
      expect((await list('limit=5&category=06010&sort=-number')).json().total).toBe(19);
      expect(counts).toHaveBeenCalledTimes(2);
      // Another filter is another count.
      expect((await list('limit=5&category=06010&q=%E6%96%B0%E7%9A%84')).json().total).toBe(1);
      expect(counts).toHaveBeenCalledTimes(3);
    } finally {
      counts.mockRestore();
    }
  });
});

describe.runIf(dialectUnderTest === 'sqlite')('planner statistics', () => {
  it('are gathered for the cases table once it has grown, so that list pages walk an index', async () => {
    const rows = async () => Number((await sql<{ stat: string | null }>`select max(stat) as stat from sqlite_stat1 where tbl = 'cases'`.execute(env.app.store.db)).rows[0]?.stat?.split(' ')[0] ?? 0);
    await refreshPlannerStats(env.app);
    expect(await rows()).toBeGreaterThanOrEqual(18);
  });
});

describe(`text search on ${dialectUnderTest}`, () => {
  const ids = async (q: string) => ((await list(`limit=100&q=${encodeURIComponent(q)}`)).json().items as { id: number }[]).map((c) => c.id).sort((a, b) => a - b);
  const expected = (pred: (c: (typeof created)[number], i: number) => boolean) => created.filter(pred).map((c) => c.id).sort((a, b) => a - b);

  it('finds two-character Chinese words in descriptions and addresses', async () => {
    expect(await ids('井盖')).toEqual(expected((c, i) => c.description.includes('井盖') || i === 5));
    expect((await ids('井盖')).length).toBeGreaterThan(0);
  });

  it('finds one character, longer phrases, Latin text in any case and number fragments', async () => {
    expect(await ids('灯')).toEqual(expected((c) => c.description.includes('灯')));
    expect(await ids('人行道破损')).toEqual(expected((c) => c.description.includes('人行道破损')));
    expect(await ids('abc')).toEqual(expected((c) => c.description.includes('ABC')));
    expect(await ids(created[7].number.slice(-8))).toEqual([created[7].id]);
  });

  it('finds nothing for words no case has', async () => {
    expect(await ids('地铁')).toEqual([]);
    expect(await ids('不存在的词语')).toEqual([]);
  });

  it.runIf(dialectUnderTest === 'sqlite')('narrows by the FTS index (the match expression) before LIKE', async () => {
    expect(await caseRepository.textIndexMatch(env.app.store.db, env.app.dialect, '井盖缺')).toBe('"井盖缺"');
    const two = await caseRepository.textIndexMatch(env.app.store.db, env.app.dialect, '井盖');
    expect(two).toContain('"井盖缺"');
    expect(await caseRepository.textIndexMatch(env.app.store.db, env.app.dialect, '地铁')).toBe(false);
  });

  it.runIf(dialectUnderTest === 'sqlite')('answers the same page whether it starts from the index or walks the list order', async () => {
    const db = env.app.store.db;
    const scope = caseScopeFor(systemActor());
    for (const text of ['井盖', '人行道破损', 'abc']) {
      const plan = await caseRepository.textIndexPlan(db, env.app.dialect, text);
      expect(plan.size?.candidates, text).toBeGreaterThan(0);
      const page = async (candidates: number, offset: number) => (await caseRepository.listPage(db, env.app.dialect, scope, { text, textMatch: plan.match, textMatchSize: { candidates, cases: 18 } }, { limit: 2, offset })).map((r) => r.id);
      for (const offset of [0, 2]) {
        const fromIndex = await page(0, offset);
        expect(await page(1_000, offset), text).toEqual(fromIndex);
        expect(fromIndex.length, text).toBeGreaterThan(0);
      }
    }
  });
});
