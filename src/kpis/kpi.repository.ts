import { PostgresAdapter, sql, type SelectQueryBuilder } from 'kysely';
import type { Db } from '../db/database.js';
import type { Database, OrgLevel } from '../db/tables.js';
import { subtreeRange } from '../db/dialect.js';
import { bulkInsert } from '../db/bulk.repository.js';
import { LEVELS } from '../org/levels.js';
import { KPI_COUNTER_KEYS, emptyCounters, type KpiCounters } from './formulas.js';
import { periodParts, type PeriodPart } from './kpi.periods.js';
import { addUnpacked } from './kpi.packed.js';

export type KpiGroupBy = 'none' | 'day' | 'category' | 'class' | 'department' | 'channel' | 'district' | 'street' | 'community' | 'grid';

export interface KpiQuery {
  /** The org unit whose subtree is summed. */
  org: { code: string; level: OrgLevel; path: string };
  /** Local dates, inclusive. */
  from: string;
  to: string;
  departmentId?: number;
  categoryCode?: string;
  channel?: string;
}

export interface KpiGroupRow {
  group: string | null;
  counters: KpiCounters;
  /** Closures per duration bucket (kpi.histogram.ts). */
  durations: Map<number, number>;
}

/** Snake-case column of a counter key: handledOnTime → handled_on_time. */
export const counterColumn = (key: keyof KpiCounters) => key.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`) as 'reported';

const KEY_COLUMNS = ['org_code', 'grain', 'period', 'category_code', 'department_id', 'channel'] as const;
const COUNTER_COLUMNS = KPI_COUNTER_KEYS.map(counterColumn);
/** The columns of a roll-up row as KpiRollupBatch gathers it: key and descriptive columns (KpiRollupKey), counters (KPI_COUNTER_KEYS order), `durations`. */
export const ROLLUP_ROW_COLUMNS = ['grain', 'period', 'org_code', 'org_level', 'parent_code', 'org_path', 'category_code', 'class_code', 'department_id', 'channel', ...COUNTER_COLUMNS, 'durations'] as const;
/** The columns of a heat-map row: org_code, grain, period, cells (packed). */
const HOUR_COLUMNS = ['org_code', 'grain', 'period', 'cells'] as const;

/** What a KpiRollupBatch flushes, as value arrays: roll-up rows (ROLLUP_ROW_COLUMNS) and heat-map rows (org_code, grain, period, cells). */
export interface RollupWrites {
  counters: unknown[][];
  hours: unknown[][];
}

/**
 * `"col" = the stored packed counts plus the new row's`, cell by cell, in the upsert itself, so
 * that concurrent writers add up (no read-modify-write). A NULL on either side keeps the other.
 */
function mergePacked(pg: boolean, table: string, col: string): string {
  const [old, add] = [`"${table}"."${col}"`, `excluded."${col}"`];
  const merged = pg
    ? `(select jsonb_object_agg(k, s) from (select key as k, sum(value::bigint) as s from (select * from jsonb_each_text(${old}) union all select * from jsonb_each_text(${add})) as c group by key) as m)`
    : `(select json_group_object(k, s) from (select key as k, sum(value) as s from (select key, value from json_each(${old}) union all select key, value from json_each(${add})) group by key))`;
  return `"${col}" = case when ${add} is null then ${old} when ${old} is null then ${add} else ${merged} end`;
}

type Table = 'kpi_rollup';
type Q = SelectQueryBuilder<Database, Table, object>;

const isArea = (g: KpiGroupBy): g is 'district' | 'street' | 'community' | 'grid' => (LEVELS as string[]).includes(g);

/**
 * Roll-up reads. A query touches the rows of one unit (or of its units one level down) for the
 * months the period covers whole and the days at its ends: a year of the city is twelve month
 * rows per category × department × channel, whatever the number of cases.
 */
