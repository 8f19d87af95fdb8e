import { describe, expect, it } from 'vitest';
import { hazardFlow } from './hazard.flow.js';
import { hotlineFlow } from './hotline.flow.js';
import { urbanFlow } from './urban.flow.js';
import { isWorkflowError, WorkflowError } from './workflow.errors.js';
import { actionLabel, applyAction, guardHolds, intakeAttributeProblem, mayAct, sourceStates, startCase } from './workflow.engine.js';
import { findInputProblem } from './workflow.input.js';
import type { TransitionInput, WorkflowDefinition } from './workflow.types.js';
import { thrown } from './workflow.testkit.js';

const handling = { state: 'handling', previousState: 'dispatched' };

describe('guards on case attributes', () => {
  it('`in` holds only for a listed string value; a missing or non-string attribute is in no list', () => {
    const major = { attribute: 'hazardLevel', in: ['major'] };
    expect(guardHolds(major, { hazardLevel: 'major' })).toBe(true);
    expect(guardHolds(major, { hazardLevel: 'general' })).toBe(false);
    expect(guardHolds(major, {})).toBe(false);
    expect(guardHolds(major)).toBe(false);
    expect(guardHolds({ attribute: 'level', in: ['1'] }, { level: 1 })).toBe(false);
  });

  it('`notIn` fails only for a listed value; a missing attribute passes', () => {
    const general = { attribute: 'hazardLevel', notIn: ['major'] };
    expect(guardHolds(general, { hazardLevel: 'general' })).toBe(true);
    expect(guardHolds(general, { hazardLevel: 'major' })).toBe(false);
    expect(guardHolds(general, {})).toBe(true);
    expect(guardHolds(general, { hazardLevel: 7 })).toBe(true);
  });

  it('no guard always holds; a guard with both lists needs both', () => {
    expect(guardHolds(undefined, {})).toBe(true);
    const both = { attribute: 'x', in: ['a', 'b'], notIn: ['b'] };
    expect([guardHolds(both, { x: 'a' }), guardHolds(both, { x: 'b' }), guardHolds(both, { x: 'c' })]).toEqual([true, false, false]);
  });
});

describe('roles, sources and labels', () => {
  it('admin may take any transition; anyone else only when listed', () => {
    expect(mayAct([], 'admin')).toBe(true);
    expect(mayAct(['handler'], 'handler')).toBe(true);
    expect(mayAct(['handler'], 'dispatcher')).toBe(false);
    expect(mayAct([], 'leader')).toBe(false);
  });

  it("spells '*' out as every state that is not terminal", () => {
    const escalate = urbanFlow.transitions.find((t) => t.action === 'escalate')!;
    expect(sourceStates(urbanFlow, escalate).sort()).toEqual(['checked', 'dispatched', 'handled', 'handling', 'registered', 'reopened', 'reported', 'suspended', 'verified']);
    const dispatch = urbanFlow.transitions.find((t) => t.action === 'dispatch')!;
    expect(sourceStates(urbanFlow, dispatch)).toEqual(['registered', 'reopened']);
  });

  it('labels an action with the flow’s own label, else the standard one, else its name', () => {
    expect(actionLabel(hotlineFlow, 'accept')).toBe('接单');
    expect(actionLabel(urbanFlow, 'accept')).toBe('签收');
    expect(actionLabel(hazardFlow, 'dispatch')).toBe('派遣整改');
    expect(actionLabel(urbanFlow, 'no_such_action')).toBe('no_such_action');
    // The label of the first transition of that action that has one, even if an earlier one has none.
    const twins: WorkflowDefinition = {
      ...urbanFlow,
      transitions: [{ action: 'tidy', from: ['reported'], to: '$same', roles: ['dispatcher'] }, { action: 'tidy', from: ['verified'], to: '$same', roles: ['dispatcher'], label: '整理' }, ...urbanFlow.transitions],
    };
    expect(actionLabel(twins, 'tidy')).toBe('整理');
    expect(actionLabel(twins, 'verify')).toBe('核实');
  });
});

