import type { StateDefinition, Transition } from './workflow.types.js';

/**
 * The side states every closed-loop flow shares. A flow spreads them into its `states`, and names
 * its own states for the side paths with `sidePaths`.
 */
export const SIDE_STATES = {
  suspended: { label: '挂起', paused: true, openStatus: 'open' },
  reopened: { label: '重新办理', stage: 'dispatch', openStatus: 'open' },
  merged: { label: '已合并', terminal: true, openStatus: 'closed' },
  voided: { label: '已作废', terminal: true, openStatus: 'closed' },
  transferred: { label: '已转调解', terminal: true, openStatus: 'closed' },
} as const satisfies Record<string, StateDefinition>;
export type SideState = keyof typeof SIDE_STATES;

export interface SidePathPlan<S extends string> {
  /** Where a case waits for the dispatcher: a returned case goes back here. */
  awaitingDispatch: S;
  /** The state a dispatch or reassignment leads to. */
  dispatched: S;
  /** States in which a department holds the case: return, reassign, extensions. */
  assigned: readonly S[];
  /** States a case may be suspended in: every live state but `suspended` itself. */
  suspendable: readonly S[];
  /** Early states, before anyone works on it, in which a duplicate is merged into another case. */
  mergeable: readonly S[];
  /** The closed state a citizen or dispatcher can reopen. */
  closed: S;
}

/**
 * The side paths of a closed-loop flow (退回, 改派, 延期, 挂起/恢复, 上报上级, 督办, 合并, 作废,
 * 重新办理), as data for the states a flow names. Admin may take them all, like every transition.
 */
export function sidePaths<S extends string>(plan: SidePathPlan<S>): Transition<S | SideState>[] {
  const extension = [['extensionAmount', 'newDeadline']] as const;
  return [
    { action: 'return', from: plan.assigned, to: plan.awaitingDispatch, roles: ['handler'], requires: ['note'], effects: ['clear_department', 'start_stage'] },
    // The clock keeps running on reassignment: the new department inherits the deadline.
    { action: 'reassign', from: plan.assigned, to: plan.dispatched, roles: ['dispatcher'], requires: ['departmentId'], effects: ['set_department'] },
    { action: 'request_extension', from: plan.assigned, to: '$same', roles: ['handler'], requires: extension },
    { action: 'approve_extension', from: plan.assigned, to: '$same', roles: ['dispatcher', 'leader'], requires: extension, effects: ['extend_deadline'] },
    { action: 'suspend', from: plan.suspendable, to: 'suspended', roles: ['dispatcher', 'leader'], requires: ['note'], effects: ['stop_clock'] },
    { action: 'resume', from: ['suspended'], to: '$previous', roles: ['dispatcher', 'leader'], effects: ['resume_clock'] },
    { action: 'escalate', from: '*', to: '$same', roles: ['leader'], effects: ['escalate_org'] },
    { action: 'supervise', from: '*', to: '$same', roles: ['leader'], requires: ['note'], effects: ['mark_supervised'] },
    { action: 'merge', from: plan.mergeable, to: 'merged', roles: ['dispatcher'], requires: ['targetCaseId'], effects: ['merge_into', 'start_stage'] },
    { action: 'void', from: '*', to: 'voided', roles: ['dispatcher', 'leader'], requires: ['note'], effects: ['void', 'start_stage'] },
    { action: 'reopen', from: [plan.closed], to: 'reopened', roles: ['citizen', 'dispatcher'], requires: ['note'], effects: ['reopen', 'start_stage'] },
    // 转调解: POST /cases/{id}/to-mediation opens the dispute and takes this step with its id.
    { action: 'transfer', from: plan.suspendable.filter((s) => s !== plan.closed), to: 'transferred', roles: ['dispatcher', 'mediator', 'leader'], requires: ['targetCaseId', 'note'], effects: ['transfer_out', 'start_stage'] },
  ];
}
