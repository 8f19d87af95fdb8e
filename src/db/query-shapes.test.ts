import SQLite from 'better-sqlite3';
import { Kysely, SqliteDialect, sql } from 'kysely';
import { afterAll, describe, expect, it, vi } from 'vitest';
import type { Db } from './database.js';
import { runShaped } from './query-shapes.js';

const db = new Kysely<{ t: { id: number; org: string } }>({ dialect: new SqliteDialect({ database: new SQLite(':memory:') }) });
afterAll(() => db.destroy());

describe('runShaped', () => {
  it('builds a shape once and runs it with each call\'s values', async () => {
    await sql`create table t (id integer primary key, org text not null)`.execute(db);
    await db.insertInto('t').values([{ id: 1, org: 'a' }, { id: 2, org: 'a' }, { id: 3, org: 'b' }]).execute();
    const build = vi.fn((org: string, [id]: string[]) => db.selectFrom('t').selectAll().where('org', '=', org).where('id', '=', id as never));
    const find = (org: string, id: number) => runShaped(db as unknown as Db, `t.find ${org}`, [id], (s) => build(org, s));
    expect(await find('a', 1)).toEqual([{ id: 1, org: 'a' }]);
    expect(await find('a', 2)).toEqual([{ id: 2, org: 'a' }]);
    expect(await find('a', 3)).toEqual([]);
    expect(build).toHaveBeenCalledTimes(1);
    expect(await find('b', 3)).toEqual([{ id: 3, org: 'b' }]);
    expect(build).toHaveBeenCalledTimes(2);
  });

  it('refuses a shape whose stand-in does not reach the parameters', async () => {
    await expect(runShaped(db as unknown as Db, 't.lost', [1], () => db.selectFrom('t').selectAll().where('id', '=', 1))).rejects.toThrow(/did not reach/);
  });
});
