import type { Db } from '../db/database.js';
import type { KpiRollupKey, OrgLevel } from '../db/tables.js';
import { LEVELS } from '../org/levels.js';
import { KPI_COUNTER_KEYS, type KpiCounters } from './formulas.js';
import { bucketOf } from './kpi.histogram.js';
import { packCounts } from './kpi.packed.js';
import { counterColumn, kpiRepository } from './kpi.repository.js';

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

/**
 * Counter increments gathered in memory and written as a few multi-row upserts: for each event,
 * every unit from the city down to the case's grid, on the day and on the month. One event or a
 * bulk import of thousands of cases, the same rows come out; `flush` inside the caller's
 * transaction makes them part of it. A closure's duration goes into its counter row's packed
 * histogram, a report's hour into the unit's packed heat-map row (kpi.packed.ts).
 */
export class KpiRollupBatch {
  readonly #counters = new Map<string, { key: KpiRollupKey; counts: number[]; durations: Map<number, number> | null }>();
  readonly #hours = new Map<string, { org_code: string; grain: 'd' | 'm'; period: string; cells: Map<number, number> }>();

  /**
   * Adds `delta` on local date `day` (YYYY-MM-DD), a closure duration when one is given, and for a
   * report (delta.reported) its local weekday (Monday 0) and hour for the heat map.
   */
  add(subject: CounterSubject, day: string, delta: Partial<KpiCounters>, closedAfterMs?: number, reportedAt?: { weekday: number; hour: number }): void {
    // The counters this event moves, as (index, amount) pairs: read once, not per unit.
    const moved: number[] = [];
    for (let i = 0; i < KPI_COUNTER_KEYS.length; i++) {
      const n = delta[KPI_COUNTER_KEYS[i]];
      if (n) moved.push(i, n);
    }
    const bucket = closedAfterMs === undefined ? null : bucketOf(closedAfterMs);
    const reports = reportedAt ? (delta.reported ?? 0) : 0;
    if (moved.length === 0 && bucket === null && !reports) return;
    const cell = reportedAt ? reportedAt.weekday * 24 + reportedAt.hour : 0;
    const departmentId = subject.departmentId ?? 0;
    const rest = `|${subject.categoryCode}|${departmentId}|${subject.channel}`;
    const month = day.slice(0, 7);
    for (const unit of unitsOnPath(subject.orgPath)) {
      for (let g = 0; g < 2; g++) {
        const grain = g === 0 ? 'd' : 'm';
        const period = g === 0 ? day : month;
        const head = `${unit.code}|${grain}|${period}`;
        if (moved.length > 0 || bucket !== null) {
          const id = head + rest;
          let row = this.#counters.get(id);
          if (!row) this.#counters.set(id, (row = { key: rollupKey(unit, grain, period, subject, departmentId), counts: new Array<number>(KPI_COUNTER_KEYS.length).fill(0), durations: null }));
          for (let j = 0; j < moved.length; j += 2) row.counts[moved[j]] += moved[j + 1];
          if (bucket !== null) {
            const d = (row.durations ??= new Map());
            d.set(bucket, (d.get(bucket) ?? 0) + 1);
          }
        }
        if (reports) {
          let row = this.#hours.get(head);
          if (!row) this.#hours.set(head, (row = { org_code: unit.code, grain, period, cells: new Map() }));
          row.cells.set(cell, (row.cells.get(cell) ?? 0) + reports);
        }
      }
    }
  }

  /** Rows gathered so far (what a flush would write). */
  get size(): number {
    return this.#counters.size + this.#hours.size;
  }

  /** Writes everything gathered (adding to existing rows) and empties the batch. */
  async flush(db: Db): Promise<void> {
    const counters = [...this.#counters].sort(byId);
    const hours = [...this.#hours].sort(byId).map(([, h]) => ({ org_code: h.org_code, grain: h.grain, period: h.period, cells: packCounts(h.cells) ?? '{}' }));
    this.#counters.clear();
    this.#hours.clear();
    // Every row carries every counter (zeros included), so one statement shape fits all rows; in
    // key order, so the upserts walk the table's b-tree in order.
    const columns = KPI_COUNTER_KEYS.map(counterColumn);
    const rows = counters.map(([, { key, counts, durations }]) => {
      const row: Record<string, unknown> = { ...key };
      for (let i = 0; i < columns.length; i++) row[columns[i]] = counts[i];
      row.durations = durations ? packCounts(durations) : null;
      return row;
    });
    await kpiRepository.addToRollups(db, { counters: rows, columns, hours });
  }
}

const byId = (a: [string, unknown], b: [string, unknown]) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0);

function rollupKey(unit: { code: string; level: OrgLevel; parent: string; path: string }, grain: 'd' | 'm', period: string, subject: CounterSubject, departmentId: number): KpiRollupKey {
  return {
    grain, period, org_code: unit.code, org_level: unit.level, parent_code: unit.parent, org_path: unit.path,
    category_code: subject.categoryCode, class_code: subject.classCode, department_id: departmentId, channel: subject.channel,
  };
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
