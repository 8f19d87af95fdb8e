import type { Db } from '../db/database.js';
import type { OrgLevel } from '../db/tables.js';
import { LEVELS } from '../org/levels.js';
import { KPI_COUNTER_KEYS, type KpiCounters } from './formulas.js';
import { bucketOf } from './kpi.histogram.js';
import { packCells } from './kpi.packed.js';
import { kpiRepository } from './kpi.repository.js';

/** What an event counts under, apart from time: the case's unit (by path) and its category, department and channel. */
export interface CounterSubject {
  /** Materialised path of the case's deepest unit ("/city/district/…/grid/"); every unit on it is credited. */
  orgPath: string;
  categoryCode: string;
  classCode: string;
  departmentId: number | null;
  channel: string;
}

/** The units on a path, city first: code, level (by depth), parent and own path. */
export function unitsOnPath(orgPath: string): { code: string; level: OrgLevel; parent: string; path: string }[] {
  const cached = pathCache.get(orgPath);
  if (cached) return cached;
  const units = splitPath(orgPath);
  if (pathCache.size > 100_000) pathCache.clear();
  pathCache.set(orgPath, units);
  return units;
}

const pathCache = new Map<string, { code: string; level: OrgLevel; parent: string; path: string }[]>();

function splitPath(orgPath: string): { code: string; level: OrgLevel; parent: string; path: string }[] {
  const codes = orgPath.split('/').filter(Boolean);
  return codes.slice(0, LEVELS.length).map((code, i) => ({ code, level: LEVELS[i], parent: i > 0 ? codes[i - 1] : '', path: `/${codes.slice(0, i + 1).join('/')}/` }));
}

/** A roll-up row being gathered: its values in ROLLUP_ROW_COLUMNS order, and its closures per duration bucket. */
interface GatheredRow {
  values: unknown[];
  /** Closures per bucket as flat (bucket, count) pairs: a row rarely holds more than a few. */
  durations: number[] | null;
}

const DIMS = 10; // ROLLUP_ROW_COLUMNS: 10 key and descriptive columns, the counters, then `durations`
const COUNTERS = KPI_COUNTER_KEYS.length;

/**
 * Counter increments gathered in memory and written as a few multi-row upserts: for each event,
 * every unit from the city down to the case's grid, on the day and on the month. One event or a
 * bulk import of thousands of cases, the same rows come out; `flush` inside the caller's
 * transaction makes them part of it. A closure's duration goes into its counter row's packed
 * histogram, a report's hour into the unit's packed heat-map row (kpi.packed.ts; every level above
 * the grid). Rows are kept
 * as value arrays in the order the upsert binds them: a bulk import gathers tens of thousands.
 */
export class KpiRollupBatch {
  // Keyed by period and subject, then by unit code: the codes are the same string objects for
  // every event (unitsOnPath caches them), so their hashes are computed once, and each event
  // builds two new keys instead of ten.
  readonly #counters = new Map<string, Map<string, GatheredRow>>();
  readonly #hours = new Map<string, Map<string, HourRow>>();
  #size = 0;

