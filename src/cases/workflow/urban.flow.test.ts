import { describe, expect, it } from 'vitest';
import { urbanFlow } from './urban.flow.js';
import { listProblems } from './workflow.validate.js';
import { walk, type Step } from './workflow.testkit.js';

const toClosed: Step[] = [
  ['verify', 'grid_worker'],
  ['register', 'dispatcher'],
  ['dispatch', 'dispatcher', { departmentId: 7 }],
  ['accept', 'handler'],
  ['complete', 'handler'],
  ['check_pass', 'inspector'],
  ['close', 'dispatcher'],
];

describe('urban flow (数字城管)', () => {
  it('is a valid definition', () => {
    expect(listProblems(urbanFlow)).toEqual([]);
  });

  it('walks 上报 → 核实 → 立案 → 派遣 → 处置 → 核查 → 结案, with stage clocks and KPI counters', () => {
    const { state, trail } = walk(urbanFlow, toClosed);
    expect(state).toBe('closed');
    expect(trail.map((r) => r.to)).toEqual(['reported', 'verified', 'registered', 'dispatched', 'handling', 'handled', 'checked', 'closed']);
    expect(trail.map((r) => r.stage)).toEqual(['verify', 'register', 'dispatch', 'handle', 'handle', 'check', 'close', undefined]);
    expect(trail.flatMap((r) => r.effects).filter((e) => e.startsWith('count_'))).toEqual([
      'count_reported', 'count_verified', 'count_registered', 'count_dispatched', 'count_handled', 'count_checked', 'count_closed',
    ]);
    // Accepting keeps the handling clock running: no new stage.
    expect(trail[4].effects).toEqual([]);
  });

  it('loops back to handling on a failed check and counts the rework each time', () => {
    const rework: Step[] = [['check_fail', 'grid_worker', { note: '路面仍有积水' }], ['complete', 'handler']];
    const steps = [...toClosed.slice(0, 5), ...rework, ...rework, ...toClosed.slice(5)];
    const { state, trail } = walk(urbanFlow, steps);
    expect(state).toBe('closed');
    expect(trail.filter((r) => r.action === 'check_fail').map((r) => [r.from, r.to, r.stage])).toEqual([
      ['handled', 'handling', 'handle'],
      ['handled', 'handling', 'handle'],
    ]);
    expect(trail.flatMap((r) => r.effects).filter((e) => e === 'count_rework')).toHaveLength(2);
  });

  it('returns a dispatched case to the dispatcher without a department, and redispatches it', () => {
    const { state, trail } = walk(urbanFlow, [...toClosed.slice(0, 4), ['return', 'handler', { note: '不属于本部门职责' }], ['dispatch', 'dispatcher', { departmentId: 9 }]]);
    const returned = trail[5];
    expect([returned.to, returned.stage, returned.effects]).toEqual(['registered', 'dispatch', ['clear_department', 'start_stage']]);
    expect(state).toBe('dispatched');
  });

  it('reopens a closed case into a state that goes back to dispatch', () => {
    const { state, trail } = walk(urbanFlow, [...toClosed, ['reopen', 'citizen', { note: '问题复发' }], ['dispatch', 'dispatcher', { departmentId: 7 }]]);
    expect(trail[8]).toMatchObject({ from: 'closed', to: 'reopened', stage: 'dispatch', effects: ['reopen', 'start_stage'] });
    expect(state).toBe('dispatched');
  });

  it('ends early cases by rejection or merge, both closed for Open311', () => {
    const rejected = walk(urbanFlow, [['reject', 'dispatcher', { note: '不属于城管范围' }]]);
    const merged = walk(urbanFlow, [['verify', 'dispatcher'], ['merge', 'dispatcher', { targetCaseId: 41 }]]);
    expect([rejected.state, merged.state]).toEqual(['rejected', 'merged']);
    expect(rejected.trail[1].effects).toEqual(['count_rejected', 'start_stage']);
    expect([urbanFlow.states.rejected.openStatus, urbanFlow.states.merged.openStatus]).toEqual(['closed', 'closed']);
    expect(merged.trail[2].effects).toContain('merge_into');
  });
});
