import type { AppContext } from '../context.js';
import { inTransaction, makeCtx } from '../context.js';
import { systemActor } from '../auth/actor.js';
import { sweepLights } from '../cases/case.sweeper.js';
import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import { MinHeap } from './min-heap.js';
import { randomStream } from './demo.random.js';
import { demoRepository, type DemoHistoryRow } from './demo.repository.js';
import { setDemoStatus, type DemoStatus } from './demo.status.js';
import { planReports, simulation, type HistoryReport, type PendingStep, type SimulationState } from './demo.simulation.js';

export { DEMO_CITIZEN_PHONE, type HistoryReport } from './demo.simulation.js';

const HOUR = 3_600_000;
const DAY = 86_400_000;

export interface HistoryOptions {
  /** How many days before `end` the history covers. */
  days: number;
  /** Average reports per working day (weekends get about half). */
  casesPerDay: number;
  seed: number;
  /** The history stops here; later steps of open cases are left undone (they are open now). */
  end: Date;
  /** Stops the build between two steps (server shutdown, Ctrl-C); it continues on the next run. */
  signal?: AbortSignal;
}

/**
 * What a call did. `built`: the history is complete; `stopped`: the signal stopped it (it
 * continues on the next call); `already_built`: an earlier call completed it; `store_not_empty`:
 * the store holds cases that no resumable build made, so none is started. Counts are the whole
 * build's, across resumes; `resumed` says whether this call continued an earlier one.
 */
export interface HistoryRun extends HistoryReport {
  outcome: 'built' | 'stopped' | 'already_built' | 'store_not_empty';
  resumed: boolean;
  day: number;
  days: number;
}

/** Progress as the build reports it after each simulated hour. */
export type HistoryProgress = Pick<DemoStatus, 'day' | 'days' | 'cases'>;

/**
 * More history after the base history (other case types: disputes, patrols …), run in this order
 * once the base history is complete and before the build counts as done. An extension draws from
 * its own seeded stream (never the base stream: that would shift the calibrated base history),
 * must be deterministic for the seed and idempotent: when a build stops during an extension, the
 * next call runs that extension again from its start. Register with `historyExtensions.push(…)`.
 */
export interface HistoryExtension {
  name: string;
  /** May return the cases and transitions it made: they count in the build's totals. */
  run(app: AppContext, opts: Omit<HistoryOptions, 'casesPerDay'>): Promise<void | Partial<HistoryReport>>;
}
export const historyExtensions: HistoryExtension[] = [];

/** The generator's state after a simulated hour, stored with the steps it follows. */
interface Checkpoint {
  v: 1;
  rng: number;
  reportsDone: number;
  nextSweep: number;
  sim: SimulationState;
  totals: HistoryReport;
  pending: PendingStep[];
  /** Set once the base history is complete: the extensions already run. */
  extensionsDone?: string[];
}

type QueueItem = { at: number; caseId: number; report?: number; step?: PendingStep };

/**
 * Builds months of synthetic but realistic case history through the same domain functions the
 * API uses (intake, transitions, the SLA sweeper), in time order on a simulated clock: a category
 * mix, a daily and weekly rhythm, handling times drawn around each limit (some late), rework,
 * suspensions, callbacks with satisfaction. Deterministic for a seed and an end instant.
 *
 * Resumable: the steps of each simulated hour are written in one transaction together with a
 * checkpoint (the random stream's state, the pending steps, the counters), so a build stopped by
 * `signal`, a kill or a crash continues from its last hour on the next call, with the options it
 * started with, and ends with exactly the store an uninterrupted build makes. The sweeps of the
 * hour boundary run before that transaction; repeating one at the same instant changes nothing.
 */
