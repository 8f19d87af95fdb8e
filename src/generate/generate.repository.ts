import { sql } from 'kysely';
import type { Db } from '../db/database.js';
import { bulkInsert } from '../db/bulk.repository.js';
import type { NewCaseRow, NewEventRow } from './generate.sim.js';

/** What a bulk load into an empty SQLite store took away, to put back at its end. */
export interface BulkLoadState {
  /** CREATE INDEX statements of the indexes dropped. */
  indexes: string[];
  /** CREATE TRIGGER statement of the search index's insert trigger, when there is one. */
  ftsTrigger: string | null;
  pragmas: { synchronous: number; cache_size: number; foreign_keys: number };
}

/** The search index's text of a case, as the cases_fts_insert trigger writes it (migration 2026-11-30T0102). */
const FTS_BODY = sql.raw(`' ' || number || ' ' || description || ' ' || coalesce(address, '') || ' '`);
/** Tables whose secondary indexes a bulk load drops and rebuilds (roll-up tables by prefix). */
const LOADED_TABLES = ['cases', 'case_events'];
const LOADED_PREFIX = 'kpi_';

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

  /** Inserts cases with their ids, and their timeline events, as value arrays in multi-row statements. */
  async insertCases(db: Db, cases: NewCaseRow[], events: NewEventRow[]): Promise<void> {
    if (cases.length) await insertRows(db, 'cases', cases);
    if (events.length) await insertRows(db, 'case_events', events);
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

  /**
   * SQLite, before a bulk load into an empty store: drops the secondary indexes of the cases, the
   * timeline and the roll-up tables (all but the unique ones of the roll-ups, which their upserts
   * need) and the search index's insert trigger, and turns durability off (synchronous = OFF,
   * foreign keys unchecked, a large page cache). `endBulkLoad` puts everything back. A crash in
   * between leaves a store without them: a generate into a fresh store is simply run again.
   */
  async beginBulkLoad(db: Db): Promise<BulkLoadState> {
    const pragma = async (name: string) => Number(Object.values((await sql<Record<string, number>>`select * from ${sql.raw(`pragma_${name}`)}`.execute(db)).rows[0] ?? {})[0] ?? 0);
    const pragmas = { synchronous: await pragma('synchronous'), cache_size: await pragma('cache_size'), foreign_keys: await pragma('foreign_keys') };
    const indexes = (await sql<{ name: string; tbl_name: string; sql: string }>`select name, tbl_name, sql from sqlite_master where type = 'index' and sql is not null`.execute(db)).rows
      .filter((i) => LOADED_TABLES.includes(i.tbl_name) || (i.tbl_name.startsWith(LOADED_PREFIX) && !/^\s*create\s+unique/i.test(i.sql)));
    const trigger = (await sql<{ sql: string }>`select sql from sqlite_master where type = 'trigger' and name = 'cases_fts_insert'`.execute(db)).rows[0];
    await sql`pragma synchronous = OFF`.execute(db);
    await sql`pragma foreign_keys = OFF`.execute(db);
    await sql`pragma cache_size = -1048576`.execute(db); // 1 GiB: the roll-up b-trees stay in memory
    for (const i of indexes) await sql`drop index ${sql.id(i.name)}`.execute(db);
    if (trigger) await sql`drop trigger cases_fts_insert`.execute(db);
    return { indexes: indexes.map((i) => i.sql), ftsTrigger: trigger?.sql ?? null, pragmas };
  },

  /** SQLite, after a bulk load: fills the search index for cases from `fromId` on, rebuilds the indexes (one sort each) and restores the settings. */
  async endBulkLoad(db: Db, state: BulkLoadState, fromId: number): Promise<void> {
    await db.transaction().execute(async (trx) => {
      if (state.ftsTrigger) {
        await sql`insert into cases_fts (rowid, body) select id, ${FTS_BODY} from cases where id >= ${fromId} order by id`.execute(trx);
        await sql.raw(state.ftsTrigger).execute(trx);
      }
      for (const create of state.indexes) await sql.raw(create).execute(trx);
    });
    await sql.raw(`pragma cache_size = ${state.pragmas.cache_size}`).execute(db);
    await sql.raw(`pragma foreign_keys = ${state.pragmas.foreign_keys}`).execute(db);
    await sql.raw(`pragma synchronous = ${state.pragmas.synchronous}`).execute(db);
  },
};

/** Rows of one shape (every row has the first row's keys) through bulkInsert. */
async function insertRows(db: Db, table: string, rows: readonly object[]): Promise<void> {
  const columns = Object.keys(rows[0]);
  const values = rows.map((row) => {
    const r = row as Record<string, unknown>;
    return columns.map((c) => r[c]);
  });
  await bulkInsert(db, table, columns, values);
}
