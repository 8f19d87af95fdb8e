import type { AppContext } from '../context.js';
import type { Db } from '../db/database.js';
import { AppError } from '../errors.js';
import type { OpenStatus } from '../cases/workflow/index.js';
import type { Problem } from './open311.errors.js';
import { field, type FormFields } from './open311.form.js';
import { presentRequest, type RequestView } from './open311.presenter.js';
import { open311Repository, type Open311Scope, type RequestFilter } from './open311.repository.js';
import { listServices } from './open311.services.js';
import type { Open311Settings } from './open311.settings.js';
import { statesByOpenStatus } from './open311.status.js';
import { parseW3cDatetime } from '../time/zoned-time.js';
import type { XmlValue } from './open311.xml.js';

const DAY_MS = 86_400_000;

/** A parsed GET /requests query. */
export interface RequestQuery {
  filter: RequestFilter;
  page: { limit: number; offset: number };
  paged: boolean;
  extensions: boolean;
}

function list(fields: FormFields, name: string): string[] | undefined {
  const values = (fields[name] ?? []).flatMap((v) => v.split(',')).map((v) => v.trim()).filter(Boolean);
  return values.length ? values : undefined;
}

function instant(fields: FormFields, name: string, timeZone: string, problems: Problem[]): Date | undefined {
  const text = field(fields, name);
  if (text === undefined) return undefined;
  const at = parseW3cDatetime(text, timeZone);
  if (!at) problems.push({ field: name, message: `${name} must be a W3C datetime such as 2026-11-26T10:00:00+08:00, got "${text.slice(0, 40)}"` });
  return at ?? undefined;
}

function integer(fields: FormFields, name: string, min: number, max: number, problems: Problem[]): number | undefined {
  const text = field(fields, name);
  if (text === undefined) return undefined;
  const n = Number(text);
  if (!/^\d+$/.test(text) || n < min || n > max) problems.push({ field: name, message: `${name} must be an integer from ${min} to ${max}` });
  return n;
}

function bboxOf(fields: FormFields, problems: Problem[]): [number, number, number, number] | undefined {
  const text = field(fields, 'bbox');
  if (text === undefined) return undefined;
  const n = text.split(',').map((v) => Number(v.trim()));
  if (n.length !== 4 || n.some((v) => !Number.isFinite(v)) || n[0] > n[2] || n[1] > n[3] || Math.abs(n[0]) > 180 || Math.abs(n[2]) > 180 || Math.abs(n[1]) > 90 || Math.abs(n[3]) > 90) {
    problems.push({ field: 'bbox', message: 'bbox must be minLng,minLat,maxLng,maxLat in WGS84 degrees' });
    return undefined;
  }
  return [n[0], n[1], n[2], n[3]];
}

function dateWindow(fields: FormFields, settings: Open311Settings, timeZone: string, now: Date, problems: Problem[], incremental: boolean): { createdFrom?: string; createdTo?: string } {
  const window = settings.windowDays * DAY_MS;
  let start = instant(fields, 'start_date', timeZone, problems);
  let end = instant(fields, 'end_date', timeZone, problems);
  if (!start && !end && incremental) return {};
  if (start && end && end < start) problems.push({ field: 'end_date', message: 'end_date must not be before start_date' });
  if (start && end && end.getTime() - start.getTime() > window) problems.push({ field: 'end_date', message: `the start_date … end_date range may not exceed ${settings.windowDays} days` });
  if (!start && !end) end = now;
  if (start && !end) end = new Date(start.getTime() + window);
  if (end && !start) start = new Date(end.getTime() - window);
  return { createdFrom: start?.toISOString(), createdTo: end?.toISOString() };
}

/**
 * Parses GET /requests parameters (empty ones count as absent): `service_request_id` overrides
 * every other filter; `service_code` and `status` lists; the start_date … end_date window (90 days
 * by default, the most recent ones when neither is given, none for an `updated_*` sync); and the
 * extensions page/page_size, updated_after/before, bbox, q, extensions. Throws validation_failed.
 */
