import { sql } from 'kysely';
import type { Db } from '../db/database.js';
import { subtreeRange } from '../db/dialect.js';
import { KPI_COUNTER_KEYS, emptyCounters, type KpiCounters } from './formulas.js';

/** Snake-case column of a counter key: handledOnTime → handled_on_time. */
const column = (key: keyof KpiCounters) => key.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`) as 'reported';

/** The dimensions a counter row is kept by. */
export interface KpiKey {
  day: string;
  /** The grid (or deepest unit) of the case, and its ancestors. */
  orgCode: string;
  orgPath: string;
  districtCode: string;
  streetCode: string;
  communityCode: string;
  categoryCode: string;
  classCode: string;
  departmentId: number | null;
  channel: string;
}

export type KpiGroupBy = 'none' | 'day' | 'category' | 'class' | 'department' | 'channel' | 'district' | 'street' | 'community' | 'grid';

export interface KpiQuery {
  orgPath: string;
  from: string;
  to: string;
  departmentId?: number;
  categoryCode?: string;
  channel?: string;
}

/** Per-day KPI counters. Increments are upserts, so the caller's transaction stays short. */
export const kpiRepository = {
  /** Adds `delta` to the row of `key`, creating it at zero first. */
  async bump(db: Db, key: KpiKey, delta: Partial<KpiCounters>): Promise<void> {
    const entries = Object.entries(delta).filter(([, v]) => v) as [keyof KpiCounters, number][];
    if (entries.length === 0) return;
    const values: Record<string, unknown> = {
      day: key.day, org_code: key.orgCode, org_path: key.orgPath, district_code: key.districtCode, street_code: key.streetCode, community_code: key.communityCode, category_code: key.categoryCode, class_code: key.classCode,
      department_id: key.departmentId ?? 0, channel: key.channel,
    };
    for (const [k, v] of entries) values[column(k)] = v;
    await db
      .insertInto('kpi_daily')
      .values(values as never)
      .onConflict((oc) =>
        oc.columns(['day', 'org_code', 'category_code', 'department_id', 'channel']).doUpdateSet(
          Object.fromEntries(entries.map(([k]) => [column(k), sql`kpi_daily.${sql.ref(column(k))} + excluded.${sql.ref(column(k))}`])) as never,
        ),
      )
      .execute();
  },

  /**
   * Sums counters over an org subtree and a date range [from, to] (local dates), grouped by one
   * dimension. Cost grows with the rows in range, not with the number of cases.
   */
  async sum(db: Db, q: KpiQuery, groupBy: KpiGroupBy): Promise<{ group: string | null; counters: KpiCounters }[]> {
    const range = subtreeRange(q.orgPath);
    let query = db
      .selectFrom('kpi_daily')
      .where('org_path', '>=', range.from)
      .where('org_path', '<', range.to)
      .where('day', '>=', q.from)
      .where('day', '<=', q.to);
    if (q.departmentId !== undefined) query = query.where('department_id', '=', q.departmentId);
    if (q.categoryCode) query = query.where('category_code', '=', q.categoryCode);
    if (q.channel) query = query.where('channel', '=', q.channel);
    const sums = KPI_COUNTER_KEYS.map((k) => sql<number>`sum(${sql.ref(column(k))})`.as(k));
    // PostgreSQL refuses a constant in GROUP BY / ORDER BY, so the plain total is an ungrouped aggregate.
    const groupExpr = groupBy === 'none' ? null : groupExpression(groupBy);
    const rows = groupExpr
      ? await query.select([groupExpr.as('grp'), ...sums]).groupBy(groupExpr).orderBy(groupExpr).execute()
      : await query.select([sql<string>`'all'`.as('grp'), ...sums]).execute();
    return rows.map((row) => {
      const r = row as unknown as Record<string, unknown>;
      const counters = emptyCounters();
      for (const k of KPI_COUNTER_KEYS) counters[k] = Number(r[k] ?? 0);
      return { group: r.grp === null || r.grp === undefined ? null : String(r.grp), counters };
    });
  },
};

function groupExpression(groupBy: Exclude<KpiGroupBy, 'none'>) {
  switch (groupBy) {
    case 'grid': return sql<string>`org_code`;
    case 'department': return sql<string>`department_id`;
    default: return sql.ref<string>(groupBy === 'category' || groupBy === 'class' ? `${groupBy}_code` : groupBy === 'day' || groupBy === 'channel' ? groupBy : `${groupBy}_code`);
  }
}
