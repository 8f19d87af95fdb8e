import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import type { FastifyInstance } from 'fastify';
import { loadConfig, type Config } from '../src/config.js';
import { createAppContext } from '../src/boot.js';
import { buildHttpApp } from '../src/app.js';
import type { AppContext, Clock } from '../src/context.js';
import { makeCtx, type Ctx } from '../src/context.js';
import { systemActor } from '../src/auth/actor.js';

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
export async function createTestEnv(opts: { clock?: Clock; config?: Partial<Config> } = {}): Promise<TestEnv> {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'gridloop-test-'));
  let databaseUrl: string | undefined;
  let dropDb: (() => Promise<void>) | undefined;
  if (process.env.DATABASE_URL) {
    const name = `gridloop_t_${randomBytes(6).toString('hex')}`;
    const admin = new pg.Client({ connectionString: process.env.DATABASE_URL });
    await admin.connect();
    await admin.query(`create database ${name}`);
    await admin.end();
    const url = new URL(process.env.DATABASE_URL);
    url.pathname = `/${name}`;
    databaseUrl = url.toString();
    dropDb = async () => {
      const c = new pg.Client({ connectionString: process.env.DATABASE_URL });
      await c.connect();
      await c.query(`drop database if exists ${name} with (force)`);
      await c.end();
    };
  }
  const config = loadConfig({ GRIDLOOP_DATA_DIR: dataDir, DATABASE_URL: databaseUrl, GRIDLOOP_DEMO: '0' }, opts.config ?? {});
  const app = await createAppContext(config, opts.clock);
  const http = await buildHttpApp(app);
  await http.ready();
  return {
    app,
    http,
    config,
    sys: () => makeCtx(app, systemActor()),
    async close() {
      await http.close();
      await app.close();
      await dropDb?.();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
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
