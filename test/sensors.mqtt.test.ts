import { randomBytes } from 'node:crypto';
import mqtt from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAppContext } from '../src/boot.js';
import { registerDevice } from '../src/sensors/device.service.js';
import { createAlarmRule } from '../src/sensors/alarm.service.js';
import { connectMqttIntake, type MqttIntake } from '../src/sensors/mqtt.intake.js';
import { createTestEnv, dialectUnderTest, frozenClock, type TestEnv } from './helpers.js';
import { buildWorld } from './world.js';
import { BROKER, localBrokerUp } from './support/broker.js';

/*
 * Against the real local Mosquitto (.ci/run starts it). Skipped when 127.0.0.1:1883 does not answer,
 * except under CI=true, where that is a failure. Device ids carry a per-run prefix: other runs on the
 * same broker publish to the same topic tree, and their messages are not ours to count.
 *
 * 50 devices × 200 readings = 10,000 messages, 10 devices cross the threshold, 25 malformed
 * messages mixed in. Gridloop is restarted (a new app context, the intake's connection dropped
 * without a clean close) when about 40 % are acknowledged; the broker holds what arrives meanwhile.
 */
const clock = frozenClock('2026-11-26T06:00:00Z');
const run = randomBytes(3).toString('hex');
const DEVICES = 50;
const PER_DEVICE = 200;
const HOT = 10;
const MALFORMED = 25;

const up = await localBrokerUp();

let env: TestEnv;
const deviceId = (i: number) => `T${run}-${String(i).padStart(2, '0')}`;

beforeAll(async () => {
  if (!up) return;
  env = await createTestEnv({ clock });
  await buildWorld(env);
  const sys = env.sys();
  const spots = [[106.8005, 39.6705], [106.8105, 39.6705], [106.8205, 39.6705], [106.8805, 39.4405]];
  for (let i = 0; i < DEVICES; i++) {
    const [lon, lat] = spots[i % spots.length];
    await registerDevice(sys, { id: deviceId(i), kind: 'air_station', lon: lon + (i % 7) * 0.0005, lat: lat + (i % 5) * 0.0005 });
  }
  await createAlarmRule(sys, { kind: 'air_station', metric: 'pm25', op: '>', threshold: 500 });
}, 60_000);
afterAll(async () => {
  if (env) await env.close();
});

/** The messages: readings 1 minute apart ending at the frozen clock, hot devices over 500 twice, malformed ones spread in. */
function messages(): { topic: string; payload: string; valid: boolean }[] {
  const out: { topic: string; payload: string; valid: boolean }[] = [];
  const start = clock().getTime() - PER_DEVICE * 60_000;
  for (let k = 0; k < PER_DEVICE; k++) {
    for (let i = 0; i < DEVICES; i++) {
      const ts = new Date(start + k * 60_000).toISOString();
      const hot = i < HOT && (k === 150 || k === 151);
      out.push({ topic: `gridloop/devices/${deviceId(i)}/readings`, payload: JSON.stringify({ ts, values: { pm25: hot ? 620 : 20 + ((i * 7 + k) % 90), pm10: 50 + (k % 40) } }), valid: true });
    }
  }
  const bad = [
    (i: number) => ({ topic: `gridloop/devices/${deviceId(i)}/readings`, payload: '{"ts": "2026-11-26T05:00:00Z", "values": {"pm25": "high"}}' }),
    (i: number) => ({ topic: `gridloop/devices/${deviceId(i)}/readings`, payload: 'not json at all' }),
    (i: number) => ({ topic: `gridloop/devices/${deviceId(i)}/readings`, payload: '{"ts": "2099-01-01T00:00:00Z", "values": {"pm25": 1}}' }),
    (i: number) => ({ topic: `gridloop/devices/${deviceId(i)}/readings`, payload: '{"ts": "2026-11-26T05:00:00Z", "values": {"radiation": 1}}' }),
    (i: number) => ({ topic: `gridloop/devices/T${run}-nobody-${i}/readings`, payload: '{"ts": "2026-11-26T05:00:00Z", "values": {"pm25": 1}}' }),
  ];
  for (let j = 0; j < MALFORMED; j++) out.splice(300 + j * 397, 0, { ...bad[j % bad.length](j), valid: false });
  return out;
}

