import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { openDatabase, type Db, type DbHandle } from '../src/db/database.js';
import { migrateToLatest } from '../src/db/migrate.js';
import { GroupCommit } from '../src/db/group-commit.js';

// The group commit serves SQLite only (db/group-commit.ts; PostgreSQL commits per connection), so
// this file runs on a fresh SQLite store whatever DATABASE_URL says.

let store: DbHandle;
let dataDir: string;
beforeAll(async () => {
  dataDir = mkdtempSync(path.join(tmpdir(), 'gridloop-gc-'));
  store = openDatabase({ dataDir, databaseUrl: undefined });
  await migrateToLatest(store.db);
});
afterAll(async () => {
  await store.db.destroy();
  rmSync(dataDir, { recursive: true, force: true });
});

const bump = (db: Db, day: string) => db.insertInto('case_number_counters').values({ prefix: 'GC', day, last: 1 }).onConflict((oc) => oc.columns(['prefix', 'day']).doUpdateSet((eb) => ({ last: eb('case_number_counters.last', '+', 1) }))).returning('last').executeTakeFirstOrThrow();
const counters = (prefix: string) => store.db.selectFrom('case_number_counters').select(['day', 'last']).where('prefix', '=', prefix).orderBy('day').execute();

describe('group commit (SQLite)', () => {
  it('runs units started in one turn in one transaction, one after the other, and answers each', async () => {
    const gc = new GroupCommit(store.db);
    const results = await Promise.all(Array.from({ length: 5 }, () => gc.run(async (db) => (await bump(db, 'd1')).last)));
    expect(results).toEqual([1, 2, 3, 4, 5]);
    expect(gc.stats).toEqual({ units: 5, batches: 1 });
    expect(await counters('GC')).toEqual([{ day: 'd1', last: 5 }]);
  });

  it('rolls back a failing unit alone, and rejects it with its own error', async () => {
    const gc = new GroupCommit(store.db);
    const outcomes = await Promise.allSettled([
      gc.run(async (db) => (await bump(db, 'd2')).last),
      gc.run(async (db) => {
        await bump(db, 'd2');
        await bump(db, 'd3');
        throw new Error('unit two fails after writing');
      }),
      gc.run(async (db) => (await bump(db, 'd2')).last),
    ]);
    expect(outcomes.map((o) => o.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect((outcomes[1] as PromiseRejectedResult).reason.message).toBe('unit two fails after writing');
    expect(outcomes.filter((o) => o.status === 'fulfilled').map((o) => (o as PromiseFulfilledResult<number>).value)).toEqual([1, 2]);
    // Nothing of unit two is stored: d2 counted twice, d3 never.
    expect((await counters('GC')).filter((r) => r.day !== 'd1')).toEqual([{ day: 'd2', last: 2 }]);
    expect(gc.stats.batches).toBe(1);
  });

  it('answers no unit before the commit, and fails them all when the commit fails', async () => {
    const gc = new GroupCommit(store.db);
    const outcomes = await Promise.allSettled([
      gc.run(async (db) => (await bump(db, 'd4')).last),
      gc.run(async (db) => {
        // A foreign key checked only at COMMIT: the unit itself succeeds, the shared commit fails.
        await sql`pragma defer_foreign_keys = on`.execute(db);
        await db.insertInto('notifications').values({ case_id: 987_654, org_code: 'x', role: 'citizen', kind: 'k', message: 'm', created_at: '2026-12-01T00:00:00Z' }).execute();
        return 'inserted';
      }),
      gc.run(async (db) => (await bump(db, 'd4')).last),
    ]);
    expect(outcomes.map((o) => o.status)).toEqual(['rejected', 'rejected', 'rejected']);
    expect(String((outcomes[0] as PromiseRejectedResult).reason)).toMatch(/FOREIGN KEY/);
    expect((await counters('GC')).filter((r) => r.day === 'd4')).toEqual([]);
    // The store is usable afterwards: the next batch commits.
    expect(await gc.run(async (db) => (await bump(db, 'd4')).last)).toBe(1);
  });

  it('merges the end-of-batch writes of the units that succeeded and makes them once, before the commit', async () => {
    const gc = new GroupCommit(store.db);
    let writes = 0;
    const tally = (day: string, n: number) => ({
      key: 'tally',
      open: () => new Map<string, number>(),
      add: (state: Map<string, number>) => void state.set(day, (state.get(day) ?? 0) + n),
      write: async (state: Map<string, number>, db: Db) => {
        writes++;
        for (const [d, last] of state) await db.insertInto('case_number_counters').values({ prefix: 'GW', day: d, last }).execute();
      },
    });
    const outcomes = await Promise.allSettled([
      gc.run(async (_db, defer) => defer(tally('w1', 1))),
      gc.run(async (_db, defer) => {
        defer(tally('w1', 100));
        throw new Error('fails after deferring');
      }),
      gc.run(async (_db, defer) => defer(tally('w1', 2))),
      gc.run(async (_db, defer) => defer(tally('w2', 5))),
    ]);
    expect(outcomes.map((o) => o.status)).toEqual(['fulfilled', 'rejected', 'fulfilled', 'fulfilled']);
    expect(writes).toBe(1);
    expect(await counters('GW')).toEqual([{ day: 'w1', last: 3 }, { day: 'w2', last: 5 }]);
  });

  it('fails the whole batch when an end-of-batch write fails', async () => {
    const gc = new GroupCommit(store.db);
    const failing = { key: 'boom', open: () => null, add: () => undefined, write: async () => { throw new Error('batch write failed'); } };
    const outcomes = await Promise.allSettled([gc.run(async (db) => (await bump(db, 'w3')).last), gc.run(async (_db, defer) => defer(failing))]);
    expect(outcomes.map((o) => (o.status === 'rejected' ? String(o.reason) : o.status))).toEqual(['Error: batch write failed', 'Error: batch write failed']);
    expect((await counters('GC')).filter((r) => r.day === 'w3')).toEqual([]);
  });

  it('lets other queries wait for the batch instead of reading its uncommitted rows', async () => {
    const gc = new GroupCommit(store.db);
    let inside!: () => void;
    const started = new Promise<void>((resolve) => (inside = resolve));
    const unit = gc.run(async (db) => {
      const { last } = await bump(db, 'd5');
      inside();
      return last;
    });
    await started;
    const outside = counters('GC').then((rows) => rows.filter((r) => r.day === 'd5'));
    expect(await outside).toEqual([{ day: 'd5', last: 1 }]);
    expect(await unit).toBe(1);
  });
});
