import type { AppContext } from '../context.js';
import { reloadWorkCalendar } from '../sla/calendar.loader.js';
import { loadGridIndex } from '../grids/grid.locate.js';
import { CACHE_TOPICS, type CacheTopic } from '../cache/reference-cache.js';
import { everyOnLeader, getCluster, type Cluster, type ClusterTopic } from './cluster.js';
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

/** Boot step: the shared caches and the reference cache follow the other instances' changes. */
export async function followSharedCaches(app: AppContext): Promise<void> {
  const cluster = getCluster(app);
  for (const cache of SHARED_CACHES) cluster.on(cache.topic, () => cache.reload(app).then(() => undefined));
  cluster.onResync(async () => {
    for (const cache of SHARED_CACHES) await cache.reload(app);
  });
  if (app.store.dialect === 'postgres') followReferenceCache(app, cluster);
}

/** A write's transaction commits after its statement: publish a dropped topic this much later. */
const PUBLISH_AFTER_MS = 250;
/** …and drop it once more this long after hearing of it, in case the commit came later still. */
const REDROP_AFTER_MS = 1_000;

/**
 * The reference cache (categories, routing rules, departments, org units, sessions and API keys;
 * cache/reference-cache.ts) across instances: a topic this instance's writes drop is published
 * (at most once per PUBLISH_AFTER_MS per topic, so a bulk import sends a few notifications, not
 * thousands), and the others drop it on the message, on a catalogue change committed anywhere
 * (topic `catalogue`, sent in the writing transaction) and on a resync.
 */
function followReferenceCache(app: AppContext, cluster: Cluster): void {
  const cache = app.store.cache;
  const scheduled = new Set<CacheTopic>();
  cache.onInvalidate((topic, origin) => {
    if (origin.remote || scheduled.has(topic)) return;
    scheduled.add(topic);
    setTimeout(() => {
      scheduled.delete(topic);
      void cluster.publish('cache', { topic });
    }, PUBLISH_AFTER_MS).unref();
  });
  const dropRemote = (topic: CacheTopic) => {
    cache.invalidate(topic, { remote: true });
    setTimeout(() => cache.drop(topic), REDROP_AFTER_MS).unref();
  };
  cluster.on('cache', (payload) => {
    const topic = (payload as { topic?: unknown } | null)?.topic;
    if (CACHE_TOPICS.includes(topic as CacheTopic)) dropRemote(topic as CacheTopic);
  });
  cluster.on('catalogue', () => dropRemote('catalogue'));
  cluster.onResync(() => {
    for (const topic of CACHE_TOPICS) dropRemote(topic);
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
  return everyOnLeader(app, 'cluster: pruning the rate-limit tables', PRUNE_EVERY_MS, () => clusterRepository.prune(app.store.db, app.clock().getTime()));
}
