import { describe, expect, it } from 'vitest';
import { hazardFlow } from './hazard.flow.js';
import { allowedActions, guardHolds, intakeAttributeProblem } from './workflow.engine.js';
import { listProblems } from './workflow.validate.js';
import { thrown, walk, type Step } from './workflow.testkit.js';

const major = { state: 'found', previousState: null, attributes: { hazardLevel: 'major' } };
const general = { state: 'found', previousState: null, attributes: { hazardLevel: 'general' } };
const governancePlan = {
  targets: '消除隐患', measures: '更换设备', funds: 50_000, organisation: '设备部', responsible: '部长', deadline: '2026-12-20T09:00:00Z',
  safetyMeasures: '隔离, 监护', emergencyPlan: '专项应急预案',
};
const plan = { governancePlan };

describe('hazard flow (隐患排查治理)', () => {
  it('is a valid definition', () => {
    expect(listProblems(hazardFlow)).toEqual([]);
  });

  it('一般隐患: 派遣 → 整改 → 验收 → 销号', () => {
    const steps: Step[] = [['dispatch', 'dispatcher', { departmentId: 2 }], ['rectify', 'handler', { note: '已整改' }], ['accept_check', 'handler'], ['close', 'handler']];
    const { state, trail } = walk(hazardFlow, steps, general);
    expect(state).toBe('closed');
    expect(trail.map((r) => r.to)).toEqual(['rectifying', 'awaiting_acceptance', 'acceptance_passed', 'closed']);
  });

  it('重大隐患: no rectification before a 治理方案; the plan sets the deadline; progress reports; 验收; 销号', () => {
    const dispatched = walk(hazardFlow, [['dispatch', 'dispatcher', { departmentId: 2 }]], major);
    expect(dispatched.state).toBe('planning');
    expect(allowedActions(hazardFlow, 'planning', 'handler', major.attributes)).not.toContain('rectify');
    expect(thrown(() => walk(hazardFlow, [['rectify', 'handler', { note: '整改完成' }]], dispatched))).toMatchObject({ code: 'transition_not_allowed' });
    expect(thrown(() => walk(hazardFlow, [['submit_plan', 'handler', { note: '方案' }]], dispatched))).toMatchObject({ code: 'validation_failed', details: { field: 'governancePlan' } });
    expect(thrown(() => walk(hazardFlow, [['submit_plan', 'handler', { governancePlan: { ...governancePlan, responsible: ' ' } }]], dispatched))).toMatchObject({ code: 'validation_failed', details: { field: 'governancePlan.responsible' } });
    expect(thrown(() => walk(hazardFlow, [['submit_plan', 'handler', { governancePlan: { ...governancePlan, funds: Number.NaN } }]], dispatched))).toMatchObject({ code: 'validation_failed', details: { field: 'governancePlan.funds' } });
    const done = walk(hazardFlow, [['submit_plan', 'handler', plan], ['report_progress', 'handler', { note: '完成 50%' }], ['rectify', 'handler', { note: '治理完成' }], ['accept_check', 'inspector'], ['close', 'dispatcher']], dispatched);
    expect(done.trail.map((r) => r.to)).toEqual(['governing', 'governing', 'awaiting_acceptance', 'acceptance_passed', 'closed']);
    expect(done.trail[0].effects).toEqual(['extend_deadline']);
  });

  it('a failed 验收 goes back to 整改 (一般) or 治理 (重大)', () => {
    const at = (attributes: Record<string, string>) => ({ state: 'awaiting_acceptance', previousState: 'rectifying', attributes });
    expect(walk(hazardFlow, [['reject_check', 'handler', { note: '未整改到位' }]], at({ hazardLevel: 'general' })).state).toBe('rectifying');
    expect(walk(hazardFlow, [['reject_check', 'handler', { note: '未整改到位' }]], at({ hazardLevel: 'major' })).state).toBe('governing');
  });

  it('一般隐患 too: a department to send it to, and a reason when 验收 fails', () => {
    expect(thrown(() => walk(hazardFlow, [['dispatch', 'dispatcher', {}]], general))).toMatchObject({ code: 'validation_failed', details: { field: 'departmentId' } });
    const awaiting = { state: 'awaiting_acceptance', previousState: 'rectifying', attributes: { hazardLevel: 'general' } };
    expect(thrown(() => walk(hazardFlow, [['reject_check', 'inspector', {}]], awaiting))).toMatchObject({ code: 'validation_failed', details: { field: 'note' } });
  });

  it('a report must say its level; a major one is supervised at intake', () => {
    expect(intakeAttributeProblem(hazardFlow, {})).toMatchObject({ field: 'attributes.hazardLevel' });
    expect(intakeAttributeProblem(hazardFlow, { hazardLevel: 'huge' })).toMatchObject({ field: 'attributes.hazardLevel' });
    expect(intakeAttributeProblem(hazardFlow, { hazardLevel: 'general' })).toBeNull();
    expect(guardHolds(hazardFlow.intake.superviseWhen, { hazardLevel: 'major' })).toBe(true);
    expect(guardHolds(hazardFlow.intake.superviseWhen, { hazardLevel: 'general' })).toBe(false);
  });
});
