import type { Insertable, Selectable } from 'kysely';
import type { Db } from '../db/database.js';
import type { LegacyCategoryCodeTable } from '../db/tables.js';

export type LegacyCodeRow = Selectable<LegacyCategoryCodeTable> & { category_code: string; category_name: string };

/** Legacy category codes and the current categories they map to. */
export const legacyRepository = {
  /** Every mapping of this legacy code (one per scheme that has it), with its category. */
  findByCode(db: Db, legacyCode: string): Promise<LegacyCodeRow[]> {
    return db
      .selectFrom('legacy_category_codes as l')
      .innerJoin('categories as c', 'c.id', 'l.category_id')
      .selectAll('l')
      .select(['c.code as category_code', 'c.name as category_name'])
      .where('l.legacy_code', '=', legacyCode)
      .execute();
  },

  list(db: Db, scheme?: string): Promise<LegacyCodeRow[]> {
    let q = db.selectFrom('legacy_category_codes as l').innerJoin('categories as c', 'c.id', 'l.category_id').selectAll('l').select(['c.code as category_code', 'c.name as category_name']);
    if (scheme) q = q.where('l.scheme', '=', scheme);
    return q.orderBy('l.scheme').orderBy('l.legacy_code').execute();
  },

  /** Inserts or replaces mappings (same scheme and code: the new target wins). */
  async upsert(db: Db, rows: Insertable<LegacyCategoryCodeTable>[]): Promise<void> {
    for (let i = 0; i < rows.length; i += 200) {
      await db
        .insertInto('legacy_category_codes')
        .values(rows.slice(i, i + 200))
        .onConflict((oc) => oc.columns(['scheme', 'legacy_code']).doUpdateSet((eb) => ({ legacy_name: eb.ref('excluded.legacy_name'), category_id: eb.ref('excluded.category_id'), note: eb.ref('excluded.note'), updated_at: eb.ref('excluded.updated_at') })))
        .execute();
    }
  },

  async insertMissing(db: Db, rows: Insertable<LegacyCategoryCodeTable>[]): Promise<void> {
    if (rows.length === 0) return;
    await db.insertInto('legacy_category_codes').values(rows).onConflict((oc) => oc.columns(['scheme', 'legacy_code']).doNothing()).execute();
  },
};
