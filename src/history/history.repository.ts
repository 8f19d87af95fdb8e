import type { Insertable } from 'kysely';
import type { Db } from '../db/database.js';
import type { CaseEventTable, CaseTable } from '../db/tables.js';
import { bulkInsert } from '../db/bulk.repository.js';


/** The SQL of the history import: bulk inserts of cases and their timelines, source-id checks. */
export const historyRepository = {
  /** Which of these source ids are already in the store. */
  async existingSourceIds(db: Db, ids: string[]): Promise<Set<string>> {
    const found = new Set<string>();
    for (let i = 0; i < ids.length; i += 1000) {
      const rows = await db.selectFrom('cases').select('source_id').where('source_id', 'in', ids.slice(i, i + 1000)).execute();
      for (const r of rows) if (r.source_id) found.add(r.source_id);
    }
    return found;
  },

  /** Reserves `count` consecutive case-number serials of a prefix for each day, in one statement; returns the first of each day. */
  async reserveNumbers(db: Db, prefix: string, counts: Map<string, number>): Promise<Map<string, number>> {
    const first = new Map<string, number>();
    const entries = [...counts];
    for (let i = 0; i < entries.length; i += 500) {
      const rows = await db
        .insertInto('case_number_counters')
        .values(entries.slice(i, i + 500).map(([day, n]) => ({ prefix, day, last: n })))
        .onConflict((oc) => oc.columns(['prefix', 'day']).doUpdateSet((eb) => ({ last: eb('case_number_counters.last', '+', eb.ref('excluded.last')) })))
        .returning(['day', 'last'])
        .execute();
      for (const r of rows) first.set(r.day, Number(r.last) - (counts.get(r.day) ?? 0) + 1);
    }
    return first;
  },

  /** Inserts cases (each with a source id; all rows with the same columns); returns their ids in the order given. */
  async insertCases(db: Db, rows: Insertable<CaseTable>[]): Promise<number[]> {
    if (rows.length === 0) return [];
    const columns = Object.keys(rows[0]) as (keyof Insertable<CaseTable>)[];
    const inserted = await bulkInsert(db, 'cases', columns, rows.map((r) => columns.map((c) => r[c])), { returning: ['id', 'source_id'] });
    const bySource = new Map(inserted.map((r) => [r.source_id as string, Number(r.id)]));
    return rows.map((r) => bySource.get(r.source_id as string) as number);
  },

  /** Inserts timeline events (all rows with the same columns). */
  async insertEvents(db: Db, rows: Insertable<CaseEventTable>[]): Promise<void> {
    if (rows.length === 0) return;
    const columns = Object.keys(rows[0]) as (keyof Insertable<CaseEventTable>)[];
    await bulkInsert(db, 'case_events', columns, rows.map((r) => columns.map((c) => r[c])));
  },
};
