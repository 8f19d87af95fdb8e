import type { Db } from '../db/database.js';
import type { CaseRow } from '../cases/case.repository.js';
import { counterDelta, kpiKeyOf } from '../cases/case.counters.js';
import type { Effect } from '../cases/workflow/index.js';
import { kpiRepository } from '../kpis/kpi.repository.js';

/**
 * Records the KPI counter effects of one event of an imported case, on the day (city time) it
 * happened. The one place the history import writes counters: the same path intake and
 * transitions use, so the KPI API and the big screen read history and live cases alike.
 */
export async function countHistoryEvent(db: Db, row: CaseRow, effects: readonly Effect[], at: Date, timeZone: string): Promise<void> {
  await kpiRepository.bump(db, kpiKeyOf(row, timeZone, at), counterDelta(effects, row, at, null, row.overdue_stages));
}
