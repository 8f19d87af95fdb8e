import { describe, expect, it } from 'vitest';
import { ROLES } from '../../auth/actor.js';
import { hotlineFlow } from './hotline.flow.js';
import { urbanFlow } from './urban.flow.js';
import { WorkflowError } from './workflow.errors.js';
import { allowedActions, applyAction } from './workflow.engine.js';
import { thrown, walk } from './workflow.testkit.js';

const handling = { state: 'handling', previousState: 'dispatched' };

describe('allowedActions', () => {
  it('lists what a role may do in a state, in definition order', () => {
    expect(allowedActions(urbanFlow, 'handling', 'handler')).toEqual(['complete', 'return', 'request_extension']);
    expect(allowedActions(urbanFlow, 'handling', 'leader')).toEqual(['approve_extension', 'suspend', 'escalate', 'supervise', 'void', 'transfer']);
    expect(allowedActions(urbanFlow, 'closed', 'citizen')).toEqual(['evaluate', 'reopen']);
    expect(allowedActions(urbanFlow, 'voided', 'dispatcher')).toEqual([]);
    expect(allowedActions(urbanFlow, 'no_such_state', 'admin')).toEqual([]);
  });

  it('lets admin take every transition of both flows', () => {
    for (const def of [urbanFlow, hotlineFlow]) {
      for (const state of Object.keys(def.states)) {
        const union = new Set(ROLES.flatMap((role) => allowedActions(def, state, role)));
        expect(allowedActions(def, state, 'admin').sort()).toEqual([...union].sort());
      }
    }
  });
});

describe('applyAction', () => {
  it('refuses a role the transition does not list, with the actions that role may take', () => {
    const err = thrown(() => applyAction(urbanFlow, handling, 'complete', 'citizen'));
    expect(err).toBeInstanceOf(WorkflowError);
    expect(err).toMatchObject({
      code: 'transition_not_allowed',
      details: { workflow: 'urban', state: 'handling', action: 'complete', role: 'citizen', allowed: [] },
    });
    expect(thrown(() => applyAction(urbanFlow, handling, 'check_pass', 'inspector'))).toMatchObject({
      code: 'transition_not_allowed',
      details: { allowed: [] },
    });
    expect(thrown(() => applyAction(urbanFlow, { state: 'reported' }, 'close', 'dispatcher'))).toMatchObject({
      code: 'transition_not_allowed',
      details: { allowed: ['verify', 'reject', 'suspend', 'merge', 'void', 'transfer'] },
    });
  });

  it('wants a department to dispatch to, naming the field', () => {
    const err = thrown(() => applyAction(urbanFlow, { state: 'registered' }, 'dispatch', 'dispatcher', {}));
    expect(err).toMatchObject({ code: 'validation_failed', details: { field: 'departmentId', action: 'dispatch' } });
    expect((err as Error).message).toContain('departmentId');
    expect(thrown(() => applyAction(urbanFlow, { state: 'registered' }, 'dispatch', 'dispatcher', { departmentId: 0 }))).toMatchObject({
      details: { field: 'departmentId' },
    });
  });

  it('wants one of extensionAmount or newDeadline for an extension', () => {
    expect(thrown(() => applyAction(urbanFlow, handling, 'request_extension', 'handler', { note: '材料未到' }))).toMatchObject({
      code: 'validation_failed',
      details: { field: 'extensionAmount', anyOf: ['extensionAmount', 'newDeadline'] },
    });
    const approved = applyAction(urbanFlow, handling, 'approve_extension', 'leader', { newDeadline: '2026-12-03T18:00:00+08:00' });
    expect(approved).toMatchObject({ to: 'handling', previousState: 'dispatched', effects: ['extend_deadline'] });
  });

  it('suspends with the clock stopped and resumes into the state it left', () => {
    const { state, previousState, trail } = walk(urbanFlow, [
      ['suspend', 'dispatcher', { note: '等待施工许可' }],
      ['supervise', 'leader', { note: '请尽快办理' }],
      ['resume', 'leader'],
    ], handling);
    expect(trail.map((r) => [r.to, r.effects, r.stage])).toEqual([
      ['suspended', ['stop_clock'], undefined],
      ['suspended', ['mark_supervised'], undefined],
      ['handling', ['resume_clock'], 'handle'],
    ]);
    expect([state, previousState]).toEqual(['handling', 'suspended']);
    expect(urbanFlow.states.suspended.paused).toBe(true);
  });

  it('refuses to resume a case whose previous state is lost', () => {
    expect(thrown(() => applyAction(urbanFlow, { state: 'suspended', previousState: null }, 'resume', 'dispatcher'))).toMatchObject({
      code: 'validation_failed',
      details: { field: 'previousState' },
    });
  });

  it('stays put on $same actions and keeps the previous state', () => {
    const result = applyAction(hotlineFlow, { state: 'dispatched', previousState: 'accepted' }, 'escalate', 'leader');
    expect(result).toMatchObject({ from: 'dispatched', to: 'dispatched', previousState: 'accepted', effects: ['escalate_org'] });
  });
});
