import { getWorkflow, WORKFLOWS, type OpenStatus } from '../cases/workflow/index.js';

/**
 * Status vocabularies: GeoReport v2's open/closed comes from each workflow state's `openStatus`;
 * mySociety's extended statuses are mapped here, per state, both ways.
 */

/**
 * The mySociety extended statuses Gridloop sends (lowercase, on GET /servicerequestupdates): only
 * ones FixMyStreet maps onto a state of its own (`Open311::GetServiceRequestUpdates::map_state`
 * turns `fixed`, `not_councils_responsibility`, `no_further_action`, `open` and `closed` into its
 * states and keeps the others by name). `reopen` and `for_triage` are not FixMyStreet states.
 */
export const EXTENDED_STATUSES = [
  'open', 'closed', 'fixed', 'in_progress', 'action_scheduled', 'investigating', 'duplicate',
  'not_councils_responsibility', 'no_further_action', 'internal_referral',
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
  // Open again: FixMyStreet shows it as confirmed (open).
  reopened: 'open',
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

/** What an incoming update status means here, and the workflow actions it asks for, in order. */
export interface IncomingStatus {
  meaning: string;
  actions: readonly string[];
}

/**
 * mySociety's full extended status list as clients send it on POST /servicerequestupdates
 * (UPPERCASE). The first action that the caller's role may take in the case's state with just a
 * note is applied; none means the update is recorded as a public comment. OPEN (of a closed case)
 * and REOPEN ask for `reopen`, and without the right to take it the dispatchers are told.
 * DUPLICATE names no target case and INTERNAL_REFERRAL no department, so both are comments for
 * staff to act on. docs/OPEN311.md shows this table.
 */
export const INCOMING_STATUSES: Readonly<Record<string, IncomingStatus>> = {
  OPEN: { meaning: 'still open; of a closed case, a request to reopen it', actions: ['reopen'] },
  REOPEN: { meaning: 'reopen a closed case', actions: ['reopen'] },
  FOR_TRIAGE: { meaning: 'needs sorting: a comment for the dispatchers', actions: [] },
  INVESTIGATING: { meaning: 'being checked on site (核实)', actions: ['verify'] },
  PLANNED: { meaning: 'work planned (立案)', actions: ['register'] },
  ACTION_SCHEDULED: { meaning: 'work scheduled (立案)', actions: ['register'] },
  IN_PROGRESS: { meaning: 'being handled (签收)', actions: ['accept'] },
  FIXED: { meaning: 'fixed: the next step towards closing (处置完成 / 答复 / 核查通过 / 结案)', actions: ['complete', 'reply', 'check_pass', 'close'] },
  CLOSED: { meaning: 'closed (结案)', actions: ['close'] },
  NOT_COUNCILS_RESPONSIBILITY: { meaning: 'not ours to handle (不予受理, else 作废)', actions: ['reject', 'void'] },
  NO_FURTHER_ACTION: { meaning: 'nothing more will be done (不予受理, else 作废)', actions: ['reject', 'void'] },
  CANCELLED: { meaning: 'withdrawn by the reporter (作废, else 不予受理)', actions: ['void', 'reject'] },
  DUPLICATE: { meaning: 'a duplicate: a comment (merging needs the original case)', actions: [] },
  INTERNAL_REFERRAL: { meaning: 'referred elsewhere: a comment (reassigning needs a department)', actions: [] },
  UNCHANGED: { meaning: 'a comment; the status stays', actions: [] },
};

/** An incoming status as sent (`in progress`, `In_Progress`, `IN-PROGRESS`) in its canonical form. */
export function canonicalStatus(status: string): string {
  return status.trim().toUpperCase().replace(/[\s-]+/g, '_');
}
