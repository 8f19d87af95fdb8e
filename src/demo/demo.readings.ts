import type { AppContext, Ctx } from '../context.js';
import { inTransaction, makeCtx } from '../context.js';
import { systemActor } from '../auth/actor.js';
import { deviceRepository } from '../sensors/device.repository.js';
import { readingRepository, type RollupDelta } from '../sensors/reading.repository.js';
import { bucketsOf, ingestBatch, type Incoming } from '../sensors/reading.service.js';
import { ensureDemoDevices } from './demo.devices.js';
import { historyExtensions } from './demo.history.js';
import { demoRepository } from './demo.repository.js';
import { modelValues, offsetHoursOf, type ModelDevice } from './sensor.model.js';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** How often a kind reports, in minutes (air: the hourly mean; water stations: every four hours). */
export function intervalMinutes(kind: string): number {
  return kind === 'air_station' ? 60 : kind === 'water_quality_station' ? 240 : 10;
}
/** Air and water keep the whole period (the year's 优良天数, water class trends); the others a month. */
const fullPeriod = (kind: string) => kind === 'air_station' || kind === 'water_quality_station';
const OTHER_DAYS = 30;
/** Hour rollups are written for the last two days (the screen's trend; O3: the whole period); days for the whole period. */
const HOURLY_DAYS = 2;

/** A stored device as the model sees it (water stations: their water body and load from the attributes). */
export function modelDevice(d: { id: string; kind: string; attributes: string }): ModelDevice {
  const a = JSON.parse(d.attributes || '{}') as { waterBodyKind?: 'river' | 'lake'; load?: number };
  return { id: d.id, kind: d.kind, waterBody: a.waterBodyKind, load: a.load };
}

/** The hour before the one `end` falls in: history covers up to it, the live readings from it. */
export const liveFrom = (end: Date) => Math.floor(end.getTime() / HOUR) * HOUR - HOUR;

/**
 * Writes the demo devices' reading history as rollups (no raw readings, no alarms: it is the past):
 * day rollups over `days` days before the hour preceding `end` (air and water stations; a month
 * for the other kinds) and hour rollups for the last two days, each aggregated from the model's
 * readings at the kind's interval. Moves each device's last-seen to its last reading.
 * Idempotent: a device that already has rollups is skipped. Returns how many rollup rows it wrote.
 */
export async function buildDemoReadingHistory(ctx: Ctx, devices: ModelDevice[], opts: { days: number; end: Date }): Promise<number> {
  const tz = ctx.app.config.timeZone;
  const offset = offsetHoursOf(tz, opts.end);
  const until = liveFrom(opts.end);
  const hourlyFrom = until - HOURLY_DAYS * DAY;
  const hourBuckets = new Map<number, { hour: string; day: string }>();
  const bucketAt = (t: number) => {
    const h = Math.floor(t / HOUR) * HOUR;
    let b = hourBuckets.get(h);
    if (!b) hourBuckets.set(h, (b = bucketsOf(new Date(h).toISOString(), tz)));
    return b;
  };
  const deltas: RollupDelta[] = [];
  const seen: { id: string; ts: string }[] = [];
  for (const d of devices) {
    if (await readingRepository.hasRollups(ctx.db, d.id)) continue;
    const step = intervalMinutes(d.kind) * MINUTE;
    const from = until - (fullPeriod(d.kind) ? opts.days : Math.min(opts.days, OTHER_DAYS)) * DAY;
    const byKey = new Map<string, RollupDelta>();
    const add = (metric: string, period: 'hour' | 'day', bucket: string, v: number) => {
      const key = `${metric}\u0000${period}\u0000${bucket}`;
      const r = byKey.get(key);
      if (r) Object.assign(r, { n: r.n + 1, sum: r.sum + v, min: Math.min(r.min, v), max: Math.max(r.max, v) });
      else byKey.set(key, { device_id: d.id, metric, period, bucket, n: 1, sum: v, min: v, max: v });
    };
    let last = 0;
    for (let t = Math.ceil(from / step) * step; t < until; t += step) {
      const b = bucketAt(t);
      for (const [metric, v] of Object.entries(modelValues(d, t, offset))) {
        add(metric, 'day', b.day, v);
        // Hour rollups of O3 over the whole period: a day's AQI needs its highest 8-hour O3 average.
        if (t >= hourlyFrom || (metric === 'o3' && d.kind === 'air_station')) add(metric, 'hour', b.hour, v);
      }
      last = t;
    }
    deltas.push(...byKey.values());
    if (last) seen.push({ id: d.id, ts: new Date(last).toISOString() });
  }
  // One transaction: one commit (fsync) for the whole history.
  await inTransaction(ctx, async (trx) => {
    await readingRepository.bumpRollups(trx.db, deltas);
    for (const s of seen) await deviceRepository.touch(trx.db, s.id, s.ts);
  });
  return deltas.length;
}

