import { parseArgs } from 'node:util';
import type { AppContext } from '../context.js';
import { makeCtx } from '../context.js';
import { systemActor } from '../auth/actor.js';
import { AppError } from '../errors.js';
import { orgRepository } from '../org/org.repository.js';
import { buildDemoCity } from './demo.js';
import { buildDemoHistory, type HistoryOptions, type HistoryProgress, type HistoryRun } from './demo.history.js';
import { demoRepository } from './demo.repository.js';
import { buildDemoSensors } from './demo.readings.js';

const DEFAULT_HISTORY = { days: 365, casesPerDay: 12, seed: 1503 };
/** How often a running build logs its progress, in milliseconds of real time. */
const PROGRESS_EVERY_MS = 5_000;

/** `gridloop demo [--history] [--days N] [--per-day N]`: builds (or completes) the 乌海市 demo city, optionally with case history. */
export async function demoCommand(app: AppContext, args: string[] = []): Promise<number> {
  const { values } = parseArgs({ args, options: { history: { type: 'boolean' }, days: { type: 'string' }, 'per-day': { type: 'string' } }, strict: true });
  const report = await buildDemoCity(makeCtx(app, systemActor()));
  console.log(`乌海市 demo: ${report.divisions.district} districts, ${report.divisions.street} streets, ${report.divisions.community} communities, ${report.grids} grids, ${report.departments} departments, ${report.routingRules} routing rules; demo users (password gridloop-demo): admin, leader, dispatcher, hotline, handler, handler_cg, inspector, mediator, gridworker, gridworker2, citizen, inspector_hn, inspector_wd; river chiefs hz_<org code> (e.g. hz_150302)`);
  const days = Number(values.days ?? DEFAULT_HISTORY.days);
  if (!Number.isInteger(days) || days < 1 || days > 3660) throw new AppError('validation_failed', '--days must be 1–3660', { field: 'days' });
  const started = performance.now();
  // A year of readings at least, whatever the case history's length: the year's 优良天数 needs it, and it is cheap.
  const sensorDays = Math.max(days, DEFAULT_HISTORY.days);
  const sensors = await buildDemoSensors(makeCtx(app, systemActor()), { days: sensorDays, end: app.clock() });
  console.log(`demo sensors: ${sensors.devices} devices (${sensors.created} new), ${sensors.rules} new alarm rules, ${sensors.rollups} rollup rows of reading history over ${sensorDays} days (${Math.round(performance.now() - started)} ms)`);
  if (!values.history) return 0;
  const casesPerDay = Number(values['per-day'] ?? DEFAULT_HISTORY.casesPerDay);
  if (!(casesPerDay > 0 && casesPerDay <= 10_000)) throw new AppError('validation_failed', '--per-day must be a positive number', { field: 'per-day' });
  // Ctrl-C (or a TERM) stops the build between two steps; the next run continues it.
  const abort = new AbortController();
  const stop = () => abort.abort();
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  try {
    await announceResume(app);
    const run = await buildDemoHistory(app, { ...DEFAULT_HISTORY, days, casesPerDay, end: app.clock(), signal: abort.signal }, progressLogger('history'));
    console.log(describeRun(run));
    if (run.outcome === 'store_not_empty') return 1;
    return run.outcome === 'stopped' ? 130 : 0;
  } finally {
    process.off('SIGINT', stop);
    process.off('SIGTERM', stop);
  }
}

/**
 * Start hook: on the first start of an empty store, load the demo city (unless GRIDLOOP_DEMO=0),
 * then build 12 months of case history in the background while the server already answers. A
 * build that an earlier run left part-way continues. On shutdown the build stops between two steps
 * (the stop function waits for it), to continue on the next start.
 */
export async function demoOnFirstStart(app: AppContext): Promise<(() => Promise<void>) | void> {
  if (!app.config.demoOnEmpty) return;
  const counts = await orgRepository.countByLevel(app.store.db, '/');
  if (counts.length === 0) {
    console.log('empty store: loading the 乌海市 demo city …');
    await demoCommand(app);
    console.log(`building ${DEFAULT_HISTORY.days} days of demo case history in the background (progress: GET /api/v1/health) …`);
  } else if (!(await announceResume(app))) {
    return;
  }
  const abort = new AbortController();
  const options: HistoryOptions = { ...DEFAULT_HISTORY, end: app.clock(), signal: abort.signal };
  const build = buildDemoHistory(app, options, progressLogger('demo history'))
    .then((run) => console.log(describeRun(run)))
    .catch((err) => console.error('demo history failed', err));
  return async () => {
    abort.abort();
    await build;
  };
}

/** Says so when a build stopped part-way will now continue; whether there is one. */
async function announceResume(app: AppContext): Promise<boolean> {
  const row = await demoRepository.findProgress(app.store.db);
  if (row?.state !== 'building') return false;
  console.log(`demo history: continuing the build stopped at day ${row.day} of ${row.days} (${row.cases} cases), with the options it started with (seed ${row.seed}, ${row.cases_per_day} per day, ending ${row.end_at})`);
  return true;
}

function progressLogger(label: string): (p: HistoryProgress) => void {
  let last = performance.now();
  return (p) => {
    const now = performance.now();
    if (now - last < PROGRESS_EVERY_MS) return;
    last = now;
    console.log(`${label}: day ${p.day}/${p.days}, ${p.cases} cases`);
  };
}

function describeRun(run: HistoryRun): string {
  switch (run.outcome) {
    case 'built': return `demo history ready: ${run.cases} cases, ${run.transitions} transitions, ${run.sweeps} sweeps over ${run.days} days${run.resumed ? ' (continued from an earlier run)' : ''}`;
    case 'stopped': return `demo history stopped at day ${run.day} of ${run.days} (${run.cases} cases so far): it continues on the next start or with \`gridloop demo --history\``;
    case 'already_built': return `demo history: already complete (${run.cases} cases over ${run.days} days)`;
    case 'store_not_empty': return 'demo history: not built, the store already holds cases that no demo history build made';
  }
}
