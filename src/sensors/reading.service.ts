import { createHash } from 'node:crypto';
import type { AppContext, Ctx } from '../context.js';
import { inTransaction, makeCtx } from '../context.js';
import { systemActor } from '../auth/actor.js';
import { localDate } from '../time/zoned-time.js';
import { isAppError } from '../errors.js';
import { translateDbError } from '../db/errors.js';
import { deviceRepository } from './device.repository.js';
import { evaluateReadings, prefetchAlarms } from './alarm.service.js';
import { evaluateWaterSamples } from '../water/reach.quality.js';
import { parseReadingBody, type ParseResult, type Reading } from './reading.parse.js';
import { readingRepository, type RollupDelta } from './reading.repository.js';

export type ReadingSource = 'mqtt' | 'http';

/** What became of one message: stored (how many metrics were new), a duplicate, or refused with a reason (a dead letter). */
export type IngestOutcome = { status: 'stored'; inserted: number } | { status: 'duplicate' } | { status: 'refused'; reason: string };

/** One incoming message: parsed (or not), where it came from, the sender's area, its raw text for a dead letter. */
export interface Incoming {
  source: ReadingSource;
  parsed: ParseResult & { deviceId: string | null };
  topic: string | null;
  payload: string;
  /** The sender's area: an API key's; '/' for the broker (devices are trusted by their topic). */
  orgPath: string;
}

/** The limits a reading's instant must respect, from the config and the clock. */
export function readingLimits(app: AppContext, now: Date): { maxFutureMs: number; oldest: Date | null } {
  return { maxFutureMs: app.config.sensors.maxFutureSeconds * 1000, oldest: new Date(now.getTime() - app.config.sensors.retentionDays * 86_400_000) };
}

/** The hour (UTC ISO) and city-day buckets of an instant. */
export function bucketsOf(ts: string, timeZone: string): { hour: string; day: string } {
  return { hour: `${ts.slice(0, 13)}:00:00.000Z`, day: localDate(new Date(ts), timeZone) };
}

type DeviceWithKind = NonNullable<Awaited<ReturnType<typeof deviceRepository.findWithKind>>>;

/** Why a valid reading cannot be stored for this device (unknown, retired, a metric its kind lacks), or null. */
function refusal(device: DeviceWithKind | undefined, reading: Reading, orgPath: string): string | null {
  if (!device || !device.org_path.startsWith(orgPath)) return 'device: unknown';
  if (device.status === 'retired') return 'device: retired';
  const metrics = JSON.parse(device.kind_metrics) as string[];
  const unknown = Object.keys(reading.values).find((m) => !metrics.includes(m));
  return unknown ? `values.${unknown}: not a metric of kind ${device.kind}` : null;
}

/**
 * Text of a dead letter as both stores take it: a NUL (which a raw MQTT payload or topic may
 * carry, and PostgreSQL text refuses) becomes U+FFFD, so that the refusal is kept instead of
 * failing the batch and having the broker redeliver it for ever.
 */
function storable(text: string): string {
  return text.replaceAll('\u0000', '\uFFFD');
}

/** Sums the new rows per (device, metric, hour) and (device, metric, city day). */
function rollupDeltas(rows: { device_id: string; metric: string; ts: string; value: number }[], timeZone: string): RollupDelta[] {
  const byKey = new Map<string, RollupDelta>();
  for (const r of rows) {
    const b = bucketsOf(r.ts, timeZone);
    for (const [period, bucket] of [['hour', b.hour], ['day', b.day]] as const) {
      const key = `${r.device_id}\u0000${r.metric}\u0000${period}\u0000${bucket}`;
      const d = byKey.get(key);
      const v = Number(r.value);
      if (d) Object.assign(d, { n: d.n + 1, sum: d.sum + v, min: Math.min(d.min, v), max: Math.max(d.max, v) });
      else byKey.set(key, { device_id: r.device_id, metric: r.metric, period, bucket, n: 1, sum: v, min: v, max: v });
    }
  }
  return [...byKey.values()];
}

/** Groups inserted rows into readings per device: {ts, values} in time order. */
function freshReadings(inserted: { device_id: string; metric: string; ts: string; value: number }[]): Map<string, { ts: string; values: Record<string, number> }[]> {
  const byKey = new Map<string, { deviceId: string; ts: string; values: Record<string, number> }>();
  for (const r of inserted) {
    const key = `${r.device_id}\u0000${r.ts}`;
    const entry = byKey.get(key) ?? { deviceId: r.device_id, ts: r.ts, values: {} };
    entry.values[r.metric] = Number(r.value);
    byKey.set(key, entry);
  }
  const perDevice = new Map<string, { ts: string; values: Record<string, number> }[]>();
  for (const e of byKey.values()) {
    const list = perDevice.get(e.deviceId) ?? [];
    list.push({ ts: e.ts, values: e.values });
    perDevice.set(e.deviceId, list);
  }
  for (const list of perDevice.values()) list.sort((a, b) => (a.ts < b.ts ? -1 : a.ts > b.ts ? 1 : 0));
  return perDevice;
}

/**
 * Takes a batch of messages from any channel in ONE transaction (one commit for many messages):
 * unparseable or refused ones become dead letters with their reason; valid ones are inserted
 * (a metric already stored for (device, ts) is skipped, so a replay changes nothing), their hour
 * and day rollups bumped, devices' last-seen moved forward, and each device's alarm rules
 * evaluated on what is new, in time order (which may open or update cases), and water-quality
 * samples checked against their reach's target class. Returns one outcome
 * per message, in order. Throws when the store fails (nothing of the batch is then written).
 */
