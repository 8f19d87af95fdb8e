import type { Insertable, Updateable } from 'kysely';
import type { Db } from '../db/database.js';
import { subtreeRange } from '../db/dialect.js';
import type { AlarmRuleTable, AlarmStateTable } from '../db/tables.js';

export type AlarmRuleRow = AlarmRuleTable & { id: number };
export type AlarmStateRow = AlarmStateTable;

/** '/150300/150302/' → ['/', '/150300/', '/150300/150302/']: the areas that contain a path. */
function pathAndAncestors(orgPath: string): string[] {
  const parts = orgPath.split('/').filter(Boolean);
  return ['/', ...parts.map((_, i) => `/${parts.slice(0, i + 1).join('/')}/`)];
}

function rulesInScope(db: Db, orgPath: string, mode: 'read' | 'write') {
  const r = subtreeRange(orgPath);
  return db.selectFrom('alarm_rules').selectAll('alarm_rules').where((eb) => {
    const written = eb.and([eb('alarm_rules.org_path', '>=', r.from), eb('alarm_rules.org_path', '<', r.to)]);
    if (mode === 'write') return written;
    const onMyDevice = eb('alarm_rules.device_id', 'in', eb.selectFrom('devices').select('devices.id').where('devices.org_path', '>=', r.from).where('devices.org_path', '<', r.to));
    const kindAbove = eb.and([eb('alarm_rules.device_id', 'is', null), eb.or([written, eb('alarm_rules.org_path', 'in', pathAndAncestors(orgPath))])]);
    return eb.or([onMyDevice, kindAbove]);
  });
}

/** Alarm rules and their per-device states. All their SQL lives here. */
export const alarmRepository = {
  async insertRule(db: Db, row: Insertable<AlarmRuleTable>): Promise<number> {
    const { id } = await db.insertInto('alarm_rules').values(row).returning('id').executeTakeFirstOrThrow();
    return id;
  },

  async updateRule(db: Db, id: number, patch: Updateable<AlarmRuleTable>): Promise<void> {
    await db.updateTable('alarm_rules').set(patch).where('id', '=', id).execute();
  },

  async deleteRule(db: Db, id: number): Promise<void> {
    await db.deleteFrom('alarm_states').where('rule_id', '=', id).execute();
    await db.deleteFrom('alarm_rules').where('id', '=', id).execute();
  },

  /**
   * A rule an actor at `orgPath` may see (`read`: a device rule on a device of its area, a kind rule
   * written in its area or above it) or change (`write`: written in its area).
   */
  findRuleInScope(db: Db, id: number, orgPath: string, mode: 'read' | 'write'): Promise<AlarmRuleRow | undefined> {
    return rulesInScope(db, orgPath, mode).where('alarm_rules.id', '=', id).executeTakeFirst() as Promise<AlarmRuleRow | undefined>;
  },

  listRules(db: Db, orgPath: string): Promise<AlarmRuleRow[]> {
    return rulesInScope(db, orgPath, 'read').orderBy('alarm_rules.id').limit(1000).execute() as Promise<AlarmRuleRow[]>;
  },

  /** Enabled rules that may apply to a device: its own, and its kind's (the caller checks the rule's area). */
  rulesForDevice(db: Db, device: { id: string; kind: string }): Promise<AlarmRuleRow[]> {
    return db
      .selectFrom('alarm_rules')
      .selectAll()
      .where('enabled', '=', 1)
      .where((eb) => eb.or([eb('device_id', '=', device.id), eb.and([eb('device_id', 'is', null), eb('kind', '=', device.kind)])]))
      .orderBy('id')
      .execute() as Promise<AlarmRuleRow[]>;
  },

  /** rulesForDevice for many devices at once (a batch of readings), ordered by id. */
  rulesForDevices(db: Db, devices: { id: string; kind: string }[]): Promise<AlarmRuleRow[]> {
    if (devices.length === 0) return Promise.resolve([]);
    const ids = [...new Set(devices.map((d) => d.id))];
    const kinds = [...new Set(devices.map((d) => d.kind))];
    return db
      .selectFrom('alarm_rules')
      .selectAll()
      .where('enabled', '=', 1)
      .where((eb) => eb.or([eb('device_id', 'in', ids), eb.and([eb('device_id', 'is', null), eb('kind', 'in', kinds)])]))
      .orderBy('id')
      .execute() as Promise<AlarmRuleRow[]>;
  },

  /** The alarm states of many devices. */
  statesOfDevices(db: Db, deviceIds: string[]) {
    if (deviceIds.length === 0) return Promise.resolve([]);
    return db.selectFrom('alarm_states').selectAll().where('device_id', 'in', deviceIds).execute();
  },

  offlineRules(db: Db): Promise<AlarmRuleRow[]> {
    return db.selectFrom('alarm_rules').selectAll().where('enabled', '=', 1).where('type', '=', 'offline').orderBy('id').execute() as Promise<AlarmRuleRow[]>;
  },

  statesOfDevice(db: Db, deviceId: string) {
    return db.selectFrom('alarm_states').selectAll().where('device_id', '=', deviceId).execute();
  },

  findState(db: Db, ruleId: number, deviceId: string) {
    return db.selectFrom('alarm_states').selectAll().where('rule_id', '=', ruleId).where('device_id', '=', deviceId).executeTakeFirst();
  },

  async saveState(db: Db, row: AlarmStateTable): Promise<void> {
    const { rule_id: _r, device_id: _d, ...rest } = row;
    await db.insertInto('alarm_states').values(row).onConflict((oc) => oc.columns(['rule_id', 'device_id']).doUpdateSet(rest)).execute();
  },

  /** Alarm states that are not normal, in an area (the screen, the rule detail). */
  activeStates(db: Db, orgPath: string) {
    const r = subtreeRange(orgPath);
    return db
      .selectFrom('alarm_states')
      .innerJoin('devices', 'devices.id', 'alarm_states.device_id')
      .selectAll('alarm_states')
      .where('alarm_states.state', '!=', 'normal')
      .where('devices.org_path', '>=', r.from)
      .where('devices.org_path', '<', r.to)
      .orderBy('alarm_states.updated_at', 'desc')
      .limit(500)
      .execute();
  },
};