export const kpiRepository = {
  /** Adds the gathered increments to the roll-up tables (multi-row upserts, in chunks). */
  async addToRollups(db: Db, { counters, hours }: RollupWrites): Promise<void> {
    // Value arrays through bulkInsert: a bulk import writes many rows per case, and building a
    // query tree per row cost more than running the statements.
    const pg = db.getExecutor().adapter instanceof PostgresAdapter;
    if (counters.length) await bulkInsert(db, 'kpi_rollup', ROLLUP_ROW_COLUMNS, counters, { conflict: KEY_COLUMNS, add: COUNTER_COLUMNS, set: [mergePacked(pg, 'kpi_rollup', 'durations')] });
    if (hours.length) await bulkInsert(db, 'kpi_hours', HOUR_COLUMNS, hours, { conflict: HOUR_COLUMNS.slice(0, 3), set: [mergePacked(pg, 'kpi_hours', 'cells')] });
  },

  /**
   * Sums counters and duration histograms over an org subtree and a date range [from, to], grouped
   * by one dimension. Grouping by a level below the org's deeper than its children reads that
   * level's rows in the subtree; units with no unit at that level (a case without a grid) form
   * the group `null`. With `only`, just those counters are summed (the others read 0).
   */
  async sum(db: Db, q: KpiQuery, groupBy: KpiGroupBy, withDurations = true, only: readonly (keyof KpiCounters)[] = KPI_COUNTER_KEYS): Promise<KpiGroupRow[]> {
    const parts = periodParts(q.from, q.to, groupBy === 'day');
    const orgDepth = LEVELS.indexOf(q.org.level);
    const below = isArea(groupBy) && LEVELS.indexOf(groupBy) > orgDepth;
    const groups = new Map<string, KpiGroupRow>();
    const select = below ? { level: groupBy, child: LEVELS.indexOf(groupBy as OrgLevel) === orgDepth + 1 } : null;
    const groupExpr = below ? sql<string>`org_code` : groupExpression(groupBy);
    for (const part of parts) {
      const counters = await sumCounters(db, q, part, select, groupExpr, only);
      for (const r of counters) entry(groups, r.group).counters = addInto(entry(groups, r.group).counters, r.counters);
      if (withDurations) for (const d of await packedDurations(db, q, part, select, groupExpr)) addUnpacked(entry(groups, d.group).durations, d.durations);
    }
    const order = groupBy === 'department' ? (a: KpiGroupRow, b: KpiGroupRow) => Number(a.group) - Number(b.group) : (a: KpiGroupRow, b: KpiGroupRow) => String(a.group).localeCompare(String(b.group));
    let rows = [...groups.values()].sort(order);
    if (isArea(groupBy) && !below) {
      // The org itself lies under one unit of that level: its ancestor (or itself).
      const ancestor = q.org.path.split('/').filter(Boolean)[LEVELS.indexOf(groupBy)] ?? null;
      rows = rows.map((r) => ({ ...r, group: ancestor }));
    }
    if (below) rows.push(...(await remainder(db, q, rows, withDurations, only)));
    return rows;
  },
};

/**
 * Reports of an org unit's subtree over local dates [from, to] per weekday (Monday 0) and hour of
 * the city's clock, from the month rows of whole months and the day rows at the ends. Grids have
 * no rows: a grid's heat map is counted from its cases (screen.repository reportsPerHour).
 */
export async function reportHours(db: Db, orgCode: string, from: string, to: string): Promise<{ weekday: number; hour: number; n: number }[]> {
  const cells = new Map<number, number>();
  for (const part of periodParts(from, to)) {
    const rows = await db.selectFrom('kpi_hours').where('org_code', '=', orgCode).where('grain', '=', part.grain).where('period', '>=', part.from).where('period', '<=', part.to)
      .select('cells').execute();
    for (const r of rows) addUnpacked(cells, r.cells);
  }
  return [...cells].filter(([, n]) => n !== 0).sort((a, b) => a[0] - b[0]).map(([cell, n]) => ({ weekday: Math.floor(cell / 24), hour: cell % 24, n }));
}

function entry(groups: Map<string, KpiGroupRow>, group: string | null): KpiGroupRow {
  const key = group ?? '\u0000';
  let e = groups.get(key);
  if (!e) groups.set(key, (e = { group, counters: emptyCounters(), durations: new Map() }));
  return e;
}

function addInto(a: KpiCounters, b: KpiCounters): KpiCounters {
  for (const k of KPI_COUNTER_KEYS) a[k] += b[k];
  return a;
}

