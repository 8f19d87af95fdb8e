// `npm run bench -- reads [--only getById,locate]`: the read endpoints against bare Fastify routes
// in the same process that do the same data access without the platform (lib/bare-reads.ts: the
// same case rows by prepared statement, the same grid index), interleaved under the same load:
// a case by id, the list's first and 50th page with filters (by offset and by cursor), a text
// search of a two-character word, and the grid locator. Each pair is first checked to answer the
// same cases (or grid).
import { parseArgs } from 'node:util';
import { sql } from 'kysely';
import { buildHttpApp } from '../src/app.js';
import { refreshPlannerStats } from '../src/db/planner-stats.js';
import { openBenchStore, nullLogFd, writeResult } from './lib/bench-store.js';
import { interleave, round, runLoad, summarise, type LoadTarget } from './lib/http-load.js';
import { cityPoints, intakeBodies, login } from './lib/city-inputs.js';
import { startBareReads } from './lib/bare-reads.js';

const { values } = parseArgs({ options: { full: { type: 'boolean' }, cases: { type: 'string' }, rounds: { type: 'string' }, duration: { type: 'string' }, connections: { type: 'string' }, only: { type: 'string' } }, strict: true });
const CASES = Number(values.cases ?? (values.full ? 50_000 : 5_000));
const ROUNDS = Number(values.rounds ?? 3);
const DURATION = Number(values.duration ?? (values.full ? 10 : 3));
const CONNECTIONS = Number(values.connections ?? 10);

const bench = await openBenchStore();
const { app, store } = bench;
console.log(`reads: ${store}; ${CASES} cases; ${ROUNDS} interleaved rounds × ${DURATION} s per side and endpoint, ${CONNECTIONS} connections, autocannon in a child process`);

const gridloop = await buildHttpApp(app, { logFd: nullLogFd() });
await gridloop.listen({ port: 0, host: '127.0.0.1' });
const base = `http://127.0.0.1:${(gridloop.server.address() as { port: number }).port}`;
const cookie = await login(base, 'dispatcher');
const headers = { cookie, origin: base };

