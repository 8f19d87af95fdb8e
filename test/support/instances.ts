import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import path from 'node:path';

const ROOT = path.resolve(import.meta.dirname, '../..');

/** A `gridloop serve` child process on its own port. */
export interface Instance {
  name: string;
  url: string;
  pid: number;
  /** Everything it printed (stdout and stderr). */
  output(): string;
  /** Resolves when its output contains `text` (rejects after `ms`). */
  waitForOutput(text: string, ms: number): Promise<void>;
  /** Sends a signal and waits for the exit. */
  kill(signal?: NodeJS.Signals): Promise<void>;
  /** Fetch with the instance's origin (cookie-authenticated writes need it). */
  fetch(pathname: string, init?: RequestInit & { cookie?: string }): Promise<Response>;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

/** Starts `gridloop serve` with `env` added to this process's environment; resolves once /health answers. */
export async function startInstance(name: string, env: Record<string, string>): Promise<Instance> {
  const port = await freePort();
  const child: ChildProcess = spawn(process.execPath, [path.join(ROOT, 'bin/gridloop.js'), 'serve'], {
    cwd: ROOT,
    env: { ...process.env, HOST: '127.0.0.1', TZ: 'UTC', LOG_LEVEL: 'warn', ...env, PORT: String(port) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  const waiters: (() => void)[] = [];
  const collect = (chunk: Buffer) => {
    out += chunk.toString();
    for (const w of [...waiters]) w();
  };
  child.stdout?.on('data', collect);
  child.stderr?.on('data', collect);
  const url = `http://127.0.0.1:${port}`;
  const instance: Instance = {
    name,
    url,
    pid: child.pid ?? 0,
    output: () => out,
    waitForOutput(text, ms) {
      return new Promise((resolve, reject) => {
        const check = () => {
          if (!out.includes(text)) return;
          clearTimeout(timer);
          waiters.splice(waiters.indexOf(check), 1);
          resolve();
        };
        const timer = setTimeout(() => {
          waiters.splice(waiters.indexOf(check), 1);
          reject(new Error(`${name} did not print "${text}" within ${ms} ms:\n${out.slice(-3000)}`));
        }, ms);
        waiters.push(check);
        check();
      });
    },
    async kill(signal = 'SIGTERM') {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise((r) => child.once('exit', r));
      child.kill(signal);
      await exited;
    },
    fetch(pathname, init = {}) {
      const { cookie, headers, ...rest } = init;
      return fetch(`${url}${pathname}`, { ...rest, headers: { origin: url, ...(cookie ? { cookie } : {}), ...(headers as Record<string, string> | undefined) } });
    },
  };
  for (let i = 0; i < 480; i++) {
    if (child.exitCode !== null) throw new Error(`${name} exited (${child.exitCode}):\n${out.slice(-3000)}`);
    try {
      if ((await fetch(`${url}/api/v1/health`)).ok) return instance;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  await instance.kill('SIGKILL');
  throw new Error(`${name} did not answer at ${url}:\n${out.slice(-3000)}`);
}
