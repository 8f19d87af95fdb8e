import type { Ctx } from '../context.js';
import { fromLocal } from '../time/zoned-time.js';
import { getOrgUnitInScope } from '../org/org.service.js';
import { AppError } from '../errors.js';
import { can } from '../auth/policy.js';
import { getKeyring } from '../privacy/keyring.js';
import { phoneHash } from '../privacy/reporter.js';
import { caseRepository, type CaseFilter, type CaseOrder, type CaseRow, type CaseSummaryRow } from './case.repository.js';
import { QUEUES, queueFilter, queuesFor, type QueueKey } from './case.queues.js';
import { caseScopeFor } from './case.scope.js';
import { decodeCursor, encodeCursor } from './case.cursor.js';
import { countListTotal } from './case.totals.js';
import type { CaseListQuery, CaseSort } from './case.schema.js';

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
  const filter: CaseFilter = {
    status: q.status?.split(',').map((s) => s.trim()).filter(Boolean),
    orgPath: q.org ? (await getOrgUnitInScope(ctx, q.org)).path : undefined,
    categoryCode: q.category,
    classCode: q.class,
    channel: q.channel,
    light: q.light?.split(','),
    overdue: q.overdue,
    from: bound(q.from, tz, false),
    to: bound(q.to, tz, true),
    text: q.q,
    ...(q.q ? await textIndexFilter(ctx, q.q) : {}),
    riskLevel: q.riskLevel?.split(','),
    reporterPhoneHash: q.reporterPhone ? reporterPhoneHash(ctx, q.reporterPhone) : undefined,
  };
  return q.queue ? withQueue(ctx, filter, q.queue) : filter;
}

/** How the text index narrows a search (SQLite), as CaseFilter fields. */
async function textIndexFilter(ctx: Ctx, text: string): Promise<Pick<CaseFilter, 'textMatch' | 'textMatchSize'>> {
  const plan = await caseRepository.textIndexPlan(ctx.db, ctx.app.dialect, text);
  return { textMatch: plan.match, textMatchSize: plan.size };
}

/** The search hash of a phone, for those allowed to see personal data. Throws forbidden. */
function reporterPhoneHash(ctx: Ctx, phone: string): string {
  if (!can(ctx.actor, 'case.read_personal')) throw new AppError('forbidden', 'searching by reporter phone needs the right to see personal data', { field: 'reporterPhone' });
  return phoneHash(getKeyring(ctx.app), phone);
}

/** Narrows a filter to one of the actor's queues. Throws validation_failed for a queue the role does not have. */
function withQueue(ctx: Ctx, filter: CaseFilter, queue: QueueKey): CaseFilter {
  const qf = queueFilter(queue, ctx.actor.role);
  if (!qf) throw new AppError('validation_failed', `queue "${queue}" is not one of the ${ctx.actor.role} role's queues`, { field: 'queue' });
  const status = filter.status ? filter.status.filter((s) => qf.status.includes(s)) : qf.status;
  const light = qf.light && filter.light ? filter.light.filter((l) => qf.light?.includes(l)) : (qf.light ?? filter.light);
  // An empty intersection must select nothing, not drop the condition.
  return { ...filter, status: status.length ? status : ['-'], light: light && light.length === 0 ? ['-'] : light, supervised: qf.supervised ?? filter.supervised };
}

const SORT_COLUMNS: Record<string, CaseOrder['column']> = {
  createdAt: 'created_at', updatedAt: 'updated_at', deadline: 'deadline', stageDeadline: 'stage_deadline', number: 'number', priority: 'priority',
};

/** The repository order of a `sort` parameter ("-field" is descending); newest first by default. */
export function caseOrderFrom(sort: CaseSort | undefined): CaseOrder {
  if (!sort) return { column: 'created_at', descending: true };
  const descending = sort.startsWith('-');
  return { column: SORT_COLUMNS[descending ? sort.slice(1) : sort], descending };
}

/** The actor's workbench queues with their counts, each counted in the query within the actor's scope. */
export async function countQueues(ctx: Ctx): Promise<{ key: QueueKey; label: string; count: number }[]> {
  const scope = caseScopeFor(ctx.actor);
  const out: { key: QueueKey; label: string; count: number }[] = [];
  for (const key of queuesFor(ctx.actor.role)) {
    out.push({ key, label: QUEUES[key].label, count: await caseRepository.count(ctx.db, ctx.app.dialect, scope, withQueue(ctx, {}, key)) });
  }
  return out;
}

export interface CaseListPage {
  items: CaseSummaryRow[];
  total: number;
  totalIsEstimate: boolean;
  limit: number;
  offset: number;
  nextCursor: string | null;
}

/**
 * Lists the cases an actor may see, in the asked order (newest first by default); `extra` narrows
 * further (my reports, my tasks). A `cursor` (the previous page's nextCursor) continues after that
 * page by keyset; otherwise `offset` applies. Throws org_unit_not_found, validation_failed (cursor).
 */
export async function listCases(ctx: Ctx, q: CaseListQuery, extra: Partial<CaseFilter> = {}): Promise<CaseListPage> {
  const sort = q.sort ?? '-createdAt';
  const order = caseOrderFrom(q.sort);
  const after = q.cursor ? decodeCursor(q.cursor, sort) : undefined;
  const page = { limit: q.limit ?? 50, offset: after ? 0 : (q.offset ?? 0), after };
  const filter = { ...(await caseFilterFrom(ctx, q)), ...extra };
  const scope = caseScopeFor(ctx.actor);
  // One row more than the page tells whether there is a next page.
  const [rows, count] = await Promise.all([
    caseRepository.listPage(ctx.db, ctx.app.dialect, scope, filter, { ...page, limit: page.limit + 1 }, order),
    countListTotal(ctx, scope, filter),
  ]);
  const items = rows.slice(0, page.limit);
  const last = rows.length > page.limit ? items[items.length - 1] : undefined;
  return {
    items,
    total: count.total,
    totalIsEstimate: !count.exact,
    limit: page.limit,
    offset: page.offset,
    nextCursor: last ? encodeCursor({ sort, value: last[order.column], id: last.id }) : null,
  };
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
