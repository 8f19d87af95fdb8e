// `npm run bench -- live`: the live feed's fan-out (issue 8, target 5). One Gridloop instance with
// N SSE clients on GET /api/v1/live (default 1,000, held by a child process), against a bare SSE
// echo in the same process (a Fastify route that writes one prebuilt frame to every connection):
//  1. delivery: cases posted one at a time; for each (client, case) the time from the POST's start
//     to the client receiving the event; the same for the echo's POST /emit. p50/p99 and the ratio;
//     every client must receive every event;
//  2. intake with the clients connected against without them, interleaved (autocannon); the
//     clients then read and drop the bytes, so that parsing on this machine's two cores, which real
//     clients would do elsewhere, does not count against the server.
import { fork, type ChildProcess } from 'node:child_process';
import { parseArgs } from 'node:util';
import type { ServerResponse } from 'node:http';
import Fastify from 'fastify';
import { buildHttpApp } from '../src/app.js';
import { openBenchStore, nullLogFd, writeResult } from './lib/bench-store.js';
import { interleave, median, round, runLoad, summarise } from './lib/http-load.js';
import { intakeBodies, login } from './lib/city-inputs.js';

const { values } = parseArgs({ options: { full: { type: 'boolean' }, clients: { type: 'string' }, events: { type: 'string' }, rounds: { type: 'string' }, duration: { type: 'string' } }, strict: true });
const CLIENTS = Number(values.clients ?? 1000);
const EVENTS = Number(values.events ?? (values.full ? 200 : 60));
const ROUNDS = Number(values.rounds ?? (values.full ? 4 : 2));
const DURATION = Number(values.duration ?? (values.full ? 10 : 5));
const now = () => performance.timeOrigin + performance.now();

const bench = await openBenchStore();
const { app, store } = bench;
console.log(`live: ${store}; ${CLIENTS} SSE clients in a child process; ${EVENTS} events per side, posted one at a time; intake ${ROUNDS} interleaved rounds × ${DURATION} s with and without the clients`);

const gridloop = await buildHttpApp(app, { logFd: nullLogFd() });
await gridloop.listen({ port: 0, host: '127.0.0.1' });
const gridloopUrl = `http://127.0.0.1:${(gridloop.server.address() as { port: number }).port}`;

// The baseline: an SSE endpoint and a POST that writes one frame to every open connection.
const bare = Fastify({ logger: false });
const streams = new Set<ServerResponse>();
bare.get('/sse', (request, reply) => {
  reply.hijack();
  reply.raw.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache' });
  reply.raw.write(': connected\n\n');
  streams.add(reply.raw);
  request.raw.on('close', () => streams.delete(reply.raw));
});
bare.post('/emit', async (request, reply) => {
  const frame = `event: echo\ndata: ${JSON.stringify(request.body)}\n\n`;
  for (const s of streams) s.write(frame);
  reply.status(204);
});
await bare.listen({ port: 0, host: '127.0.0.1' });
const bareUrl = `http://127.0.0.1:${(bare.server.address() as { port: number }).port}`;

const cookie = await login(gridloopUrl, 'admin');
const bodies = await intakeBodies(app, 2_000);
const headers = { 'content-type': 'application/json', cookie, origin: gridloopUrl };

const clients: ChildProcess = fork(new URL('./lib/sse.child.mjs', import.meta.url), [], { execArgv: [], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
const ask = <T>(message: object) => new Promise<T>((resolve) => {
  clients.once('message', (m) => resolve(m as T));
  clients.send(message);
});

/** Posts `EVENTS` events one at a time, then collects what every client received: latencies in ms and losses. */
async function delivery(post: (i: number) => Promise<string>): Promise<{ latencies: number[]; lost: number }> {
  const sentAt = new Map<string, number>();
  for (let i = 0; i < EVENTS; i++) {
    const t0 = now();
    sentAt.set(await post(i), t0);
    await new Promise((r) => setTimeout(r, 25));
  }
  await new Promise((r) => setTimeout(r, 3000));
  const { received } = await ask<{ received: Record<string, number[]> }>({ cmd: 'report' });
  const latencies: number[] = [];
  let lost = 0;
  for (const [key, t0] of sentAt) {
    const times = received[key] ?? [];
    lost += CLIENTS - times.length;
    for (const t of times) latencies.push(t - t0);
  }
  return { latencies, lost };
}

const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? round(s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))], 1) : NaN;
};

