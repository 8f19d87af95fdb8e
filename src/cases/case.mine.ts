import type { Ctx } from '../context.js';
import type { Role } from '../auth/actor.js';
import { listCases } from './case.query.js';
import type { CaseListQuery } from './case.schema.js';
import { QUEUES, queueFilter, queuesFor } from './case.queues.js';

/** The states of the role's work queues (not the watch queues): a grid worker's 待核实 and 待核查. */
export function taskStates(role: Role): string[] {
  const states = new Set<string>();
  for (const key of queuesFor(role)) {
    if ('actions' in QUEUES[key]) for (const s of queueFilter(key, role)?.status ?? []) states.add(s);
  }
  return [...states].sort();
}

/** The cases the actor reported themself (a citizen's "my reports", a grid worker's 上报), newest first. */
export function listMyReports(ctx: Ctx, q: CaseListQuery) {
  return listCases(ctx, q, { reporterUserId: ctx.actor.id });
}

/**
 * The cases in the actor's scope waiting for one of their forward actions (a grid worker: 核实 and
 * 核查 in their community), newest first; `q.status` narrows to some of those states.
 */
export async function listMyTasks(ctx: Ctx, q: CaseListQuery) {
  const mine = taskStates(ctx.actor.role);
  const asked = q.status?.split(',').map((s) => s.trim()).filter(Boolean);
  const status = asked ? mine.filter((s) => asked.includes(s)) : mine;
  if (status.length === 0) return { items: [], total: 0, totalIsEstimate: false, limit: q.limit ?? 50, offset: q.offset ?? 0, nextCursor: null };
  return listCases(ctx, { ...q, status: undefined }, { status });
}
