import type { Ctx } from '../context.js';
import { fromLocal } from '../sla/zoned-time.js';
import { getOrgUnitInScope } from '../org/org.service.js';
import { caseRepository, type CaseFilter, type CaseRow } from './case.repository.js';
import { caseScopeFor } from './case.scope.js';
import type { CaseListQuery } from './case.schema.js';

const DAY_MS = 86_400_000;

/** A list bound: a local date (the city's midnight; `to` is inclusive, so the next midnight) or an instant. */
function bound(value: string | undefined, timeZone: string, end: boolean): string | undefined {
  if (!value) return undefined;
  if (value.length === 10) return new Date(fromLocal(value, 0, timeZone) + (end ? DAY_MS : 0)).toISOString();
  return new Date(value).toISOString();
}

/** Turns the list/CSV query string into a repository filter. Throws org_unit_not_found for an org outside scope. */
export async function caseFilterFrom(ctx: Ctx, q: CaseListQuery): Promise<CaseFilter> {
  const tz = ctx.app.config.timeZone;
  return {
    status: q.status?.split(',').map((s) => s.trim()).filter(Boolean),
    orgPath: q.org ? (await getOrgUnitInScope(ctx, q.org)).path : undefined,
    categoryCode: q.category,
    channel: q.channel,
    light: q.light?.split(','),
    overdue: q.overdue,
    from: bound(q.from, tz, false),
    to: bound(q.to, tz, true),
    text: q.q,
  };
}

/** Lists the cases an actor may see, newest first. */
export async function listCases(ctx: Ctx, q: CaseListQuery): Promise<{ items: CaseRow[]; total: number; limit: number; offset: number }> {
  const page = { limit: q.limit ?? 50, offset: q.offset ?? 0 };
  const result = await caseRepository.list(ctx.db, ctx.app.dialect, caseScopeFor(ctx.actor), await caseFilterFrom(ctx, q), page);
  return { ...result, ...page };
}
