import { sql } from 'kysely';
import type { Db } from '../db/database.js';
import { subtreeRange } from '../db/dialect.js';
import type { ReadingDeadLetterTable, ReadingRollupTable } from '../db/tables.js';
import type { Insertable } from 'kysely';

export interface RollupDelta {
  device_id: string;
  metric: string;
  period: 'hour' | 'day';
  bucket: string;
  n: number;
  sum: number;
  min: number;
  max: number;
}

export interface SeriesFilter {
  metric: string;
  period: 'hour' | 'day';
  from: string;
  to: string;
  deviceId?: string;
  kind?: string;
  orgPath: string;
}

async function bumpRollupChunk(db: Db, deltas: RollupDelta[]): Promise<void> {
  if (deltas.length === 0) return;
  await db
    .insertInto('reading_rollups')
    .values(deltas.map((d) => ({ device_id: d.device_id, metric: d.metric, period: d.period, bucket: d.bucket, n: d.n, sum: d.sum, min: d.min, max: d.max })))
    .onConflict((oc) => oc.columns(['device_id', 'metric', 'period', 'bucket']).doUpdateSet({
      n: sql`reading_rollups.n + excluded.n`,
      sum: sql`reading_rollups.sum + excluded.sum`,
      min: sql`case when excluded.min < reading_rollups.min then excluded.min else reading_rollups.min end`,
      max: sql`case when excluded.max > reading_rollups.max then excluded.max else reading_rollups.max end`,
    }))
    .execute();
}

/** Raw readings, rollups and dead letters. All their SQL lives here. */
export const readingRepository = {
  /**
   * Inserts the metrics of one reading; (device, metric, ts) already stored are skipped. Returns
   * the rows actually inserted, so that rollups and alarms see each reading exactly once.
   */
  async insertReadings(db: Db, rows: { device_id: string; metric: string; ts: string; value: number; received_at: string }[]) {
    const out: { device_id: string; metric: string; ts: string; value: number }[] = [];
    for (let i = 0; i < rows.length; i += 300) {
      out.push(...(await db
        .insertInto('readings')
        .values(rows.slice(i, i + 300))
        .onConflict((oc) => oc.columns(['device_id', 'metric', 'ts']).doNothing())
        .returning(['device_id', 'metric', 'ts', 'value'])
        .execute()));
    }
    return out;
  },

  /** Adds aggregates to their hour and day rollups (the keys of `deltas` must be distinct). */
  async bumpRollups(db: Db, deltas: RollupDelta[]): Promise<void> {
    for (let i = 0; i < deltas.length; i += 200) await bumpRollupChunk(db, deltas.slice(i, i + 200));
  },

  /** The last stored value of a metric before `ts` (for rate-of-change rules). */
  previous(db: Db, deviceId: string, metric: string, ts: string) {
    return db.selectFrom('readings').select(['ts', 'value']).where('device_id', '=', deviceId).where('metric', '=', metric).where('ts', '<', ts).orderBy('ts', 'desc').limit(1).executeTakeFirst();
  },

  /** Stores refused payloads; one already stored (same fingerprint: a redelivery) is skipped. */
  async deadLetters(db: Db, rows: Insertable<ReadingDeadLetterTable>[]): Promise<void> {
    for (let i = 0; i < rows.length; i += 100) {
      await db.insertInto('reading_dead_letters').values(rows.slice(i, i + 100)).onConflict((oc) => oc.column('fingerprint').doNothing()).execute();
    }
  },

  /**
   * Dead letters an actor may see: those naming a device of its area; those naming no known
   * device only when `all` (a whole-city actor).
   */
  async listDeadLetters(db: Db, scope: { orgPath: string; all: boolean }, page: { limit: number; offset: number }) {
    const r = subtreeRange(scope.orgPath);
    const q = db.selectFrom('reading_dead_letters').where((eb) => {
      const inArea = eb('device_id', 'in', eb.selectFrom('devices').select('devices.id').where('devices.org_path', '>=', r.from).where('devices.org_path', '<', r.to));
      return scope.all ? eb.or([inArea, eb('device_id', 'is', null), eb('device_id', 'not in', eb.selectFrom('devices').select('devices.id'))]) : inArea;
    });
    const [items, total] = await Promise.all([
      q.selectAll().orderBy('id', 'desc').limit(page.limit).offset(page.offset).execute(),
      q.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
    ]);
    return { items, total: Number(total.n) };
  },

  /** A metric per bucket from the rollups, over one device or every device (of a kind) in an area. */
  series(db: Db, f: SeriesFilter) {
    const r = subtreeRange(f.orgPath);
    let q = db
      .selectFrom('reading_rollups')
      .innerJoin('devices', 'devices.id', 'reading_rollups.device_id')
      .where('reading_rollups.metric', '=', f.metric)
      .where('reading_rollups.period', '=', f.period)
      .where('reading_rollups.bucket', '>=', f.from)
      .where('reading_rollups.bucket', '<', f.to)
      .where('devices.org_path', '>=', r.from)
      .where('devices.org_path', '<', r.to);
    if (f.deviceId) q = q.where('devices.id', '=', f.deviceId);
    if (f.kind) q = q.where('devices.kind', '=', f.kind);
    return q
      .select((eb) => [
        'reading_rollups.bucket as bucket',
        eb.fn.sum<number>('reading_rollups.n').as('n'),
        eb.fn.sum<number>('reading_rollups.sum').as('sum'),
        eb.fn.min<number>('reading_rollups.min').as('min'),
        eb.fn.max<number>('reading_rollups.max').as('max'),
        eb.fn.count<number>('reading_rollups.device_id').as('devices'),
      ])
      .groupBy('reading_rollups.bucket')
      .orderBy('reading_rollups.bucket')
      .limit(2000)
      .execute();
  },

  /** Per device, the rollups of one period bucket (the screen's "now" and "today" per station). */
  rollupsAt(db: Db, deviceIds: string[], period: 'hour' | 'day', bucket: string): Promise<ReadingRollupTable[]> {
    if (deviceIds.length === 0) return Promise.resolve([]);
    return db.selectFrom('reading_rollups').selectAll().where('device_id', 'in', deviceIds).where('period', '=', period).where('bucket', '=', bucket).execute();
  },

  /** Deletes up to `limit` raw readings stamped before `before`; returns how many. */
  async purgeBefore(db: Db, before: string, limit: number): Promise<number> {
    const victims = db.selectFrom('readings').select(['device_id', 'metric', 'ts']).where('ts', '<', before).limit(limit);
    const rows = await victims.execute();
    if (rows.length === 0) return 0;
    const res = await db.deleteFrom('readings').where('ts', '<', before).where((eb) => eb.or(rows.map((v) => eb.and([eb('device_id', '=', v.device_id), eb('metric', '=', v.metric), eb('ts', '=', v.ts)])))).executeTakeFirst();
    return Number(res.numDeletedRows);
  },

  /** Whether a device has any rollup (the demo's history is written once per device). */
  async hasRollups(db: Db, deviceId: string): Promise<boolean> {
    return (await db.selectFrom('reading_rollups').select('device_id').where('device_id', '=', deviceId).limit(1).executeTakeFirst()) !== undefined;
  },

  countReadings(db: Db) {
    return db.selectFrom('readings').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow().then((r) => Number(r.n));
  },
};
