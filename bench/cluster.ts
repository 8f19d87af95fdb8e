// `DATABASE_URL=postgres://… npm run bench -- cluster`: two `gridloop serve` instances on one
// PostgreSQL database (a scratch database on that server, dropped afterwards), measured against
// one instance in the same run:
//  1. live fan-out: cases posted on A, delivery to an SSE client on A (baseline) and on B (through
//     NOTIFY/LISTEN); the added latency of the hop between instances, p50/p99;
//  2. intake: POST /api/v1/cases for a fixed time at a fixed concurrency, all on A, then split
//     over A and B; requests/s and the ratio two ÷ one;
//  3. failover: kill -9 of the leader; time until the other instance holds the leader lock, at
//     the default poll interval.
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';
import { createScratchDatabase } from '../src/db/scratch-database.js';
import { startInstance, type Instance } from '../test/support/instances.js';
import { connectLive } from '../test/support/sse.js';

const server = process.env.DATABASE_URL;
if (!server) {
  console.error('bench cluster: set DATABASE_URL to a PostgreSQL server (a scratch database is created there)');
  process.exit(2);
}
const LIVE_CASES = Number(process.env.BENCH_LIVE_CASES ?? 200);
const INTAKE_SECONDS = Number(process.env.BENCH_INTAKE_SECONDS ?? 10);
const CONCURRENCY = 8;
const ROOT = path.resolve(import.meta.dirname, '..');

const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] ?? NaN;
};

const dataDir = mkdtempSync(path.join(tmpdir(), 'gridloop-bench-cluster-'));
const scratch = await createScratchDatabase(server, 'gridloop_bench');
const env = { DATABASE_URL: scratch.url, GRIDLOOP_DATA_DIR: dataDir, GRIDLOOP_DEMO: '0', LOG_LEVEL: 'warn' };
const instances: Instance[] = [];

console.log('cluster: two gridloop serve instances on one PostgreSQL database against one instance, same run');
console.log(`inputs: the 乌海市 demo city (no history); ${LIVE_CASES} cases for the live feed, one at a time; intake ${INTAKE_SECONDS} s at concurrency ${CONCURRENCY}; ${new Date().toISOString()}`);
try {
  await promisify(execFile)(process.execPath, [path.join(ROOT, 'bin/gridloop.js'), 'demo'], { cwd: ROOT, env: { ...process.env, ...env } });
  const a = await startInstance('A', env);
  const b = await startInstance('B', env);
  instances.push(a, b);
  const login = await a.fetch('/api/v1/auth/login', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'admin', password: 'gridloop-demo' }) });
  const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0];
  const grids = (await (await a.fetch('/api/v1/grids.geojson', { cookie })).json()) as { features: { geometry: { coordinates: number[][][] } }[] };
  const ring = grids.features[0].geometry.coordinates[0];
  const [lon, lat] = [0, 1].map((k) => ring.slice(0, -1).reduce((s, p) => s + p[k], 0) / (ring.length - 1));
  const body = JSON.stringify({ categoryCode: '06010', lon, lat, description: 'bench', channel: 'patrol' });
  const postCase = (on: Instance) => on.fetch('/api/v1/cases', { method: 'POST', cookie, headers: { 'content-type': 'application/json' }, body });

  // 1. live fan-out
  const onA = await connectLive(a.url, cookie);
  const onB = await connectLive(b.url, cookie);
  const seen = async (client: typeof onA, id: number) => (await client.waitFor((e) => e.event === 'case.created' && e.data.id === id, 10_000)).receivedAt;
  const local: number[] = [];
  const cross: number[] = [];
  const hop: number[] = [];
  for (let i = 0; i < LIVE_CASES; i++) {
    const t0 = performance.now();
    const created = (await (await postCase(a)).json()) as { id: number };
    const [tA, tB] = await Promise.all([seen(onA, created.id), seen(onB, created.id)]);
    local.push(tA - t0);
    cross.push(tB - t0);
    hop.push(tB - tA);
    onA.events.length = 0;
    onB.events.length = 0;
  }
  onA.close();
  onB.close();
  console.log(`live: POST on A → event on A's client p50 ${pct(local, 50).toFixed(1)} ms, p99 ${pct(local, 99).toFixed(1)} ms (baseline)`);
  console.log(`live: POST on A → event on B's client p50 ${pct(cross, 50).toFixed(1)} ms, p99 ${pct(cross, 99).toFixed(1)} ms; the hop A → B adds p50 ${pct(hop, 50).toFixed(1)} ms, p99 ${pct(hop, 99).toFixed(1)} ms`);

  // 2. intake on one instance, then on two
  const intake = async (targets: Instance[]) => {
    let done = 0;
    let errors = 0;
    const until = performance.now() + INTAKE_SECONDS * 1000;
    await Promise.all(Array.from({ length: CONCURRENCY }, async (_, w) => {
      while (performance.now() < until) {
        const res = await postCase(targets[w % targets.length]);
        await res.arrayBuffer();
        if (res.status === 201) done++;
        else errors++;
      }
    }));
    return { rps: done / INTAKE_SECONDS, errors };
  };
  const one = await intake([a]);
  const two = await intake([a, b]);
  console.log(`intake: one instance ${one.rps.toFixed(0)} req/s (${one.errors} errors); two instances ${two.rps.toFixed(0)} req/s (${two.errors} errors); ratio ${(two.rps / one.rps).toFixed(2)}`);

  // 3. failover at the default poll interval (5 s)
  const db = new pg.Client({ connectionString: scratch.url });
  await db.connect();
  const holder = async () => (await db.query<{ name: string }>(
    "select a.application_name as name from pg_locks l join pg_stat_activity a on a.pid = l.pid where l.locktype = 'advisory' and l.classid = 47678 and l.objid = 1 and l.granted")).rows[0]?.name;
  const first = await holder();
  const leader = instances.find((i) => first?.includes(`-${i.pid}-`));
  let failoverMs = NaN;
  if (leader) {
    const t0 = performance.now();
    await leader.kill('SIGKILL');
    for (;;) {
      const now = await holder();
      if (now && now !== first) break;
      await new Promise((r) => setTimeout(r, 20));
    }
    failoverMs = performance.now() - t0;
    console.log(`failover: the other instance held the leader lock ${failoverMs.toFixed(0)} ms after kill -9 of the leader (poll every 5 s)`);
  }
  await db.end();
  const result = {
    bench: 'cluster', store: 'postgres',
    liveLocalP50Ms: pct(local, 50), liveCrossP50Ms: pct(cross, 50), liveCrossP99Ms: pct(cross, 99), hopP50Ms: pct(hop, 50), hopP99Ms: pct(hop, 99),
    ratio: pct(cross, 50) / pct(local, 50), intakeOne: one.rps, intakeTwo: two.rps, intakeRatio: two.rps / one.rps, errors: one.errors + two.errors, failoverMs,
  };
  mkdirSync(path.join(ROOT, 'bench/results'), { recursive: true });
  writeFileSync(path.join(ROOT, `bench/results/cluster-${Date.now()}.json`), JSON.stringify(result, null, 2));
  console.log(JSON.stringify(result));
} finally {
  await Promise.all(instances.map((i) => i.kill()));
  await scratch.drop().catch(() => undefined);
  rmSync(dataDir, { recursive: true, force: true });
}
