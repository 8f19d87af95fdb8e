import type { AppContext, Ctx } from '../context.js';
import { inTransaction, makeCtx } from '../context.js';
import { systemActor } from '../auth/actor.js';
import { localDate } from '../time/zoned-time.js';
import { isAppError } from '../errors.js';
import { translateDbError } from '../db/errors.js';
import { deviceRepository } from './device.repository.js';
import { evaluateReading } from './alarm.service.js';
import { parseReadingBody, type ParseResult, type Reading } from './reading.parse.js';
import { readingRepository, type RollupDelta } from './reading.repository.js';

export type ReadingSource = 'mqtt' | 'http';

/** What became of one reading: stored (how many metrics were new), or refused with a reason (a dead letter). */
export type IngestOutcome = { status: 'stored'; inserted: number } | { status: 'duplicate' } | { status: 'refused'; reason: string };

/** The limits a reading's instant must respect, from the config and the clock. */
export function readingLimits(app: AppContext, now: Date): { maxFutureMs: number; oldest: Date | null } {
  return { maxFutureMs: app.config.sensors.maxFutureSeconds * 1000, oldest: new Date(now.getTime() - app.config.sensors.retentionDays * 86_400_000) };
}

/** The hour (UTC ISO) and city-day buckets of an instant. */
export function bucketsOf(ts: string, timeZone: string): { hour: string; day: string } {
  return { hour: `${ts.slice(0, 13)}:00:00.000Z`, day: localDate(new Date(ts), timeZone) };
}

/**
 * Stores one valid reading, in one transaction: the device must exist (and lie in `orgPath`, the
 * sender's area), be active and its kind must know every metric; new metrics are inserted (a
 * replay inserts nothing), their hour and day rollups bumped, the device's last-seen moved, and
 * its alarm rules evaluated (which may open or update a case). Never throws for bad data.
 */
export async function storeReading(ctx: Ctx, reading: Reading, orgPath = '/'): Promise<IngestOutcome> {
  const device = await deviceRepository.findWithKind(ctx.db, reading.deviceId);
  if (!device || !device.org_path.startsWith(orgPath)) return { status: 'refused', reason: 'device: unknown' };
  if (device.status === 'retired') return { status: 'refused', reason: 'device: retired' };
  const metrics = JSON.parse(device.kind_metrics) as string[];
  const unknown = Object.keys(reading.values).find((m) => !metrics.includes(m));
  if (unknown) return { status: 'refused', reason: `values.${unknown}: not a metric of kind ${device.kind}` };
  const receivedAt = ctx.now.toISOString();
  return inTransaction(ctx, async (trx) => {
    const rows = Object.entries(reading.values).map(([metric, value]) => ({ device_id: device.id, metric, ts: reading.ts, value, received_at: receivedAt }));
    const inserted = await readingRepository.insertReadings(trx.db, rows);
    if (inserted.length === 0) return { status: 'duplicate' } as const;
    const b = bucketsOf(reading.ts, ctx.app.config.timeZone);
    const deltas: RollupDelta[] = inserted.flatMap((r) => [
      { device_id: device.id, metric: r.metric, period: 'hour' as const, bucket: b.hour, value: r.value },
      { device_id: device.id, metric: r.metric, period: 'day' as const, bucket: b.day, value: r.value },
    ]);
    await readingRepository.bumpRollups(trx.db, deltas);
    await deviceRepository.touch(trx.db, device.id, reading.ts);
    // Alarms act on what is new only: a replayed message fires nothing twice.
    const fresh = Object.fromEntries(inserted.map((r) => [r.metric, Number(r.value)]));
    if (device.status === 'active') await evaluateReading(trx, device, reading.ts, fresh);
    return { status: 'stored', inserted: inserted.length } as const;
  });
}

/** Stores a refused payload with its reason (text cut to 4 KiB). */
export async function deadLetter(app: AppContext, entry: { source: ReadingSource; topic: string | null; deviceId: string | null; reason: string; payload: string }, now: Date): Promise<void> {
  await readingRepository.deadLetter(app.store.db, {
    received_at: now.toISOString(), source: entry.source, topic: entry.topic?.slice(0, 200) ?? null, device_id: entry.deviceId?.slice(0, 64) ?? null,
    reason: entry.reason.slice(0, 200), payload: entry.payload.slice(0, 4096),
  });
}

/**
 * Takes one parsed message from any channel: a parse failure or a refusal becomes a dead letter;
 * a valid reading is stored. Returns the outcome.
 */
export async function ingestParsed(app: AppContext, source: ReadingSource, parsed: ParseResult & { deviceId: string | null }, raw: { topic: string | null; payload: string }, orgPath = '/', now: Date = app.clock()): Promise<IngestOutcome> {
  let outcome: IngestOutcome = { status: 'refused', reason: parsed.ok ? '' : parsed.reason };
  if (parsed.ok) {
    try {
      outcome = await storeReading({ ...makeCtx(app, systemActor()), now }, parsed.reading, orgPath);
    } catch (err) {
      // A domain refusal while opening the alarm's case (its category gone, the device's place no
      // longer in any grid) must not block the channel: keep the payload as a dead letter. A store
      // that is down is thrown on, so that the message is not acknowledged.
      const e = translateDbError(err);
      if (!isAppError(e) || e.code === 'database_unavailable' || e.code === 'internal_error') throw err;
      outcome = { status: 'refused', reason: `alarm: ${e.code}: ${e.message}` };
    }
  }
  if (outcome.status === 'refused') await deadLetter(app, { source, topic: raw.topic, deviceId: parsed.deviceId, reason: outcome.reason, payload: raw.payload }, now);
  return outcome;
}

/**
 * POST /readings: a batch of `{deviceId, ts, values}` from an API key; each item on its own (a bad
 * one is refused into the dead letters, the rest are stored). Devices outside the key's area are
 * unknown to it. Returns one outcome per item, in order.
 */
export async function ingestHttpBatch(ctx: Ctx, items: { deviceId: string; ts: unknown; values: unknown }[]): Promise<IngestOutcome[]> {
  const out: IngestOutcome[] = [];
  for (const item of items) {
    const { deviceId, ...body } = item;
    const parsed = { ...parseReadingBody(deviceId, body, ctx.now, readingLimits(ctx.app, ctx.now)), deviceId };
    out.push(await ingestParsed(ctx.app, 'http', parsed, { topic: null, payload: JSON.stringify(item) }, ctx.actor.orgPath, ctx.now));
  }
  return out;
}