async function waitFor(what: string, test: () => Promise<boolean>, seconds: number): Promise<void> {
  const until = Date.now() + seconds * 1000;
  while (Date.now() < until) {
    if (await test()) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`timed out waiting for ${what}`);
}

describe.skipIf(!up)(`MQTT intake against the local Mosquitto (${dialectUnderTest})`, () => {
  it('10,000 readings from 50 devices with a restart midway: each stored once, 10 cases, the dead letters exactly the malformed ones', async () => {
    const clientId = `gridloop-test-${run}-${dialectUnderTest}`;
    const all = messages();
    const ours = (await env.app.store.db.selectFrom('readings').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow());
    expect(Number(ours.n)).toBe(0);
    let intake: MqttIntake = connectMqttIntake(env.app, { url: BROKER, clientId, log: () => undefined });
    await intake.ready;
    let ackedBefore = 0;
    const acked = () => ackedBefore + intake.acked();
    const publisher = await mqtt.connectAsync(BROKER, { clientId: `gridloop-test-pub-${run}-${dialectUnderTest}`, clean: true });
    // Mosquitto queues at most max_queued_messages (default 1000) per session and drops beyond: keep under it.
    let restarted = false;
    let second: Awaited<ReturnType<typeof createAppContext>> | undefined;
    for (let sent = 0; sent < all.length;) {
      if (sent - acked() > 600) {
        await new Promise((r) => setTimeout(r, 5));
        continue;
      }
      const batch = all.slice(sent, sent + 100);
      await Promise.all(batch.map((m) => publisher.publishAsync(m.topic, m.payload, { qos: 1 })));
      sent += batch.length;
      if (!restarted && acked() > all.length * 0.4) {
        restarted = true;
        // Gridloop goes away without a goodbye: the socket is cut; in-flight messages are unacknowledged.
        ackedBefore += intake.acked();
        intake.client.end(true);
        // …messages keep arriving at the broker, held for the persistent session…
        const during = all.slice(sent, sent + 400);
        await Promise.all(during.map((m) => publisher.publishAsync(m.topic, m.payload, { qos: 1 })));
        sent += during.length;
        // …and a new Gridloop process (its own app context on the same store) resumes the session.
        second = await createAppContext(env.config, clock);
        intake = connectMqttIntake(second, { url: BROKER, clientId, log: () => undefined });
        await intake.ready;
      }
    }
    expect(restarted).toBe(true);
    const validCount = all.filter((m) => m.valid).length;
    const db = env.app.store.db;
    const count = async () => Number((await db.selectFrom('readings').select((eb) => eb.fn.countAll<number>().as('n')).where('metric', '=', 'pm25').executeTakeFirstOrThrow()).n);
    const deadLetters = () => db.selectFrom('reading_dead_letters').selectAll().where('topic', 'like', `gridloop/devices/T${run}-%`).execute();
    await waitFor('every reading', async () => (await count()) >= validCount && (await deadLetters()).length >= MALFORMED, 45);
    await publisher.endAsync();
    await intake.stop();
    await second?.close();

    expect(await count()).toBe(validCount);
    expect(Number((await db.selectFrom('readings').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n)).toBe(validCount * 2);
    // Rollups saw each reading exactly once, redeliveries included.
    const rolled = await db.selectFrom('reading_rollups').select((eb) => eb.fn.sum<number>('n').as('n')).where('period', '=', 'hour').where('metric', '=', 'pm25').executeTakeFirstOrThrow();
    expect(Number(rolled.n)).toBe(validCount);
    const dead = await deadLetters();
    expect(dead).toHaveLength(MALFORMED);
    expect(new Set(dead.map((d) => d.reason))).toEqual(new Set(['values.pm25: not a finite number', 'payload: not UTF-8 JSON', 'ts: too far in the future', 'values.radiation: not a metric of kind air_station', 'device: unknown']));
    const cases = await db.selectFrom('cases').select(['id', 'status', 'category_code']).where('channel', '=', 'sensor').execute();
    expect(cases).toHaveLength(HOT);
    expect(new Set(cases.map((c) => c.category_code))).toEqual(new Set(['LGZ05']));
    // The persistent session is no longer needed: remove it from the broker.
    const cleaner = await mqtt.connectAsync(BROKER, { clientId, clean: true });
    await cleaner.endAsync();
  }, 90_000);
});