/** What the units of a deeper level do not hold: the org's totals minus the groups' sums, when not zero. */
async function remainder(db: Db, q: KpiQuery, rows: KpiGroupRow[], withDurations: boolean, only: readonly (keyof KpiCounters)[]): Promise<KpiGroupRow[]> {
  const [total] = await kpiRepository.sum(db, q, 'none', withDurations, only);
  if (!total) return [];
  const rest = { ...total.counters };
  for (const r of rows) for (const k of KPI_COUNTER_KEYS) rest[k] -= r.counters[k];
  const durations = new Map(total.durations);
  for (const r of rows) for (const [b, n] of r.durations) durations.set(b, (durations.get(b) ?? 0) - n);
  for (const [b, n] of durations) if (n === 0) durations.delete(b);
  return KPI_COUNTER_KEYS.some((k) => rest[k] !== 0) || durations.size ? [{ group: null, counters: rest, durations }] : [];
}

function scoped(db: Db, table: Table, q: KpiQuery, part: PeriodPart, select: { level: OrgLevel; child: boolean } | null): Q {
  let query = db.selectFrom(table as 'kpi_rollup') as unknown as Q;
  const ref = (c: string) => sql.ref(c);
  // The table's one index is its primary key (org_code, grain, period, …): the units of a level
  // below the org are named from org_units and each one's rows sought by that key.
  if (!select) query = query.where(ref('org_code'), '=', q.org.code);
  else if (select.child) query = query.where(ref('org_code'), 'in', db.selectFrom('org_units').select('code').where('parent_code', '=', q.org.code));
  else {
    const range = subtreeRange(q.org.path);
    query = query.where(ref('org_code'), 'in', db.selectFrom('org_units').select('code').where('level', '=', select.level).where('path', '>=', range.from).where('path', '<', range.to));
  }
  query = query.where(ref('grain'), '=', part.grain).where(ref('period'), '>=', part.from).where(ref('period'), '<=', part.to);
  if (q.departmentId !== undefined) query = query.where(ref('department_id'), '=', q.departmentId);
  if (q.categoryCode) query = query.where(ref('category_code'), '=', q.categoryCode);
  if (q.channel) query = query.where(ref('channel'), '=', q.channel);
  return query;
}

type GroupExpr = ReturnType<typeof sql<string>> | null;

async function sumCounters(db: Db, q: KpiQuery, part: PeriodPart, select: { level: OrgLevel; child: boolean } | null, groupExpr: GroupExpr, only: readonly (keyof KpiCounters)[]) {
  // Each summed column costs about as much as the row read itself: a long day range sums only what is asked.
  const sums = only.map((k) => sql<number>`sum(${sql.ref(counterColumn(k))})`.as(k));
  const base = scoped(db, 'kpi_rollup', q, part, select);
  // PostgreSQL refuses a constant in GROUP BY, so the plain total is an ungrouped aggregate.
  const rows = groupExpr
    ? await base.select([groupExpr.as('grp'), ...sums]).groupBy(groupExpr).execute()
    : await base.select([sql<string>`'all'`.as('grp'), ...sums]).execute();
  return rows.flatMap((row) => {
    const r = row as unknown as Record<string, unknown>;
    if (!groupExpr && r[only[0]] === null) return []; // no rows at all
    const counters = emptyCounters();
    for (const k of only) counters[k] = Number(r[k] ?? 0);
    return [{ group: r.grp === null || r.grp === undefined ? null : String(r.grp), counters }];
  });
}

/** The packed histograms of the rows in scope, with their group; summed in JS (addUnpacked). */
async function packedDurations(db: Db, q: KpiQuery, part: PeriodPart, select: { level: OrgLevel; child: boolean } | null, groupExpr: GroupExpr) {
  const rows = await scoped(db, 'kpi_rollup', q, part, select).where(sql.ref('durations'), 'is not', null)
    .select([(groupExpr ?? sql<string>`'all'`).as('grp'), sql.ref<unknown>('durations').as('durations')]).execute();
  return rows.map((row) => {
    const r = row as unknown as Record<string, unknown>;
    return { group: r.grp === null || r.grp === undefined ? null : String(r.grp), durations: r.durations };
  });
}

function groupExpression(groupBy: KpiGroupBy): GroupExpr {
  switch (groupBy) {
    case 'none': case 'district': case 'street': case 'community': case 'grid': return null;
    case 'day': return sql<string>`period`;
    case 'category': return sql<string>`category_code`;
    case 'class': return sql<string>`class_code`;
    case 'department': return sql<string>`department_id`;
    case 'channel': return sql<string>`channel`;
  }
}
