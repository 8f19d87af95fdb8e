import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerDevice } from '../src/sensors/device.service.js';
import { createAlarmRule } from '../src/sensors/alarm.service.js';
import { connectMqttIntake } from '../src/sensors/mqtt.intake.js';
import { createApiKey } from '../src/auth/auth.service.js';
import { DEMO_ALARM_RULES } from '../src/demo/demo.devices.js';
import { runSimulation, startSensorSimulator } from '../src/demo/simulate.command.js';
import { httpSink, mqttSink, simulatedReadings } from '../src/demo/sensor.simulator.js';
import { createTestEnv, dialectUnderTest, frozenClock, type TestEnv } from './helpers.js';
import { buildWorld } from './world.js';
import { BROKER, localBrokerUp } from './support/broker.js';

/*
 * `gridloop simulate-sensors` against the real local Mosquitto (skipped when 127.0.0.1:1883 does not
 * answer, a failure under CI=true) and over HTTP. Device ids carry a per-run prefix: other runs
 * publish to the same broker.
 */
const clock = frozenClock('2026-11-26T06:00:00Z');
const run = randomBytes(3).toString('hex');
const KINDS = ['air_station', 'manhole_tilt', 'smoke', 'water_level', 'noise'];
const PER_KIND = 4;

const up = await localBrokerUp();

let env: TestEnv;
const ids: string[] = [];
beforeAll(async () => {
  env = await createTestEnv({ clock });
  await buildWorld(env);
  const sys = env.sys();
  const spots = [[106.8005, 39.6705], [106.8105, 39.6705], [106.8205, 39.6705], [106.8805, 39.4405]];
  for (const [k, kind] of KINDS.entries()) {
    for (let i = 0; i < PER_KIND; i++) {
      const id = `S${run}-${kind.slice(0, 3)}-${i}`;
      const [lon, lat] = spots[i % spots.length];
      await registerDevice(sys, { id, kind, lon: lon + k * 0.0004, lat: lat + i * 0.0003 });
      ids.push(id);
    }
  }
  for (const rule of DEMO_ALARM_RULES.filter((r) => KINDS.includes(r.kind ?? ''))) await createAlarmRule(sys, rule);
}, 60_000);
afterAll(async () => env?.close());

const readingsOf = (from: string, to: string) => env.app.store.db.selectFrom('readings').select(['device_id', 'metric', 'ts', 'value']).where('ts', '>', from).where('ts', '<=', to).execute();

