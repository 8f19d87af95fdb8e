// `npm run bench -- readings`: sensor readings/s ingested end to end over MQTT — publish to the
// broker, Gridloop's intake (parse, validate, known device and metrics, one transaction per batch:
// raw readings, hour and day rollups, last seen, alarm rules; PUBACK after the commit) — against a
// bare `mqtt` subscriber that parses the same payloads and inserts them into SQLite (one row per
// metric, the same unique key, a transaction per tick), in alternating rounds of the same run.
import { connect as tcpConnect } from 'node:net';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { parseArgs } from 'node:util';
import SQLite from 'better-sqlite3';
import mqtt from 'mqtt';
import { makeCtx } from '../src/context.js';
import { systemActor } from '../src/auth/actor.js';
import { connectMqttIntake } from '../src/sensors/mqtt.intake.js';
import { TOPIC_FILTER } from '../src/sensors/reading.parse.js';
import { ensureDemoDevices } from '../src/demo/demo.devices.js';
import { modelValues } from '../src/demo/sensor.model.js';
import { openBenchStore, writeResult } from './lib/bench-store.js';

const { values } = parseArgs({ options: { readings: { type: 'string' }, rounds: { type: 'string' }, broker: { type: 'string' } }, strict: true });
const N = Number(values.readings ?? 10_000);
const ROUNDS = Number(values.rounds ?? 3);
const BROKER = values.broker ?? process.env.GRIDLOOP_MQTT_URL ?? 'mqtt://127.0.0.1:1883';
/** Mosquitto drops QoS 1 messages beyond max_queued_messages (1000) per session: keep fewer in flight. */
const WINDOW = 600;

const brokerUrl = new URL(BROKER);
const up = await new Promise<boolean>((resolve) => {
  const socket = tcpConnect({ host: brokerUrl.hostname, port: Number(brokerUrl.port || 1883) });
  socket.setTimeout(1000);
  socket.once('connect', () => { socket.destroy(); resolve(true); });
  socket.once('error', () => resolve(false));
  socket.once('timeout', () => { socket.destroy(); resolve(false); });
});
if (!up) {
  console.error(`readings: no MQTT broker at ${BROKER} (start Mosquitto, or pass --broker URL)`);
  process.exit(1);
}

const bench = await openBenchStore();
const { app, store } = bench;
const { devices } = await ensureDemoDevices(makeCtx(app, systemActor()));
const run = randomBytes(3).toString('hex');
console.log(`readings: ${store}; ${ROUNDS} alternating rounds of ${N} readings from the ${devices.length} demo devices (their model values, the demo alarm rules on) over ${BROKER}, QoS 1, at most ${WINDOW} unacknowledged`);

/** One round's messages: each device in turn, one reading a minute, stamped in the hours before now (distinct per round). */
function messages(round: number): { topic: string; payload: string }[] {
  const perDevice = Math.ceil(N / devices.length);
  const end = app.clock().getTime() - round * perDevice * 60_000;
  const out: { topic: string; payload: string }[] = [];
  for (let k = 0; out.length < N; k++) {
    for (const d of devices) {
      if (out.length >= N) break;
      const t = end - (perDevice - k) * 60_000;
      out.push({ topic: `gridloop/devices/${d.id}/readings`, payload: JSON.stringify({ ts: new Date(t).toISOString(), values: modelValues({ id: d.id, kind: d.kind, load: 0.3 }, t, 8) }) });
    }
  }
  return out;
}

/** Publishes every message, keeping at most WINDOW beyond what the consumer has done; resolves when it has done all. */
async function publishAll(all: { topic: string; payload: string }[], done: () => number): Promise<number> {
  const publisher = await mqtt.connectAsync(BROKER, { clientId: `gridloop-bench-pub-${run}`, clean: true });
  const started = performance.now();
  for (let sent = 0; sent < all.length;) {
    if (sent - done() > WINDOW) {
      await new Promise((r) => setTimeout(r, 2));
      continue;
    }
    const batch = all.slice(sent, sent + 100);
    await Promise.all(batch.map((m) => publisher.publishAsync(m.topic, m.payload, { qos: 1 })));
    sent += batch.length;
  }
  while (done() < all.length) await new Promise((r) => setTimeout(r, 2));
  const seconds = (performance.now() - started) / 1000;
  await publisher.endAsync();
  return seconds;
}

