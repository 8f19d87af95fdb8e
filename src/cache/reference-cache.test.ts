import { describe, expect, it } from 'vitest';
import SQLite from 'better-sqlite3';
import { CompiledQuery, Kysely, SqliteDialect, sql } from 'kysely';
import { ReferenceCache } from './reference-cache.js';
import { WriteWatchPlugin, writtenTables } from '../db/write-watch.js';

describe('ReferenceCache', () => {
  it('loads once, serves the cached value, and loads again after its topic is invalidated', async () => {
    const cache = new ReferenceCache();
    let loads = 0;
    const load = async () => ++loads;
    expect(await cache.get('catalogue', 'k', load)).toBe(1);
    expect(await cache.get('catalogue', 'k', load)).toBe(1);
    cache.invalidate('org'); // another topic: no effect
    expect(await cache.get('catalogue', 'k', load)).toBe(1);
    cache.invalidate('catalogue');
    expect(await cache.get('catalogue', 'k', load)).toBe(2);
  });

  it('expires entries after their time to live', async () => {
    let now = 0;
    const cache = new ReferenceCache(() => now);
    let loads = 0;
    await cache.get('auth', 's', async () => ++loads);
    now += 14_000;
    expect(await cache.get('auth', 's', async () => ++loads)).toBe(1);
    now += 2_000;
    expect(await cache.get('auth', 's', async () => ++loads)).toBe(2);
  });

  it('does not keep a value whose load overlapped an invalidation', async () => {
    const cache = new ReferenceCache();
    let release: (v: string) => void = () => undefined;
    const pending = cache.get('org', 'x', () => new Promise<string>((r) => (release = r)));
    cache.invalidate('org');
    release('old');
    expect(await pending).toBe('old');
    expect(await cache.get('org', 'x', async () => 'new')).toBe('new');
  });

  it('tells listeners of each invalidation, with its origin', () => {
    const cache = new ReferenceCache();
    const heard: string[] = [];
    const stop = cache.onInvalidate((topic, origin) => heard.push(`${topic}:${origin.remote}`));
    cache.invalidate('catalogue');
    cache.invalidate('auth', { remote: true });
    cache.drop('org');
    stop();
    cache.invalidate('org');
    expect(heard).toEqual(['catalogue:false', 'auth:true']);
  });
});

describe('WriteWatchPlugin', () => {
  it('invalidates the topic of every table a write statement touches, and nothing on reads', async () => {
    const cache = new ReferenceCache();
    const heard: string[] = [];
    cache.onInvalidate((topic) => heard.push(topic));
    const db = new Kysely<{ categories: { id: number }; cases: { id: number }; sessions: { id: number } }>({ dialect: new SqliteDialect({ database: new SQLite(':memory:') }), plugins: [new WriteWatchPlugin(cache, 1)] });
    for (const t of ['categories', 'cases', 'sessions']) await sql`create table ${sql.table(t)} (id integer primary key)`.execute(db);
    await db.insertInto('cases').values({ id: 1 }).execute();
    await db.selectFrom('categories').selectAll().execute();
    expect(heard).toEqual([]);
    await db.insertInto('categories').values({ id: 1 }).execute();
    await db.updateTable('categories').set({ id: 2 }).execute();
    await db.deleteFrom('sessions').execute();
    expect(heard).toEqual(['catalogue', 'catalogue', 'auth']);
    await db.destroy();
  });

  it('names the written tables of insert, update and delete', () => {
    const db = new Kysely<{ org_units: { code: string } }>({ dialect: new SqliteDialect({ database: new SQLite(':memory:') }) });
    expect(writtenTables(db.insertInto('org_units').values({ code: 'x' }).toOperationNode())).toEqual(['org_units']);
    expect(writtenTables(db.updateTable('org_units').set({ code: 'y' }).toOperationNode())).toEqual(['org_units']);
    expect(writtenTables(db.deleteFrom('org_units').toOperationNode())).toEqual(['org_units']);
    expect(writtenTables(db.selectFrom('org_units').selectAll().toOperationNode())).toEqual([]);
    // Raw SQL: a data-modifying WITH writes every table it inserts into.
    expect(writtenTables(CompiledQuery.raw('with a as (insert into "cases" (id) values ($1) returning *), b as (insert into case_events (id) values ($2)) select * from a').query)).toEqual(['cases', 'case_events']);
    expect(writtenTables(CompiledQuery.raw('pragma data_version').query)).toEqual([]);
  });
});
