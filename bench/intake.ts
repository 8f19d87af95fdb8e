// `npm run bench -- intake`: POST /api/v1/cases (the whole pipeline: session, validation, locate,
// route, SLA clocks, case number, case + timeline + counters stored atomically (SQLite: a group commit;
// PostgreSQL: one statement), duplicate check,
// presenter, request log) against a bare Fastify route in the same process that validates the same
// body and inserts it into one table, interleaved under the same autocannon load.
import Fastify from 'fastify';
import SQLite from 'better-sqlite3';
import path from 'node:path';
import pg from 'pg';
import { parseArgs } from 'node:util';
import { buildHttpApp } from '../src/app.js';
import { CaseCreateBody } from '../src/cases/case.schema.js';
import { openBenchStore, nullLogFd, writeResult } from './lib/bench-store.js';
import { interleave, runLoad, summarise } from './lib/http-load.js';
import { intakeBodies, login } from './lib/city-inputs.js';

const { values } = parseArgs({ options: { full: { type: 'boolean' }, rounds: { type: 'string' }, duration: { type: 'string' }, connections: { type: 'string' } }, strict: true });
const ROUNDS = Number(values.rounds ?? (values.full ? 5 : 3));
const DURATION = Number(values.duration ?? (values.full ? 10 : 5));
const CONNECTIONS = Number(values.connections ?? 10);

const bench = await openBenchStore();
const { app, store } = bench;
console.log(`intake: ${store}; ${ROUNDS} interleaved rounds × ${DURATION} s per side, ${CONNECTIONS} connections, autocannon in a child process`);

// Gridloop as `gridloop serve` runs it, request log included (to /dev/null).
const gridloop = await buildHttpApp(app, { logFd: nullLogFd() });
await gridloop.listen({ port: 0, host: '127.0.0.1' });
const gridloopUrl = `http://127.0.0.1:${(gridloop.server.address() as { port: number }).port}`;

// The baseline: validate the same body, insert it into one table, answer its id.
const bare = Fastify({ logger: false });
let close = async () => {};
if (store === 'sqlite') {
  const db = new SQLite(path.join(bench.dataDir, 'bare.db'));
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.exec('create table bare_cases (id integer primary key autoincrement, category_code text not null, lon real not null, lat real not null, description text not null, channel text not null, body text not null, created_at text not null)');
  const insert = db.prepare('insert into bare_cases (category_code, lon, lat, description, channel, body, created_at) values (?, ?, ?, ?, ?, ?, ?)');
  bare.post('/bare', { schema: { body: CaseCreateBody } }, async (request, reply) => {
    const b = request.body as CaseCreateBody;
    const { lastInsertRowid } = insert.run(b.categoryCode, b.lon, b.lat, b.description, b.channel, JSON.stringify(b), new Date().toISOString());
    reply.status(201);
    return { id: Number(lastInsertRowid) };
  });
  close = async () => {
    db.close();
  };
} else {
  const pool = new pg.Pool({ connectionString: bench.databaseUrl, max: 10 });
  await pool.query('create table bare_cases (id bigserial primary key, category_code text not null, lon double precision not null, lat double precision not null, description text not null, channel text not null, body text not null, created_at text not null)');
  bare.post('/bare', { schema: { body: CaseCreateBody } }, async (request, reply) => {
    const b = request.body as CaseCreateBody;
    const { rows } = await pool.query('insert into bare_cases (category_code, lon, lat, description, channel, body, created_at) values ($1, $2, $3, $4, $5, $6, $7) returning id', [b.categoryCode, b.lon, b.lat, b.description, b.channel, JSON.stringify(b), new Date().toISOString()]);
    reply.status(201);
    return { id: Number(rows[0].id) };
  });
  close = () => pool.end();
}
await bare.listen({ port: 0, host: '127.0.0.1' });
const bareUrl = `http://127.0.0.1:${(bare.server.address() as { port: number }).port}`;

const cookie = await login(gridloopUrl, 'hotline');
const bodies = await intakeBodies(app, 2_000);
console.log(`inputs: ${bodies.length} distinct bodies (categories with a department, points inside the 640 demo grids, seeded), user hotline with a session cookie`);
const headers = { 'content-type': 'application/json', cookie, origin: gridloopUrl };

const target = { gridloop: { url: `${gridloopUrl}/api/v1/cases`, method: 'POST' as const, headers, bodies }, bare: { url: `${bareUrl}/bare`, method: 'POST' as const, headers, bodies } };
// Warm-up: JIT, statement caches, reference caches, pool connections.
await runLoad(target.bare, { connections: CONNECTIONS, duration: 2 });
await runLoad(target.gridloop, { connections: CONNECTIONS, duration: 2 });

const runs = await interleave(ROUNDS, () => runLoad(target.bare, { connections: CONNECTIONS, duration: DURATION }), () => runLoad(target.gridloop, { connections: CONNECTIONS, duration: DURATION }));
const s = summarise(runs);
for (const [label, side] of [['bare', s.baseline], ['gridloop', s.candidate]] as const) {
  console.log(`${label.padEnd(8)}: median ${side.rps.toFixed(0)} req/s, p50 ${side.p50} ms, p99 ${side.p99} ms, ${side.errors} errors; event-loop delay max ${side.loopMax.toFixed(1)} ms, p99 ${side.loopP99.toFixed(1)} ms`);
}
console.log(`rounds (req/s): bare ${runs.baseline.map((r) => r.rps.toFixed(0)).join(', ')}; gridloop ${runs.candidate.map((r) => r.rps.toFixed(0)).join(', ')}`);
const stored = await app.store.db.selectFrom('cases').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
console.log(`cases stored: ${stored.n}`);
const file = writeResult('intake', store, { store, rounds: ROUNDS, duration: DURATION, connections: CONNECTIONS, ...s, runs });
console.log(`figures: ${file}`);

await gridloop.close();
await bare.close();
await close();
await bench.close();
console.log(JSON.stringify({ bench: 'intake', store, ratio: s.ratio, p99Ratio: s.p99Ratio, errors: s.candidate.errors }));
