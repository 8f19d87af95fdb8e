import { parseArgs } from 'node:util';
import type { AppContext } from '../context.js';
import { makeCtx } from '../context.js';
import { systemActor } from '../auth/actor.js';
import { AppError } from '../errors.js';
import { orgRepository } from '../org/org.repository.js';
import { buildDemoCity } from './demo.js';
import { buildDemoHistory, type HistoryOptions } from './demo.history.js';

const DEFAULT_HISTORY = { days: 365, casesPerDay: 12, seed: 1503 };

/** `gridloop demo [--history] [--days N] [--per-day N]`: builds (or completes) the 乌海市 demo city, optionally with case history. */
export async function demoCommand(app: AppContext, args: string[] = []): Promise<number> {
  const { values } = parseArgs({ args, options: { history: { type: 'boolean' }, days: { type: 'string' }, 'per-day': { type: 'string' } }, strict: true });
  const report = await buildDemoCity(makeCtx(app, systemActor()));
  console.log(`乌海市 demo: ${report.divisions.district} districts, ${report.divisions.street} streets, ${report.divisions.community} communities, ${report.grids} grids, ${report.departments} departments, ${report.routingRules} routing rules; demo users (password gridloop-demo): admin, leader, dispatcher, hotline, handler, handler_cg, inspector, mediator, gridworker, gridworker2, citizen`);
  if (values.history) {
    const days = Number(values.days ?? DEFAULT_HISTORY.days);
    const casesPerDay = Number(values['per-day'] ?? DEFAULT_HISTORY.casesPerDay);
    if (!Number.isInteger(days) || days < 1 || days > 3660) throw new AppError('validation_failed', '--days must be 1–3660', { field: 'days' });
    if (!(casesPerDay > 0 && casesPerDay <= 10_000)) throw new AppError('validation_failed', '--per-day must be a positive number', { field: 'per-day' });
    const history = await buildDemoHistory(app, { ...DEFAULT_HISTORY, days, casesPerDay, end: app.clock() }, (done, total) => console.log(`history: ${done}/${total} cases`));
    console.log(`history: ${history.cases} cases, ${history.transitions} transitions, ${history.sweeps} sweeps`);
  }
  return 0;
}

/**
 * Start hook: on the first start of an empty store, load the demo city (unless GRIDLOOP_DEMO=0),
 * then build 12 months of case history in the background while the server already answers.
 */
export async function demoOnFirstStart(app: AppContext): Promise<(() => void) | void> {
  if (!app.config.demoOnEmpty) return;
  const counts = await orgRepository.countByLevel(app.store.db, '/');
  if (counts.length > 0) return;
  console.log('empty store: loading the 乌海市 demo city …');
  await demoCommand(app);
  const abort = new AbortController();
  const options: HistoryOptions = { ...DEFAULT_HISTORY, end: app.clock(), signal: abort.signal };
  console.log(`building ${options.days} days of demo case history in the background …`);
  buildDemoHistory(app, options, (done, total) => console.log(`demo history: ${done}/${total} cases`))
    .then((r) => console.log(`demo history ready: ${r.cases} cases, ${r.transitions} transitions`))
    .catch((err) => console.error('demo history failed', err));
  return () => abort.abort();
}
