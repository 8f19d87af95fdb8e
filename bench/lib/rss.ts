import { readFileSync } from 'node:fs';

/** Bytes → MiB, one decimal. */
export const mib = (bytes: number) => Math.round((bytes / 2 ** 20) * 10) / 10;

/** VmRSS and VmHWM (peak RSS since start) of a process from /proc/<pid>/status, bytes; null once it is gone. */
export function procRss(pid: number): { rss: number; hwm: number } | null {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kib = (key: string) => Number(new RegExp(`^${key}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN) * 1024;
    return { rss: kib('VmRSS'), hwm: kib('VmHWM') };
  } catch {
    return null;
  }
}

/**
 * Samples a process's RSS every `ms` until stopped; `stop()` returns the samples' peak and last
 * value (bytes). A sampler only sees what is resident at its ticks; VmHWM catches the peaks between.
 */
export function sampleRss(pid: number, ms = 50) {
  let peak = 0;
  let last = 0;
  let count = 0;
  const tick = () => {
    const s = procRss(pid);
    if (!s) return;
    last = s.rss;
    peak = Math.max(peak, s.rss);
    count++;
  };
  tick();
  const timer = setInterval(tick, ms);
  return {
    stop() {
      clearInterval(timer);
      tick();
      return { peak, last, samples: count };
    },
  };
}

export interface ProbeLine {
  t: number;
  rss: number;
  heapUsed: number;
  heapTotal: number;
  external: number;
  arrayBuffers: number;
  loopMaxMs: number;
  loopP99Ms: number;
  /** Written right after a full GC the bench asked for. */
  gc?: boolean;
}

/** The lines bench/lib/memory-probe.mjs wrote to `file` between the times `from` and `to` (ms since epoch). */
export function probeLines(file: string, from: number, to: number): ProbeLine[] {
  let text = '';
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return [];
  }
  return text.split('\n').filter(Boolean).map((l) => JSON.parse(l) as ProbeLine).filter((l) => l.t >= from && l.t <= to);
}

/**
 * Peak heap and event-loop delay of the probe lines of a window (MiB, ms). The delay monitor only
 * reports once the loop turns, so probeGapMs, the longest time without a probe line in the window
 * (its edges included), shows a loop held for the whole window too.
 */
export function probeSummary(lines: ProbeLine[], from: number, to: number) {
  const max = (f: (l: ProbeLine) => number) => (lines.length ? Math.max(...lines.map(f)) : NaN);
  const times = [from, ...lines.map((l) => l.t), to];
  return {
    probeGapMs: Math.max(...times.slice(1).map((t, i) => t - times[i])),
    heapUsedMaxMiB: mib(max((l) => l.heapUsed)),
    externalMaxMiB: mib(max((l) => l.external)),
    loopMaxMs: Math.round(max((l) => l.loopMaxMs) * 10) / 10,
    loopP99MaxMs: Math.round(max((l) => l.loopP99Ms) * 10) / 10,
  };
}
