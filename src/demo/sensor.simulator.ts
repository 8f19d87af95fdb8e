import mqtt from 'mqtt';
import { modelValues, unit, type ModelDevice } from './sensor.model.js';
import { intervalMinutes } from './demo.readings.js';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** One reading as a device sends it. */
export interface SimReading {
  deviceId: string;
  ts: string;
  values: Record<string, number>;
}

export interface SimOptions {
  seed: number;
  /** Chance per device and hour of an incident (20 minutes of readings that trip the kind's demo rule). */
  incidentRate: number;
  /** Chance per device and day that it fails (goes silent for 2–6 hours). */
  failureRate: number;
  offsetHours: number;
}

/** What each kind reads during an incident (above the demo's rules in src/demo/demo.devices.ts). */
const INCIDENT_VALUES: Record<string, (u: number) => Record<string, number>> = {
  air_station: (u) => ({ pm25: Math.round(170 + 110 * u), pm10: Math.round(260 + 150 * u) }),
  water_quality_station: (u) => ({ nh3n: Math.round((2.3 + u) * 100) / 100 }),
  manhole_tilt: (u) => ({ tilt: Math.round((22 + 40 * u) * 10) / 10 }),
  water_level: (u) => ({ level: Math.round(21 + 25 * u) }),
  smoke: (u) => ({ smoke: Math.round((6 + 10 * u) * 10) / 10 }),
  noise: (u) => ({ leq: Math.round((72 + 10 * u) * 10) / 10 }),
  street_light: (u) => ({ on: 1, power: Math.round(280 + 80 * u) }),
  camera_event: (u) => ({ events: Math.round(16 + 10 * u) }),
};

/** Whether a device is failed (silent) at `t`: a failure starts at a drawn hour of a day and lasts 2–6 hours. */
function failed(d: ModelDevice, t: number, o: SimOptions): boolean {
  for (const day of [Math.floor(t / DAY), Math.floor(t / DAY) - 1]) {
    if (unit(o.seed, 'failure', d.id, day) >= o.failureRate) continue;
    const start = day * DAY + Math.floor(24 * unit(o.seed, 'failure-at', d.id, day)) * HOUR;
    const end = start + (2 + Math.floor(5 * unit(o.seed, 'failure-for', d.id, day))) * HOUR;
    if (t >= start && t < end) return true;
  }
  return false;
}

/** The incident values of a device at `t`, or null: an incident starts at a drawn minute of an hour and lasts 20 minutes. */
function incident(d: ModelDevice, t: number, o: SimOptions): Record<string, number> | null {
  for (const hour of [Math.floor(t / HOUR), Math.floor(t / HOUR) - 1]) {
    if (unit(o.seed, 'incident', d.id, hour) >= o.incidentRate) continue;
    const start = hour * HOUR + Math.floor(60 * unit(o.seed, 'incident-at', d.id, hour)) * MINUTE;
    if (t >= start && t < start + 20 * MINUTE) return INCIDENT_VALUES[d.kind]?.(unit(o.seed, 'incident-size', d.id, hour)) ?? null;
  }
  return null;
}

/**
 * The readings the devices send in (from, to]: each device at its kind's interval (air hourly,
 * water every four hours, the others every ten minutes), from the demo's model, with incidents
 * (values over the kind's demo rule for 20 minutes) and failures (no readings for a few hours)
 * drawn from the seed. Deterministic: the same devices, period and options give the same readings.
 * In time order.
 */
export function simulatedReadings(devices: ModelDevice[], from: number, to: number, o: SimOptions): SimReading[] {
  const out: SimReading[] = [];
  for (const d of devices) {
    const step = (d.kind in INCIDENT_VALUES ? intervalMinutes(d.kind) : 10) * MINUTE;
    for (let t = Math.floor(from / step) * step + step; t <= to; t += step) {
      if (failed(d, t, o)) continue;
      const values = { ...modelValues(d, t, o.offsetHours), ...(incident(d, t, o) ?? {}) };
      if (Object.keys(values).length) out.push({ deviceId: d.id, ts: new Date(t).toISOString(), values });
    }
  }
  return out.sort((a, b) => (a.ts < b.ts ? -1 : a.ts > b.ts ? 1 : a.deviceId < b.deviceId ? -1 : 1));
}

/** Where readings go: an MQTT broker (QoS 1) or Gridloop's HTTP API with an API key. */
export interface SimSink {
  send(readings: SimReading[]): Promise<void>;
  close(): Promise<void>;
}

/** Publishes to `gridloop/devices/{id}/readings` with QoS 1, at most 100 messages in flight. */
export async function mqttSink(url: string, clientId: string): Promise<SimSink> {
  const client = await mqtt.connectAsync(url, { clientId, clean: true, reconnectPeriod: 1000 });
  return {
    async send(readings) {
      for (let i = 0; i < readings.length; i += 100) {
        await Promise.all(readings.slice(i, i + 100).map((r) => client.publishAsync(`gridloop/devices/${r.deviceId}/readings`, JSON.stringify({ ts: r.ts, values: r.values }), { qos: 1 })));
      }
    },
    close: () => client.endAsync(),
  };
}

/** Posts batches of up to 500 to `{base}/api/v1/readings` with the API key; throws on a non-2xx answer. */
export function httpSink(base: string, apiKey: string): SimSink {
  return {
    async send(readings) {
      for (let i = 0; i < readings.length; i += 500) {
        const res = await fetch(new URL('/api/v1/readings', base), {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${apiKey}` },
          body: JSON.stringify(readings.slice(i, i + 500)),
        });
        if (!res.ok) throw new Error(`POST /api/v1/readings answered ${res.status}: ${(await res.text()).slice(0, 200)}`);
      }
    },
    close: async () => undefined,
  };
}
