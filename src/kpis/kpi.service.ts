import type { Ctx } from '../context.js';
import { AppError } from '../errors.js';
import { getOrgUnitInScope } from '../org/org.service.js';
import { caseScopeFor } from '../cases/case.scope.js';
import { localDate } from '../time/zoned-time.js';
import { addCounters, computeKpis, emptyCounters, type KpiCounters, type Kpis } from './formulas.js';
import { DEFAULT_KPI_CONFIG, type KpiConfig } from './kpi.config.js';
import { histogramMedian } from './kpi.histogram.js';
import { kpiRepository, type KpiGroupBy } from './kpi.repository.js';

export interface KpiRequest {
  org?: string;
  from?: string;
  to?: string;
  groupBy?: KpiGroupBy;
  departmentId?: number;
  category?: string;
  channel?: string;
  /** Read the closure-time histograms for medianHoursToClose (the costlier part); default true. */
  withMedians?: boolean;
  /**
   * Sum only these counters (the others, and the rates computed from them, read 0): for callers
   * that show a few counts over a long range of day rows (the big screen's daily trend).
   */
  counters?: readonly (keyof KpiCounters)[];
}

export type KpiView = KpiCounters & Kpis & {
  /** Median hours from report to closure of the cases closed in the period (from the duration histogram, within 4.5 %); null when none closed. */
  medianHoursToClose: number | null;
};

export interface KpiReport extends KpiView {
  org: { code: string; name: string; level: string };
  from: string;
  to: string;
  groupBy: KpiGroupBy;
  /** One row per group; with groupBy=category each row also names its `categoryCode`. */
  groups: ({ group: string | null; categoryCode?: string } & KpiView)[];
}

const MAX_DAYS = 3660;

/**
 * KPIs (综合评价) of an org unit's subtree over local dates [from, to], optionally for one department,
 * category or channel, grouped by a dimension. Read from per-day counters, never from the cases.
 * A department's staff see only their department. Throws org_unit_not_found, validation_failed.
 */
export async function kpiReport(ctx: Ctx, req: KpiRequest, config: KpiConfig = { ...DEFAULT_KPI_CONFIG, onTimeClosure: ctx.app.config.onTimeClosure }): Promise<KpiReport> {
  const org = await getOrgUnitInScope(ctx, req.org ?? ctx.actor.orgCode);
  const today = localDate(ctx.now, ctx.app.config.timeZone);
  const to = req.to ?? today;
  const from = req.from ?? `${to.slice(0, 8)}01`;
  if (from > to) throw new AppError('validation_failed', 'from must not be after to', { field: 'from' });
  if ((Date.parse(to) - Date.parse(from)) / 86_400_000 > MAX_DAYS) throw new AppError('validation_failed', `the period may span at most ${MAX_DAYS} days`, { field: 'from' });
  // The same department rule as case reads: a handler's scope pins the department, whatever was asked.
  const departmentId = caseScopeFor(ctx.actor).departmentId ?? req.departmentId;
  const groupBy = req.groupBy ?? 'none';
  const query = { org, from, to, departmentId, categoryCode: req.category, channel: req.channel };
  const rows = await kpiRepository.sum(ctx.db, query, groupBy, req.withMedians ?? true, req.counters);
  const total = rows.reduce((acc, r) => addCounters(acc, r.counters), emptyCounters());
  const durations = new Map<number, number>();
  for (const r of rows) for (const [b, n] of r.durations) durations.set(b, (durations.get(b) ?? 0) + n);
  const view = (c: KpiCounters, d: ReadonlyMap<number, number>): KpiView => ({ ...c, ...computeKpis(c, config), medianHoursToClose: histogramMedian(d) });
  return {
    org: { code: org.code, name: org.name, level: org.level },
    from,
    to,
    groupBy,
    ...view(total, durations),
    groups: groupBy === 'none' ? [] : rows.map((r) => ({ group: r.group, ...(groupBy === 'category' && r.group !== null ? { categoryCode: r.group } : {}), ...view(r.counters, r.durations) })),
  };
}
