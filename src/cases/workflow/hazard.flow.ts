import { SIDE_STATES, sidePaths } from './side-paths.js';
import { defineWorkflow } from './workflow.types.js';

const MAJOR = { attribute: 'hazardLevel', in: ['major'] } as const;
const GENERAL = { attribute: 'hazardLevel', notIn: ['major'] } as const;

/**
 * 安全生产事故隐患排查治理 (双重预防; 安全生产事故隐患排查治理暂行规定, 总局令第16号; the
 * details are UNVERIFIED, cn-governance-rules §6). Every report carries `hazardLevel`:
 * 一般隐患 (`general`): 派遣 → 整改 (立即或限期) → 验收 → 销号.
 * 重大隐患 (`major`): 挂牌督办 at once (the case is supervised from intake) → 派遣 → 治理方案
 * (a structured GovernancePlan: 目标任务, 方法措施, 经费物资, 机构人员, 时限要求, 安全措施和应急预案; its
 * deadline becomes the case's) → 治理 with 进展报告 → 验收 by the department → 销号. Rectification cannot be reported
 * before the plan: `rectify` does not exist in 待制定方案. Overdue hazards escalate like any case.
 */
export const hazardFlow = defineWorkflow({
  id: 'hazard',
  name: '隐患排查治理',
  notes: [
    'Work-safety hazards (双重预防: 隐患排查治理). Every report carries `attributes.hazardLevel`: `general` (一般隐患) or',
    '`major` (重大隐患); a report without it is refused (400). A 重大隐患 is supervised (挂牌督办) from the moment it is',
    'reported. 一般隐患: 派遣整改 → 整改完成 → 验收 → 销号. 重大隐患: 派遣治理 → 提交治理方案 (`governancePlan`:',
    '`targets` 目标任务, `measures` 方法措施, `funds` 经费 (元) and `materials` 物资, `organisation` and `responsible`',
    '机构人员, `deadline` 时限 and `requirements` 要求, `safetyMeasures` 安全措施 and `emergencyPlan` 应急预案, all but',
    "materials and requirements required; its deadline becomes the case's) → 治理中 with 进展报告 → 整改完成 → 验收 by",
    'the department (handler or inspector) → 销号; `GET /api/v1/hazards/{id}` shows the plan and the reports. `rectify`',
    'does not exist before the plan. Transitions marked (hazardLevel = …) apply only to cases with that level.',
    'Overdue hazards light up and escalate like any case (SLA stages: dispatch, handle, check, close).',
  ].join('\n'),
  initial: 'found',
  intake: {
    roles: ['grid_worker', 'inspector', 'dispatcher', 'handler', 'leader', 'citizen', 'api'],
    effects: ['count_reported', 'count_registered', 'start_stage'],
    attributes: { hazardLevel: ['general', 'major'] },
    superviseWhen: MAJOR,
  },
  states: {
    found: { label: '已上报', stage: 'dispatch', openStatus: 'open' },
    rectifying: { label: '整改中', stage: 'handle', openStatus: 'open' },
    planning: { label: '待制定治理方案', stage: 'handle', openStatus: 'open' },
    governing: { label: '治理中', stage: 'handle', openStatus: 'open' },
    awaiting_acceptance: { label: '待验收', stage: 'check', openStatus: 'open' },
    acceptance_passed: { label: '已验收', stage: 'close', openStatus: 'open' },
    closed: { label: '已销号', terminal: true, openStatus: 'closed' },
    ...SIDE_STATES,
  },
  transitions: [
    { action: 'dispatch', label: '派遣整改', from: ['found', 'reopened'], to: 'rectifying', roles: ['dispatcher'], requires: ['departmentId'], effects: ['set_department', 'count_dispatched', 'start_stage'], when: GENERAL },
    { action: 'dispatch', label: '派遣治理', from: ['found', 'reopened'], to: 'planning', roles: ['dispatcher'], requires: ['departmentId'], effects: ['set_department', 'count_dispatched', 'start_stage'], when: MAJOR },
    // The structured plan (governancePlan); its deadline (时限) becomes the case's.
    { action: 'submit_plan', label: '提交治理方案', from: ['planning'], to: 'governing', roles: ['handler'], requires: ['governancePlan'], effects: ['extend_deadline'], when: MAJOR },
    { action: 'report_progress', label: '进展报告', from: ['governing'], to: '$same', roles: ['handler'], requires: ['note'] },
    { action: 'rectify', label: '整改完成', from: ['rectifying', 'governing'], to: 'awaiting_acceptance', roles: ['handler'], requires: ['note'], effects: ['count_handled', 'start_stage'] },
    { action: 'accept_check', label: '验收通过', from: ['awaiting_acceptance'], to: 'acceptance_passed', roles: ['handler', 'inspector'], effects: ['count_checked', 'start_stage'] },
    { action: 'reject_check', label: '验收不通过', from: ['awaiting_acceptance'], to: 'rectifying', roles: ['handler', 'inspector'], requires: ['note'], effects: ['count_checked', 'count_rework', 'start_stage'], when: GENERAL },
    { action: 'reject_check', label: '验收不通过', from: ['awaiting_acceptance'], to: 'governing', roles: ['handler', 'inspector'], requires: ['note'], effects: ['count_checked', 'count_rework', 'start_stage'], when: MAJOR },
    { action: 'close', label: '销号', from: ['acceptance_passed'], to: 'closed', roles: ['dispatcher', 'handler'], effects: ['count_closed', 'start_stage'] },
    // No 改派 straight into 整改中: a reassigned 重大隐患 would skip its plan. 退回 and a new 派遣 instead.
    ...sidePaths({
      awaitingDispatch: 'found',
      dispatched: 'rectifying',
      assigned: ['rectifying', 'planning', 'governing'],
      suspendable: ['found', 'rectifying', 'planning', 'governing', 'awaiting_acceptance', 'acceptance_passed', 'reopened'],
      mergeable: ['found'],
      closed: 'closed',
    }).filter((t) => t.action !== 'reassign'),
  ],
});