// The store: cases through the intake pipeline, 10 at a time.
const t0 = performance.now();
const bodies = await intakeBodies(app, CASES);
for (let i = 0; i < bodies.length; i += 10) {
  await Promise.all(bodies.slice(i, i + 10).map(async (body) => {
    const res = await fetch(`${base}/api/v1/cases`, { method: 'POST', headers: { ...headers, 'content-type': 'application/json' }, body });
    if (res.status !== 201) throw new Error(`intake ${res.status}: ${await res.text()}`);
  }));
}
console.log(`store: ${CASES} cases through POST /api/v1/cases in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
// Planner statistics as a serving store has them: SQLite refreshes them every few minutes
// (db/planner-stats.ts), PostgreSQL's autovacuum analyses after this many inserts.
if (store === 'sqlite') await refreshPlannerStats(app);
else await sql`analyze`.execute(app.store.db);

const ids = (await app.store.db.selectFrom('cases').select('id').orderBy('id').execute()).map((r) => r.id);
const top = async (column: 'category_code' | 'class_code') => String((await app.store.db.selectFrom('cases').select(column).groupBy(column).orderBy((eb) => eb.fn.countAll(), 'desc').limit(1).executeTakeFirstOrThrow())[column]);
const states = 'status=reported,registered,dispatched';
// Page 1: one category and three states. Page 50 needs 1,000 matches, more than one category holds
// in the quick store: the largest category class and the same states, by offset and by cursor.
const filters = `category=${await top('category_code')}&${states}&limit=20`;
const deep = `class=${await top('class_code')}&${states}&limit=20`;
// The cursor of page 49, so that the cursor request is page 50.
let cursor = '';
for (let page = 1; page < 50; page++) {
  const res = await (await fetch(`${base}/api/v1/cases?${deep}${cursor ? `&cursor=${cursor}` : ''}`, { headers })).json() as { nextCursor: string | null };
  if (!res.nextCursor) throw new Error(`page ${page + 1} of "${deep}" does not exist: more cases are needed`);
  cursor = res.nextCursor;
}
const points = cityPoints(app, 500, 7);
const byId = ids.filter((_, i) => i % 7 === 0).map((id) => `/cases/${id}`);
const paths = {
  getById: byId,
  listPage1: [`/cases?${filters}`],
  listPage50: [`/cases?${deep}&offset=980`],
  listPage50Cursor: [`/cases?${deep}&cursor=${cursor}`],
  search2: [`/cases?q=${encodeURIComponent('井盖')}&limit=20`],
  locate: points.map(([lon, lat]) => `/locate?lon=${lon}&lat=${lat}`),
};
console.log(`inputs: page 1 "${filters}"; page 50 "${deep}" by offset 980 and by cursor; search "井盖"; locate at 500 seeded points; get-by-id over ${byId.length} ids; user dispatcher (whole city)`);

const bare = await startBareReads(bench);
const target = (root: string, list: string[]): LoadTarget => ({ url: `${root}${list[0]}`, headers, paths: list.map((p) => `${new URL(root).pathname}${p}`) });
const only = values.only?.split(',');
const targets = Object.fromEntries(Object.entries(paths).filter(([name]) => !only || only.includes(name)).map(([name, list]) => [name, { gridloop: target(`${base}/api/v1`, list), bare: target(`${bare.url}/bare`, list) }]));

// Both sides must answer the same thing, or the ratio compares different work.
const answer = async (t: LoadTarget) => {
  const res = await fetch(new URL(t.paths?.[0] ?? '', t.url), { headers });
  if (!res.ok) throw new Error(`${t.url}: ${res.status} ${await res.text()}`);
  const body = await res.json() as { id?: number; items?: { id: number }[]; grid?: string | { code: string } | null };
  if (body.items?.length === 0) throw new Error(`${t.url}: an empty page measures nothing`);
  return JSON.stringify(body.items?.map((i) => i.id) ?? body.id ?? (typeof body.grid === 'object' ? body.grid?.code : body.grid));
};
for (const [name, pair] of Object.entries(targets)) {
  const [g, b] = [await answer(pair.gridloop), await answer(pair.bare)];
  if (g !== b) throw new Error(`${name}: Gridloop answers ${g}, the bare route ${b}`);
}
console.log('checked: each bare route answers the same cases (ids in order) or grid as Gridloop');

const figures: Record<string, ReturnType<typeof summarise>> = {};
for (const [name, pair] of Object.entries(targets)) {
  await runLoad(pair.bare, { connections: CONNECTIONS, duration: 1 });
  await runLoad(pair.gridloop, { connections: CONNECTIONS, duration: 1 });
  const runs = await interleave(ROUNDS, () => runLoad(pair.bare, { connections: CONNECTIONS, duration: DURATION }), () => runLoad(pair.gridloop, { connections: CONNECTIONS, duration: DURATION }));
  const s = summarise(runs);
  figures[name] = s;
  console.log(`${name.padEnd(17)}: ${s.candidate.rps.toFixed(0)} vs bare ${s.baseline.rps.toFixed(0)} req/s = ${s.ratio}×; p99 ${s.candidate.p99} vs ${s.baseline.p99} ms = ${s.p99Ratio}×; ${s.candidate.errors} errors; loop delay max ${s.candidate.loopMax.toFixed(1)} ms, p99 ${s.candidate.loopP99.toFixed(1)} ms`);
}
const file = writeResult('reads', store, { store, cases: CASES, rounds: ROUNDS, duration: DURATION, connections: CONNECTIONS, figures });
console.log(`figures: ${file}`);
await gridloop.close();
await bare.close();
await bench.close();
const pick = (f: (s: ReturnType<typeof summarise>) => number) => Object.fromEntries(Object.entries(figures).map(([k, s]) => [k, round(f(s))]));
console.log(JSON.stringify({
  bench: 'reads', store, cases: CASES,
  ratio: pick((s) => s.ratio), p99Ratio: pick((s) => s.p99Ratio),
  errors: Object.values(figures).reduce((n, s) => n + s.candidate.errors, 0),
  loopMaxMs: round(Math.max(...Object.values(figures).map((s) => s.candidate.loopMax)), 1),
}));