  /**
   * Adds `delta` on local date `day` (YYYY-MM-DD), a closure duration when one is given, and for a
   * report (delta.reported) its local weekday (Monday 0) and hour for the heat map.
   */
  add(subject: CounterSubject, day: string, delta: Partial<KpiCounters>, closedAfterMs?: number, reportedAt?: { weekday: number; hour: number }): void {
    // The counters this event moves, as (column index, amount) pairs: read once, not per unit.
    const moved: number[] = [];
    for (const key in delta) {
      const n = delta[key as keyof KpiCounters];
      const at = COLUMN_OF[key];
      if (n && at !== undefined) moved.push(at, n);
    }
    const bucket = closedAfterMs === undefined ? -1 : bucketOf(closedAfterMs);
    const reports = reportedAt ? (delta.reported ?? 0) : 0;
    const counted = moved.length > 0 || bucket >= 0;
    if (!counted && !reports) return;
    const cell = reportedAt ? reportedAt.weekday * 24 + reportedAt.hour : 0;
    const departmentId = subject.departmentId ?? 0;
    const rest = `|${subject.categoryCode}|${departmentId}|${subject.channel}`;
    const units = unitsOnPath(subject.orgPath);
    for (let g = 0; g < 2; g++) {
      const grain = g === 0 ? 'd' : 'm';
      const period = g === 0 ? day : day.slice(0, 7);
      const head = `${grain}|${period}`;
      const rows = counted ? slot(this.#counters, head + rest) : null;
      const hours = reports ? slot(this.#hours, head) : null;
      for (const unit of units) {
        if (rows) {
          let row = rows.get(unit.code);
          if (!row) {
            rows.set(unit.code, (row = newRow(unit, grain, period, subject, departmentId)));
            this.#size++;
          }
          const values = row.values as number[];
          for (let j = 0; j < moved.length; j += 2) values[moved[j]] += moved[j + 1];
          if (bucket >= 0) row.durations = addToCell(row.durations, bucket, 1);
        }
        // A grid's heat map is counted from its cases (a grid holds few): its rows would be about one per report.
        if (hours && unit.level !== 'grid') {
          let row = hours.get(unit.code);
          if (!row) {
            hours.set(unit.code, (row = { values: [unit.code, grain, period, ''], cells: null }));
            this.#size++;
          }
          row.cells = addToCell(row.cells, cell, reports);
        }
      }
    }
  }

  /** Rows gathered so far (what a flush would write). */
  get size(): number {
    return this.#size;
  }

  /** Writes everything gathered (adding to existing rows) and empties the batch. */
  async flush(db: Db): Promise<void> {
    const counters: unknown[][] = [];
    for (const rows of this.#counters.values()) {
      for (const row of rows.values()) {
        row.values[DIMS + COUNTERS] = row.durations ? packCells(row.durations) : null;
        counters.push(row.values);
      }
    }
    const hours: unknown[][] = [];
    for (const rows of this.#hours.values()) {
      for (const row of rows.values()) {
        row.values[3] = (row.cells && packCells(row.cells)) ?? '{}';
        hours.push(row.values);
      }
    }
    this.#counters.clear();
    this.#hours.clear();
    this.#size = 0;
    // In key order, so the upserts walk the tables' b-trees in order.
    counters.sort(byRollupKey);
    hours.sort(byHourKey);
    await kpiRepository.addToRollups(db, { counters, hours });
  }
}

interface HourRow {
  values: [string, 'd' | 'm', string, string];
  /** Reports per weekday × 24 + hour as flat (cell, count) pairs. */
  cells: number[] | null;
}

/** Adds `n` to a cell of flat (cell, count) pairs, appending the cell when new; returns the pairs. */
function addToCell(pairs: number[] | null, cell: number, n: number): number[] {
  if (!pairs) return [cell, n];
  for (let i = 0; i < pairs.length; i += 2) {
    if (pairs[i] === cell) {
      pairs[i + 1] += n;
      return pairs;
    }
  }
  pairs.push(cell, n);
  return pairs;
}

/** The value column of each counter key in a gathered row. */
const COLUMN_OF: Record<string, number> = Object.fromEntries(KPI_COUNTER_KEYS.map((k, i) => [k, DIMS + i]));

function slot<T>(map: Map<string, Map<string, T>>, key: string): Map<string, T> {
  let inner = map.get(key);
  if (!inner) map.set(key, (inner = new Map()));
  return inner;
}

/** The primary key order of kpi_rollup (org_code, grain, period, category_code, department_id, channel) over ROLLUP_ROW_COLUMNS values. */
function byRollupKey(a: unknown[], b: unknown[]): number {
  return cmp(a[2], b[2]) || cmp(a[0], b[0]) || cmp(a[1], b[1]) || cmp(a[6], b[6]) || cmp(a[8], b[8]) || cmp(a[9], b[9]);
}

const cmp = (x: unknown, y: unknown) => (x === y ? 0 : (x as string) < (y as string) ? -1 : 1);

function byHourKey(a: unknown[], b: unknown[]): number {
  for (let i = 0; i < 3; i++) {
    const [x, y] = [a[i] as string, b[i] as string];
    if (x !== y) return x < y ? -1 : 1;
  }
  return 0;
}

/** A zeroed row: every counter present (one statement shape fits all rows). */
function newRow(unit: { code: string; level: OrgLevel; parent: string; path: string }, grain: 'd' | 'm', period: string, subject: CounterSubject, departmentId: number): GatheredRow {
  const values: unknown[] = new Array(DIMS + COUNTERS + 1);
  values[0] = grain;
  values[1] = period;
  values[2] = unit.code;
  values[3] = unit.level;
  values[4] = unit.parent;
  values[5] = unit.path;
  values[6] = subject.categoryCode;
  values[7] = subject.classCode;
  values[8] = departmentId;
  values[9] = subject.channel;
  for (let i = DIMS; i < DIMS + COUNTERS; i++) values[i] = 0;
  values[DIMS + COUNTERS] = null;
  return { values, durations: null };
}

/**
 * Records one event's counter effects for a case at once: `delta` on local date `day`, and when
 * the event closed the case, its duration from report to closure. Call it with the transaction's
 * handle so the counters commit or roll back with the event. For many events, gather them in a
 * KpiRollupBatch and flush once.
 */
export async function recordCounters(db: Db, subject: CounterSubject, day: string, delta: Partial<KpiCounters>, closedAfterMs?: number, reportedAt?: { weekday: number; hour: number }): Promise<void> {
  const batch = new KpiRollupBatch();
  batch.add(subject, day, delta, closedAfterMs, reportedAt);
  await batch.flush(db);
}
