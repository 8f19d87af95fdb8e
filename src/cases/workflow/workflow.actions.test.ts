import { describe, expect, it } from 'vitest';
import { ROLES, type Role } from '../../auth/actor.js';
import { hazardFlow } from './hazard.flow.js';
import { hotlineFlow } from './hotline.flow.js';
import { mediationFlow } from './mediation.flow.js';
import { petitionFlow } from './petition.flow.js';
import { urbanFlow } from './urban.flow.js';
import { WorkflowError } from './workflow.errors.js';
import { allowedActions, applyAction, startCase } from './workflow.engine.js';
import type { Effect, InputField, TransitionInput, WorkflowDefinition } from './workflow.types.js';

/**
 * What each action asks for and what it makes the service do, written out by hand per flow: the
 * input missing from an empty request (null: none needed; a reason is recorded for every refusal,
 * return, suspension, supervision and void) and the effects in order (counters before the stage
 * clock moves; moves within one stage keep the clock).
 */
type Rules = Record<string, [missing: InputField | null, effects: Effect[]]>;

const SIDE_PATHS: Rules = {
  return: ['note', ['clear_department', 'start_stage']],
  reassign: ['departmentId', ['set_department']],
  request_extension: ['extensionAmount', []],
  approve_extension: ['extensionAmount', ['extend_deadline']],
  suspend: ['note', ['stop_clock']],
  resume: [null, ['resume_clock']],
  escalate: [null, ['escalate_org']],
  supervise: ['note', ['mark_supervised']],
  merge: ['targetCaseId', ['merge_into', 'start_stage']],
  void: ['note', ['void', 'start_stage']],
  reopen: ['note', ['reopen', 'start_stage']],
  transfer: ['targetCaseId', ['transfer_out', 'start_stage']],
};

const URBAN: Rules = {
  verify: [null, ['count_verified', 'start_stage']],
  reject: ['note', ['count_rejected', 'start_stage']],
  register: [null, ['count_registered', 'start_stage']],
  dispatch: ['departmentId', ['set_department', 'count_dispatched', 'start_stage']],
  accept: [null, []],
  complete: [null, ['count_handled', 'start_stage']],
  check_pass: [null, ['count_checked', 'start_stage']],
  check_fail: ['note', ['count_checked', 'count_rework', 'start_stage']],
  close: [null, ['count_closed', 'start_stage']],
  evaluate: ['callback', ['record_callback']],
  ...SIDE_PATHS,
};

const HOTLINE: Rules = {
  dispatch: ['departmentId', ['set_department', 'count_dispatched', 'start_stage']],
  accept: [null, []],
  reply: ['note', ['count_handled', 'start_stage']],
  callback: ['callback', ['record_callback', 'start_stage']],
  close: [null, ['count_closed', 'start_stage']],
  ...SIDE_PATHS,
};

const { reassign: _noReassign, ...HAZARD_SIDE_PATHS } = SIDE_PATHS;
const HAZARD: Rules = {
  dispatch: ['departmentId', ['set_department', 'count_dispatched', 'start_stage']],
  submit_plan: ['governancePlan', ['extend_deadline']],
  report_progress: ['note', []],
  rectify: ['note', ['count_handled', 'start_stage']],
  accept_check: [null, ['count_checked', 'start_stage']],
  reject_check: ['note', ['count_checked', 'count_rework', 'start_stage']],
  close: [null, ['count_closed', 'start_stage']],
  ...HAZARD_SIDE_PATHS,
};

const PETITION: Rules = {
  accept: [null, ['count_registered', 'start_stage']],
  reject: ['note', ['count_rejected', 'start_stage']],
  request_extension: ['extensionAmount', []],
  approve_extension: [null, ['extend_deadline']],
  reply: ['note', ['count_handled', 'start_stage']],
  evaluate: ['callback', ['record_callback']],
  request_review: ['note', ['escalate_org', 'start_stage']],
  review_opinion: ['note', ['start_stage']],
  request_recheck: ['note', ['escalate_org', 'start_stage']],
  start_hearing: ['note', ['stop_clock']],
  resume: [null, ['resume_clock']],
  recheck_opinion: ['note', ['count_closed', 'start_stage']],
  close: [null, ['count_closed', 'start_stage']],
  supervise: ['note', ['mark_supervised']],
  void: ['note', ['void', 'start_stage']],
};

