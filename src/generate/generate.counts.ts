import type { KpiCounters } from '../kpis/formulas.js';
import type { KpiRollupBatch } from '../kpis/kpi.rollup.js';
import type { SimCount } from './generate.sim.js';

/**
 * What recordCaseCounters does for each counted event of a case, with the local day from a
 * per-hour offset cache, and events of the same subject and local day summed into one `add` (the
 * batch adds deltas up; the report and a closure keep their hour and duration, one per call).
 */
export function countCase(rollup: KpiRollupBatch, counts: SimCount[], createdMs: number, localTime: (ms: number) => Date): void {
  let pending: { subject: SimCount['subject']; day: string; delta: Partial<KpiCounters>; closedAfterMs?: number; reportedAt?: { weekday: number; hour: number } } | null = null;
  for (const c of counts) {
    const ms = c.at.getTime();
    const local = localTime(ms);
    const day = local.toISOString().slice(0, 10);
    const closedAfterMs = c.delta.closed && c.delta.closed > 0 ? ms - createdMs : undefined;
    const reportedAt = c.delta.reported ? { weekday: (local.getUTCDay() + 6) % 7, hour: local.getUTCHours() } : undefined;
    const special = closedAfterMs !== undefined || reportedAt !== undefined;
    if (pending && pending.subject === c.subject && pending.day === day && !(special && (pending.closedAfterMs !== undefined || pending.reportedAt))) {
      for (const [k, n] of Object.entries(c.delta) as [keyof KpiCounters, number][]) pending.delta[k] = (pending.delta[k] ?? 0) + n;
      if (closedAfterMs !== undefined) pending.closedAfterMs = closedAfterMs;
      if (reportedAt) pending.reportedAt = reportedAt;
      continue;
    }
    if (pending) rollup.add(pending.subject, pending.day, pending.delta, pending.closedAfterMs, pending.reportedAt);
    pending = { subject: c.subject, day, delta: { ...c.delta }, closedAfterMs, reportedAt };
  }
  if (pending) rollup.add(pending.subject, pending.day, pending.delta, pending.closedAfterMs, pending.reportedAt);
}