describe('applyAction refusals', () => {
  it('says why: an action that does not exist here, or a role that may not take it', () => {
    const missing = thrown(() => applyAction(urbanFlow, handling, 'close', 'dispatcher')) as WorkflowError;
    expect(missing.message).toBe('"close" is not possible in state "handling" of workflow "urban"; allowed: reassign, approve_extension, suspend, void, transfer');
    const role = thrown(() => applyAction(urbanFlow, handling, 'complete', 'citizen')) as WorkflowError;
    expect(role.message).toBe('role "citizen" may not complete in state "handling" of workflow "urban"; allowed: none');
    expect(role.name).toBe('WorkflowError');
    expect(isWorkflowError(role)).toBe(true);
    expect(isWorkflowError(new Error('x'))).toBe(false);
  });

  it('refuses an action whose guard does not hold for the case', () => {
    const general = { state: 'planning', previousState: 'found', attributes: { hazardLevel: 'general' } };
    expect(thrown(() => applyAction(hazardFlow, general, 'submit_plan', 'handler', { note: '方案', newDeadline: '2026-12-20T09:00:00Z' }))).toMatchObject({
      code: 'transition_not_allowed',
      details: { state: 'planning', allowed: ['return', 'request_extension'] },
    });
  });

  it('names the missing input and its label in the message', () => {
    const err = thrown(() => applyAction(urbanFlow, { state: 'registered' }, 'dispatch', 'dispatcher')) as WorkflowError;
    expect(err.message).toBe('dispatch: departmentId (责任部门) is required');
    expect(err.details).toEqual({ workflow: 'urban', action: 'dispatch', field: 'departmentId', anyOf: undefined });
    const ext = thrown(() => applyAction(urbanFlow, handling, 'request_extension', 'handler')) as WorkflowError;
    expect(ext.message).toBe('request_extension: extensionAmount (延期时长) or newDeadline (新期限) is required');
  });

  it('moves to the target and records the state left as previous; takes the effects and stage of the target', () => {
    const result = applyAction(urbanFlow, { state: 'registered', previousState: 'verified' }, 'dispatch', 'dispatcher', { departmentId: 4 });
    expect(result).toEqual({
      action: 'dispatch', from: 'registered', to: 'dispatched', stage: 'handle', previousState: 'registered',
      effects: ['set_department', 'count_dispatched', 'start_stage'],
    });
    expect(applyAction(urbanFlow, { state: 'dispatched' }, 'accept', 'handler').effects).toEqual([]);
    // $same with no previous state stored: null, never undefined.
    expect(applyAction(urbanFlow, { state: 'handling' }, 'escalate', 'leader').previousState).toBeNull();
  });

  it('resume refuses a previous state that is not a state of the flow', () => {
    const err = thrown(() => applyAction(urbanFlow, { state: 'suspended', previousState: 'archived' }, 'resume', 'leader')) as WorkflowError;
    expect(err).toMatchObject({ code: 'validation_failed', details: { workflow: 'urban', action: 'resume', field: 'previousState' } });
    expect(err.message).toBe('resume: the case has no valid previous state to return to (got archived)');
    expect(applyAction(urbanFlow, { state: 'suspended', previousState: 'checked' }, 'resume', 'leader')).toMatchObject({ to: 'checked', previousState: 'suspended', stage: 'close' });
  });
});

describe('extension bounds', () => {
  const flow: WorkflowDefinition = {
    ...urbanFlow,
    transitions: urbanFlow.transitions.map((t) => (t.action === 'request_extension' ? { ...t, extension: { maxAmount: 10, maxCount: 2 } } : t)),
  };

  it('allows up to maxAmount, refuses more, with the bound in the message', () => {
    expect(applyAction(flow, handling, 'request_extension', 'handler', { extensionAmount: 10 }).to).toBe('handling');
    const err = thrown(() => applyAction(flow, handling, 'request_extension', 'handler', { extensionAmount: 10.5 })) as WorkflowError;
    expect(err).toMatchObject({ code: 'validation_failed', details: { field: 'extensionAmount', action: 'request_extension', workflow: 'urban' } });
    expect(err.message).toBe('request_extension: extensionAmount may be at most 10');
  });

  it('refuses a free new deadline when the flow bounds the amount', () => {
    const err = thrown(() => applyAction(flow, handling, 'request_extension', 'handler', { newDeadline: '2026-12-30T00:00:00Z' })) as WorkflowError;
    expect(err.message).toBe('request_extension: this flow extends by extensionAmount only, not to a newDeadline');
  });

  it('counts the extensions already had against maxCount', () => {
    expect(applyAction(flow, { ...handling, extensionCount: 1 }, 'request_extension', 'handler', { extensionAmount: 3 }).to).toBe('handling');
    const err = thrown(() => applyAction(flow, { ...handling, extensionCount: 2 }, 'request_extension', 'handler', { extensionAmount: 3 })) as WorkflowError;
    expect(err).toMatchObject({ code: 'transition_not_allowed', details: { field: 'extensionAmount' } });
    expect(err.message).toBe('request_extension: the time limit may be extended 2 time(s) only, and has been');
  });

  it('without bounds, any amount and any number of extensions', () => {
    expect(applyAction(urbanFlow, { ...handling, extensionCount: 9 }, 'request_extension', 'handler', { extensionAmount: 1000 }).to).toBe('handling');
    const countOnly: WorkflowDefinition = {
      ...urbanFlow,
      transitions: urbanFlow.transitions.map((t) => (t.action === 'request_extension' ? { ...t, extension: { maxCount: 1 } } : t)),
    };
    expect(applyAction(countOnly, handling, 'request_extension', 'handler', { newDeadline: '2026-12-30T00:00:00Z' }).to).toBe('handling');
    expect(applyAction(countOnly, handling, 'request_extension', 'handler', { extensionAmount: 500 }).to).toBe('handling');
  });
});

describe('registry', () => {
  it('names the known flows when asked for an unknown one', async () => {
    const { getWorkflow } = await import('./workflow.registry.js');
    const err = thrown(() => getWorkflow('river')) as WorkflowError;
    expect(err.message).toBe('unknown workflow "river"; known: urban, hotline, petition, mediation, hazard');
    expect(err.details).toEqual({ workflow: 'river', field: 'workflow' });
  });
});

