import { afterAll, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createScratchDatabase, dialectUnderTest } from './helpers.js';
import { runCli } from './support/cli.js';

// The CLI as a user meets it: a child process of bin/gridloop.js, its exit code and its output.

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const dataDir = mkdtempSync(path.join(tmpdir(), 'gridloop-cli-'));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

/** Runs `gridloop ...args` as a child process to its end (killed after 60 s: a server would never end). */
function spawnGridloop(args: string[]): Promise<{ code: number | null; stdout: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['bin/gridloop.js', ...args], { cwd: ROOT, env: { ...process.env, GRIDLOOP_DATA_DIR: dataDir, GRIDLOOP_DEMO: '0', PORT: '0' }, stdio: ['ignore', 'pipe', 'inherit'] });
    let stdout = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout });
    });
  });
}

const gridloop = (args: string[], env: Record<string, string> = {}) => runCli(args, { GRIDLOOP_DATA_DIR: dataDir, GRIDLOOP_DEMO: '0', PORT: '0', ...env });

describe('the command line', () => {
  it('prints usage for a bare `gridloop` instead of starting a server', async () => {
    const r = await gridloop([]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('gridloop <command> [options]');
    expect(r.stdout + r.stderr).not.toMatch(/listening|store:/i);
  });

  it('prints usage and exits 0 for --help / -h on any command, serve included', async () => {
    const spawned = await spawnGridloop(['serve', '--help']);
    expect(spawned.code).toBe(0);
    expect(spawned.stdout).toContain('Commands:');
    for (const args of [['serve', '--help'], ['-h'], ['apikey', 'create', '-h'], ['help']]) {
      const r = await gridloop(args);
      expect(r.code, args.join(' ')).toBe(0);
      expect(r.stdout, args.join(' ')).toContain('Commands:');
      expect(r.stderr, args.join(' ')).not.toContain('store:');
    }
  });

  it('exits 2 on an unknown command, even one named like an Object property', async () => {
    for (const name of ['frobnicate', 'constructor']) {
      const r = await gridloop([name]);
      expect(r.code).toBe(2);
      expect(r.stderr).toContain(`unknown command "${name}"`);
    }
  });

  it(`says where the store is when a command opens it (${dialectUnderTest})`, async () => {
    const scratch = await createScratchDatabase();
    try {
      const r = await gridloop(['migrate'], { DATABASE_URL: scratch ? scratch.url.replace('//', '//postgres:s3cret@') : '' });
      expect(r.code, r.stderr).toBe(0);
      if (scratch) {
        const url = new URL(scratch.url);
        expect(r.stderr).toContain(`store: PostgreSQL postgres@${url.hostname}`);
        expect(r.stderr).toContain(url.pathname);
        expect(r.stderr).not.toContain('s3cret');
      } else {
        expect(r.stderr).toContain(`store: SQLite ${path.join(dataDir, 'gridloop.db')}`);
      }
    } finally {
      await scratch?.drop();
    }
  });
});
