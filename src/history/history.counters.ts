import type { Db } from '../db/database.js';
import type { CaseRow } from '../cases/case.repository.js';
import { counterDelta, recordCaseCounters } from '../cases/case.counters.js';
import type { Effect } from '../cases/workflow/index.js';
import type { KpiRollupBatch } from '../kpis/kpi.rollup.js';

/**
 * Records the KPI counter effects of one event of an imported case, on the day (city time) it
 * happened, into the import's roll-up batch (flushed once per transaction). The one place the
 * history import writes counters: the same path intake and transitions use, so the KPI API and
 * the big screen read history and live cases alike.
 */
export async function countHistoryEvent(db: Db, row: CaseRow, effects: readonly Effect[], at: Date, timeZone: string, batch: KpiRollupBatch): Promise<void> {
  await recordCaseCounters(db, row, timeZone, at, counterDelta(effects, row, at, null, row.overdue_stages), batch);
}
