import { describe, expect, it } from 'vitest';
import SQLite from 'better-sqlite3';
import { Kysely, SqliteDialect, sql } from 'kysely';
import { StatementCache } from './statement-cache.js';

describe('StatementCache', () => {
  it('prepares each SQL text once and answers the same statement again', () => {
    const cache = new StatementCache(new SQLite(':memory:'));
    const a = cache.prepare('select 1 as x');
    const b = cache.prepare('select 1 as x');
    expect(b).toBe(a);
    expect(cache.prepare('select 2 as x')).not.toBe(a);
    expect({ hits: cache.hits, misses: cache.misses, size: cache.size }).toEqual({ hits: 1, misses: 2, size: 2 });
    cache.close();
  });

  it('keeps at most its capacity, dropping the least recently used', () => {
    const cache = new StatementCache(new SQLite(':memory:'), 2);
    const one = cache.prepare('select 1');
    cache.prepare('select 2');
    cache.prepare('select 1'); // 1 is now the most recent
    cache.prepare('select 3'); // evicts 2
    expect(cache.size).toBe(2);
    expect(cache.prepare('select 1')).toBe(one);
    const misses = cache.misses;
    cache.prepare('select 2');
    expect(cache.misses).toBe(misses + 1);
    cache.close();
  });

  it('serves Kysely with correct results across repeated parameterised queries and schema changes', async () => {
    const cache = new StatementCache(new SQLite(':memory:'));
    const db = new Kysely<{ t: { id: number; v: string } }>({ dialect: new SqliteDialect({ database: cache }) });
    await sql`create table t (id integer primary key, v text)`.execute(db);
    for (let i = 1; i <= 5; i++) await db.insertInto('t').values({ id: i, v: `v${i}` }).execute();
    expect(cache.hits).toBeGreaterThanOrEqual(4);
    expect((await db.selectFrom('t').select('v').where('id', '=', 3).executeTakeFirst())?.v).toBe('v3');
    expect((await db.selectFrom('t').select('v').where('id', '=', 4).executeTakeFirst())?.v).toBe('v4');
    await sql`alter table t add column w text`.execute(db);
    await db.updateTable('t').set({ v: 'changed' }).where('id', '=', 4).execute();
    expect((await db.selectFrom('t').select('v').where('id', '=', 4).executeTakeFirst())?.v).toBe('changed');
    await db.destroy();
  });
});
