import { describe, expect, it } from 'vitest';
import { hotlineFlow } from './hotline.flow.js';
import { WorkflowError } from './workflow.errors.js';
import { applyAction, startCase } from './workflow.engine.js';
import { listProblems } from './workflow.validate.js';
import { thrown, walk, type Step } from './workflow.testkit.js';

const satisfied = { contacted: true, solved: true, satisfaction: 'satisfied' } as const;
const toClosed: Step[] = [
  ['dispatch', 'dispatcher', { departmentId: 3 }],
  ['accept', 'handler'],
  ['reply', 'handler', { note: '已清理占道摊点' }],
  ['callback', 'dispatcher', { callback: satisfied }],
  ['close', 'dispatcher'],
];

describe('hotline flow (12345 接诉即办)', () => {
  it('is a valid definition', () => {
    expect(listProblems(hotlineFlow)).toEqual([]);
  });

  it('counts 上报 and 受理 at intake, which a handler may not do', () => {
    expect(startCase(hotlineFlow, 'citizen')).toMatchObject({ to: 'accepted', stage: 'dispatch', effects: ['count_reported', 'count_registered', 'start_stage'] });
    expect(thrown(() => startCase(hotlineFlow, 'handler'))).toMatchObject({ code: 'transition_not_allowed' });
  });

  it('walks 受理 → 派单 → 办理 → 答复 → 回访 → 办结, recording the callback', () => {
    const { state, trail } = walk(hotlineFlow, toClosed);
    expect(state).toBe('closed');
    expect(trail.map((r) => r.to)).toEqual(['accepted', 'dispatched', 'handling', 'replied', 'callback_done', 'closed']);
    expect(trail.map((r) => r.stage)).toEqual(['dispatch', 'handle', 'handle', 'callback', 'close', undefined]);
    expect(trail[4].effects).toEqual(['record_callback', 'start_stage']);
    expect(trail.flatMap((r) => r.effects).filter((e) => e.startsWith('count_'))).toEqual([
      'count_reported', 'count_registered', 'count_dispatched', 'count_handled', 'count_closed',
    ]);
  });

  it('accepts an unreached caller, but wants an answer from a reached one', () => {
    const replied = { state: 'replied', previousState: 'handling' };
    expect(applyAction(hotlineFlow, replied, 'callback', 'dispatcher', { callback: { contacted: false, solved: null, satisfaction: null } }).to).toBe('callback_done');
    const missing = thrown(() => applyAction(hotlineFlow, replied, 'callback', 'dispatcher', {}));
    const vague = thrown(() => applyAction(hotlineFlow, replied, 'callback', 'dispatcher', { callback: { contacted: true, solved: true, satisfaction: null } }));
    expect(missing).toBeInstanceOf(WorkflowError);
    expect(missing).toMatchObject({ code: 'validation_failed', details: { field: 'callback' } });
    expect(vague).toMatchObject({ code: 'validation_failed', details: { field: 'callback.satisfaction' } });
  });

  it('has no 核实/立案/核查 steps of the urban flow', () => {
    const actions = new Set(hotlineFlow.transitions.map((t) => t.action));
    expect(['verify', 'register', 'complete', 'check_pass', 'check_fail'].filter((a) => actions.has(a))).toEqual([]);
  });
});
