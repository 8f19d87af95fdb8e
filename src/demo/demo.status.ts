import type { AppContext } from '../context.js';
import { demoRepository } from './demo.repository.js';

/**
 * The demo history build as `GET /api/v1/health` shows it. `off`: no demo history in this store;
 * `building`: this process is building it; `stopped`: a build stopped part-way (Ctrl-C, shutdown,
 * a kill) and no build runs here: it continues on the next start or `gridloop demo --history`;
 * `failed`: this process's build failed (see the log); `done`: complete. `day` of `days` simulated
 * days are written, holding `cases` cases.
 */
export interface DemoStatus {
  state: 'off' | 'building' | 'stopped' | 'failed' | 'done';
  day: number;
  days: number;
  cases: number;
}

const KEY = 'demo.history.status';

/** Records this process's build status (the builder calls it as it goes). */
export function setDemoStatus(app: AppContext, status: DemoStatus): void {
  app.services.set(KEY, status);
}

/** The demo history's status: this process's build if one runs, else what the store records. */
export async function demoStatus(app: AppContext): Promise<DemoStatus> {
  const live = app.services.get(KEY) as DemoStatus | undefined;
  if (live && live.state !== 'stopped') return live;
  const row = await demoRepository.findProgress(app.store.db);
  if (!row) return { state: 'off', day: 0, days: 0, cases: 0 };
  return { state: row.state === 'done' ? 'done' : 'stopped', day: row.day, days: row.days, cases: row.cases };
}
