import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { createTestEnv, dialectUnderTest, frozenClock, type TestEnv } from './helpers.js';
import { buildWorld, PLACES, type World } from './world.js';
import { createAppContext } from '../src/boot.js';
import { buildHttpApp } from '../src/app.js';

// Case numbers (case.numbers.ts): no counter row held through the intake on PostgreSQL, and a
// counter that falls behind the stored cases (a restore) heals itself instead of failing intakes.

// Monday 2026-11-30 10:00 in Wuhai.
const clock = frozenClock('2026-11-30T02:00:00Z');
let env: TestEnv;
let world: World;

beforeAll(async () => {
  env = await createTestEnv({ clock });
  world = await buildWorld(env);
});
afterAll(() => env.close());

async function report(http = env.http, cookie = world.cookies.workerA): Promise<{ id: number; number: string }> {
  const res = await http.inject({ method: 'POST', url: '/api/v1/cases', headers: { cookie, origin: 'http://localhost' }, payload: { categoryCode: '06010', lon: PLACES.heping.lon, lat: PLACES.heping.lat, description: '路边暴露垃圾', channel: 'patrol' } });
  expect(res.statusCode, res.body).toBe(201);
  return res.json();
}

const serial = (n: string) => Number(n.slice(-6));

/** Makes the store's counter forget the day's numbers, as a restore of an older counter would. */
async function rewindCounter(db: TestEnv['app']['store']['db']): Promise<void> {
  if (dialectUnderTest === 'postgres') await sql`select setval('case_number_seq', 1, false)`.execute(db);
  else await db.updateTable('case_number_counters').set({ last: 0 }).execute();
}

describe(`case numbers on ${dialectUnderTest}`, () => {
  it('numbers one day\'s cases with the day stem and consecutive serials', async () => {
    const a = await report();
    const b = await report();
    expect(a.number).toMatch(/^WH20261130\d{6}$/);
    expect(b.number.slice(0, 10)).toBe('WH20261130');
    expect(serial(b.number)).toBe(serial(a.number) + 1);
  });

  it('gives concurrent intakes distinct numbers', async () => {
    const many = await Promise.all(Array.from({ length: 12 }, () => report()));
    expect(new Set(many.map((c) => c.number)).size).toBe(12);
  });

  it('heals a counter that fell behind the stored cases instead of failing intakes', async () => {
    const before = await report();
    await rewindCounter(env.app.store.db);
    const after = await report();
    expect(serial(after.number)).toBe(serial(before.number) + 1);
    const next = await report();
    expect(serial(next.number)).toBe(serial(before.number) + 2);
  });

  it('heals after a restart on a store whose counter and day base were lost', async () => {
    const before = await report();
    await rewindCounter(env.app.store.db);
    await env.app.store.db.deleteFrom('case_number_bases').execute();
    await env.app.store.db.deleteFrom('case_number_counters').execute();
    // A second instance on the same store, as after a restore and a restart (nothing in memory).
    const restarted = await createAppContext(env.config, clock);
    const http = await buildHttpApp(restarted);
    try {
      const after = await report(http);
      expect(serial(after.number)).toBe(serial(before.number) + 1);
      const next = await report(http);
      expect(serial(next.number)).toBe(serial(before.number) + 2);
    } finally {
      await http.close();
      await restarted.close();
    }
  });

  it.runIf(dialectUnderTest === 'postgres')('holds no lock on a counter row through the intake transaction', async () => {
    // A transaction that has taken a number and is still open must not block another intake.
    const db = env.app.store.db;
    await db.transaction().execute(async (trx) => {
      await sql`select nextval('case_number_seq')`.execute(trx);
      const other = await Promise.race([report().then(() => 'done'), new Promise((resolve) => setTimeout(() => resolve('blocked'), 5_000))]);
      expect(other).toBe('done');
    });
  });
});
