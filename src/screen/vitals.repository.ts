import type { Db } from '../db/database.js';
import { subtreeRange } from '../db/dialect.js';

/** The 城市体征 panel's reads: devices, their rollups and firing alarms in an area. All its SQL lives here. */
export const vitalsRepository = {
  /** Devices of an area (not retired), with what the panel shows. */
  devices(db: Db, orgPath: string) {
    const r = subtreeRange(orgPath);
    return db
      .selectFrom('devices')
      .select(['id', 'kind', 'name', 'lon', 'lat', 'status', 'attributes', 'last_seen_at'])
      .where('org_path', '>=', r.from)
      .where('org_path', '<', r.to)
      .where('status', '!=', 'retired')
      .orderBy('id')
      .execute();
  },

  /** Rollups of some devices and metrics, one period, buckets from `from` (inclusive). */
  rollups(db: Db, deviceIds: string[], metrics: readonly string[], period: 'hour' | 'day', from: string) {
    if (deviceIds.length === 0) return Promise.resolve([]);
    return db
      .selectFrom('reading_rollups')
      .select(['device_id', 'metric', 'bucket', 'n', 'sum', 'max'])
      .where('device_id', 'in', deviceIds)
      .where('metric', 'in', [...metrics])
      .where('period', '=', period)
      .where('bucket', '>=', from)
      .execute();
  },

  /** Firing alarms of an area's devices, with the case they opened (newest first, at most 200). */
  firing(db: Db, orgPath: string) {
    const r = subtreeRange(orgPath);
    return db
      .selectFrom('alarm_states')
      .innerJoin('devices', 'devices.id', 'alarm_states.device_id')
      .innerJoin('alarm_rules', 'alarm_rules.id', 'alarm_states.rule_id')
      .leftJoin('cases', 'cases.id', 'alarm_states.case_id')
      .select(['alarm_states.device_id', 'alarm_states.since', 'alarm_states.last_value', 'alarm_states.case_id', 'cases.number as case_number',
        'devices.kind', 'devices.name', 'devices.lon', 'devices.lat', 'alarm_rules.type', 'alarm_rules.metric', 'alarm_rules.op', 'alarm_rules.threshold'])
      .where('alarm_states.state', '=', 'firing')
      .where('devices.org_path', '>=', r.from)
      .where('devices.org_path', '<', r.to)
      .orderBy('alarm_states.since', 'desc')
      .limit(200)
      .execute();
  },
};
