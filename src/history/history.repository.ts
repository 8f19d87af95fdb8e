import type { Insertable } from 'kysely';
import type { Db } from '../db/database.js';
import type { CaseEventTable, CaseTable } from '../db/tables.js';

// SQLite allows 32766 bound parameters per statement; a case row binds ~60.
const CASE_CHUNK = 250;
const EVENT_CHUNK = 1000;

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

  /** Inserts cases; returns their ids in the order given. */
  async insertCases(db: Db, rows: Insertable<CaseTable>[]): Promise<number[]> {
    const ids: number[] = [];
    for (let i = 0; i < rows.length; i += CASE_CHUNK) {
      const chunk = rows.slice(i, i + CASE_CHUNK);
      const inserted = await db.insertInto('cases').values(chunk).returning(['id', 'source_id']).execute();
      const bySource = new Map(inserted.map((r) => [r.source_id, r.id]));
      for (const r of chunk) ids.push(bySource.get(r.source_id ?? null) as number);
    }
    return ids;
  },

  async insertEvents(db: Db, rows: Insertable<CaseEventTable>[]): Promise<void> {
    for (let i = 0; i < rows.length; i += EVENT_CHUNK) await db.insertInto('case_events').values(rows.slice(i, i + EVENT_CHUNK)).execute();
  },
};
