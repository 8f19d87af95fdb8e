// Preloaded into a server under measurement (`NODE_OPTIONS=--import=<this file>`, with
// BENCH_PROBE_FILE set): every BENCH_PROBE_MS (default 100) it appends one JSON line with the
// process's memory (rss, heapUsed, heapTotal, external, arrayBuffers, bytes) and its event-loop
// delay since the previous line (max and p99, ms). The server itself is not changed; the probe
// costs one timer and one small write per interval.
import { appendFileSync } from 'node:fs';
import { monitorEventLoopDelay } from 'node:perf_hooks';

const file = process.env.BENCH_PROBE_FILE;
if (file) {
  const every = Number(process.env.BENCH_PROBE_MS ?? 100);
  const loop = monitorEventLoopDelay({ resolution: 10 });
  loop.enable();
  const timer = setInterval(() => {
    const m = process.memoryUsage();
    const line = { t: Date.now(), rss: m.rss, heapUsed: m.heapUsed, heapTotal: m.heapTotal, external: m.external, arrayBuffers: m.arrayBuffers, loopMaxMs: loop.max / 1e6, loopP99Ms: loop.percentile(99) / 1e6 };
    loop.reset();
    appendFileSync(file, `${JSON.stringify(line)}\n`);
  }, every);
  timer.unref();
  // SIGUSR2: a full garbage collection now (with --expose-gc), so that a measurement starts from
  // the live heap, not from whatever garbage the previous phase left. Writes a line after it.
  if (typeof globalThis.gc === 'function') {
    process.on('SIGUSR2', () => {
      globalThis.gc();
      appendFileSync(file, `${JSON.stringify({ t: Date.now(), gc: true, ...process.memoryUsage(), loopMaxMs: 0, loopP99Ms: 0 })}\n`);
    });
  }
}
