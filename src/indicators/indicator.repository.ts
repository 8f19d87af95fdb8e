import type { Insertable, Updateable } from 'kysely';
import type { Db } from '../db/database.js';
import type { IndicatorTable, IndicatorValueTable } from './indicator.tables.js';

/** The indicator register and its values. All their SQL lives here. */
export const indicatorRepository = {
  async insertMissing(db: Db, rows: Insertable<IndicatorTable>[]): Promise<void> {
    if (rows.length === 0) return;
    await db.insertInto('indicators').values(rows).onConflict((oc) => oc.column('code').doNothing()).execute();
  },

  list(db: Db) {
    return db.selectFrom('indicators').selectAll().orderBy('position').orderBy('code').execute();
  },

  find(db: Db, code: string) {
    return db.selectFrom('indicators').selectAll().where('code', '=', code).executeTakeFirst();
  },

  async insert(db: Db, row: Insertable<IndicatorTable>): Promise<void> {
    await db.insertInto('indicators').values(row).execute();
  },

  async update(db: Db, code: string, patch: Updateable<IndicatorTable>): Promise<void> {
    await db.updateTable('indicators').set(patch).where('code', '=', code).execute();
  },

  /** Records a value (a later one of the same date replaces it). */
  async saveValue(db: Db, row: IndicatorValueTable): Promise<void> {
    const { indicator_code: _c, as_of: _a, ...rest } = row;
    await db.insertInto('indicator_values').values(row).onConflict((oc) => oc.columns(['indicator_code', 'as_of']).doUpdateSet(rest)).execute();
  },

  /** The latest value of each indicator dated on or before `asOf`. */
  async latestValues(db: Db, asOf: string): Promise<IndicatorValueTable[]> {
    const rows = await db.selectFrom('indicator_values').selectAll().where('as_of', '<=', asOf).orderBy('indicator_code').orderBy('as_of', 'desc').execute();
    const seen = new Set<string>();
    return rows.filter((r) => (seen.has(r.indicator_code) ? false : (seen.add(r.indicator_code), true)));
  },

  /** An indicator's latest value dated before `asOf`. */
  valueBefore(db: Db, code: string, asOf: string) {
    return db.selectFrom('indicator_values').selectAll().where('indicator_code', '=', code).where('as_of', '<', asOf).orderBy('as_of', 'desc').limit(1).executeTakeFirst();
  },

  values(db: Db, code: string, from: string, to: string) {
    return db.selectFrom('indicator_values').selectAll().where('indicator_code', '=', code).where('as_of', '>=', from).where('as_of', '<=', to).orderBy('as_of').limit(1000).execute();
  },
};