const MEDIATION: Rules = {
  assign: ['note', []],
  start_mediation: [null, []],
  succeed: [null, ['count_handled', 'start_stage']],
  fail: ['note', ['count_handled', 'start_stage']],
  callback: ['callback', ['record_callback', 'start_stage']],
  close: [null, ['count_closed', 'start_stage']],
  request_extension: ['extensionAmount', []],
  approve_extension: [null, ['extend_deadline']],
  suspend: ['note', ['stop_clock']],
  resume: [null, ['resume_clock']],
  escalate: [null, ['escalate_org']],
  supervise: ['note', ['mark_supervised']],
  void: ['note', ['void', 'start_stage']],
};

/** Who may report into each flow, and what creating the case counts (hotline, hazard and mediation cases are registered at once). */
const INTAKE: Record<string, [roles: Role[], effects: Effect[]]> = {
  urban: [['dispatcher', 'grid_worker', 'citizen', 'api'], ['count_reported', 'start_stage']],
  hotline: [['dispatcher', 'citizen', 'api'], ['count_reported', 'count_registered', 'start_stage']],
  petition: [['leader', 'dispatcher', 'citizen', 'api'], ['count_reported', 'start_stage']],
  mediation: [['leader', 'dispatcher', 'grid_worker', 'mediator', 'api'], ['count_reported', 'count_registered', 'start_stage']],
  hazard: [['leader', 'dispatcher', 'handler', 'grid_worker', 'inspector', 'citizen', 'api'], ['count_reported', 'count_registered', 'start_stage']],
};

const FULL: TransitionInput = {
  note: '说明',
  departmentId: 3,
  targetCaseId: 42,
  extensionAmount: 5,
  callback: { contacted: true, solved: true, satisfaction: 'satisfied' },
};

const flows: [WorkflowDefinition, Rules, Record<string, string>?][] = [
  [urbanFlow, URBAN],
  [hotlineFlow, HOTLINE],
  [hazardFlow, HAZARD, { hazardLevel: 'major' }],
  [petitionFlow, PETITION],
  [mediationFlow, MEDIATION, { disputeSource: 'court_delegated' }],
];

describe.each(flows)('$id: what each action needs and does', (def, rules, attributes) => {
  it('has exactly the actions of the table', () => {
    expect([...new Set(def.transitions.map((t) => t.action))].sort()).toEqual(Object.keys(rules).sort());
  });

  it.each(Object.keys(rules))('%s', (action) => {
    const [missing, effects] = rules[action];
    const state = Object.keys(def.states).find((s) => allowedActions(def, s, 'admin', attributes).includes(action));
    expect(state, `a state where ${action} is possible`).toBeDefined();
    const at = { state: state!, previousState: action === 'resume' ? Object.keys(def.states).find((s) => s !== state && !def.states[s].terminal)! : null, attributes };
    if (missing) {
      const err = (() => {
        try {
          applyAction(def, at, action, 'admin', {});
        } catch (e) {
          return e;
        }
        return null;
      })();
      expect(err, `${action} with no input`).toBeInstanceOf(WorkflowError);
      expect(err).toMatchObject({ code: 'validation_failed', details: { field: missing } });
    }
    const input: TransitionInput = action === 'submit_plan'
      ? { ...FULL, governancePlan: { targets: '消除隐患', measures: '更换设备', funds: 0, organisation: '设备部', responsible: '部长', deadline: '2026-12-20T09:00:00Z', safetyMeasures: '隔离', emergencyPlan: '专项预案' } }
      : FULL;
    const result = applyAction(def, at, action, 'admin', missing ? input : {});
    expect(result.effects).toEqual(effects);
  });

  it('is reported by the roles of the intake table only, counting what the table says', () => {
    const [roles, effects] = INTAKE[def.id];
    for (const role of ROLES) {
      const may = role === 'admin' || roles.includes(role);
      if (may) expect(startCase(def, role), role).toMatchObject({ to: def.initial, effects });
      else expect(() => startCase(def, role), role).toThrow(WorkflowError);
    }
  });
});
