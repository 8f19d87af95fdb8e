import { parseArgs } from 'node:util';
import { setTimeout as sleep } from 'node:timers/promises';
import type { AppContext } from '../context.js';
import { AppError } from '../errors.js';
import { deviceRepository } from '../sensors/device.repository.js';
import { modelDevice } from './demo.readings.js';
import { offsetHoursOf } from './sensor.model.js';
import { httpSink, mqttSink, simulatedReadings, type SimOptions, type SimReading, type SimSink } from './sensor.simulator.js';
import { ingestBatch } from '../sensors/reading.service.js';

export interface SimulationRun {
  /** Readings of the last `backfillMinutes` minutes first, sent as fast as the sink takes them. */
  backfillMinutes: number;
  /** Then live for this long (0: stop after the backfill; Infinity: until the signal). */
  durationSeconds: number;
  tickSeconds: number;
  seed: number;
  incidentRate: number;
  failureRate: number;
  signal?: AbortSignal;
  /** The simulation's clock (default: the app's). */
  clock?: () => Date;
  log?: (line: string) => void;
}

/**
 * Sends the store's active devices' simulated readings to a sink: the backfill, then every tick
 * the readings that fell due since the last one, stamped by the app clock. Returns how many
 * readings were sent. Throws when the store has no active device or the sink fails.
 */
export async function runSimulation(app: AppContext, sink: SimSink, run: SimulationRun): Promise<number> {
  const { items } = await deviceRepository.list(app.store.db, { orgPath: '/', status: 'active' }, { limit: 100_000, offset: 0 });
  if (items.length === 0) throw new AppError('validation_failed', 'no active devices in the store: register some, or run `gridloop demo` first', { field: 'devices' });
  const devices = items.map(modelDevice);
  const opts: SimOptions = { seed: run.seed, incidentRate: run.incidentRate, failureRate: run.failureRate, offsetHours: offsetHoursOf(app.config.timeZone, app.clock()) };
  const log = run.log ?? (() => undefined);
  const clock = run.clock ?? app.clock;
  let last = clock().getTime() - run.backfillMinutes * 60_000;
  const stopAt = Date.now() + run.durationSeconds * 1000;
  let sent = 0;
  for (;;) {
    const now = clock().getTime();
    const readings = simulatedReadings(devices, last, now, opts);
    await sink.send(readings);
    sent += readings.length;
    if (readings.length) log(`simulate-sensors: ${readings.length} readings up to ${new Date(now).toISOString()} (${sent} in all)`);
    last = now;
    if (run.signal?.aborted || Date.now() >= stopAt) return sent;
    await sleep(Math.min(run.tickSeconds * 1000, Math.max(0, stopAt - Date.now())), undefined, { signal: run.signal }).catch(() => undefined);
    if (run.signal?.aborted) return sent;
  }
}

const number = (v: string | undefined, fallback: number, field: string, min: number, max: number): number => {
  const n = v === undefined ? fallback : Number(v);
  if (!(n >= min && n <= max)) throw new AppError('validation_failed', `--${field} must be a number from ${min} to ${max}`, { field });
  return n;
};

/**
 * `simulate-sensors [--mqtt URL | --http URL --api-key KEY] [--backfill MIN] [--duration SEC]
 * [--tick SEC] [--seed N] [--incident-rate P] [--failure-rate P]`: the demo's sensor simulator.
 * Publishes the store's active devices' readings to the broker (GRIDLOOP_MQTT_URL unless --mqtt or
 * --http) until Ctrl-C or --duration; incidents trip the demo's alarm rules and failures silence
 * devices for a few hours, so alarms and cases appear.
 */
