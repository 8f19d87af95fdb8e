import { fork } from 'node:child_process';
import { monitorEventLoopDelay } from 'node:perf_hooks';

export interface LoadTarget {
  url: string;
  method?: 'GET' | 'POST';
  headers?: Record<string, string>;
  /** Request bodies used in turn. */
  bodies?: string[];
  /** Paths (with query) used in turn, replacing the URL's. */
  paths?: string[];
}

export interface LoadResult {
  /** Mean requests per second over the run. */
  rps: number;
  total: number;
  p50: number;
  p99: number;
  errors: number;
  statusCodes: Record<string, { count: number }>;
  /** The server's event-loop delay during the run (ms). */
  loopMax: number;
  loopP99: number;
}

/**
 * Runs autocannon against `target` for `duration` seconds from a child process while watching this
 * process's event loop (the servers under test run here) with monitorEventLoopDelay.
 */
export async function runLoad(target: LoadTarget, opts: { connections: number; duration: number }): Promise<LoadResult> {
  const loop = monitorEventLoopDelay({ resolution: 10 });
  loop.enable();
  const child = fork(new URL('./load.child.mjs', import.meta.url), [], { execArgv: [], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  child.send({ url: target.url, method: target.method ?? 'GET', headers: target.headers ?? {}, bodies: target.bodies, paths: target.paths, connections: opts.connections, duration: opts.duration });
  const message = await new Promise<Omit<LoadResult, 'loopMax' | 'loopP99' | 'rps'> & { requests: number }>((resolve, reject) => {
    child.once('message', (m) => resolve(m as never));
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`load generator exited with ${code}`)));
  });
  loop.disable();
  return { ...message, rps: message.requests, loopMax: loop.max / 1e6, loopP99: loop.percentile(99) / 1e6 };
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/**
 * Runs the candidate and the baseline alternately, `rounds` times each (baseline first, then the
 * order flips every round so neither always runs on a warmer machine), and returns every result.
 */
export async function interleave(rounds: number, baseline: () => Promise<LoadResult>, candidate: () => Promise<LoadResult>): Promise<{ baseline: LoadResult[]; candidate: LoadResult[] }> {
  const out = { baseline: [] as LoadResult[], candidate: [] as LoadResult[] };
  for (let r = 0; r < rounds; r++) {
    if (r % 2 === 0) {
      out.baseline.push(await baseline());
      out.candidate.push(await candidate());
    } else {
      out.candidate.push(await candidate());
      out.baseline.push(await baseline());
    }
  }
  return out;
}

/** Summary figures of interleaved runs: medians of each side and their ratios. */
export function summarise(runs: { baseline: LoadResult[]; candidate: LoadResult[] }) {
  const side = (rs: LoadResult[]) => ({
    rps: median(rs.map((r) => r.rps)),
    p99: median(rs.map((r) => r.p99)),
    p50: median(rs.map((r) => r.p50)),
    errors: rs.reduce((n, r) => n + r.errors, 0),
    loopMax: Math.max(...rs.map((r) => r.loopMax)),
    loopP99: median(rs.map((r) => r.loopP99)),
  });
  const b = side(runs.baseline);
  const c = side(runs.candidate);
  return { baseline: b, candidate: c, ratio: round(c.rps / b.rps), p99Ratio: round(c.p99 / Math.max(1, b.p99)) };
}

export function round(x: number, digits = 3): number {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}
