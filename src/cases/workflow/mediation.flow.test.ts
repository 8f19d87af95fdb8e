import { describe, expect, it } from 'vitest';
import { ROLES } from '../../auth/actor.js';
import { mediationFlow } from './mediation.flow.js';
import { allowedActions, applyAction, startCase } from './workflow.engine.js';
import { listProblems } from './workflow.validate.js';
import { thrown, walk, type Step } from './workflow.testkit.js';

const kept = { contacted: true, solved: true, satisfaction: 'satisfied' } as const;
const toMediating: Step[] = [['assign', 'dispatcher', { note: '分派给调解员张某' }], ['start_mediation', 'mediator']];

describe('mediation flow (矛盾纠纷调解)', () => {
  it('is a valid definition', () => {
    expect(listProblems(mediationFlow)).toEqual([]);
  });

  it('is opened by the office, a mediator, a grid worker, a leader or an integration, and counts as registered', () => {
    expect(startCase(mediationFlow, 'grid_worker')).toMatchObject({ to: 'received', stage: 'mediate', effects: ['count_reported', 'count_registered', 'start_stage'] });
    for (const role of ['citizen', 'handler', 'inspector'] as const) expect(thrown(() => startCase(mediationFlow, role)), role).toMatchObject({ code: 'transition_not_allowed' });
  });

  it('受理 → 分派调解员 → 调解 → 调解成功 → 回访 → 结案, on one 调解 clock until the outcome', () => {
    const { state, trail } = walk(mediationFlow, [...toMediating, ['succeed', 'mediator'], ['callback', 'mediator', { callback: kept }], ['close', 'mediator']]);
    expect(state).toBe('closed');
    expect(trail.map((r) => r.to)).toEqual(['received', 'assigned', 'mediating', 'agreed', 'followed_up', 'closed']);
    expect(trail.map((r) => r.stage)).toEqual(['mediate', 'mediate', 'mediate', 'callback', 'close', undefined]);
    // Assigning and starting do not restart the clock.
    expect([trail[1].effects, trail[2].effects]).toEqual([[], []]);
    expect(trail.slice(3).map((r) => r.effects)).toEqual([['count_handled', 'start_stage'], ['record_callback', 'start_stage'], ['count_closed', 'start_stage']]);
  });

  it('调解不成 needs the referral in a note and is closed without a callback', () => {
    const mediating = walk(mediationFlow, toMediating);
    expect(thrown(() => walk(mediationFlow, [['fail', 'mediator', {}]], mediating))).toMatchObject({ code: 'validation_failed', details: { field: 'note' } });
    const { state, trail } = walk(mediationFlow, [['fail', 'mediator', { note: '引导诉讼' }], ['close', 'dispatcher']], mediating);
    expect(state).toBe('closed');
    expect(trail.map((r) => [r.to, r.stage])).toEqual([['failed', 'close'], ['closed', undefined]]);
    expect(allowedActions(mediationFlow, 'failed', 'mediator')).toEqual(['close', 'escalate']);
  });

  it('only the mediator records the outcome; the office may reassign the mediator', () => {
    const at = { state: 'mediating', previousState: 'assigned' };
    expect(thrown(() => applyAction(mediationFlow, at, 'succeed', 'dispatcher'))).toMatchObject({ code: 'transition_not_allowed' });
    expect(applyAction(mediationFlow, { state: 'assigned', previousState: 'received' }, 'assign', 'leader', { note: '改由李某调解' })).toMatchObject({ to: 'assigned', previousState: 'received' });
    const court = { disputeSource: 'court_delegated' };
    expect(allowedActions(mediationFlow, 'mediating', 'mediator', court)).toEqual(['succeed', 'fail', 'request_extension', 'suspend', 'escalate']);
    expect(allowedActions(mediationFlow, 'mediating', 'leader', court)).toEqual(['approve_extension', 'suspend', 'escalate', 'supervise', 'void']);
    expect(allowedActions(mediationFlow, 'mediating', 'dispatcher', court)).toEqual(['approve_extension', 'suspend', 'void']);
    // Only a court's referral may be extended.
    expect(allowedActions(mediationFlow, 'mediating', 'mediator', { disputeSource: 'walk_in' })).toEqual(['succeed', 'fail', 'suspend', 'escalate']);
    expect(allowedActions(mediationFlow, 'mediating', 'leader')).toEqual(['suspend', 'escalate', 'supervise', 'void']);
  });

  it('extends a court-referred mediation period once (both parties consent), to an amount or a date', () => {
    const at = { state: 'mediating', previousState: 'assigned', attributes: { disputeSource: 'court_entrusted' } };
    expect(thrown(() => applyAction(mediationFlow, { ...at, attributes: { disputeSource: 'patrol' } }, 'request_extension', 'mediator', { extensionAmount: 15, note: '双方同意延长' }))).toMatchObject({ code: 'transition_not_allowed' });
    expect(applyAction(mediationFlow, at, 'request_extension', 'mediator', { extensionAmount: 15, note: '双方同意延长' })).toMatchObject({ to: 'mediating', effects: [] });
    expect(applyAction(mediationFlow, at, 'approve_extension', 'dispatcher', { newDeadline: '2026-12-30T00:00:00Z' })).toMatchObject({ effects: ['extend_deadline'] });
    expect(thrown(() => applyAction(mediationFlow, { ...at, extensionCount: 1 }, 'approve_extension', 'leader'))).toMatchObject({ code: 'transition_not_allowed' });
    expect(thrown(() => applyAction(mediationFlow, { ...at, extensionCount: 1 }, 'request_extension', 'mediator', { extensionAmount: 5, note: '再延' }))).toMatchObject({ code: 'transition_not_allowed' });
  });

  it('中止 stops the clock and resumes where it stopped', () => {
    const { state, trail } = walk(mediationFlow, [...toMediating, ['suspend', 'mediator', { note: '一方住院' }], ['resume', 'mediator']]);
    expect(trail.slice(3).map((r) => [r.to, r.effects])).toEqual([['suspended', ['stop_clock']], ['mediating', ['resume_clock']]]);
    expect(state).toBe('mediating');
    expect(mediationFlow.states.suspended.paused).toBe(true);
  });

  it('nobody acts on a closed or voided dispute; a department (handler) never acts in mediation', () => {
    for (const role of ROLES) {
      expect(allowedActions(mediationFlow, 'closed', role), role).toEqual([]);
      expect(allowedActions(mediationFlow, 'voided', role), role).toEqual([]);
    }
    for (const state of Object.keys(mediationFlow.states)) expect(allowedActions(mediationFlow, state, 'handler'), state).toEqual([]);
    expect(applyAction(mediationFlow, { state: 'received' }, 'void', 'leader', { note: '重复' })).toMatchObject({ to: 'voided' });
  });
});
