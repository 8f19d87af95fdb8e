import type { Ctx } from '../context.js';
import { inTransaction } from '../context.js';
import { AppError } from '../errors.js';
import { locatePoint } from '../grids/grid.locate.js';
import { orgRepository } from '../org/org.repository.js';
import { catalogueRepository } from '../catalogue/catalogue.repository.js';
import { resolveCategory } from '../catalogue/catalogue.service.js';
import { patrolRepository } from '../patrols/patrol.repository.js';
import { deviceRepository, type DeviceRow } from './device.repository.js';

/** Letters, digits, '-' and '_', 1–64 characters: also safe as an MQTT topic level. */
export const DEVICE_ID = /^[A-Za-z0-9_-]{1,64}$/;
export const DEVICE_STATUSES = ['active', 'maintenance', 'retired'] as const;
export type DeviceStatus = (typeof DEVICE_STATUSES)[number];

export interface DeviceInput {
  id: string;
  kind: string;
  lon: number;
  lat: number;
  name?: string;
  departmentCode?: string | null;
  status?: DeviceStatus;
  /** The reach a water-quality station samples (a patrol target of kind river). */
  reachCode?: string | null;
}

/** Where a point is, for a device: its grid and path; the grid must lie in the actor's area. */
async function placeDevice(ctx: Ctx, lon: number, lat: number): Promise<{ grid_code: string; org_path: string }> {
  const located = locatePoint(ctx.app, lon, lat);
  if (!located.grid) throw new AppError('outside_jurisdiction', `the point ${lon},${lat} lies outside every grid of the city`, { field: 'lon' });
  const grid = await orgRepository.findByCode(ctx.db, located.grid.code);
  if (!grid) throw new AppError('outside_jurisdiction', `grid ${located.grid.code} is not in the store`);
  if (!grid.path.startsWith(ctx.actor.orgPath)) throw new AppError('forbidden', 'the location is outside your area', { field: 'lon' });
  return { grid_code: grid.code, org_path: grid.path };
}

async function departmentId(ctx: Ctx, code: string | null | undefined): Promise<number | null> {
  if (!code) return null;
  const dept = await catalogueRepository.findDepartmentByCode(ctx.db, code);
  if (!dept) throw new AppError('department_not_found', `no department ${code}`, { field: 'departmentCode' });
  return dept.id;
}

/** The attributes holding a device's reach: checked to name a river target. Throws reach_not_found. */
async function reachAttributes(ctx: Ctx, code: string | null | undefined, current: string): Promise<string> {
  const attributes = JSON.parse(current || '{}') as Record<string, unknown>;
  if (!code) {
    delete attributes.reach;
    return JSON.stringify(attributes);
  }
  const target = await patrolRepository.findTargetByCode(ctx.db, code);
  if (!target || target.kind !== 'river') throw new AppError('reach_not_found', `no river reach ${code}`, { field: 'reachCode' });
  return JSON.stringify({ ...attributes, reach: code });
}

/**
 * Registers a device: checks its id and kind, locates it (→ grid, which must be in the actor's
 * area) and stores it. Throws validation_failed, outside_jurisdiction, forbidden,
 * department_not_found, reach_not_found, already_exists.
 */
export async function registerDevice(ctx: Ctx, input: DeviceInput): Promise<DeviceRow> {
  if (!DEVICE_ID.test(input.id)) throw new AppError('validation_failed', 'id: letters, digits, - and _ only, at most 64', { field: 'id' });
  const kind = await deviceRepository.findKind(ctx.db, input.kind);
  if (!kind) throw new AppError('validation_failed', `unknown device kind ${input.kind}`, { field: 'kind' });
  const place = await placeDevice(ctx, input.lon, input.lat);
  const dept = await departmentId(ctx, input.departmentCode);
  const attributes = await reachAttributes(ctx, input.reachCode, '{}');
  const now = ctx.now.toISOString();
  return inTransaction(ctx, async (trx) => {
    if (await deviceRepository.findWithKind(trx.db, input.id)) throw new AppError('already_exists', `device ${input.id} is already registered`, { field: 'id' });
    await deviceRepository.insert(trx.db, {
      id: input.id, kind: input.kind, name: input.name ?? `${kind.name} ${input.id}`, lon: input.lon, lat: input.lat, ...place,
      department_id: dept, status: input.status ?? 'active', attributes, last_seen_at: null, created_at: now, updated_at: now,
    });
    return (await deviceRepository.findInScope(trx.db, input.id, '/')) as DeviceRow;
  });
}

/** A device in the actor's area. Throws device_not_found (also for a device elsewhere). */
export async function getDevice(ctx: Ctx, id: string): Promise<DeviceRow> {
  const row = await deviceRepository.findInScope(ctx.db, id, ctx.actor.orgPath);
  if (!row) throw new AppError('device_not_found', `no device ${id}`);
  return row;
}

/** Changes a device's name, place, owner department, status or reach. Throws as registerDevice, device_not_found. */
export async function updateDevice(ctx: Ctx, id: string, patch: Partial<Omit<DeviceInput, 'id' | 'kind'>>): Promise<DeviceRow> {
  const current = await getDevice(ctx, id);
  const lon = patch.lon ?? current.lon;
  const lat = patch.lat ?? current.lat;
  const place = patch.lon !== undefined || patch.lat !== undefined ? await placeDevice(ctx, lon, lat) : {};
  const dept = patch.departmentCode !== undefined ? { department_id: await departmentId(ctx, patch.departmentCode) } : {};
  const reach = patch.reachCode !== undefined ? { attributes: await reachAttributes(ctx, patch.reachCode, current.attributes) } : {};
  await deviceRepository.update(ctx.db, id, {
    ...(patch.name !== undefined ? { name: patch.name } : {}), ...(patch.status !== undefined ? { status: patch.status } : {}),
    lon, lat, ...place, ...dept, ...reach, updated_at: ctx.now.toISOString(),
  });
  return getDevice(ctx, id);
}

/** Removes a device, its own rules and alarm states (its readings stay, for the record). Throws device_not_found. */
export async function deleteDevice(ctx: Ctx, id: string): Promise<void> {
  await getDevice(ctx, id);
  await inTransaction(ctx, (trx) => deviceRepository.delete(trx.db, id));
}

/** Adds a device kind (kinds are data). Throws category_not_found, already_exists. */
export async function createDeviceKind(ctx: Ctx, kind: { code: string; name: string; metrics: string[]; alarmCategory: string }): Promise<void> {
  await resolveCategory(ctx, kind.alarmCategory);
  if (await deviceRepository.findKind(ctx.db, kind.code)) throw new AppError('already_exists', `device kind ${kind.code} exists`, { field: 'code' });
  await deviceRepository.insertKind(ctx.db, kind, ctx.now.toISOString());
}
