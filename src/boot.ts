import path from 'node:path';
import type { Config } from './config.js';
import { systemClock, type AppContext, type Clock } from './context.js';
import { openDatabase } from './db/database.js';
import { dialectHelper } from './db/dialect.js';
import { migrateToLatest } from './db/migrate.js';
import { bootSteps } from './startup.js';

/**
 * Opens and migrates the store, then runs the boot steps of every area (reference data, in-memory
 * indexes). The caller owns the returned context and must `close` it.
 */
export async function createAppContext(config: Config, clock: Clock = systemClock): Promise<AppContext & { close(): Promise<void> }> {
  const store = openDatabase(config);
  try {
    await migrateToLatest(store.db);
    const app: AppContext = { config, store, dialect: dialectHelper(store.dialect), clock, services: new Map() };
    for (const step of bootSteps) await step(app);
    return { ...app, close: () => store.close() };
  } catch (err) {
    await store.close();
    throw err;
  }
}

/**
 * Where the store is, for people: the absolute path of the SQLite file, or PostgreSQL's
 * user@host:port/database without the password.
 */
export function describeStore(config: Pick<Config, 'databaseUrl' | 'dataDir'>): string {
  if (!config.databaseUrl) return `SQLite ${path.resolve(config.dataDir, 'gridloop.db')}`;
  try {
    const url = new URL(config.databaseUrl);
    const user = url.username ? `${decodeURIComponent(url.username)}@` : '';
    return `PostgreSQL ${user}${url.hostname}${url.port ? `:${url.port}` : ''}${url.pathname}`;
  } catch {
    return 'PostgreSQL (DATABASE_URL is not a URL)';
  }
}
