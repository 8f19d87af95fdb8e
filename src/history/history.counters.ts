import { inTransaction, type Ctx } from '../context.js';
import type { CaseRow } from '../cases/case.repository.js';
import { addCaseCounters, counterDelta } from '../cases/case.counters.js';
import type { Effect } from '../cases/workflow/index.js';
import { AppError } from '../errors.js';
import { KpiRollupBatch } from '../kpis/kpi.rollup.js';
import { historyRepository, type CountedCase } from './history.repository.js';

const REPORTED: readonly Effect[] = ['count_reported', 'count_registered'];
const CLOSED: readonly Effect[] = ['count_closed'];
/** Roll-up rows gathered before they are written in between (memory stays bounded, whatever the file's size). */
const FLUSH_ROWS = 100_000;

/**
 * The KPI counters of an import's cases, gathered in one roll-up over many batches and written
 * once (at the end, or whenever it holds FLUSH_ROWS rows): per case the report on its local day
 * and, when the import closed it, the closure. The same path intake and transitions use, so the
 * KPI API and the big screen read history and live cases alike. Every batch of cases is recorded
 * in history_pending_counts in the transaction that writes the cases; the transaction that writes
 * their counters deletes those records, so after any crash `countLeftovers` can finish the job.
 */
export class ImportCounts {
  readonly #batch = new KpiRollupBatch();
  #pending: number[] = [];

  constructor(private readonly ctx: Ctx) {}

  /** Adds the counters of cases recorded under pending record `pendingId`; writes them all when the roll-up has grown large. */
  async add(pendingId: number, cases: readonly { row: CountedCase; importClosedAt: string | null }[]): Promise<void> {
    this.count(cases);
    await this.committed(pendingId);
  }

  /** Gathers the counters of cases (in memory only). */
  count(cases: readonly { row: CountedCase; importClosedAt: string | null }[]): void {
    const timeZone = this.ctx.app.config.timeZone;
    for (const { row, importClosedAt } of cases) {
      countImportEvent(row, REPORTED, new Date(row.created_at), timeZone, this.#batch);
      if (importClosedAt) countImportEvent(row, CLOSED, new Date(importClosedAt), timeZone, this.#batch);
    }
  }

  /**
   * Notes that the cases counted since the last call are recorded under pending record
   * `pendingId` (committed); writes everything gathered when the roll-up has grown large. Call
   * outside any transaction.
   */
  async committed(pendingId: number): Promise<void> {
    this.#pending.push(pendingId);
    if (this.#batch.size >= FLUSH_ROWS) await this.flush();
  }

  /**
   * Writes the gathered counters and deletes their pending records, in one transaction. Throws
   * import_failed (writing nothing) when another process counted some of those cases meanwhile.
   */
  async flush(): Promise<void> {
    if (this.#pending.length === 0) return;
    const ids = this.#pending;
    this.#pending = [];
    await inTransaction(this.ctx, async (trx) => {
      const deleted = await historyRepository.deletePendingCounts(trx.db, ids);
      if (deleted !== ids.length) throw new AppError('import_failed', 'another import-cases counted cases of this one meanwhile: run one import at a time; a rerun finishes the counters', { field: 'file' });
      await this.#batch.flush(trx.db);
    });
  }
}

/**
 * Writes the KPI counters of cases that an earlier import wrote but did not count (it stopped
 * between its batches and its final counter write). Returns how many cases it counted.
 */
export async function countLeftovers(ctx: Ctx): Promise<number> {
  const counts = new ImportCounts(ctx);
  let n = 0;
  for (const { id, caseIds } of await historyRepository.pendingCounts(ctx.db)) {
    await counts.add(id, await historyRepository.countedCases(ctx.db, caseIds));
    n += caseIds.length;
  }
  await counts.flush();
  return n;
}

/** Adds the KPI counter effects of one event of an imported case, on the day (city time) it happened, to `batch`. */
function countImportEvent(row: CountedCase, effects: readonly Effect[], at: Date, timeZone: string, batch: KpiRollupBatch): void {
  // counterDelta reads only the counted columns of the case.
  addCaseCounters(batch, row, timeZone, at, counterDelta(effects, row as CaseRow, at, null, row.overdue_stages));
}
