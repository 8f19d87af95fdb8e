import { describe, expect, it } from 'vitest';
import { ROLES } from '../../auth/actor.js';
import { petitionFlow } from './petition.flow.js';
import { allowedActions, applyAction, startCase } from './workflow.engine.js';
import { listProblems } from './workflow.validate.js';
import { thrown, walk, type Step } from './workflow.testkit.js';

const processing = { state: 'processing', previousState: 'lodged' };
const answeredSteps: Step[] = [['accept', 'dispatcher'], ['reply', 'handler', { note: '书面答复: 已责成街道整改' }]];

describe('petition flow (信访, 信访工作条例 2022)', () => {
  it('is a valid definition', () => {
    expect(listProblems(petitionFlow)).toEqual([]);
  });

  it('is lodged by the 信访 office, a leader, the petitioner or an integration, not by a department', () => {
    expect(startCase(petitionFlow, 'citizen')).toMatchObject({ from: null, to: 'lodged', stage: 'acceptance', effects: ['count_reported', 'start_stage'] });
    for (const role of ['handler', 'grid_worker', 'inspector', 'mediator'] as const) {
      expect(thrown(() => startCase(petitionFlow, role)), role).toMatchObject({ code: 'transition_not_allowed' });
    }
  });

  it('登记 → 受理 → 办理 → 书面答复 → 复查 → 复核 (听证 time not counted) → no further acceptance', () => {
    const { state, trail } = walk(petitionFlow, [
      ...answeredSteps,
      ['request_review', 'dispatcher', { note: '信访人不服, 请求复查' }],
      ['review_opinion', 'leader', { note: '复查意见: 维持' }],
      ['request_recheck', 'dispatcher', { note: '请求复核' }],
      ['start_hearing', 'leader', { note: '举行听证' }],
      ['resume', 'dispatcher'],
      ['recheck_opinion', 'leader', { note: '复核意见: 维持' }],
    ]);
    expect(trail.map((r) => r.to)).toEqual(['lodged', 'processing', 'answered', 'reviewing', 'reviewed', 'rechecking', 'hearing', 'rechecking', 'rechecked']);
    // Clocks: 受理告知 (15 days), 办结 (60 days), none while the petitioner may ask for review, 复查, 复核 stopped by the hearing.
    expect(trail.map((r) => r.stage)).toEqual(['acceptance', 'conclude', undefined, 'review', undefined, 'recheck', undefined, 'recheck', undefined]);
    // 复查 and 复核 go to the next level up.
    expect(trail.filter((r) => r.effects.includes('escalate_org')).map((r) => r.action)).toEqual(['request_review', 'request_recheck']);
    expect(trail[6].effects).toEqual(['stop_clock']);
    expect(trail[7].effects).toEqual(['resume_clock']);
    expect(trail[8].effects).toEqual(['count_closed', 'start_stage']);
    expect(state).toBe('rechecked');
    expect(petitionFlow.states.rechecked).toMatchObject({ terminal: true, openStatus: 'closed' });
    // After 复核 the same matter is not accepted again: nobody can move it, not even admin.
    for (const role of ROLES) expect(allowedActions(petitionFlow, 'rechecked', role), role).toEqual([]);
  });

  it('不予受理 needs a reason and ends the case; only the 信访 office or a leader decides on acceptance', () => {
    expect(thrown(() => applyAction(petitionFlow, { state: 'lodged' }, 'reject', 'dispatcher', {}))).toMatchObject({ code: 'validation_failed', details: { field: 'note' } });
    const result = applyAction(petitionFlow, { state: 'lodged' }, 'reject', 'leader', { note: '已经复核, 不再受理' });
    expect(result).toMatchObject({ to: 'not_accepted', effects: ['count_rejected', 'start_stage'] });
    expect(petitionFlow.states.not_accepted).toMatchObject({ terminal: true, openStatus: 'closed' });
    expect(allowedActions(petitionFlow, 'lodged', 'handler')).toEqual([]);
    expect(allowedActions(petitionFlow, 'lodged', 'dispatcher')).toEqual(['accept', 'reject', 'void']);
  });

  it('extends the 60-day limit once, by at most 30 days, approved by a leader', () => {
    expect(applyAction(petitionFlow, processing, 'request_extension', 'handler', { extensionAmount: 30, note: '情况复杂' })).toMatchObject({ to: 'processing', effects: [] });
    expect(thrown(() => applyAction(petitionFlow, processing, 'request_extension', 'handler', { extensionAmount: 31, note: '情况复杂' }))).toMatchObject({
      code: 'validation_failed', details: { field: 'extensionAmount' },
    });
    expect(thrown(() => applyAction(petitionFlow, processing, 'request_extension', 'handler', { extensionAmount: 10 }))).toMatchObject({ details: { field: 'note' } });
    expect(thrown(() => applyAction(petitionFlow, processing, 'approve_extension', 'leader', { newDeadline: '2026-12-31T00:00:00Z' }))).toMatchObject({
      code: 'validation_failed', details: { field: 'extensionAmount' },
    });
    expect(applyAction(petitionFlow, processing, 'approve_extension', 'leader', {})).toMatchObject({ to: 'processing', effects: ['extend_deadline'] });
    expect(allowedActions(petitionFlow, 'processing', 'dispatcher')).not.toContain('approve_extension');
    const again = { ...processing, extensionCount: 1 };
    expect(thrown(() => applyAction(petitionFlow, again, 'approve_extension', 'leader', {}))).toMatchObject({ code: 'transition_not_allowed' });
    expect(thrown(() => applyAction(petitionFlow, again, 'request_extension', 'handler', { extensionAmount: 5, note: '再延' }))).toMatchObject({ code: 'transition_not_allowed' });
  });

  it('the petitioner rates the answer, the review or the closed case; the 信访 office closes after an answer or a review', () => {
    const rating = { callback: { contacted: true, solved: false, satisfaction: 'dissatisfied' as const } };
    for (const state of ['answered', 'reviewed', 'closed']) {
      expect(applyAction(petitionFlow, { state }, 'evaluate', 'citizen', rating), state).toMatchObject({ to: state, effects: ['record_callback'] });
    }
    expect(thrown(() => applyAction(petitionFlow, processing, 'evaluate', 'citizen', rating))).toMatchObject({ code: 'transition_not_allowed' });
    expect(walk(petitionFlow, [...answeredSteps, ['close', 'dispatcher']]).state).toBe('closed');
    expect(allowedActions(petitionFlow, 'reviewed', 'dispatcher')).toEqual(['evaluate', 'request_recheck', 'close', 'void']);
    expect(allowedActions(petitionFlow, 'closed', 'citizen')).toEqual(['evaluate']);
  });

  it('a leader supervises and anyone of the office voids a live petition; a department may not', () => {
    expect(applyAction(petitionFlow, processing, 'supervise', 'leader', { note: '督办' })).toMatchObject({ to: 'processing', effects: ['mark_supervised'] });
    expect(applyAction(petitionFlow, processing, 'void', 'dispatcher', { note: '重复登记' })).toMatchObject({ to: 'voided', effects: ['void', 'start_stage'] });
    expect(allowedActions(petitionFlow, 'processing', 'handler')).toEqual(['request_extension', 'reply']);
    expect(allowedActions(petitionFlow, 'hearing', 'leader')).toEqual(['resume', 'supervise', 'void']);
  });
});
