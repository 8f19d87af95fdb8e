import type { Db } from '../db/database.js';
import { subtreeRange } from '../db/dialect.js';

/** Aggregates of the air stations' rollups. All their SQL lives here. */
export const airRepository = {
  /** Per bucket and metric: the pooled sum and count over the air stations of an area
   * ('/' for the whole city), buckets [from, to): local dates for 'day', UTC hours for 'hour'. */
  totals(db: Db, orgPath: string, metrics: readonly string[], period: 'hour' | 'day', from: string, to: string) {
    const r = subtreeRange(orgPath);
    return db
      .selectFrom('reading_rollups')
      .innerJoin('devices', 'devices.id', 'reading_rollups.device_id')
      .where('devices.kind', '=', 'air_station')
      .where('devices.org_path', '>=', r.from)
      .where('devices.org_path', '<', r.to)
      .where('reading_rollups.period', '=', period)
      .where('reading_rollups.metric', 'in', [...metrics])
      .where('reading_rollups.bucket', '>=', from)
      .where('reading_rollups.bucket', '<', to)
      .select((eb) => ['reading_rollups.bucket as bucket', 'reading_rollups.metric as metric', eb.fn.sum<number>('reading_rollups.sum').as('sum'), eb.fn.sum<number>('reading_rollups.n').as('n')])
      .groupBy(['reading_rollups.bucket', 'reading_rollups.metric'])
      .execute();
  },

};
