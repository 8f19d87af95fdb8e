import type { AppContext } from '../context.js';
import { everyOnLeader } from '../cluster/cluster.js';
import { storeRepository } from './store.repository.js';

/** How often a serving SQLite store refreshes its planner statistics when they went stale. */
export const PLANNER_STATS_EVERY_MS = 5 * 60_000;

/**
 * Keeps SQLite's query planner statistics (sqlite_stat1/stat4) true to the data. Without them the
 * planner guesses that a scope range (`org_path` between two bounds) is selective and sorts every
 * case in it for a list page, instead of walking the created_at index and stopping after 20 rows:
 * a city-wide list page of 5,000 cases cost 30–50 ms instead of under one. PostgreSQL's autovacuum
 * analyses by itself.
 */
export async function refreshPlannerStats(app: AppContext): Promise<void> {
  if (app.store.dialect !== 'sqlite') return;
  await storeRepository.optimizeSqlite(app.store.db);
}

/** Start hook: refreshes the statistics every PLANNER_STATS_EVERY_MS (a no-op when nothing grew much). */
export async function startPlannerStats(app: AppContext): Promise<(() => void) | void> {
  if (app.store.dialect !== 'sqlite') return;
  return everyOnLeader(app, 'planner statistics', PLANNER_STATS_EVERY_MS, () => refreshPlannerStats(app));
}