/** What goes wrong in the demo's last hour: readings that trip the demo rules, and devices gone silent. */
const INCIDENTS: { deviceId: string; minutesBeforeEnd: number; values: Record<string, number> }[] = [
  { deviceId: 'YG-HBW-02', minutesBeforeEnd: 20, values: { smoke: 12.5, battery: 91 } },
  { deviceId: 'JG-HBW-05', minutesBeforeEnd: 35, values: { tilt: 32.4, battery: 77 } },
  { deviceId: 'JS-HN-01', minutesBeforeEnd: 40, values: { level: 26, battery: 88 } },
];
export const SILENT_DEVICES = ['LD-HN-03', 'JG-WD-04'];

/**
 * The demo's live hour: the devices' readings from the hour before `end` up to `end` go through
 * the real intake (raw readings, rollups, alarm rules), with a few incidents that open sensor
 * cases (a smoke alarm, a tilted manhole cover, standing water) and two devices that stopped
 * reporting. Idempotent: a replayed reading changes nothing.
 */
export async function ingestDemoLiveHour(app: AppContext, end: Date): Promise<number> {
  const ctx = makeCtx(app, systemActor());
  const { items } = await deviceRepository.list(ctx.db, { orgPath: '/' }, { limit: 10_000, offset: 0 });
  const offset = offsetHoursOf(app.config.timeZone, end);
  const from = liveFrom(end);
  const messages: { ts: number; deviceId: string; values: Record<string, number> }[] = [];
  for (const row of items) {
    if (row.status !== 'active' || SILENT_DEVICES.includes(row.id)) continue;
    const d = modelDevice(row);
    const step = intervalMinutes(d.kind) * MINUTE;
    // From its incident on, a device reads the incident's values (the cover stays tilted).
    const incident = INCIDENTS.find((i) => i.deviceId === d.id);
    const incidentAt = incident ? end.getTime() - incident.minutesBeforeEnd * MINUTE : Infinity;
    if (incident) messages.push({ ts: incidentAt, deviceId: d.id, values: incident.values });
    for (let t = Math.ceil(from / step) * step; t <= end.getTime(); t += step) {
      if (t < incidentAt) messages.push({ ts: t, deviceId: d.id, values: modelValues(d, t, offset) });
      else if (t > incidentAt) messages.push({ ts: t, deviceId: d.id, values: incident?.values ?? {} });
    }
  }
  messages.sort((a, b) => a.ts - b.ts || (a.deviceId < b.deviceId ? -1 : 1));
  const batch: Incoming[] = messages.map((m) => {
    const reading = { deviceId: m.deviceId, ts: new Date(m.ts).toISOString(), values: m.values };
    return { source: 'http', parsed: { ok: true, reading, deviceId: m.deviceId }, topic: null, payload: JSON.stringify(reading), orgPath: '/' };
  });
  for (let i = 0; i < batch.length; i += 200) await ingestBatch(app, batch.slice(i, i + 200), end);
  return batch.length;
}

/**
 * The demo's sensors in one call: devices and alarm rules, `days` of reading history as rollups.
 * Returns counts for the command's report.
 */
export async function buildDemoSensors(ctx: Ctx, opts: { days: number; end: Date }): Promise<{ devices: number; created: number; rules: number; rollups: number }> {
  const { devices, created, rules } = await ensureDemoDevices(ctx);
  const stored = await deviceRepository.findManyWithKind(ctx.db, devices.map((d) => d.id));
  const rollups = await buildDemoReadingHistory(ctx, stored.map(modelDevice), opts);
  return { devices: stored.length, created, rules, rollups };
}

// After the case history: the sensors (when a build without them ran first) and their live hour,
// whose alarm cases come after the history's cases.
historyExtensions.push({
  name: 'sensors',
  async run(app, opts) {
    await buildDemoSensors(makeCtx(app, systemActor()), { days: opts.days, end: opts.end });
    // The live hour's alarm cases count in the history's totals (its KPIs report them).
    const before = await demoRepository.countCases(app.store.db);
    await ingestDemoLiveHour(app, opts.end);
    return { cases: (await demoRepository.countCases(app.store.db)) - before };
  },
});
