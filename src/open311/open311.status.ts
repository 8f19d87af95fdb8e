import { getWorkflow, WORKFLOWS, type OpenStatus } from '../cases/workflow/index.js';

/**
 * Status vocabularies: GeoReport v2's open/closed comes from each workflow state's `openStatus`;
 * mySociety's extended statuses are mapped here, per state, both ways.
 */

/** mySociety's extended statuses (lowercase on GET, uppercase on POST). */
export const EXTENDED_STATUSES = [
  'open', 'closed', 'fixed', 'in_progress', 'action_scheduled', 'investigating', 'duplicate',
  'not_councils_responsibility', 'no_further_action', 'internal_referral', 'reopen', 'for_triage',
] as const;
export type ExtendedStatus = (typeof EXTENDED_STATUSES)[number];

/** The GeoReport status of a case in `state` of `workflow` (unknown states count as open). */
export function openStatusOf(workflow: string, state: string): OpenStatus {
  return getWorkflow(workflow).states[state]?.openStatus ?? 'open';
}

/** Per workflow, the states whose GeoReport status is one of `statuses`. */
export function statesByOpenStatus(statuses: readonly OpenStatus[]): { workflow: string; states: string[] }[] {
  return WORKFLOWS.map((def) => ({
    workflow: def.id,
    states: Object.entries(def.states).filter(([, s]) => statuses.includes(s.openStatus)).map(([id]) => id),
  }));
}

// The state names both built-in flows share mean the same thing; a flow may override one.
const EXTENDED_BY_STATE: Record<string, ExtendedStatus> = {
  reported: 'open',
  accepted: 'open',
  verified: 'investigating',
  registered: 'action_scheduled',
  dispatched: 'action_scheduled',
  handling: 'in_progress',
  handled: 'in_progress',
  replied: 'in_progress',
  callback_done: 'fixed',
  checked: 'fixed',
  closed: 'fixed',
  rejected: 'not_councils_responsibility',
  suspended: 'investigating',
  reopened: 'reopen',
  merged: 'duplicate',
  voided: 'no_further_action',
};
const EXTENDED_OVERRIDES: Record<string, Record<string, ExtendedStatus>> = {
  // A 12345 demand that is 办结 was answered, not necessarily "fixed".
  hotline: { closed: 'closed' },
};

/** The mySociety extended status of a case in `state` of `workflow`. */
export function extendedStatusOf(workflow: string, state: string): ExtendedStatus {
  return EXTENDED_OVERRIDES[workflow]?.[state] ?? EXTENDED_BY_STATE[state] ?? (openStatusOf(workflow, state) === 'open' ? 'open' : 'closed');
}

/**
 * The workflow actions an incoming update status asks for, in order of preference. The first one
 * the caller's role may take in the case's state is applied; none means the update is a comment.
 * OPEN on a closed case and REOPEN ask for `reopen`; DUPLICATE needs a target case, which the
 * update channel cannot name, so it is always a comment.
 */
export const ACTIONS_FOR_STATUS: Record<string, readonly string[]> = {
  OPEN: ['reopen'],
  REOPEN: ['reopen'],
  INVESTIGATING: ['verify'],
  ACTION_SCHEDULED: ['register'],
  IN_PROGRESS: ['accept'],
  FIXED: ['complete', 'reply', 'check_pass', 'close'],
  CLOSED: ['close'],
  NOT_COUNCILS_RESPONSIBILITY: ['reject', 'void'],
  NO_FURTHER_ACTION: ['reject', 'void'],
  INTERNAL_REFERRAL: [],
  FOR_TRIAGE: [],
  DUPLICATE: [],
};
