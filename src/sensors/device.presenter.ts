import type { DeviceKindTable } from '../db/tables.js';
import type { DeviceRow } from './device.repository.js';

/** The 河长制 reach (patrol target code) a water-quality station samples, from its attributes. */
export function reachOf(row: Pick<DeviceRow, 'attributes'>): string | null {
  const a = JSON.parse(row.attributes || '{}') as { reach?: unknown };
  return typeof a.reach === 'string' ? a.reach : null;
}

export function presentDevice(row: DeviceRow) {
  return {
    id: row.id, kind: row.kind, name: row.name, lon: row.lon, lat: row.lat, gridCode: row.grid_code,
    departmentId: row.department_id, status: row.status, lastSeenAt: row.last_seen_at, createdAt: row.created_at, reachCode: reachOf(row),
  };
}

export function presentDeviceKind(row: DeviceKindTable) {
  return { code: row.code, name: row.name, metrics: JSON.parse(row.metrics) as string[], alarmCategory: row.alarm_category, builtin: row.builtin === 1 };
}
