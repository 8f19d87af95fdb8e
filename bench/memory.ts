// `npm run bench -- memory [--cases N] [--small N] [--full] [--seconds S] [--concurrency C] [--skip kind,…] [--as-built]`
// (--as-built: use the stores as they are, e.g. a build cut short, reporting the cases they hold)
//
// Memory of a serving instance. For each of two store sizes (default 5,000 and 50,000 cases;
// --full: 50,000 and 1,000,000), a SQLite store under bench/.stores/ with 10,000 synthetic grids
// (bench/lib/grid-city.ts, built once and reused) is served by a real `gridloop serve` child
// process. Method, per size:
//   idle     RSS once /health answers (the grid index, catalogue and the rest loaded);
//   mixed    S seconds of a mixed workload over HTTP at concurrency C: intake (POST /cases), case
//            by id, list pages, text search, KPIs, big-screen panels (cards, areas, rankings,
//            trends, pins, outlines), locate, the grids' GeoJSON (a community's; rarely the whole
//            city's), with one SSE client on /live;
//   export   one full GET /cases.csv read by a client at its own pace, alone (after a full GC in
//            the child, and one more halfway: heapAfterGcHalfwayMiB is what the export holds),
//            then one more while the mixed workload runs.
// The child's RSS is read from /proc/<pid>/status every 50 ms (VmRSS) and its peak since start
// (VmHWM) at the end. A probe preloaded into the child (bench/lib/memory-probe.mjs, via
// NODE_OPTIONS) writes its heap and event-loop delay every 100 ms; probeGapMs, the longest time
// without a line, shows the loop held by one piece of work. exportRssGrowthMiB = the
// peak RSS during the lone export − RSS just before it. growth = peak RSS at the larger size ÷
// at the smaller: memory should not grow with the store.
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { startInstance, type Instance } from '../test/support/instances.js';
import { connectLive } from '../test/support/sse.js';
import { gridCityStore, type GridCityStore } from './lib/grid-city.js';
import { login } from './lib/city-inputs.js';
import { mib, probeLines, probeSummary, procRss, sampleRss } from './lib/rss.js';
import { seededRandom } from '../src/grids/grid.synthetic.js';

const { values } = parseArgs({
  args: process.argv.slice(2).filter((a) => a !== 'memory'),
  options: { 'as-built': { type: 'boolean' }, skip: { type: 'string' }, cases: { type: 'string' }, small: { type: 'string' }, full: { type: 'boolean' }, seconds: { type: 'string' }, concurrency: { type: 'string' }, grids: { type: 'string' } },
  strict: true,
});
const large = Number(values.cases ?? (values.full ? 1_000_000 : 50_000));
const small = Number(values.small ?? (values.full ? 50_000 : 5_000));
const GRIDS = Number(values.grids ?? 10_000);
const SECONDS = Number(values.seconds ?? 20);
const CONCURRENCY = Number(values.concurrency ?? 8);
const SKIP = new Set((values.skip ?? '').split(',').filter(Boolean));
const ROOT = path.resolve(import.meta.dirname, '..');
const PROBE = path.join(ROOT, 'bench/lib/memory-probe.mjs');

const ORGS = ['150300', '150302', '150303', '150304'];
const CATEGORIES = ['06010', '06012', '06036', '09006', 'L1202', 'L1203'];

/** A request of the mixed workload, chosen by weight. */
type Pick = (rand: () => number) => { path: string; init?: RequestInit };

function workload(store: GridCityStore): [string, number, Pick][] {
  const org = (r: () => number) => ORGS[Math.floor(r() * ORGS.length)];
  const point = (r: () => number) => store.points[Math.floor(r() * store.points.length)];
  return [
    ['intake', 20, (r) => {
      const [lon, lat] = point(r);
      const body = JSON.stringify({ categoryCode: CATEGORIES[Math.floor(r() * CATEGORIES.length)], lon, lat, description: '井盖缺失，行人有跌落危险（内存压测）', channel: 'hotline', address: '乌海市测试路1号' });
      return { path: '/api/v1/cases', init: { method: 'POST', headers: { 'content-type': 'application/json' }, body } };
    }],
    ['case', 25, (r) => ({ path: `/api/v1/cases/${1 + Math.floor(r() * store.cases)}` })],
    ['list', 10, (r) => ({ path: `/api/v1/cases?limit=50&offset=${Math.floor(r() * 20) * 50}` })],
    ['search', 4, () => ({ path: `/api/v1/cases?q=${encodeURIComponent('井盖')}&limit=20` })],
    ['kpis', 8, (r) => ({ path: `/api/v1/kpis?org=${org(r)}&from=2026-01-01&to=2026-11-29&groupBy=${r() < 0.5 ? 'category' : 'none'}` })],
    ['screen', 10, (r) => ({ path: `/api/v1/screen/${['cards', 'areas', 'rankings', 'trends', 'vitals'][Math.floor(r() * 5)]}?org=${org(r)}` })],
    ['screenMap', 2, (r) => ({ path: `/api/v1/screen/${r() < 0.5 ? 'pins' : 'outlines'}?org=${org(r)}` })],
    ['locate', 18, (r) => {
      const [lon, lat] = point(r);
      return { path: `/api/v1/locate?lon=${lon}&lat=${lat}` };
    }],
    // As the desk's new-case form asks: one community's grids.
    ['gridsGeojson', 2, (r) => ({ path: `/api/v1/grids.geojson?parent=${store.communities[Math.floor(r() * store.communities.length)]}` })],
    // The whole city's 10,000 grids at once (an admin's map): ≈ 7 MiB of GeoJSON.
    ['gridsGeojsonCity', 0.5, () => ({ path: '/api/v1/grids.geojson' })],
  ];
}

