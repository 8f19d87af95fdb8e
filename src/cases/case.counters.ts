import type { Db } from '../db/database.js';
import type { CompiledQuery } from 'kysely';
import type { BatchWrite } from '../db/group-commit.js';
import { capturePostgresWrites } from '../db/statement-capture.js';
import type { KpiCounters } from '../kpis/formulas.js';
import { KpiRollupBatch, type CounterSubject } from '../kpis/kpi.rollup.js';
import { localDate, localParts } from '../time/zoned-time.js';
import type { CaseRow } from './case.repository.js';
import type { CallbackResult, Effect } from './workflow/index.js';

/** What a case's events count under: its unit (and so every unit above it), category, department and channel. */
export function counterSubjectOf(row: Pick<CaseRow, 'org_path' | 'category_code' | 'class_code' | 'department_id' | 'channel'>): CounterSubject {
  return { orgPath: row.org_path, categoryCode: row.category_code, classCode: row.class_code, departmentId: row.department_id, channel: row.channel };
}

/**
 * Records the counter effects of one event of a case at `at`: `delta` (from `counterDelta`) on the
 * event's local day for every unit from the city down to the case's grid, by day and by month, and
 * when the event closed the case (delta.closed), the hours since the report (`created_at`) in the
 * duration histogram, and for a report its local weekday and hour (the heat map). `row` is the case as it stands after the event. Pass the transaction's handle:
 * the counters commit with the event. A bulk import passes its own `batch` and flushes it once per
 * transaction (nothing is written until then). Throws only database errors.
 */
export async function recordCaseCounters(db: Db, row: CaseRow, timeZone: string, at: Date, delta: Partial<KpiCounters>, batch?: KpiRollupBatch): Promise<void> {
  const target = batch ?? new KpiRollupBatch();
  addCaseCounters(target, row, timeZone, at, delta);
  if (!batch) await target.flush(db);
}

/** The columns of a case its counters read. */
type CountedCase = Pick<CaseRow, 'org_path' | 'category_code' | 'class_code' | 'department_id' | 'channel' | 'created_at'>;

/** What recordCaseCounters gathers, added to `batch` (nothing written). */
export function addCaseCounters(batch: KpiRollupBatch, row: CountedCase, timeZone: string, at: Date, delta: Partial<KpiCounters>): void {
  const closedAfterMs = delta.closed && delta.closed > 0 ? at.getTime() - Date.parse(row.created_at) : undefined;
  let reportedAt: { weekday: number; hour: number } | undefined;
  if (delta.reported) {
    const p = localParts(at, timeZone);
    reportedAt = { weekday: p.weekday - 1, hour: p.hour };
  }
  batch.add(counterSubjectOf(row), localDate(at, timeZone), delta, closedAfterMs, reportedAt);
}

/**
 * The same counters as an end-of-batch write of a group commit (db/group-commit.ts): the counters
 * of every case of the batch are merged and written by one flush before the shared commit, so they
 * still commit with the case, or not at all.
 */
export function caseCountersAtBatchEnd(row: CaseRow, timeZone: string, at: Date, delta: Partial<KpiCounters>): BatchWrite<KpiRollupBatch> {
  return {
    key: 'kpi-counters',
    open: () => new KpiRollupBatch(),
    add: (batch) => addCaseCounters(batch, row, timeZone, at, delta),
    write: (batch, db) => batch.flush(db),
  };
}

/**
 * PostgreSQL: the statements that would record these counters, compiled, not run, for a
 * repository to send inside one statement with the case (case.repository.ts insertCaseAtOnce).
 */
export function caseCounterStatements(row: CountedCase, timeZone: string, at: Date, delta: Partial<KpiCounters>): Promise<CompiledQuery[]> {
  const batch = new KpiRollupBatch();
  addCaseCounters(batch, row, timeZone, at, delta);
  return capturePostgresWrites((db) => batch.flush(db));
}

const onTime = (deadline: string | null, now: Date) => (deadline === null || now.toISOString() <= deadline ? 1 : 0);

/**
 * The counter increments of a transition's effects. Milestones are judged against `before`: the
 * stage clock that ends with this transition (按时派遣, 按期处置); 按期结案 means no stage of the
 * case ran past its limit (`overdueStagesAfter` is 0).
 */
export function counterDelta(effects: readonly Effect[], before: Pick<CaseRow, 'stage_deadline' | 'dispatched_at' | 'deadline' | 'registered_at' | 'overdue_stages'>, now: Date, callback: CallbackResult | null, overdueStagesAfter = before.overdue_stages): Partial<KpiCounters> {
  const d: Partial<KpiCounters> = {};
  const add = (key: keyof KpiCounters, n: number) => (d[key] = (d[key] ?? 0) + n);
  for (const effect of effects) {
    switch (effect) {
      case 'count_reported': add('reported', 1); break;
      case 'count_registered': add('registered', 1); add('shouldClose', 1); break;
      case 'count_rejected': add('rejected', 1); break;
      case 'count_dispatched': add('dispatched', 1); add('dispatchedOnTime', onTime(before.stage_deadline, now)); break;
      case 'count_handled':
        add('handled', 1);
        add('handledOnTime', onTime(before.stage_deadline, now));
        if (before.dispatched_at) {
          add('handlingMsSum', Math.max(0, now.getTime() - Date.parse(before.dispatched_at)));
          add('handlingCount', 1);
        }
        break;
      // 按期结案, both readings: every stage within its own limit, and closed by the case's deadline.
      case 'count_closed':
        add('closed', 1);
        add('closedOnTime', overdueStagesAfter === 0 ? 1 : 0);
        add('closedByDeadline', onTime(before.deadline, now));
        break;
      case 'count_verified': add('verified', 1); add('verifiedOnTime', onTime(before.stage_deadline, now)); break;
      case 'count_checked': add('checked', 1); add('checkedOnTime', onTime(before.stage_deadline, now)); break;
      case 'count_rework': add('reworked', 1); break;
      case 'record_callback':
        if (callback) {
          add('callbacks', 1);
          if (callback.contacted) add('contacted', 1);
          if (callback.solved) add('solved', 1);
          if (callback.satisfaction === 'satisfied') add('satisfied', 1);
          if (callback.satisfaction === 'basically_satisfied') add('basicallySatisfied', 1);
          if (callback.satisfaction === 'dissatisfied') add('dissatisfied', 1);
        }
        break;
      case 'void':
        // 作废数 counts registered cases only (准确立案率 = (立案数 − 作废数) / 立案数).
        if (before.registered_at) {
          add('voided', 1);
          add('shouldClose', -1);
        }
        break;
      case 'transfer_out':
        // Continued as a dispute: it is counted there, and no longer due to close here.
        if (before.registered_at) add('shouldClose', -1);
        break;
      default: break;
    }
  }
  return d;
}
