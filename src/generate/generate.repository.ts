import { sql } from 'kysely';
import type { Db } from '../db/database.js';
import type { NewCaseRow, NewEventRow } from './generate.sim.js';

// Rows per INSERT: under SQLite's 32,766 bound parameters for the widest table (cases, ~60 columns).
const CASE_CHUNK = 400;
const EVENT_CHUNK = 1500;

/** Bulk writes of generated history. All SQL of the generator lives here. */
export const generateRepository = {
  /** The highest case id in use (generated cases take the ids after it). */
  async maxCaseId(db: Db): Promise<number> {
    const row = await db.selectFrom('cases').select((eb) => eb.fn.max('id').as('id')).executeTakeFirst();
    return Number(row?.id ?? 0);
  },

  /** The last case-number serial of each day of `prefix`. */
  async numberCounters(db: Db, prefix: string): Promise<Map<string, number>> {
    const rows = await db.selectFrom('case_number_counters').select(['day', 'last']).where('prefix', '=', prefix).execute();
    return new Map(rows.map((r) => [r.day, Number(r.last)]));
  },

  /** Inserts cases with their ids, and their timeline events, in multi-row statements. */
  async insertCases(db: Db, cases: NewCaseRow[], events: NewEventRow[]): Promise<void> {
    for (let i = 0; i < cases.length; i += CASE_CHUNK) await db.insertInto('cases').values(cases.slice(i, i + CASE_CHUNK) as never).execute();
    for (let i = 0; i < events.length; i += EVENT_CHUNK) await db.insertInto('case_events').values(events.slice(i, i + EVENT_CHUNK)).execute();
  },

  /** Raises each day's case-number serial to at least `last`. */
  async saveNumberCounters(db: Db, prefix: string, counters: Map<string, number>): Promise<void> {
    const rows = [...counters].map(([day, last]) => ({ prefix, day, last }));
    for (let i = 0; i < rows.length; i += 2000) {
      await db.insertInto('case_number_counters').values(rows.slice(i, i + 2000))
        .onConflict((oc) => oc.columns(['prefix', 'day']).doUpdateSet({ last: sql`case when excluded.last > case_number_counters.last then excluded.last else case_number_counters.last end` }))
        .execute();
    }
  },

  /** PostgreSQL: moves the id sequence of cases past the ids given explicitly. */
  async syncCaseSequence(db: Db, dialect: string): Promise<void> {
    if (dialect === 'postgres') await sql`select setval(pg_get_serial_sequence('cases', 'id'), (select coalesce(max(id), 1) from cases))`.execute(db);
  },
};
