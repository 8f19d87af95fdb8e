import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';

const run = promisify(execFile);
const ROOT = path.resolve(import.meta.dirname, '../..');
export const CHROMIUM = '/usr/bin/chromium';
export const SCREENS_DIR = path.join(ROOT, 'test-results/screens');
export const DEMO_PASSWORD = 'gridloop-demo';

/**
 * Why browser tests are skipped here, or null when they run. They run unless GRIDLOOP_BROWSER_TESTS=0,
 * or Chromium is missing outside CI (under CI=true a missing Chromium fails the launch instead).
 */
export const browserSkipReason: string | null =
  process.env.GRIDLOOP_BROWSER_TESTS === '0' ? 'GRIDLOOP_BROWSER_TESTS=0'
    : !existsSync(CHROMIUM) && !process.env.CI ? `no Chromium at ${CHROMIUM} (apt-get install -y chromium)`
      : null;
if (browserSkipReason) console.warn(`browser tests skipped: ${browserSkipReason}`);

const gridloop = (args: string[], env: NodeJS.ProcessEnv) => run(process.execPath, [path.join(ROOT, 'bin/gridloop.js'), ...args], { cwd: ROOT, env, maxBuffer: 16 * 1024 * 1024 });

/** Builds web/dist when it is missing or stale; one build at a time across parallel test files. */
export async function ensureWebBuilt(): Promise<void> {
  const lock = path.join(tmpdir(), 'gridloop-web-build.lock');
  for (let waited = 0; ; waited += 500) {
    try {
      mkdirSync(lock);
      break;
    } catch {
      // A lock older than ten minutes belongs to a run that died.
      if (existsSync(lock) && Date.now() - statSync(lock).mtimeMs > 600_000) rmSync(lock, { recursive: true, force: true });
      await new Promise((r) => setTimeout(r, 500));
    }
  }
  try {
    await run(process.execPath, ['--import', 'tsx', 'src/web/web.cli.ts', 'build', '--if-stale'], { cwd: ROOT, maxBuffer: 16 * 1024 * 1024 });
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

export interface BrowserWorld {
  url: string;
  dataDir: string;
  browser: Browser;
  /** A fresh browser context (own cookies and storage), 1280×800 unless given. */
  context(opts?: { width?: number; height?: number; locale?: string }): Promise<BrowserContext>;
  stop(): Promise<void>;
}

/**
 * A real server on a temporary SQLite store and a free port, with the demo city (and `history` days
 * of demo cases, none by default), plus a headless Chromium. Builds the web app first if stale.
 */
export async function startWorld(opts: { historyDays?: number; perDay?: number } = {}): Promise<BrowserWorld> {
  await ensureWebBuilt();
  const dataDir = mkdtempSync(path.join(tmpdir(), 'gridloop-browser-'));
  const port = await freePort();
  const env: NodeJS.ProcessEnv = { ...process.env, GRIDLOOP_DATA_DIR: dataDir, PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'warn', TZ: 'UTC' };
  delete env.DATABASE_URL; // browser tests always run on the embedded SQLite store
  const demoArgs = opts.historyDays ? ['demo', '--history', '--days', String(opts.historyDays), '--per-day', String(opts.perDay ?? 15)] : ['demo'];
  await gridloop(demoArgs, env);
  const server = spawn(process.execPath, [path.join(ROOT, 'bin/gridloop.js'), 'serve'], { cwd: ROOT, env, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  server.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  let stopping = false;
  // A server that dies under a test says why, instead of leaving only "connection refused".
  server.once('exit', (code, signal) => {
    if (!stopping) console.error(`gridloop serve exited (${code ?? signal}) during browser tests:\n${stderr.slice(-4000)}`);
  });
  const url = `http://127.0.0.1:${port}`;
  await waitUntilUp(url, server, () => stderr);
  const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox'] });
  return {
    url,
    dataDir,
    browser,
    context: ({ width = 1280, height = 800, locale = 'zh-CN' } = {}) => browser.newContext({ baseURL: url, viewport: { width, height }, locale, timezoneId: 'Asia/Shanghai' }),
    async stop() {
      await browser.close();
      stopping = true;
      server.kill('SIGTERM');
      await new Promise((r) => (server.exitCode !== null ? r(null) : server.once('exit', r)));
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

async function waitUntilUp(url: string, server: ChildProcess, stderr: () => string): Promise<void> {
  for (let i = 0; i < 240; i++) {
    if (server.exitCode !== null) throw new Error(`server exited (${server.exitCode}): ${stderr()}`);
    try {
      const res = await fetch(`${url}/api/v1/health`);
      if (res.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`server did not answer at ${url}: ${stderr()}`);
}

/** Signs in through the /login page as a demo user and waits until the app has left the page. */
export async function login(page: Page, username: string, next = '/desk'): Promise<void> {
  await page.goto(`/login?next=${encodeURIComponent(next)}`);
  await page.locator('input[name="username"]').fill(username);
  await page.locator('input[name="password"]').fill(DEMO_PASSWORD);
  await page.locator('form button[type="submit"]').click();
  await page.waitForURL((u) => u.pathname !== '/login');
}

/** Saves a full-page screenshot to test-results/screens/<name>.png for reviewers. */
export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(SCREENS_DIR, { recursive: true });
  const file = path.join(SCREENS_DIR, `${name}.png`);
  await page.screenshot({ path: file, fullPage: true });
  return file;
}
