import type { DeviceKindTable } from '../db/tables.js';
import type { DeviceRow } from './device.repository.js';

export function presentDevice(row: DeviceRow) {
  return {
    id: row.id, kind: row.kind, name: row.name, lon: row.lon, lat: row.lat, gridCode: row.grid_code,
    departmentId: row.department_id, status: row.status, lastSeenAt: row.last_seen_at, createdAt: row.created_at,
  };
}

export function presentDeviceKind(row: DeviceKindTable) {
  return { code: row.code, name: row.name, metrics: JSON.parse(row.metrics) as string[], alarmCategory: row.alarm_category, builtin: row.builtin === 1 };
}
