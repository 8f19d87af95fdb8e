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

/** Rows fetched per query while exporting. */
export const EXPORT_BATCH = 500;

/**
 * Every case the actor may see that matches the list's filters (no paging), newest first, fetched
 * in keyset batches so that memory stays constant however many there are.
 * Throws org_unit_not_found (before the first row) for an org outside scope.
 */
export async function* streamCases(ctx: Ctx, q: CaseListQuery, batchSize = EXPORT_BATCH): AsyncGenerator<CaseRow> {
  const scope = caseScopeFor(ctx.actor);
  const filter = await caseFilterFrom(ctx, q);
  let after: { createdAt: string; id: number } | null = null;
  for (;;) {
    const rows = await caseRepository.listBatch(ctx.db, ctx.app.dialect, scope, filter, after, batchSize);
    yield* rows;
    if (rows.length < batchSize) return;
    const last = rows[rows.length - 1];
    after = { createdAt: last.created_at, id: last.id };
  }
}
