import type { AppContext } from '../context.js';
import { loadGridIndex } from '../grids/grid.locate.js';
import { reloadWorkCalendar } from '../sla/calendar.loader.js';
import { CACHE_TOPICS, type CacheTopic } from './reference-cache.js';
import { storeChangesRepository } from './store-changes.repository.js';

/**
 * What another process wrote to the SQLite file (a CLI import beside a running server), made
 * visible here without a restart. Each check costs one `PRAGMA data_version` (it changes only when
 * another connection committed); only then are the per-topic counters read (store_changes, kept
 * by triggers), and only the topics whose counter moved are reloaded: the reference cache's
 * topics dropped, the grid locator and the work calendar rebuilt. On PostgreSQL the writer
 * notifies the running servers instead (cluster/), and this does nothing.
 */
interface WatchState {
  dataVersion: number;
  versions: Map<string, number>;
  running: Promise<void> | null;
}

const STATE = 'cache.storeChanges';
/** How often a server checks when no request comes (background jobs use the same data). */
const CHECK_EVERY_MS = 2_000;

const RELOAD: Record<string, (app: AppContext) => Promise<unknown>> = {
  grids: loadGridIndex,
  calendar: reloadWorkCalendar,
};

/** Boot step: remembers where the store stands, so later checks see only what others write after. */
export async function watchStoreChanges(app: AppContext): Promise<void> {
  if (app.store.dialect !== 'sqlite') return;
  const db = app.store.db;
  const state: WatchState = { dataVersion: await storeChangesRepository.dataVersion(db), versions: await storeChangesRepository.versions(db), running: null };
  app.services.set(STATE, state);
}

/**
 * Reloads what another process changed since the last check (concurrent callers share one check).
 * Returns the topics reloaded.
 */
export async function followStoreChanges(app: AppContext): Promise<string[]> {
  const state = app.services.get(STATE) as WatchState | undefined;
  if (!state) return [];
  if (state.running) {
    await state.running;
    return [];
  }
  let changed: string[] = [];
  state.running = (async () => {
    const db = app.store.db;
    const dataVersion = await storeChangesRepository.dataVersion(db);
    if (dataVersion === state.dataVersion) return;
    state.dataVersion = dataVersion;
    const versions = await storeChangesRepository.versions(db);
    changed = [...versions].filter(([topic, v]) => state.versions.get(topic) !== v).map(([topic]) => topic);
    state.versions = versions;
    for (const topic of changed) {
      if (CACHE_TOPICS.includes(topic as CacheTopic)) app.store.cache.invalidate(topic as CacheTopic, { remote: true });
      await RELOAD[topic]?.(app);
    }
  })();
  try {
    await state.running;
  } finally {
    state.running = null;
  }
  return changed;
}

/** Start hook of `serve` on SQLite: checks every couple of seconds too, for the background jobs. */
export async function startStoreChangeChecks(app: AppContext): Promise<(() => void) | void> {
  if (!app.services.has(STATE)) return;
  const timer = setInterval(() => void followStoreChanges(app).catch((err: Error) => console.error(`store changes: ${err.message}`)), CHECK_EVERY_MS);
  timer.unref();
  return () => clearInterval(timer);
}
