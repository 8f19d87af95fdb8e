import type { Db } from '../db/database.js';

/** City-wide aggregates of the air stations' rollups. All their SQL lives here. */
export const airRepository = {
  /** Per city day [from, to) and pollutant: the pooled sum and count over every air station. */
  dayTotals(db: Db, metrics: readonly string[], from: string, to: string) {
    return db
      .selectFrom('reading_rollups')
      .innerJoin('devices', 'devices.id', 'reading_rollups.device_id')
      .where('devices.kind', '=', 'air_station')
      .where('reading_rollups.period', '=', 'day')
      .where('reading_rollups.metric', 'in', [...metrics])
      .where('reading_rollups.bucket', '>=', from)
      .where('reading_rollups.bucket', '<', to)
      .select((eb) => ['reading_rollups.bucket as bucket', 'reading_rollups.metric as metric', eb.fn.sum<number>('reading_rollups.sum').as('sum'), eb.fn.sum<number>('reading_rollups.n').as('n')])
      .groupBy(['reading_rollups.bucket', 'reading_rollups.metric'])
      .execute();
  },

  /** Per UTC hour [fromIso, toIso): the pooled sum and count of one metric over every air station. */
  hourTotals(db: Db, metric: string, fromIso: string, toIso: string) {
    return db
      .selectFrom('reading_rollups')
      .innerJoin('devices', 'devices.id', 'reading_rollups.device_id')
      .where('devices.kind', '=', 'air_station')
      .where('reading_rollups.period', '=', 'hour')
      .where('reading_rollups.metric', '=', metric)
      .where('reading_rollups.bucket', '>=', fromIso)
      .where('reading_rollups.bucket', '<', toIso)
      .select((eb) => ['reading_rollups.bucket as bucket', eb.fn.sum<number>('reading_rollups.sum').as('sum'), eb.fn.sum<number>('reading_rollups.n').as('n')])
      .groupBy('reading_rollups.bucket')
      .execute();
  },
};
