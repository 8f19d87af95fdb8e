import type { AppContext } from '../context.js';
import { reloadWorkCalendar } from '../sla/calendar.loader.js';
import { loadGridIndex } from '../grids/grid.locate.js';
import { getCluster, onLeader, type ClusterTopic } from './cluster.js';
import { clusterRepository } from './cluster.repository.js';
import { PgLink } from './cluster.pg.js';

/**
 * The in-process copies of shared data and how each reloads from the store. When one instance
 * changes the data it reloads its own copy and publishes the topic; every other instance reloads
 * on the message, and all of them after a resync (a gap in the messages).
 */
const SHARED_CACHES: { topic: ClusterTopic; reload(app: AppContext): Promise<unknown> }[] = [
  { topic: 'calendar', reload: reloadWorkCalendar },
  { topic: 'grids', reload: loadGridIndex },
];

/** Boot step: the shared caches follow the other instances' changes. */
export async function followSharedCaches(app: AppContext): Promise<void> {
  const cluster = getCluster(app);
  for (const cache of SHARED_CACHES) cluster.on(cache.topic, () => cache.reload(app).then(() => undefined));
  cluster.onResync(async () => {
    for (const cache of SHARED_CACHES) await cache.reload(app);
  });
}

/**
 * Start hook of `serve` on PostgreSQL: the dedicated connection that hears the other instances
 * and competes for the leadership of the periodic jobs (cluster.pg.ts). Nothing on SQLite, where
 * the one instance leads.
 */
export async function startCluster(app: AppContext): Promise<(() => Promise<void>) | void> {
  if (app.store.dialect !== 'postgres' || !app.config.databaseUrl) return;
  const link = new PgLink(getCluster(app), { url: app.config.databaseUrl, pollMs: app.config.cluster.leaderPollSeconds * 1000 });
  await link.start();
  return () => link.stop();
}

const PRUNE_EVERY_MS = 10 * 60_000;

/** Start hook: the leader deletes expired shared rate-limit rows every ten minutes (PostgreSQL only). */
export async function startLimitPruning(app: AppContext): Promise<(() => void) | void> {
  if (app.store.dialect !== 'postgres') return;
  let running = false;
  const timer = setInterval(onLeader(app, () => {
    if (running) return;
    running = true;
    clusterRepository.prune(app.store.db, app.clock().getTime())
      .catch((err) => console.error('cluster: pruning the rate-limit tables failed', err))
      .finally(() => (running = false));
  }), PRUNE_EVERY_MS);
  timer.unref();
  return () => clearInterval(timer);
}
