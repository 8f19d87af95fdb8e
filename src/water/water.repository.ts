import type { Db } from '../db/database.js';
import type { ReachQualityStateTable } from '../indicators/indicator.tables.js';

/** Water-quality stations and their rollups. All their SQL lives here. */
export const waterRepository = {
  /** Every water-quality station (with its attributes, which name its reach). */
  stations(db: Db) {
    return db.selectFrom('devices').select(['id', 'attributes', 'org_path', 'status']).where('kind', '=', 'water_quality_station').orderBy('id').execute();
  },

  /** The river targets (reaches) with their attributes (water body, its kind and target class). */
  reaches(db: Db) {
    return db.selectFrom('patrol_targets').select(['code', 'name', 'attributes', 'org_path']).where('kind', '=', 'river').orderBy('code').execute();
  },

  /** Per metric, the pooled sum and count of the stations' daily rollups over city dates [from, to). */
  metricTotals(db: Db, deviceIds: string[], metrics: readonly string[], from: string, to: string) {
    if (deviceIds.length === 0) return Promise.resolve([]);
    return db
      .selectFrom('reading_rollups')
      .where('device_id', 'in', deviceIds)
      .where('period', '=', 'day')
      .where('metric', 'in', [...metrics])
      .where('bucket', '>=', from)
      .where('bucket', '<', to)
      .select((eb) => ['metric', eb.fn.sum<number>('sum').as('sum'), eb.fn.sum<number>('n').as('n')])
      .groupBy('metric')
      .execute();
  },

  findState(db: Db, reachCode: string) {
    return db.selectFrom('reach_quality_states').selectAll().where('reach_code', '=', reachCode).executeTakeFirst();
  },

  async saveState(db: Db, row: ReachQualityStateTable): Promise<void> {
    const { reach_code: _r, ...rest } = row;
    await db.insertInto('reach_quality_states').values(row).onConflict((oc) => oc.column('reach_code').doUpdateSet(rest)).execute();
  },
};
