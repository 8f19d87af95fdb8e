import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { FastifyInstance, InjectOptions } from 'fastify';
import { loadConfig, type Config } from '../src/config.js';
import { createAppContext } from '../src/boot.js';
import { buildHttpApp } from '../src/app.js';
import type { AppContext, Clock } from '../src/context.js';
import { makeCtx, type Ctx } from '../src/context.js';
import { systemActor } from '../src/auth/actor.js';
import { createScratchDatabase as createScratch, type ScratchDatabase } from '../src/db/scratch-database.js';

/** Which database the integration suite runs on: PostgreSQL when DATABASE_URL is set, else SQLite. */
export const dialectUnderTest = process.env.DATABASE_URL ? 'postgres' : 'sqlite';

export interface TestEnv {
  app: AppContext;
  http: FastifyInstance;
  config: Config;
  /** A system (admin, whole-city) Ctx for arranging data. */
  sys(): Ctx;
  close(): Promise<void>;
}

/**
 * A fresh, migrated store for one test file: a temporary SQLite file, or a new PostgreSQL database
 * created on the DATABASE_URL server and dropped afterwards. No demo data is loaded.
 */
export async function createTestEnv(opts: { clock?: Clock; config?: Partial<Config>; browserOrigin?: boolean } = {}): Promise<TestEnv> {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'gridloop-test-'));
  const scratch = await createScratchDatabase();
  const config = loadConfig({ GRIDLOOP_DATA_DIR: dataDir, DATABASE_URL: scratch?.url, GRIDLOOP_DEMO: '0' }, opts.config ?? {});
  const app = await createAppContext(config, opts.clock);
  const http = await buildHttpApp(app);
  if (opts.browserOrigin !== false) actLikeSameOriginBrowser(http);
  await http.ready();
  return {
    app,
    http,
    config,
    sys: () => makeCtx(app, systemActor()),
    async close() {
      await http.close();
      await app.close();
      await scratch?.drop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/**
 * Makes `http.inject({...})` behave like the web app in a browser, which sends an Origin header
 * with every write: a request without Origin and Referer gets the server's own origin (inject's
 * default host, http://localhost). Security tests pass `browserOrigin: false` to send raw requests.
 */
function actLikeSameOriginBrowser(http: FastifyInstance): void {
  const inject = http.inject.bind(http);
  http.inject = ((options?: InjectOptions | string) => {
    if (options === undefined || typeof options === 'string') return inject(options as string);
    const headers: Record<string, unknown> = { ...(options.headers ?? {}) };
    if (!('origin' in headers) && !('referer' in headers)) headers.origin = 'http://localhost';
    return inject({ ...options, headers } as InjectOptions);
  }) as FastifyInstance['inject'];
}

/**
 * On PostgreSQL runs (DATABASE_URL set), a new empty database on that server, with its URL and a
 * function that drops it; on SQLite runs, undefined (the store is a file under the data dir).
 */
export async function createScratchDatabase(): Promise<ScratchDatabase | undefined> {
  return process.env.DATABASE_URL ? createScratch(process.env.DATABASE_URL, 'gridloop_t') : undefined;
}

/** A frozen, settable clock for tests. */
export function frozenClock(iso: string): Clock & { set(iso: string): void; advance(ms: number): void } {
  let now = new Date(iso);
  const clock = (() => new Date(now)) as Clock & { set(iso: string): void; advance(ms: number): void };
  clock.set = (v) => (now = new Date(v));
  clock.advance = (ms) => (now = new Date(now.getTime() + ms));
  return clock;
}

/** Logs in through the API and returns the session cookie header value. */
export async function loginCookie(http: FastifyInstance, username: string, password: string): Promise<string> {
  const res = await http.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username, password } });
  if (res.statusCode !== 200) throw new Error(`login ${username} failed: ${res.statusCode} ${res.body}`);
  const cookie = res.cookies.find((c) => c.name === 'gridloop_session');
  if (!cookie) throw new Error('no session cookie');
  return `gridloop_session=${cookie.value}`;
}