async function waitFor(test: () => Promise<boolean>, seconds: number): Promise<void> {
  const until = Date.now() + seconds * 1000;
  while (Date.now() < until) {
    if (await test()) return;
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('the sensor simulator', () => {
  it('is deterministic for a seed and draws incidents and failures', () => {
    const devices = KINDS.flatMap((kind) => [0, 1, 2].map((i) => ({ id: `D-${kind}-${i}`, kind })));
    const o = { seed: 9, incidentRate: 0.3, failureRate: 0.3, offsetHours: 8 };
    const from = Date.parse('2026-11-25T00:00:00Z');
    const a = simulatedReadings(devices, from, from + 86_400_000, o);
    expect(simulatedReadings(devices, from, from + 86_400_000, o)).toEqual(a);
    expect(simulatedReadings(devices, from, from + 86_400_000, { ...o, seed: 10 })).not.toEqual(a);
    // a device reporting every 10 minutes sends 144 a day unless it failed
    const tilt = devices.filter((d) => d.kind === 'manhole_tilt').map((d) => a.filter((r) => r.deviceId === d.id));
    expect(tilt.some((rs) => rs.length < 144)).toBe(true);
    expect(tilt.flat().some((r) => r.values.tilt > 15)).toBe(true);
    expect(tilt.flat().filter((r) => r.values.tilt <= 2).length).toBeGreaterThan(tilt.flat().length * 0.8);
    for (const r of a) for (const v of Object.values(r.values)) expect(Number.isFinite(v)).toBe(true);
  });

  it.skipIf(!up)(`publishes to the broker: every reading stored once, and a case for each device whose readings crossed its rule (${dialectUnderTest})`, async () => {
    const intake = connectMqttIntake(env.app, { url: BROKER, clientId: `gridloop-simtest-${run}-${dialectUnderTest}`, log: () => undefined });
    await intake.ready;
    const sink = await mqttSink(BROKER, `gridloop-simtest-pub-${run}-${dialectUnderTest}`);
    // Device ids carry this run's prefix (so runs sharing the broker stay apart), and the draws
    // depend on them: every device fails once a day (failureRate 1), so that one of the sixteen
    // ten-minute devices overlapping the three hours is near certain (P(none) ≈ 0.4 %).
    const sent = await runSimulation(env.app, sink, { backfillMinutes: 180, durationSeconds: 0, tickSeconds: 1, seed: 3, incidentRate: 0.3, failureRate: 1 });
    await sink.close();
    const from = new Date(clock().getTime() - 180 * 60_000).toISOString();
    const to = clock().toISOString();
    const count = async () => new Set((await readingsOf(from, to)).map((r) => `${r.device_id} ${r.ts}`)).size;
    await waitFor(async () => (await count()) >= sent, 30);
    await intake.stop();
    expect(sent).toBeGreaterThan(200);
    expect(await count()).toBe(sent);

    const rows = await readingsOf(from, to);
    // failures: some 10-minute device sent fewer than its 18 readings in the three hours
    const perDevice = (id: string) => new Set(rows.filter((r) => r.device_id === id).map((r) => r.ts)).size;
    expect(ids.filter((id) => !id.includes('-air-')).some((id) => perDevice(id) < 18)).toBe(true);
    // alarms: the instant rules (tilt > 15, smoke > 5) fire exactly for the devices whose stored readings crossed them
    const crossed = new Set(rows.filter((r) => (r.metric === 'tilt' && r.value > 15) || (r.metric === 'smoke' && r.value > 5)).map((r) => r.device_id));
    expect(crossed.size).toBeGreaterThan(0);
    const db = env.app.store.db;
    const withCase = await db.selectFrom('alarm_states').innerJoin('cases', 'cases.id', 'alarm_states.case_id').select(['alarm_states.device_id', 'cases.channel']).where('alarm_states.device_id', 'in', ids).execute();
    expect(new Set(withCase.filter((c) => /-(man|smo)-/.test(c.device_id)).map((c) => c.device_id))).toEqual(crossed);
    expect(withCase.every((c) => c.channel === 'sensor')).toBe(true);
  });

  it('posts over HTTP with an API key', async () => {
    await env.http.listen({ port: 0, host: '127.0.0.1' });
    const address = env.http.server.address();
    const port = typeof address === 'object' && address ? address.port : 0;
    const key = (await createApiKey(env.sys(), { name: 'simulator', orgCode: '150300', scopes: ['readings:write'] })).key;
    const past = () => new Date(clock().getTime() - 6 * 3_600_000);
    const sent = await runSimulation(env.app, httpSink(`http://127.0.0.1:${port}`, key), { backfillMinutes: 60, durationSeconds: 0, tickSeconds: 1, seed: 4, incidentRate: 0, failureRate: 0, clock: past });
    // 16 devices every 10 minutes and 4 air stations hourly, over one hour
    expect(sent).toBe(16 * 6 + 4);
    const rows = await readingsOf(new Date(past().getTime() - 3_600_000).toISOString(), past().toISOString());
    expect(new Set(rows.map((r) => `${r.device_id} ${r.ts}`)).size).toBe(sent);
    await expect(runSimulation(env.app, httpSink(`http://127.0.0.1:${port}`, 'not-a-key'), { backfillMinutes: 60, durationSeconds: 0, tickSeconds: 1, seed: 4, incidentRate: 0, failureRate: 0, clock: past })).rejects.toThrow(/401/);
  });

  it('runs beside serve with GRIDLOOP_SIMULATE_SENSORS=1: without a broker, straight into the intake', async () => {
    clock.advance(30 * 60_000); // past what the tests above stored: the last ten minutes are new instants
    const app = { ...env.app, config: { ...env.app.config, sensors: { ...env.app.config.sensors, simulate: true, mqttUrl: undefined } } };
    const from = new Date(clock().getTime() - 10 * 60_000).toISOString();
    const before = (await readingsOf(from, clock().toISOString())).length;
    const stop = await startSensorSimulator(app as typeof env.app);
    expect(stop).toBeTypeOf('function');
    await waitFor(async () => (await readingsOf(from, clock().toISOString())).length > before, 60);
    await (stop as () => Promise<void>)();
    // the last ten minutes were sent
    expect((await readingsOf(from, clock().toISOString())).length).toBeGreaterThan(before);
    expect(await startSensorSimulator(env.app)).toBeUndefined(); // off by default
  }, 90_000);
});