export function parseRequestQuery(fields: FormFields, settings: Open311Settings, timeZone: string, now: Date): RequestQuery {
  const problems: Problem[] = [];
  const extensions = field(fields, 'extensions')?.toLowerCase() === 'true';
  const pageNo = integer(fields, 'page', 0, 1_000_000, problems);
  const pageSize = integer(fields, 'page_size', 1, settings.maxPageSize, problems);
  const paged = pageNo !== undefined || pageSize !== undefined;
  const size = pageSize ?? (paged ? settings.defaultPageSize : settings.maxRequests);
  const page = { limit: size, offset: (Math.max(pageNo ?? 1, 1) - 1) * size };
  const ids = list(fields, 'service_request_id');
  let filter: RequestFilter;
  if (ids) {
    filter = { ids: ids.filter((id) => /^\d{1,15}$/.test(id)).map(Number) };
  } else {
    const statuses = list(fields, 'status')?.map((s) => s.toLowerCase());
    const bad = statuses?.filter((s) => s !== 'open' && s !== 'closed');
    if (bad?.length) problems.push({ field: 'status', message: `status must be open, closed or both (comma-separated), got "${bad.join(',')}"` });
    const updatedAfter = instant(fields, 'updated_after', timeZone, problems);
    const updatedBefore = instant(fields, 'updated_before', timeZone, problems);
    const q = field(fields, 'q');
    if (q && q.length > 100) problems.push({ field: 'q', message: 'q must be at most 100 characters' });
    filter = {
      serviceCodes: list(fields, 'service_code'),
      states: statuses && !bad?.length ? statesByOpenStatus(statuses as OpenStatus[]) : undefined,
      ...dateWindow(fields, settings, timeZone, now, problems, Boolean(updatedAfter || updatedBefore)),
      updatedAfter: updatedAfter?.toISOString(),
      updatedBefore: updatedBefore?.toISOString(),
      bbox: bboxOf(fields, problems),
      text: q,
    };
  }
  if (problems.length > 0) throw new AppError('validation_failed', problems[0].message, { field: problems[0].field, problems });
  return { filter, page, paged, extensions };
}

type RequestRow = RequestView['row'];

function groupBy<T extends { case_id: number }>(rows: T[]): Map<number, T[]> {
  const map = new Map<number, T[]>();
  for (const r of rows) map.set(r.case_id, [...(map.get(r.case_id) ?? []), r]);
  return map;
}

/** Loads what presenting these cases needs (history, photos, POST metadata, services) in a few queries. */
export async function loadViews(db: Db, rows: RequestRow[], mediaBase: string): Promise<RequestView[]> {
  const ids = rows.map((r) => r.id);
  const events = [];
  const photos = [];
  const meta = [];
  for (let i = 0; i < ids.length; i += 500) {
    const part = ids.slice(i, i + 500);
    events.push(...(await open311Repository.eventsOf(db, part)));
    photos.push(...(await open311Repository.photosOf(db, part)));
    meta.push(...(await open311Repository.metaOf(db, part)));
  }
  const [eventsBy, photosBy] = [groupBy(events), groupBy(photos)];
  const metaBy = new Map(meta.map((m) => [m.case_id, m]));
  const services = new Map((await listServices(db)).map((s) => [s.code, s]));
  return rows.map((row) => ({
    row,
    events: eventsBy.get(row.id) ?? [],
    photos: (photosBy.get(row.id) ?? []).map((p) => ({ id: p.id, filename: p.filename, phase: p.phase, created_at: p.created_at, url: `${mediaBase}/media/${row.id}/${p.id}` })),
    meta: metaBy.get(row.id),
    service: services.get(row.category_code),
  }));
}

/** One page of requests a reader may see, presented, with the total before paging. */
export async function findRequests(app: AppContext, scope: Open311Scope, query: RequestQuery, mediaBase: string): Promise<{ items: Record<string, XmlValue>[]; total: number }> {
  const { items, total } = await open311Repository.listRequests(app.store.db, app.dialect, scope, query.filter, query.page);
  const views = await loadViews(app.store.db, items, mediaBase);
  return { items: views.map((v) => presentRequest(v, { timeZone: app.config.timeZone, extensions: query.extensions })), total };
}

/**
 * One request by id (a batch token is accepted too, once resolved). Throws case_not_found when it
 * does not exist, is not visible to the reader, or the token has no case yet.
 */
export async function findRequest(app: AppContext, scope: Open311Scope, id: string, extensions: boolean, mediaBase: string): Promise<Record<string, XmlValue>> {
  let caseId = /^\d{1,15}$/.test(id) ? Number(id) : null;
  if (caseId === null) caseId = (await open311Repository.findToken(app.store.db, id))?.case_id ?? null;
  const found = caseId === null ? { items: [] } : await findRequests(app, scope, { filter: { ids: [caseId] }, page: { limit: 1, offset: 0 }, paged: false, extensions }, mediaBase);
  if (!found.items[0]) throw new AppError('case_not_found', `service request ${id} does not exist or is not public`);
  return found.items[0];
}
