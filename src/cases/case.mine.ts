import type { Ctx } from '../context.js';
import type { Role } from '../auth/actor.js';
import { listCases } from './case.query.js';
import type { CaseListQuery } from './case.schema.js';
import { allowedActions, sidePaths, WORKFLOWS } from './workflow/index.js';

// The side paths (退回, 改派, 挂起, 督办, 作废, 重新办理 …) are possible in many states; a task is a
// state where the actor moves the case forward along its flow. Derived from the side paths
// themselves, so the list cannot drift from them.
const SIDE_ACTIONS = new Set([
  ...sidePaths({ awaitingDispatch: 'x', dispatched: 'x', assigned: ['x'], suspendable: ['x'], mergeable: ['x'], closed: 'x' }).map((t) => t.action),
  'evaluate',
]);

/** States, in any flow, where `role` has a forward action: its work queue (核实/核查 for a grid worker). */
export function taskStates(role: Role): string[] {
  const states = new Set<string>();
  for (const def of WORKFLOWS) {
    for (const state of Object.keys(def.states)) {
      if (allowedActions(def, state, role).some((a) => !SIDE_ACTIONS.has(a))) states.add(state);
    }
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
  if (status.length === 0) return { items: [], total: 0, limit: q.limit ?? 50, offset: q.offset ?? 0 };
  return listCases(ctx, { ...q, status: undefined }, { status });
}