/** Runs the mixed workload until `until()` says stop; returns counts by HTTP status. */
async function mixed(server: Instance, cookie: string, store: GridCityStore, until: () => boolean, seed: number) {
  const table = workload(store).filter(([name]) => !SKIP.has(name));
  const total = table.reduce((s, [, w]) => s + w, 0);
  const statuses: Record<string, number> = {};
  const times: Record<string, number[]> = {};
  let requests = 0;
  await Promise.all(Array.from({ length: CONCURRENCY }, async (_, w) => {
    const rand = seededRandom(seed + w);
    while (!until()) {
      let x = rand() * total;
      const [name, , pick] = table.find(([, weight]) => (x -= weight) < 0) ?? table[0];
      const { path: p, init } = pick(rand);
      const t = performance.now();
      const res = await server.fetch(p, { ...init, cookie });
      await res.arrayBuffer();
      (times[name] ??= []).push(performance.now() - t);
      statuses[res.status] = (statuses[res.status] ?? 0) + 1;
      requests++;
    }
  }));
  const ms = (xs: number[], q: number) => Math.round([...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(q * xs.length))]);
  const latency = Object.fromEntries(Object.entries(times).map(([k, xs]) => [k, { n: xs.length, p50: ms(xs, 0.5), max: ms(xs, 1) }]));
  return { requests, statuses, latency };
}

/** Reads GET /cases.csv to the end at the client's pace; returns its rows (records after the header) and bytes. */
async function exportCsv(server: Instance, cookie: string, gcAtRows = Infinity) {
  const res = await server.fetch('/api/v1/cases.csv', { cookie });
  if (res.status !== 200 || !res.body) throw new Error(`export: ${res.status} ${await res.text()}`);
  let rows = -1;
  let bytes = 0;
  const reader = res.body.getReader();
  for (;;) {
    const { done, value: chunk } = await reader.read();
    if (done) break;
    bytes += chunk.length;
    for (let i = chunk.indexOf(10); i >= 0; i = chunk.indexOf(10, i + 1)) rows++;
    if (rows >= gcAtRows) {
      // Halfway: a full GC in the child; the heap it leaves is what the export holds, garbage aside.
      process.kill(server.pid, 'SIGUSR2');
      gcAtRows = Infinity;
    }
  }
  return { rows, bytes };
}

/** Asks the probe for a full GC (SIGUSR2) and waits for the line it writes after it. */
async function collectGarbage(pid: number, probeFile: string) {
  const asked = Date.now();
  process.kill(pid, 'SIGUSR2');
  for (let i = 0; i < 100 && !probeLines(probeFile, asked, Infinity).some((l) => l.gc); i++) await new Promise((r) => setTimeout(r, 50));
}

