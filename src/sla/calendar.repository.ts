import type { Selectable } from 'kysely';
import type { Db } from '../db/database.js';
import type { CalendarDayTable } from '../db/tables.js';

export type CalendarDayRow = Selectable<CalendarDayTable>;

/** Where a calendar row came from. 'admin', 'notice' and 'ics' rows are never touched by seeding. */
export type CalendarSource = 'chinese-days' | 'notice' | 'ics' | 'admin';

/** One date's entry before it is stored. */
export interface CalendarEntry {
  date: string;
  isWorkday: boolean;
  name: string | null;
}

function toRow(entry: CalendarEntry, source: CalendarSource, updatedAt: string): CalendarDayRow {
  return { date: entry.date, is_workday: entry.isWorkday ? 1 : 0, name: entry.name, source, updated_at: updatedAt };
}

const CHUNK = 150;

/** The calendar_days table: holidays, make-up workdays and local exceptions by date. All calendar SQL lives here. */
export const calendarRepository = {
  listAll(db: Db): Promise<CalendarDayRow[]> {
    return db.selectFrom('calendar_days').selectAll().orderBy('date').execute();
  },

  /** Rows with `from` ≤ date ≤ `to` (ISO dates sort as text). */
  listRange(db: Db, from: string, to: string): Promise<CalendarDayRow[]> {
    return db.selectFrom('calendar_days').selectAll().where('date', '>=', from).where('date', '<=', to).orderBy('date').execute();
  },

  /** Inserts entries whose date has no row yet; existing rows are left alone. Returns how many were new. */
  async insertMissing(db: Db, entries: CalendarEntry[], source: CalendarSource, updatedAt: string): Promise<number> {
    let added = 0;
    for (let i = 0; i < entries.length; i += CHUNK) {
      const rows = entries.slice(i, i + CHUNK).map((e) => toRow(e, source, updatedAt));
      const result = await db.insertInto('calendar_days').values(rows).onConflict((oc) => oc.column('date').doNothing()).executeTakeFirst();
      added += Number(result.numInsertedOrUpdatedRows ?? 0);
    }
    return added;
  },

  /** Inserts or replaces the rows of these dates. */
  async upsert(db: Db, entries: CalendarEntry[], source: CalendarSource, updatedAt: string): Promise<void> {
    for (let i = 0; i < entries.length; i += CHUNK) {
      const rows = entries.slice(i, i + CHUNK).map((e) => toRow(e, source, updatedAt));
      await db
        .insertInto('calendar_days')
        .values(rows)
        .onConflict((oc) => oc.column('date').doUpdateSet((eb) => ({
          is_workday: eb.ref('excluded.is_workday'),
          name: eb.ref('excluded.name'),
          source: eb.ref('excluded.source'),
          updated_at: eb.ref('excluded.updated_at'),
        })))
        .execute();
    }
  },

  /** Deletes the rows of `from`…`to` whose source is one of `sources`; returns how many went. */
  async deleteRange(db: Db, from: string, to: string, sources: CalendarSource[]): Promise<number> {
    const result = await db.deleteFrom('calendar_days').where('date', '>=', from).where('date', '<=', to).where('source', 'in', sources).executeTakeFirst();
    return Number(result.numDeletedRows);
  },
};
