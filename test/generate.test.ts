import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { createTestEnv, dialectUnderTest, frozenClock, type TestEnv } from './helpers.js';
import { buildWorld, type World } from './world.js';
import { recomputeRollups, storedRollups } from './support/rollup-check.js';
import { generateHistory } from '../src/generate/generate.service.js';
import { verifyAuditTrail } from '../src/cases/case.audit.verify.js';

// `gridloop generate`: a small generated store must hold what the domain would have written —
// hash-chained timelines, case rows that agree with their last event, and roll-ups equal to a
// recomputation from the timeline — and the API must keep working on top of it.

const END = new Date('2026-11-30T04:00:00Z');
let env: TestEnv;
let world: World;

beforeAll(async () => {
  env = await createTestEnv({ clock: frozenClock(END.toISOString()) });
  world = await buildWorld(env);
  // Two runs in small batches: ids, case numbers and counters continue across batches and runs.
  await generateHistory(env.app, { cases: 220, seed: 42, days: 75, end: END, batch: 60 });
  await generateHistory(env.app, { cases: 80, seed: 43, days: 75, end: END, batch: 50 });
}, 120_000);
afterAll(() => env.close());

describe('generate', () => {
  it('writes the cases with unbroken hash-chained timelines', async () => {
    const db = env.app.store.db;
    const n = await db.selectFrom('cases').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow();
    expect(Number(n.n)).toBe(300);
    const audit = await verifyAuditTrail(db);
    expect(audit.cases).toBe(300);
    expect(audit.events).toBeGreaterThan(300);
    expect(audit.broken).toEqual([]);
    const numbers = await db.selectFrom('cases').select('number').execute();
    expect(new Set(numbers.map((r) => r.number)).size).toBe(300);
  });

  it('leaves each case as its last event says, closed cases closed at their close event', async () => {
    const db = env.app.store.db;
    const last = await db.selectFrom('case_events as e').innerJoin('cases as c', 'c.id', 'e.case_id')
      .select(['c.id', 'c.status', 'c.closed_at', 'c.version', 'e.to_status', 'e.action', 'e.at', 'e.seq'])
      .where('e.seq', '=', (eb) => eb.selectFrom('case_events as x').select((x) => x.fn.max('x.seq').as('m')).whereRef('x.case_id', '=', 'c.id')).execute();
    expect(last).toHaveLength(300);
    for (const r of last) {
      expect(r.status, String(r.id)).toBe(r.to_status);
      expect(Number(r.version)).toBe(Number(r.seq));
      if (r.action === 'close') expect(r.closed_at).toBe(r.at);
    }
    const statuses = new Set(last.map((r) => r.status));
    expect(statuses.has('closed')).toBe(true);
    expect(statuses.size).toBeGreaterThan(2); // open cases too, and 不予立案
  });

  it('writes roll-ups equal to a recomputation from the timeline', async () => {
    const db = env.app.store.db;
    const expected = await recomputeRollups(db, env.app.config.timeZone);
    const actual = await storedRollups(db);
    expect(expected.size).toBeGreaterThan(50);
    for (const [key, want] of expected) expect(actual.get(key), key).toEqual(want);
    for (const key of actual.keys()) expect(expected.has(key), key).toBe(true);
  });

  it('can be served: the KPI API answers from what was generated', async () => {
    const res = await env.http.inject({ url: '/api/v1/kpis?org=150300&from=2026-09-01&to=2026-11-30&groupBy=category', headers: { cookie: world.cookies.admin } });
    expect(res.statusCode, res.body).toBe(200);
    const closes = await env.app.store.db.selectFrom('case_events').select((eb) => eb.fn.countAll().as('n')).where('action', '=', 'close').executeTakeFirstOrThrow();
    const body = res.json();
    expect(body.closed).toBe(Number(closes.n)); // every close falls within the 75 days
    expect(body.groups.every((g: { categoryCode: string }) => typeof g.categoryCode === 'string')).toBe(true);
    expect(body.medianHoursToClose).toBeGreaterThan(0);
  });
});

// Into an empty SQLite store the generator drops the secondary indexes and the search trigger and
// builds them once at the end: the store must come out as the row-by-row way leaves it.
describe('generate into an empty store', () => {
  let fast: TestEnv;
  let slow: TestEnv;
  beforeAll(async () => {
    fast = await createTestEnv({ clock: frozenClock(END.toISOString()) });
    slow = await createTestEnv({ clock: frozenClock(END.toISOString()) });
    await generateHistory(fast.app, { cases: 150, seed: 7, days: 20, end: END, batch: 40 });
    await generateHistory(slow.app, { cases: 150, seed: 7, days: 20, end: END, batch: 40, fast: false });
  }, 120_000);
  afterAll(async () => {
    await fast?.close();
    await slow?.close();
  });

  const dump = async (e: TestEnv, table: string, order: string) => (await sql.raw(`select * from ${table} order by ${order}`).execute(e.app.store.db)).rows;

  it('writes the same cases, timelines and roll-ups as the row-by-row way', async () => {
    expect(await dump(fast, 'cases', 'id')).toEqual(await dump(slow, 'cases', 'id'));
    expect((await dump(fast, 'case_events', 'id')).length).toBeGreaterThan(150);
    expect(await dump(fast, 'case_events', 'id')).toEqual(await dump(slow, 'case_events', 'id'));
    expect(await storedRollups(fast.app.store.db)).toEqual(await storedRollups(slow.app.store.db));
  });

  it.runIf(dialectUnderTest === 'sqlite')('leaves the same indexes, triggers and search index, and the usual settings', async () => {
    const schema = async (e: TestEnv) => (await sql`select type, name, tbl_name, sql from sqlite_master order by type, name`.execute(e.app.store.db)).rows;
    expect(await schema(fast)).toEqual(await schema(slow));
    const vocab = (e: TestEnv) => dump(e, 'cases_fts_vocab', 'term');
    expect((await vocab(fast)).length).toBeGreaterThan(10);
    expect(await vocab(fast)).toEqual(await vocab(slow));
    const pragma = async (e: TestEnv) => (await sql`select (select synchronous from pragma_synchronous) as s, (select foreign_keys from pragma_foreign_keys) as f`.execute(e.app.store.db)).rows[0];
    expect(await pragma(fast)).toEqual({ s: 2, f: 1 }); // FULL, on
  });
});
