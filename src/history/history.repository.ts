import { PostgresAdapter, sql, type Insertable } from 'kysely';
import type { Db } from '../db/database.js';
import type { CaseEventTable, CaseTable } from '../db/tables.js';
import type { CaseRow } from '../cases/case.repository.js';
import { bulkInsert } from '../db/bulk.repository.js';

/** The case columns the KPI counters of an imported case are computed from (history.import.ts). */
export const COUNTED_COLUMNS = ['id', 'org_path', 'category_code', 'class_code', 'department_id', 'channel', 'created_at', 'closed_at', 'deadline', 'stage_deadline', 'registered_at', 'dispatched_at', 'overdue_stages'] as const;
export type CountedCase = Pick<CaseRow, (typeof COUNTED_COLUMNS)[number]>;

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

  /** Records that these cases' KPI counters are still to be written; returns the record's id. */
  async addPendingCounts(db: Db, caseIds: number[], at: string): Promise<number> {
    const row = await db.insertInto('history_pending_counts').values({ case_ids: JSON.stringify(caseIds), created_at: at }).returning('id').executeTakeFirstOrThrow();
    return Number(row.id);
  },

  /** Every record of cases whose counters are still to be written, oldest first. */
  async pendingCounts(db: Db): Promise<{ id: number; caseIds: number[] }[]> {
    const rows = await db.selectFrom('history_pending_counts').select(['id', 'case_ids']).orderBy('id').execute();
    return rows.map((r) => ({ id: Number(r.id), caseIds: JSON.parse(r.case_ids) as number[] }));
  },

  /** Deletes records whose counters were written; returns how many there were. */
  async deletePendingCounts(db: Db, ids: number[]): Promise<number> {
    let n = 0;
    for (let i = 0; i < ids.length; i += 1000) {
      const r = await db.deleteFrom('history_pending_counts').where('id', 'in', ids.slice(i, i + 1000)).executeTakeFirst();
      n += Number(r.numDeletedRows);
    }
    return n;
  },

  /**
   * What the counters of imported cases are computed from: the case rows, and when the import
   * closed a case, the time of its closing event (the import's second event; a case closed later
   * by a transition was counted by that transition).
   */
  async countedCases(db: Db, ids: number[]): Promise<{ row: CountedCase; importClosedAt: string | null }[]> {
    const out: { row: CountedCase; importClosedAt: string | null }[] = [];
    for (let i = 0; i < ids.length; i += 1000) {
      const chunk = ids.slice(i, i + 1000);
      const rows = await db.selectFrom('cases').select(COUNTED_COLUMNS).where('id', 'in', chunk).orderBy('id').execute();
      const closes = await db.selectFrom('case_events').select(['case_id', 'at']).where('case_id', 'in', chunk)
        .where('seq', '=', 2).where('action', '=', 'close').where('actor_kind', '=', 'system').where('actor_name', '=', 'history import').execute();
      const closedAt = new Map(closes.map((e) => [Number(e.case_id), e.at]));
      for (const row of rows) out.push({ row, importClosedAt: closedAt.get(Number(row.id)) ?? null });
    }
    return out;
  },

  /**
   * SQLite: sets this connection's page cache to `kib` KiB and returns the previous setting (to
   * restore after). A bulk import's inserts land all over the cases table's fourteen indexes and
   * the roll-up table; the default 2 MiB cache kept writing pages out and reading them back.
   * PostgreSQL: nothing (its buffers are the server's); returns null.
   */
  async setPageCache(db: Db, kib: number): Promise<number | null> {
    if (db.getExecutor().adapter instanceof PostgresAdapter) return null;
    const { rows } = await sql<{ cache_size: number }>`pragma cache_size`.execute(db);
    await sql.raw(`pragma cache_size = ${Math.trunc(kib) > 0 ? -Math.trunc(kib) : Math.trunc(kib)}`).execute(db);
    return Number(rows[0]?.cache_size);
  },

  /** Restores a page cache setting as `pragma cache_size` reported it (pages when positive, KiB when negative). */
  async restorePageCache(db: Db, setting: number | null): Promise<void> {
    if (setting === null || !Number.isFinite(setting)) return;
    await sql.raw(`pragma cache_size = ${Math.trunc(setting)}`).execute(db);
  },
};