// 1. Delivery latency.
let c = await ask<{ connected: number; failed: number }>({ cmd: 'connect', url: `${bareUrl}/sse`, headers: {}, clients: CLIENTS, keyField: 'key' });
console.log(`echo: ${c.connected} clients connected (${c.failed} failed)`);
const echo = await delivery(async (i) => {
  const key = `e${i}`;
  await fetch(`${bareUrl}/emit`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ key }) });
  return key;
});
await ask({ cmd: 'close' });

c = await ask<{ connected: number; failed: number }>({ cmd: 'connect', url: `${gridloopUrl}/api/v1/live`, headers: { cookie }, clients: CLIENTS, keyField: 'id' });
console.log(`gridloop: ${c.connected} clients connected to /api/v1/live (${c.failed} failed)`);
const intakeAlone: number[] = [];
const live = await delivery(async (i) => {
  const t0 = now();
  const res = await fetch(`${gridloopUrl}/api/v1/cases`, { method: 'POST', headers, body: bodies[i % bodies.length] });
  intakeAlone.push(now() - t0);
  if (res.status !== 201) throw new Error(`intake answered ${res.status}: ${await res.text()}`);
  return String(((await res.json()) as { id: number }).id);
});
const delivered = {
  echo: { p50: pct(echo.latencies, 50), p99: pct(echo.latencies, 99), lost: echo.lost },
  gridloop: { p50: pct(live.latencies, 50), p99: pct(live.latencies, 99), lost: live.lost, intakeResponseP50: round(median(intakeAlone), 1) },
};
console.log(`delivery (POST start → client), ${EVENTS} events × ${CLIENTS} clients:`);
console.log(`  echo    : p50 ${delivered.echo.p50} ms, p99 ${delivered.echo.p99} ms, ${echo.lost} lost`);
console.log(`  gridloop: p50 ${delivered.gridloop.p50} ms, p99 ${delivered.gridloop.p99} ms, ${live.lost} lost (the intake response itself: p50 ${delivered.gridloop.intakeResponseP50} ms)`);

// 2. Intake with and without the clients, interleaved (`baseline` = without).
const target = { url: `${gridloopUrl}/api/v1/cases`, method: 'POST' as const, headers, bodies };
await runLoad(target, { connections: 10, duration: 2 });
await ask({ cmd: 'close' });
let connected = false;
const setClients = async (want: boolean) => {
  if (want === connected) return;
  if (want) await ask({ cmd: 'connect', url: `${gridloopUrl}/api/v1/live`, headers: { cookie }, clients: CLIENTS, keyField: 'id', parse: false });
  else await ask({ cmd: 'close' });
  await ask({ cmd: 'report' }); // drop what the clients gathered
  connected = want;
};
const runs = await interleave(ROUNDS,
  async () => { await setClients(false); return runLoad(target, { connections: 10, duration: DURATION }); },
  async () => { await setClients(true); return runLoad(target, { connections: 10, duration: DURATION }); });
const s = summarise(runs);
console.log(`intake without clients: median ${s.baseline.rps.toFixed(0)} req/s, p99 ${s.baseline.p99} ms; with ${CLIENTS} clients: ${s.candidate.rps.toFixed(0)} req/s, p99 ${s.candidate.p99} ms, ${s.candidate.errors} errors; event-loop delay max ${s.candidate.loopMax.toFixed(1)} ms`);

const result = {
  bench: 'live', store, clients: CLIENTS, events: EVENTS,
  latencyRatioP50: round(delivered.gridloop.p50 / Math.max(0.1, delivered.echo.p50), 2),
  latencyRatioP99: round(delivered.gridloop.p99 / Math.max(0.1, delivered.echo.p99), 2),
  lost: live.lost, intakeRatio: s.ratio,
};
const file = writeResult('live', store, { ...result, delivered, intake: s, runs });
console.log(`figures: ${file}`);
await ask({ cmd: 'close' });
clients.send({ cmd: 'exit' });
await gridloop.close();
await bare.close();
await bench.close();
console.log(JSON.stringify(result));
