import type { Insertable, Updateable } from 'kysely';
import type { Db } from '../db/database.js';
import { subtreeRange } from '../db/dialect.js';
import type { DeviceTable } from '../db/tables.js';
import type { DeviceKind } from './device.kinds.js';

export type DeviceRow = DeviceTable;
export interface DeviceFilter {
  orgPath: string;
  kind?: string;
  status?: string;
}

/** Device kinds and the device register. All their SQL lives here. */
export const deviceRepository = {
  async insertMissingKinds(db: Db, kinds: readonly DeviceKind[], now: string): Promise<void> {
    await db
      .insertInto('device_kinds')
      .values(kinds.map((k) => ({ code: k.code, name: k.name, metrics: JSON.stringify(k.metrics), alarm_category: k.alarmCategory, builtin: 1, created_at: now })))
      .onConflict((oc) => oc.column('code').doNothing())
      .execute();
  },

  listKinds(db: Db) {
    return db.selectFrom('device_kinds').selectAll().orderBy('code').execute();
  },

  findKind(db: Db, code: string) {
    return db.selectFrom('device_kinds').selectAll().where('code', '=', code).executeTakeFirst();
  },

  async insertKind(db: Db, kind: DeviceKind, now: string): Promise<void> {
    await db.insertInto('device_kinds').values({ code: kind.code, name: kind.name, metrics: JSON.stringify(kind.metrics), alarm_category: kind.alarmCategory, builtin: 0, created_at: now }).execute();
  },

  /** A device with its kind's metrics, whatever its area (the intake checks the sender's area itself). */
  findWithKind(db: Db, id: string) {
    return db
      .selectFrom('devices')
      .innerJoin('device_kinds', 'device_kinds.code', 'devices.kind')
      .selectAll('devices')
      .select(['device_kinds.metrics as kind_metrics', 'device_kinds.alarm_category as kind_alarm_category'])
      .where('devices.id', '=', id)
      .executeTakeFirst();
  },

  /** Devices with their kinds' metrics, by id (a batch of readings). */
  findManyWithKind(db: Db, ids: string[]) {
    if (ids.length === 0) return Promise.resolve([]);
    return db
      .selectFrom('devices')
      .innerJoin('device_kinds', 'device_kinds.code', 'devices.kind')
      .selectAll('devices')
      .select(['device_kinds.metrics as kind_metrics', 'device_kinds.alarm_category as kind_alarm_category'])
      .where('devices.id', 'in', ids)
      .execute();
  },

  /** A device in the subtree `orgPath`, or undefined. */
  findInScope(db: Db, id: string, orgPath: string) {
    const r = subtreeRange(orgPath);
    return db.selectFrom('devices').selectAll().where('id', '=', id).where('org_path', '>=', r.from).where('org_path', '<', r.to).executeTakeFirst();
  },

  async list(db: Db, filter: DeviceFilter, page: { limit: number; offset: number }) {
    const r = subtreeRange(filter.orgPath);
    let q = db.selectFrom('devices').where('org_path', '>=', r.from).where('org_path', '<', r.to);
    if (filter.kind) q = q.where('kind', '=', filter.kind);
    if (filter.status) q = q.where('status', '=', filter.status);
    const [items, total] = await Promise.all([
      q.selectAll().orderBy('id').limit(page.limit).offset(page.offset).execute(),
      q.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
    ]);
    return { items, total: Number(total.n) };
  },

  /** Every device a rule may apply to: one by id or all of a kind. */
  listForRule(db: Db, rule: { device_id: string | null; kind: string | null }) {
    let q = db.selectFrom('devices').selectAll().where('status', '=', 'active');
    q = rule.device_id ? q.where('id', '=', rule.device_id) : q.where('kind', '=', rule.kind ?? '');
    return q.orderBy('id').execute();
  },

  async insert(db: Db, row: Insertable<DeviceTable>): Promise<void> {
    await db.insertInto('devices').values(row).execute();
  },

  async update(db: Db, id: string, patch: Updateable<DeviceTable>): Promise<void> {
    await db.updateTable('devices').set(patch).where('id', '=', id).execute();
  },

  async delete(db: Db, id: string): Promise<void> {
    await db.deleteFrom('alarm_states').where('device_id', '=', id).execute();
    await db.deleteFrom('alarm_rules').where('device_id', '=', id).execute();
    await db.deleteFrom('devices').where('id', '=', id).execute();
  },

  /** touch for many devices: one statement per distinct instant (a batch's devices often share one). */
  async touchMany(db: Db, entries: { id: string; ts: string }[]): Promise<void> {
    const byTs = new Map<string, string[]>();
    for (const e of entries) byTs.set(e.ts, [...(byTs.get(e.ts) ?? []), e.id]);
    for (const [ts, ids] of byTs) {
      for (let i = 0; i < ids.length; i += 500) {
        await db.updateTable('devices').set({ last_seen_at: ts }).where('id', 'in', ids.slice(i, i + 500)).where((eb) => eb.or([eb('last_seen_at', 'is', null), eb('last_seen_at', '<', ts)])).execute();
      }
    }
  },

  /** Moves last_seen_at forward to `ts` (never back: replays and late readings do not rewind it). */
  async touch(db: Db, id: string, ts: string): Promise<void> {
    await db.updateTable('devices').set({ last_seen_at: ts }).where('id', '=', id).where((eb) => eb.or([eb('last_seen_at', 'is', null), eb('last_seen_at', '<', ts)])).execute();
  },
};
