import { CompiledQuery, PostgresAdapter, type Insertable } from 'kysely';
import type { Db } from '../db/database.js';
import type { CaseEventTable, NotificationTable } from '../db/tables.js';
import { bulkInsert } from '../db/bulk.repository.js';
import { noteRawWrite } from '../db/write-watch.js';

/** A notification as the sweeper writes it (unread). */
export type SweepNotification = Omit<Insertable<NotificationTable>, 'id' | 'read_at'>;

const EVENT_COLUMNS = ['case_id', 'seq', 'at', 'actor_kind', 'actor_id', 'actor_name', 'actor_role', 'action', 'from_status', 'to_status', 'note', 'note_public', 'data', 'hash'] as const;
const NOTIFICATION_COLUMNS = ['case_id', 'org_code', 'role', 'kind', 'message', 'created_at'] as const;
/** Ids per `in (…)` list: well under SQLite's parameter limit. */
const IDS_PER_READ = 500;

/**
 * The SLA sweeper's batch writes: what a due batch needs read and written at once rather than
 * case by case (case.sweeper.ts).
 */
export interface LightChange {
  id: number;
  /** The version the sweeper read: the row is changed only if it still has it. */
  version: number;
  light: string;
  next_light_at: string | null;
  overdue_stages: number;
  escalation_level: number;
  updated_at: string;
}

/** Column, PostgreSQL type of the VALUES list of `applyLights`. */
const CHANGE_COLUMNS = [['id', 'integer'], ['version', 'integer'], ['light', 'text'], ['next_light_at', 'text'], ['overdue_stages', 'integer'], ['escalation_level', 'integer'], ['updated_at', 'text']] as const;
const CHANGES_PER_STATEMENT = 500;

export const caseSweepRepository = {
  /**
   * Stores new lights of many cases, each only if the case still has the version read (optimistic,
   * like caseRepository.updateAtVersion), bumping the version: one `UPDATE … FROM (VALUES …)` per
   * 500 cases. Returns the ids actually changed.
   */
  async applyLights(db: Db, changes: readonly LightChange[]): Promise<Set<number>> {
    const pg = db.getExecutor().adapter instanceof PostgresAdapter;
    const changed = new Set<number>();
    for (let i = 0; i < changes.length; i += CHANGES_PER_STATEMENT) {
      const part = changes.slice(i, i + CHANGES_PER_STATEMENT);
      const params: unknown[] = [];
      let n = 0;
      // PostgreSQL types a VALUES list from its first row; the casts say what the parameters are.
      const tuple = () => `(${CHANGE_COLUMNS.map(([, type]) => (pg ? `$${++n}::${type}` : '?')).join(', ')})`;
      const values = part.map((c) => {
        for (const [column] of CHANGE_COLUMNS) params.push(c[column]);
        return tuple();
      });
      const text = `with v (${CHANGE_COLUMNS.map(([c]) => c).join(', ')}) as (values ${values.join(', ')})
        update cases set light = v.light, next_light_at = v.next_light_at, overdue_stages = v.overdue_stages,
          escalation_level = v.escalation_level, updated_at = v.updated_at, version = cases.version + 1
        from v where cases.id = v.id and cases.version = v.version returning cases.id`;
      const result = await db.executeQuery(CompiledQuery.raw(text, params));
      for (const row of result.rows as { id: number }[]) changed.add(Number(row.id));
    }
    if (changes.length) noteRawWrite(db, ['cases']);
    return changed;
  },

  /**
   * The last timeline event (seq and hash) of each case, for chaining the sweep's events. Call it
   * after the cases' rows were updated in the same transaction: on PostgreSQL that update holds
   * each row's lock, which every timeline writer takes first (caseRepository.appendEvent).
   */
  async lastEvents(db: Db, caseIds: readonly number[]): Promise<Map<number, { seq: number; hash: string | null }>> {
    const out = new Map<number, { seq: number; hash: string | null }>();
    for (let i = 0; i < caseIds.length; i += IDS_PER_READ) {
      const ids = caseIds.slice(i, i + IDS_PER_READ);
      const rows = await db
        .selectFrom('case_events as e')
        .innerJoin(
          (eb) => eb.selectFrom('case_events').select(['case_id', (x) => x.fn.max('seq').as('seq')]).where('case_id', 'in', ids).groupBy('case_id').as('last'),
          (join) => join.onRef('last.case_id', '=', 'e.case_id').onRef('last.seq', '=', 'e.seq'),
        )
        .select(['e.case_id', 'e.seq', 'e.hash'])
        .execute();
      for (const r of rows) out.set(Number(r.case_id), { seq: Number(r.seq), hash: r.hash });
    }
    return out;
  },

  /** Inserts timeline events whose seq and hash the caller has set (multi-row statements). */
  async insertEvents(db: Db, rows: readonly Insertable<CaseEventTable>[]): Promise<void> {
    if (rows.length === 0) return;
    await bulkInsert(db, 'case_events', EVENT_COLUMNS, rows.map((r) => EVENT_COLUMNS.map((c) => r[c] ?? null)));
  },

  async insertNotifications(db: Db, rows: readonly SweepNotification[]): Promise<void> {
    if (rows.length === 0) return;
    await bulkInsert(db, 'notifications', NOTIFICATION_COLUMNS, rows.map((r) => NOTIFICATION_COLUMNS.map((c) => r[c])));
  },
};
