import type { Ctx } from '../context.js';
import { caseRepository, type CaseFilter, type CaseScope } from './case.repository.js';

/** Up to this many matches the list's total is counted exactly; beyond, it is estimated. */
export const EXACT_TOTAL_UP_TO = 10_000;
/** How long a total may be served without a write seen: bounds what other processes' writes leave stale. */
export const TOTAL_TTL_MS = 5_000;
const MAX_ENTRIES = 1_000;
/** The tables whose rows a total depends on (riskLevel filters through disputes). */
const TABLES = ['cases', 'disputes'];

interface Entry {
  key: string;
  generation: number;
  expires: number;
  value: Promise<{ total: number; exact: boolean }>;
}

const CACHE = 'cases.totals';

/**
 * How many cases of the scope match the filter (exact up to EXACT_TOTAL_UP_TO, else an estimate),
 * counted once per scope and filter until this process writes a case (or a dispute) or
 * TOTAL_TTL_MS pass: paging through one list (offset or cursor) counts once instead of once per
 * page. A write the write log does not see (another instance, a CLI import, a precompiled bulk
 * statement such as the sweeper's light updates) shows within TOTAL_TTL_MS.
 * Inside a transaction the count is never cached.
 */
export function countListTotal(ctx: Ctx, scope: CaseScope, filter: CaseFilter): Promise<{ total: number; exact: boolean }> {
  const count = () => caseRepository.countUpTo(ctx.db, ctx.app.dialect, scope, filter, EXACT_TOTAL_UP_TO);
  if (ctx.db.isTransaction) return count();
  let entries = ctx.app.services.get(CACHE) as Map<string, Entry> | undefined;
  if (!entries) ctx.app.services.set(CACHE, (entries = new Map()));
  // The index's size estimate only chooses a page's plan; it moves with every new case.
  const key = JSON.stringify([scope, { ...filter, textMatchSize: undefined }]);
  const generation = ctx.app.store.writes.generation(...TABLES);
  const now = Date.now();
  const hit = entries.get(key);
  if (hit && hit.generation === generation && hit.expires > now) return hit.value;
  const value = count();
  entries.delete(key);
  if (entries.size >= MAX_ENTRIES) entries.delete(entries.keys().next().value as string);
  const entry = { key, generation, expires: now + TOTAL_TTL_MS, value };
  entries.set(key, entry);
  value.catch(() => entries.get(key) === entry && entries.delete(key));
  return value;
}
