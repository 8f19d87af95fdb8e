import { CHANNELS, type Channel } from '../cases/case.channels.js';
import type { CategoryRow } from '../catalogue/catalogue.repository.js';
import type { LocateResult } from '../grids/grid.locate.js';
import type { HistoryMapping } from './history.mapping.js';
import { parseHistoryTime } from './history.time.js';

/** Why a row was not imported (stable codes: the rejects file and the summary use them). */
export type RejectReason =
  | 'missing_source_id' | 'duplicate_in_file' | 'bad_created_time' | 'bad_closed_time' | 'closed_without_time' | 'closed_before_created'
  | 'bad_due_time' | 'no_category_match' | 'no_coordinates' | 'bad_coordinates' | 'outside_city';

/** A row ready to become a case. */
export interface HistoryDraft {
  sourceId: string;
  createdAt: Date;
  closedAt: Date | null;
  dueAt: Date | null;
  category: CategoryRow;
  /** The code the row gave when it was a legacy one. */
  legacyCode: string | null;
  lon: number;
  lat: number;
  located: LocateResult;
  address: string | null;
  description: string;
  channel: Channel;
  departmentCode: string | null;
}

export type RowOutcome = { draft: HistoryDraft } | { sourceId: string; reject: RejectReason };

/** What reading a row needs besides the row: the zone, a time reader, category and grid lookups. */
export interface RowReader {
  mapping: HistoryMapping;
  timeZone: string;
  timeFormat?: (text: string) => ReturnType<NonNullable<Parameters<typeof parseHistoryTime>[2]>>;
  /** The category of a code (current or legacy), or null. */
  category(code: string): { category: CategoryRow; legacyCode: string | null } | null;
  locate(lon: number, lat: number): LocateResult;
}

const cell = (row: Record<string, string | undefined>, column: string | undefined) => (column === undefined ? '' : (row[column] ?? '').trim());

/** The category code a row names: its category column, else its type through the types table. */
export function categoryCodeOf(row: Record<string, string | undefined>, mapping: HistoryMapping): string | null {
  const code = cell(row, mapping.columns.category);
  if (code) return code;
  const type = cell(row, mapping.columns.type);
  return (type && mapping.types?.[type]) || null;
}

function channelOf(value: string, mapping: HistoryMapping): Channel {
  const mapped = mapping.channels?.[value];
  if (mapped) return mapped;
  const lower = value.toLowerCase();
  return (CHANNELS as readonly string[]).includes(lower) ? (lower as Channel) : (mapping.defaultChannel ?? 'phone');
}

/**
 * Turns one CSV row into a case draft or a reject reason (pure). A row is closed when its status
 * is one of `closedStatuses` (without a status column: when it has a closed time); a closed row
 * needs a closed time not before its created time. Rows need coordinates inside the city.
 */
export function readHistoryRow(row: Record<string, string | undefined>, r: RowReader): RowOutcome {
  const m = r.mapping;
  const sourceId = cell(row, m.columns.sourceId);
  if (!sourceId) return { sourceId, reject: 'missing_source_id' };
  const reject = (reason: RejectReason): RowOutcome => ({ sourceId, reject: reason });
  const createdAt = parseHistoryTime(cell(row, m.columns.createdAt), r.timeZone, r.timeFormat);
  if (!createdAt) return reject('bad_created_time');
  const status = cell(row, m.columns.status);
  const closedText = cell(row, m.columns.closedAt);
  const closed = m.columns.status && m.closedStatuses ? m.closedStatuses.includes(status) : closedText !== '';
  let closedAt: Date | null = null;
  if (closed) {
    if (!closedText) return reject('closed_without_time');
    closedAt = parseHistoryTime(closedText, r.timeZone, r.timeFormat);
    if (!closedAt) return reject('bad_closed_time');
    if (closedAt < createdAt) return reject('closed_before_created');
  }
  const dueText = cell(row, m.columns.dueAt);
  const dueAt = dueText ? parseHistoryTime(dueText, r.timeZone, r.timeFormat) : null;
  if (dueText && !dueAt) return reject('bad_due_time');
  const code = categoryCodeOf(row, m);
  const found = code ? r.category(code) : null;
  if (!found) return reject('no_category_match');
  const lonText = cell(row, m.columns.lon);
  const latText = cell(row, m.columns.lat);
  if (!lonText || !latText) return reject('no_coordinates');
  const lon = Number(lonText);
  const lat = Number(latText);
  if (!Number.isFinite(lon) || !Number.isFinite(lat) || lon < -180 || lon > 180 || lat < -90 || lat > 90) return reject('bad_coordinates');
  const located = r.locate(lon, lat);
  if (!located.grid) return reject('outside_city');
  const type = cell(row, m.columns.type);
  return {
    draft: {
      sourceId, createdAt, closedAt, dueAt, category: found.category, legacyCode: found.legacyCode, lon, lat, located,
      address: cell(row, m.columns.address) || null,
      description: (cell(row, m.columns.description) || type || found.category.name).slice(0, 2000),
      channel: channelOf(cell(row, m.columns.channel), m),
      departmentCode: cell(row, m.columns.department) || null,
    },
  };
}