describe('intake', () => {
  it('starts a case in the initial state with the intake effects, and refuses a role not listed', () => {
    expect(startCase(urbanFlow, 'grid_worker')).toEqual({ action: 'report', from: null, to: 'reported', effects: ['count_reported', 'start_stage'], stage: 'verify', previousState: null });
    expect(startCase(urbanFlow, 'admin').to).toBe('reported');
    const err = thrown(() => startCase(urbanFlow, 'handler')) as WorkflowError;
    expect(err).toMatchObject({ code: 'transition_not_allowed', details: { workflow: 'urban', action: 'report', role: 'handler', allowed: [] } });
    expect(err.message).toBe('role "handler" may not report into workflow "urban"');
  });

  it('checks required attributes: present, a string, one of the listed values', () => {
    expect(intakeAttributeProblem(urbanFlow, {})).toBeNull();
    expect(intakeAttributeProblem(hazardFlow, { hazardLevel: 'major' })).toBeNull();
    expect(intakeAttributeProblem(hazardFlow)).toEqual({ field: 'attributes.hazardLevel', reason: 'a 隐患排查治理 report needs attributes.hazardLevel, one of general, major' });
    expect(intakeAttributeProblem(hazardFlow, { hazardLevel: ['major'] })).toMatchObject({ field: 'attributes.hazardLevel' });
  });
});

describe('transition input', () => {
  const problem = (requires: Parameters<typeof findInputProblem>[0], input: TransitionInput | Record<string, unknown>) => findInputProblem(requires, input as TransitionInput);

  it('wants every requirement, in order, and one of the fields of an "any of" requirement', () => {
    expect(problem([], {})).toBeNull();
    expect(problem(['note', 'departmentId'], {})).toEqual({ field: 'note', anyOf: undefined, reason: 'note (说明) is required' });
    expect(problem(['note', 'departmentId'], { note: '好' })).toMatchObject({ field: 'departmentId' });
    expect(problem([['extensionAmount', 'newDeadline']], { newDeadline: '2026-12-01T00:00:00Z' })).toBeNull();
    expect(problem([['extensionAmount', 'newDeadline']], { extensionAmount: null, newDeadline: null })).toMatchObject({ field: 'extensionAmount', anyOf: ['extensionAmount', 'newDeadline'] });
    // Every given field of an "any of" is checked, not only the first.
    expect(problem([['extensionAmount', 'newDeadline']], { extensionAmount: 2, newDeadline: 'soon' })).toEqual({ field: 'newDeadline', reason: 'newDeadline must be an ISO 8601 date-time' });
  });

  it('ids are positive integers', () => {
    for (const field of ['departmentId', 'targetCaseId'] as const) {
      expect(problem([field], { [field]: 1 })).toBeNull();
      for (const bad of [0, -3, 1.5, '7']) expect(problem([field], { [field]: bad }), `${field} ${String(bad)}`).toEqual({ field, reason: `${field} must be a positive integer id` });
    }
  });

  it('an extension amount is a positive finite number', () => {
    expect(problem(['extensionAmount'], { extensionAmount: 0.5 })).toBeNull();
    for (const bad of [0, -1, Number.POSITIVE_INFINITY, Number.NaN, '3']) expect(problem(['extensionAmount'], { extensionAmount: bad }), String(bad)).toEqual({ field: 'extensionAmount', reason: 'extensionAmount must be a positive number' });
  });

  it('a note has text; a deadline parses', () => {
    expect(problem(['note'], { note: ' 已处理 ' })).toBeNull();
    for (const bad of ['', '   ', 5]) expect(problem(['note'], { note: bad })).toEqual({ field: 'note', reason: 'note must not be empty' });
    expect(problem(['newDeadline'], { newDeadline: '2026-12-01T08:00:00+08:00' })).toBeNull();
    for (const bad of ['next week', 20261201, 2026]) expect(problem(['newDeadline'], { newDeadline: bad })).toMatchObject({ field: 'newDeadline' });
  });

  it('a callback: contacted or not; a reached caller says whether it was solved and how satisfied', () => {
    const cb = (callback: unknown) => problem(['callback'], { callback });
    expect(cb({ contacted: false, solved: null, satisfaction: null })).toBeNull();
    expect(cb({ contacted: true, solved: false, satisfaction: 'basically_satisfied' })).toBeNull();
    expect(cb('yes')).toEqual({ field: 'callback', reason: 'callback must be an object' });
    expect(cb({ contacted: 'yes' })).toEqual({ field: 'callback.contacted', reason: 'callback.contacted must be true or false' });
    expect(cb({ contacted: true, solved: null, satisfaction: 'satisfied' })).toEqual({ field: 'callback.solved', reason: 'callback.solved must be true or false when contacted' });
    expect(cb({ contacted: true, solved: true, satisfaction: 'happy' })).toEqual({
      field: 'callback.satisfaction',
      reason: 'callback.satisfaction must be one of satisfied, basically_satisfied, dissatisfied when contacted',
    });
  });
});