export async function simulateSensorsCommand(app: AppContext, args: string[]): Promise<number> {
  const { values } = parseArgs({
    args, strict: true,
    options: {
      mqtt: { type: 'string' }, http: { type: 'string' }, 'api-key': { type: 'string' }, backfill: { type: 'string' }, duration: { type: 'string' },
      tick: { type: 'string' }, seed: { type: 'string' }, 'incident-rate': { type: 'string' }, 'failure-rate': { type: 'string' },
    },
  });
  const run: SimulationRun = {
    backfillMinutes: number(values.backfill, 0, 'backfill', 0, 7 * 24 * 60),
    durationSeconds: values.duration === undefined ? Infinity : number(values.duration, 0, 'duration', 0, 365 * 86_400),
    tickSeconds: number(values.tick, 10, 'tick', 1, 3600),
    seed: number(values.seed, 1503, 'seed', 0, 2 ** 31),
    incidentRate: number(values['incident-rate'], 0.005, 'incident-rate', 0, 1),
    failureRate: number(values['failure-rate'], 0.02, 'failure-rate', 0, 1),
    log: (line) => console.log(line),
  };
  let sink: SimSink;
  let target: string;
  if (values.http) {
    if (!values['api-key']) throw new AppError('validation_failed', '--http needs --api-key (a key with readings:write)', { field: 'api-key' });
    sink = httpSink(values.http, values['api-key']);
    target = `POST ${new URL('/api/v1/readings', values.http).href}`;
  } else {
    const url = values.mqtt ?? app.config.sensors.mqttUrl;
    if (!url) throw new AppError('validation_failed', 'name a broker (--mqtt URL or GRIDLOOP_MQTT_URL) or --http URL --api-key KEY', { field: 'mqtt' });
    sink = await mqttSink(url, `gridloop-simulator-${process.pid}`);
    target = `mqtt ${new URL(url).host}`;
  }
  const abort = new AbortController();
  const stop = () => abort.abort();
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  try {
    console.log(`simulate-sensors: to ${target}, seed ${run.seed}, backfill ${run.backfillMinutes} min, ${Number.isFinite(run.durationSeconds) ? `${run.durationSeconds} s` : 'until Ctrl-C'}`);
    const sent = await runSimulation(app, sink, { ...run, signal: abort.signal });
    console.log(`simulate-sensors: ${sent} readings sent`);
    return 0;
  } finally {
    process.off('SIGINT', stop);
    process.off('SIGTERM', stop);
    await sink.close();
  }
}

/** A sink into this process's intake (what POST /readings stores), for `serve` without a broker. */
function intakeSink(app: AppContext): SimSink {
  return {
    async send(readings: SimReading[]) {
      for (let i = 0; i < readings.length; i += 200) {
        await ingestBatch(app, readings.slice(i, i + 200).map((r) => ({ source: 'http', parsed: { ok: true, reading: r, deviceId: r.deviceId }, topic: null, payload: JSON.stringify(r), orgPath: '/' })));
      }
    },
    close: async () => undefined,
  };
}

/**
 * Start hook of `serve`: with GRIDLOOP_SIMULATE_SENSORS=1, the simulator runs until shutdown (to the
 * broker when GRIDLOOP_MQTT_URL is set, else into the intake), starting with the last ten minutes.
 */
export async function startSensorSimulator(app: AppContext): Promise<(() => Promise<void>) | void> {
  if (!app.config.sensors.simulate) return;
  const abort = new AbortController();
  const url = app.config.sensors.mqttUrl;
  let sink: SimSink | null = null;
  const running = (async () => {
    sink = url ? await mqttSink(url, `${app.config.sensors.mqttClientId}-simulator`) : intakeSink(app);
    console.log(`sensor simulator: on (${url ? `to ${new URL(url).host}` : 'into the intake'})`);
    await runSimulation(app, sink, { backfillMinutes: 10, durationSeconds: Infinity, tickSeconds: 10, seed: 1503, incidentRate: 0.005, failureRate: 0.02, signal: abort.signal });
  })().catch((err) => console.error(`sensor simulator stopped: ${err instanceof Error ? err.message : String(err)}`));
  return async () => {
    abort.abort();
    await running;
    await (sink as SimSink | null)?.close();
  };
}