export async function storeBatch(ctx: Ctx, batch: Incoming[], refusedAnyway: Map<number, string> = new Map()): Promise<IngestOutcome[]> {
  const ids = [...new Set(batch.flatMap((m) => (m.parsed.ok ? [m.parsed.reading.deviceId] : [])))];
  const devices = new Map((await deviceRepository.findManyWithKind(ctx.db, ids)).map((d) => [d.id, d]));
  const outcomes: IngestOutcome[] = batch.map((m, i) => {
    if (!m.parsed.ok) return { status: 'refused', reason: m.parsed.reason };
    const why = refusedAnyway.get(i) ?? refusal(devices.get(m.parsed.reading.deviceId), m.parsed.reading, m.orgPath);
    return why ? { status: 'refused', reason: why } : { status: 'stored', inserted: 0 };
  });
  const receivedAt = ctx.now.toISOString();
  await inTransaction(ctx, async (trx) => {
    const rows = batch.flatMap((m, i) => (outcomes[i].status === 'stored' && m.parsed.ok
      ? Object.entries(m.parsed.reading.values).map(([metric, value]) => ({ device_id: m.parsed.deviceId as string, metric, ts: (m.parsed as { reading: Reading }).reading.ts, value, received_at: receivedAt }))
      : []));
    const inserted = rows.length ? await readingRepository.insertReadings(trx.db, rows) : [];
    const taken = new Set(inserted.map((r) => `${r.device_id}\u0000${r.metric}\u0000${r.ts}`));
    batch.forEach((m, i) => {
      if (outcomes[i].status !== 'stored' || !m.parsed.ok) return;
      const { deviceId, ts, values } = m.parsed.reading;
      // The first message of a (device, metric, ts) in the batch takes it; a repeat is a duplicate.
      const mine = Object.keys(values).filter((k) => taken.delete(`${deviceId}\u0000${k}\u0000${ts}`)).length;
      outcomes[i] = mine > 0 ? { status: 'stored', inserted: mine } : { status: 'duplicate' };
    });
    await readingRepository.bumpRollups(trx.db, rollupDeltas(inserted, ctx.app.config.timeZone));
    const fresh = freshReadings(inserted);
    // One read of the batch's rules and states and one last-seen update per instant, not per device.
    await deviceRepository.touchMany(trx.db, [...fresh].map(([id, readings]) => ({ id, ts: readings[readings.length - 1].ts })));
    const active = [...fresh.keys()].map((id) => devices.get(id) as DeviceWithKind).filter((d) => d.status === 'active');
    const alarms = await prefetchAlarms(trx, active);
    for (const [deviceId, readings] of fresh) {
      const device = devices.get(deviceId) as DeviceWithKind;
      if (device.status !== 'active') continue;
      await evaluateReadings(trx, device, readings, alarms);
      if (device.kind === 'water_quality_station') await evaluateWaterSamples(trx, device, readings);
    }
    const dead = batch.flatMap((m, i) => {
      const o = outcomes[i];
      return o.status === 'refused' ? [{ received_at: receivedAt, source: m.source, topic: m.topic ? storable(m.topic.slice(0, 200)) : null, device_id: m.parsed.deviceId?.slice(0, 64) ?? null, reason: storable(o.reason.slice(0, 200)), payload: storable(m.payload.slice(0, 4096)), fingerprint: createHash('sha256').update(`${m.source}\n${m.topic ?? ''}\n${m.payload}`).digest('hex') }] : [];
    });
    await readingRepository.deadLetters(trx.db, dead);
  });
  return outcomes;
}

/** Whether an error is the store failing (retry later) rather than a domain refusal. */
function isStoreFailure(err: unknown): boolean {
  const e = translateDbError(err);
  return !isAppError(e) || e.code === 'database_unavailable' || e.code === 'internal_error';
}

/**
 * Ingests a batch: one transaction; when a domain refusal aborts it (an alarm whose case cannot be
 * opened: its category gone, the device's place in no grid any more), each message again on its
 * own, and the one that fails is kept as a dead letter with the reason, so that it never blocks
 * the channel. A store failure is thrown (the caller must not acknowledge the messages).
 */
export async function ingestBatch(app: AppContext, batch: Incoming[], now: Date = app.clock()): Promise<IngestOutcome[]> {
  const ctx = { ...makeCtx(app, systemActor()), now };
  try {
    return await storeBatch(ctx, batch);
  } catch (err) {
    if (isStoreFailure(err) || batch.length === 0) throw err;
  }
  const out: IngestOutcome[] = [];
  for (const m of batch) {
    try {
      out.push(...(await storeBatch(ctx, [m])));
    } catch (err) {
      if (isStoreFailure(err)) throw err;
      const e = translateDbError(err);
      out.push(...(await storeBatch(ctx, [m], new Map([[0, `alarm: ${isAppError(e) ? `${e.code}: ${e.message}` : 'failed'}`]]))));
    }
  }
  return out;
}

/**
 * POST /readings: a batch of `{deviceId, ts, values}` from an API key; each item on its own terms
 * (a bad one is refused into the dead letters, the rest are stored), in one transaction. Devices
 * outside the key's area are unknown to it. Returns one outcome per item, in order.
 */
export async function ingestHttpBatch(ctx: Ctx, items: { deviceId: string; ts: unknown; values: unknown }[]): Promise<IngestOutcome[]> {
  const limits = readingLimits(ctx.app, ctx.now);
  const batch: Incoming[] = items.map((item) => {
    const { deviceId, ...body } = item;
    return { source: 'http', parsed: { ...parseReadingBody(deviceId, body, ctx.now, limits), deviceId }, topic: null, payload: JSON.stringify(item), orgPath: ctx.actor.orgPath };
  });
  return ingestBatch(ctx.app, batch, ctx.now);
}