/** Ends a persistent session for good (a clean connect with its id), so the broker keeps nothing for it. */
async function forget(clientId: string): Promise<void> {
  const c = await mqtt.connectAsync(BROKER, { clientId, clean: true });
  await c.endAsync();
}

async function gridloopRound(round: number): Promise<number> {
  const clientId = `gridloop-bench-${run}-${round}`;
  const intake = connectMqttIntake(app, { url: BROKER, clientId, log: () => undefined });
  await intake.ready;
  const all = messages(round);
  const seconds = await publishAll(all, () => intake.acked());
  await intake.stop();
  await forget(clientId);
  return all.length / seconds;
}

// The baseline: a bare subscriber parsing each payload and inserting its metrics into SQLite.
const bareDb = new SQLite(path.join(bench.dataDir, 'bare.db'));
bareDb.pragma('journal_mode = WAL');
bareDb.pragma('synchronous = FULL');
bareDb.exec('create table readings (device_id text not null, metric text not null, ts text not null, value real not null, received_at text not null, primary key (device_id, metric, ts))');
const insert = bareDb.prepare('insert into readings (device_id, metric, ts, value, received_at) values (?, ?, ?, ?, ?) on conflict do nothing');
const insertMany = bareDb.transaction((rows: [string, string, string, number, string][]) => {
  for (const r of rows) insert.run(...r);
});

async function bareRound(round: number): Promise<number> {
  const clientId = `gridloop-bench-bare-${run}-${round}`;
  const client = await mqtt.connectAsync(BROKER, { clientId, clean: false, protocolVersion: 4 });
  let done = 0;
  let pending: [string, string, string, number, string][] = [];
  let messagesInBatch = 0;
  let scheduled = false;
  client.on('message', (topic, payload) => {
    try {
      const body = JSON.parse(payload.toString('utf8')) as { ts: string; values: Record<string, number> };
      const deviceId = topic.split('/')[2];
      const at = new Date().toISOString();
      for (const [metric, value] of Object.entries(body.values)) pending.push([deviceId, metric, body.ts, value, at]);
    } catch {
      // a malformed payload is skipped
    }
    messagesInBatch++;
    if (!scheduled) {
      scheduled = true;
      setImmediate(() => {
        insertMany(pending);
        done += messagesInBatch;
        pending = [];
        messagesInBatch = 0;
        scheduled = false;
      });
    }
  });
  await client.subscribeAsync(TOPIC_FILTER, { qos: 1 });
  const all = messages(round);
  const seconds = await publishAll(all, () => done);
  await client.endAsync();
  await forget(clientId);
  return all.length / seconds;
}

const results: { round: number; gridloop: number; bare: number }[] = [];
for (let round = 0; round < ROUNDS; round++) {
  // Alternate which side goes first, so neither always runs on a warmer machine.
  let gridloop: number;
  let bare: number;
  if (round % 2 === 0) {
    bare = await bareRound(round);
    gridloop = await gridloopRound(round);
  } else {
    gridloop = await gridloopRound(round);
    bare = await bareRound(round);
  }
  results.push({ round, gridloop, bare });
  console.log(`  round ${round + 1}: Gridloop ${gridloop.toFixed(0)} readings/s, bare ${bare.toFixed(0)} readings/s (${(gridloop / bare).toFixed(2)}×)`);
}
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const g = median(results.map((r) => r.gridloop));
const b = median(results.map((r) => r.bare));
const stored = await app.store.db.selectFrom('readings').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
console.log(`readings: medians Gridloop ${g.toFixed(0)} readings/s, bare ${b.toFixed(0)} readings/s; ${Number(stored.n)} metric rows stored by Gridloop (target ≥ 0.5× the bare subscriber)`);
writeResult('readings', store, { readings: N, rounds: results, gridloop: g, bare: b });
bareDb.close();
await bench.close();
console.log(JSON.stringify({ bench: 'readings', store, readingsPerRound: N, gridloop: Math.round(g), bare: Math.round(b), ratio: Math.round((g / b) * 100) / 100 }));