export async function buildDemoHistory(app: AppContext, opts: HistoryOptions, onProgress?: (p: HistoryProgress) => void): Promise<HistoryRun> {
  const db = app.store.db;
  let row = await demoRepository.findProgress(db);
  if (row?.state === 'done') return { ...doneTotals(row), outcome: 'already_built', resumed: false, day: row.day, days: row.days };
  if (!row) {
    if ((await demoRepository.countCases(db)) > 0) return { outcome: 'store_not_empty', resumed: false, cases: 0, transitions: 0, sweeps: 0, day: 0, days: opts.days };
    row = { id: 1, state: 'building', seed: opts.seed, days: opts.days, cases_per_day: opts.casesPerDay, end_at: opts.end.toISOString(), day: 0, cases: 0, checkpoint: null, updated_at: app.clock().toISOString() };
    await demoRepository.startProgress(db, row);
  }
  const saved = row.checkpoint ? (JSON.parse(row.checkpoint) as Checkpoint) : null;
  const resumed = saved !== null;
  const days = row.days;
  const endMs = Date.parse(row.end_at);
  const startMs = endMs - days * DAY;
  const status = (state: DemoStatus['state'], totals: HistoryReport, simNow: number): DemoStatus => ({ state, days, cases: totals.cases, day: Math.max(0, Math.min(days, Math.floor((simNow - startMs) / DAY))) });

  // The report instants come first in the stream; a resumed build redraws them and then continues
  // the stream where its checkpoint left it.
  const planRand = randomStream(row.seed);
  const reports = planReports(app, { days, casesPerDay: row.cases_per_day, end: new Date(endMs) }, planRand);
  const rand = saved ? randomStream(row.seed, saved.rng) : planRand;
  const simState: SimulationState = saved?.sim ?? { webReports: 0 };
  const totals: HistoryReport = saved?.totals ?? { cases: 0, transitions: 0, sweeps: 0 };
  const queue = new MinHeap<QueueItem>((a, b) => a.at - b.at || a.caseId - b.caseId);
  const sim = await simulation(app, rand, endMs, simState, (step) => queue.push({ at: step.at, caseId: step.caseId, step }));
  let reportsDone = saved?.reportsDone ?? 0;
  // Reports sort before transitions of the same instant, in the order they were planned.
  for (let i = reportsDone; i < reports.length; i++) queue.push({ at: reports[i], caseId: -reports.length + i, report: i });
  for (const step of saved?.pending ?? []) queue.push({ at: step.at, caseId: step.caseId, step });
  let nextSweep = saved?.nextSweep ?? reports[0] ?? endMs;
  const checkpoint = (): Checkpoint => ({
    v: 1, rng: rand.state(), reportsDone, nextSweep, sim: simState, totals,
    pending: queue.values().flatMap((item) => (item.step ? [item.step] : [])),
  });

  setDemoStatus(app, status('building', totals, nextSweep));
  const sys = makeCtx(app, systemActor());
  try {
    if (!saved?.extensionsDone) {
      for (let top = queue.peek(); top && top.at < endMs; top = queue.peek()) {
        if (opts.signal?.aborted) return stopped();
        while (nextSweep <= top.at) {
          await sweepLights(app, new Date(nextSweep));
          totals.sweeps++;
          nextSweep += HOUR;
        }
        // Every step before the next sweep, and the checkpoint after them, in one transaction.
        await inTransaction(sys, async (trx) => {
          for (let item = queue.peek(); item && item.at < nextSweep && item.at < endMs; item = queue.peek()) {
            queue.pop();
            if (item.step) await sim.runStep(trx.db, item.step, totals);
            else {
              await sim.report(trx.db, item.at, totals);
              reportsDone = (item.report ?? 0) + 1;
            }
          }
          const progress = status('building', totals, nextSweep);
          await demoRepository.saveProgress(trx.db, { state: 'building', day: progress.day, cases: totals.cases, checkpoint: JSON.stringify(checkpoint()), updated_at: app.clock().toISOString() });
        });
        const progress = status('building', totals, nextSweep);
        setDemoStatus(app, progress);
        onProgress?.(progress);
        // better-sqlite3 answers synchronously, so without this the build would hold the event loop
        // and a server started beside it could not answer until it finished.
        await yieldToEventLoop();
      }
      await sweepLights(app, new Date(endMs));
    }
    const extensionsDone = [...(saved?.extensionsDone ?? [])];
    for (const extension of historyExtensions) {
      if (extensionsDone.includes(extension.name)) continue;
      if (opts.signal?.aborted) return stopped();
      await demoRepository.saveProgress(db, { state: 'building', day: days, cases: totals.cases, checkpoint: JSON.stringify({ ...checkpoint(), extensionsDone }), updated_at: app.clock().toISOString() });
      const made = await extension.run(app, { days, seed: row.seed, end: new Date(endMs), signal: opts.signal });
      totals.cases += made?.cases ?? 0;
      totals.transitions += made?.transitions ?? 0;
      extensionsDone.push(extension.name);
    }
    await demoRepository.saveProgress(db, { state: 'done', day: days, cases: totals.cases, checkpoint: JSON.stringify({ totals }), updated_at: app.clock().toISOString() });
    setDemoStatus(app, status('done', totals, endMs));
    return { ...totals, outcome: 'built', resumed, day: days, days };
  } catch (err) {
    setDemoStatus(app, { ...status('failed', totals, nextSweep) });
    throw err;
  }

  function stopped(): HistoryRun {
    const s = status('stopped', totals, nextSweep);
    setDemoStatus(app, s);
    return { ...totals, outcome: 'stopped', resumed, day: s.day, days };
  }
}

/** A complete build's counts, kept in its row. */
function doneTotals(row: DemoHistoryRow): HistoryReport {
  const kept = row.checkpoint ? (JSON.parse(row.checkpoint) as { totals?: HistoryReport }).totals : undefined;
  return kept ?? { cases: row.cases, transitions: 0, sweeps: 0 };
}