async function measure(cases: number) {
  const store = await gridCityStore({ cases, grids: GRIDS, build: !values['as-built'] });
  const probeFile = path.join(tmpdir(), `gridloop-memory-probe-${process.pid}-${cases}.jsonl`);
  rmSync(probeFile, { force: true });
  const server = await startInstance(`serve-${cases}`, {
    GRIDLOOP_DATA_DIR: store.dataDir, GRIDLOOP_DEMO: '0', DATABASE_URL: '', LOG_LEVEL: 'warn',
    NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ''} --expose-gc --import=${PROBE}`.trim(), BENCH_PROBE_FILE: probeFile,
  });
  const probeWindow = (from: number) => {
    const to = Date.now();
    return probeSummary(probeLines(probeFile, from, to), from, to);
  };
  try {
    const cookie = await login(server.url, 'admin');
    await new Promise((r) => setTimeout(r, 1000));
    const idle = procRss(server.pid);
    const idleProbe = probeLines(probeFile, 0, Date.now()).at(-1);
    const live = await connectLive(server.url, cookie);
    let liveEvents = 0;
    const drain = setInterval(() => { liveEvents += live.events.length; live.events.length = 0; }, 500);

    let t0 = Date.now();
    const mixSampler = sampleRss(server.pid);
    const mix = await mixed(server, cookie, store, () => Date.now() - t0 > SECONDS * 1000, 1);
    const mixRss = mixSampler.stop();
    const mixProbe = probeWindow(t0);

    await new Promise((r) => setTimeout(r, 1000));
    await collectGarbage(server.pid, probeFile);
    const before = procRss(server.pid);
    const heapBefore = probeLines(probeFile, 0, Date.now()).at(-1)?.heapUsed ?? NaN;
    t0 = Date.now();
    const exportSampler = sampleRss(server.pid);
    const lone = await exportCsv(server, cookie, Math.floor(store.cases / 2));
    const exportRss = exportSampler.stop();
    const exportSeconds = (Date.now() - t0) / 1000;
    const exportProbe = probeWindow(t0);
    const midGc = probeLines(probeFile, t0, Date.now()).find((l) => l.gc);
    const after = procRss(server.pid);

    // The export again, with the mixed workload running beside it.
    t0 = Date.now();
    let exporting = true;
    const bothSampler = sampleRss(server.pid);
    const [busy, both] = await Promise.all([
      exportCsv(server, cookie).finally(() => { exporting = false; }),
      mixed(server, cookie, store, () => !exporting, 2),
    ]);
    const bothRss = bothSampler.stop();
    const bothProbe = probeWindow(t0);
    clearInterval(drain);
    liveEvents += live.events.length;
    live.close();
    const end = procRss(server.pid);
    const line = {
      cases: store.cases, grids: store.grids,
      idleRssMiB: mib(idle?.rss ?? NaN), idleHeapUsedMiB: mib(idleProbe?.heapUsed ?? NaN),
      mixed: { seconds: SECONDS, requests: mix.requests, statuses: mix.statuses, latencyMs: mix.latency, peakRssMiB: mib(mixRss.peak), ...mixProbe, liveEvents },
      export: { rows: lone.rows, mib: mib(lone.bytes), seconds: +exportSeconds.toFixed(1), rssBeforeMiB: mib(before?.rss ?? NaN), peakRssMiB: mib(exportRss.peak), rssAfterMiB: mib(after?.rss ?? NaN), rssGrowthMiB: mib(exportRss.peak - (before?.rss ?? NaN)), heapBeforeMiB: mib(heapBefore), heapAfterGcHalfwayMiB: mib(midGc?.heapUsed ?? NaN), heapGrowthMiB: +(exportProbe.heapUsedMaxMiB - mib(heapBefore)).toFixed(1), ...exportProbe },
      exportUnderLoad: { rows: busy.rows, requests: both.requests, statuses: both.statuses, peakRssMiB: mib(bothRss.peak), ...bothProbe },
      peakRssMiB: mib(end?.hwm ?? NaN),
    };
    console.log(JSON.stringify(line));
    return line;
  } finally {
    await server.kill();
    rmSync(probeFile, { force: true });
  }
}

console.log('memory: RSS of a gridloop serve child process (SQLite) with 10,000 grids under a mixed HTTP workload and a full CSV export, at two store sizes');
console.log(`inputs: ${small} and ${large} cases (generated history, bench/.stores/), ${GRIDS} synthetic grids; mixed workload ${SECONDS} s at concurrency ${CONCURRENCY} with one SSE client${SKIP.size ? ` (without ${[...SKIP].join(', ')})` : ''}; ${new Date().toISOString()}`);
const results = [];
for (const cases of [small, large]) results.push(await measure(cases));
const [a, b] = results;
const growth = +(b.peakRssMiB / a.peakRssMiB).toFixed(2);
console.log(`peak RSS ${a.peakRssMiB} MiB at ${a.cases} cases, ${b.peakRssMiB} MiB at ${b.cases} cases: growth ${growth}× for ${(b.cases / a.cases).toFixed(0)}× the cases (target: peak ≤ 1024 MiB at 10M cases)`);
console.log(`export of ${b.export.rows} rows: RSS ${b.export.rssBeforeMiB} → peak ${b.export.peakRssMiB} → ${b.export.rssAfterMiB} MiB (growth ${b.export.rssGrowthMiB} MiB, heap ${b.export.heapGrowthMiB} MiB; of ${a.export.rows} rows: ${a.export.rssGrowthMiB} MiB, heap ${a.export.heapGrowthMiB} MiB)`);
const summary = { bench: 'memory', cases: b.cases, grids: b.grids, peakRssMiB: b.peakRssMiB, exportRows: b.export.rows, exportRssGrowthMiB: b.export.rssGrowthMiB, exportHeapGrowthMiB: b.export.heapGrowthMiB, smallCases: a.cases, smallPeakRssMiB: a.peakRssMiB, growth };
mkdirSync(path.join(ROOT, 'bench/results'), { recursive: true });
writeFileSync(path.join(ROOT, `bench/results/memory-${Date.now()}.json`), JSON.stringify({ results, summary }, null, 2));
console.log(JSON.stringify(summary));
process.exit(0);
