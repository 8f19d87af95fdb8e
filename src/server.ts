import type { Config } from './config.js';
import { createAppContext } from './boot.js';
import { buildHttpApp } from './app.js';
import { startHooks } from './startup.js';

/**
 * `gridloop serve`: opens and migrates the store, loads the demo city into an empty store (unless
 * GRIDLOOP_DEMO=0), starts background jobs and listens until SIGINT/SIGTERM.
 */
export async function serve(config: Config): Promise<number> {
  const app = await createAppContext(config);
  const stops: (() => Promise<void> | void)[] = [];
  for (const hook of startHooks) {
    const stop = await hook(app);
    if (stop) stops.push(stop);
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
