import { mkdtempSync, mkdirSync, openSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { loadConfig, type Config } from '../../src/config.js';
import { createAppContext } from '../../src/boot.js';
import type { AppContext } from '../../src/context.js';
import { makeCtx } from '../../src/context.js';
import { systemActor } from '../../src/auth/actor.js';
import { buildDemoCity } from '../../src/demo/demo.js';
import { createScratchDatabase } from '../../src/db/scratch-database.js';

export type StoreName = 'sqlite' | 'postgres';

export interface BenchStore {
  store: StoreName;
  app: AppContext & { close(): Promise<void> };
  config: Config;
  dataDir: string;
  /** A connection string of the scratch PostgreSQL database (postgres runs only). */
  databaseUrl?: string;
  close(): Promise<void>;
}

/**
 * A fresh store with the 乌海市 demo city (no history): a temporary SQLite file, or a scratch
 * database on the DATABASE_URL server, dropped on close.
 */
export async function openBenchStore(): Promise<BenchStore> {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'gridloop-bench-'));
  const server = process.env.DATABASE_URL;
  const scratch = server ? await createScratchDatabase(server, 'gridloop_b') : undefined;
  const databaseUrl = scratch?.url;
  const config = loadConfig({ GRIDLOOP_DATA_DIR: dataDir, DATABASE_URL: databaseUrl, GRIDLOOP_DEMO: '0' });
  const app = await createAppContext(config);
  await buildDemoCity(makeCtx(app, systemActor()));
  return {
    store: server ? 'postgres' : 'sqlite',
    app,
    config,
    dataDir,
    databaseUrl,
    async close() {
      await app.close();
      await scratch?.drop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** A log destination like production's (a file descriptor) that throws the lines away. */
export function nullLogFd(): number {
  return openSync('/dev/null', 'w');
}

/** Writes a benchmark's figures to bench/results/<name>-<store>-<time>.json. */
export function writeResult(name: string, store: StoreName, figures: unknown): string {
  const dir = new URL('../results/', import.meta.url);
  mkdirSync(dir, { recursive: true });
  const file = new URL(`${name}-${store}-${new Date().toISOString().replace(/[:.]/g, '-')}.json`, dir);
  writeFileSync(file, JSON.stringify(figures, null, 2));
  return file.pathname;
}
