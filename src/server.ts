import type { Config } from './config.js';
import { createAppContext } from './boot.js';
import { buildHttpApp } from './app.js';
import { startHooks } from './startup.js';
import { takeBootLock } from './cluster/cluster.pg.js';

/**
 * `gridloop serve`: opens and migrates the store, loads the demo city into an empty store (unless
 * GRIDLOOP_DEMO=0), starts background jobs and listens until SIGINT/SIGTERM. On PostgreSQL,
 * instances starting together boot one after another (the boot lock), so only one migrates and
 * loads the demo city.
 */
export async function serve(config: Config): Promise<number> {
  const release = config.databaseUrl ? await takeBootLock(config.databaseUrl) : async () => undefined;
  const stops: (() => Promise<void> | void)[] = [];
  let app: Awaited<ReturnType<typeof createAppContext>>;
  try {
    app = await createAppContext(config);
    for (const hook of startHooks) {
      const stop = await hook(app);
      if (stop) stops.push(stop);
    }
  } finally {
    await release();
  }
  const http = await buildHttpApp(app, { logger: true });
  await http.listen({ port: config.port, host: config.host });
  return new Promise<number>((resolve) => {
    const shutdown = async (signal: string) => {
      http.log.info({ signal }, 'shutting down');
      for (const stop of stops) await stop();
      await http.close();
      await app.close();
      resolve(0);
    };
    process.once('SIGINT', () => void shutdown('SIGINT'));
    process.once('SIGTERM', () => void shutdown('SIGTERM'));
  });
}
