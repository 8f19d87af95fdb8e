import type { Role } from '../../auth/actor.js';
import type { StageKey } from '../../catalogue/time-limits.js';

export type { StageKey };

/**
 * SLA stage clocks, with their Chinese labels. A state names the stage whose clock runs while a
 * case sits in it; the limit per stage is the category's (catalogue/time-limits.ts owns the keys,
 * and this record must name each of them once), the maths is sla/'s.
 */
export const STAGES = {
  verify: '核实',
  register: '立案',
  dispatch: '派遣',
  handle: '处置',
  check: '核查',
  close: '结案',
  reply: '答复',
  callback: '回访',
  acceptance: '受理告知',
  conclude: '办结',
  review: '复查',
  recheck: '复核',
  mediate: '调解',
} as const satisfies Record<StageKey, string>;

/**
 * The closed list of side effects a transition asks the service layer to perform, listed on a
 * transition in the order they apply. Counters feed the KPI rollups on every occurrence (a
 * re-dispatch after 退回, each round of rework) and are judged against the stage clock that ends in
 * the same transition, so they come before `start_stage`.
 */
export const EFFECTS = {
  count_reported: '上报数: a case entered the system',
  count_registered: '立案数: the case was accepted as a case (立案 / 受理)',
  count_rejected: '不予立案数',
  count_dispatched: '派遣数, 按时派遣: the case reached a responsible department',
  count_handled: '处置数, 按期处置: the department reported the work done (处置 / 答复)',
  count_closed: '结案数, 按期结案',
  count_rework: '返工数: a check failed and the work goes back to the department',
  count_verified: '核实数, 按时核实: the report was verified on site or by phone',
  count_checked: '核查数, 按时核查: the handling result was checked (passed or sent back)',
  start_stage: "end the running stage clock and start the target state's one (none in terminal states)",
  stop_clock: 'pause the running stage clock (挂起)',
  resume_clock: 'resume the paused clock; the deadline moves by the paused time',
  extend_deadline: 'move the running deadline by input.extensionAmount or to input.newDeadline (延期)',
  set_department: 'make input.departmentId the responsible department',
  clear_department: 'the case has no responsible department any more (退回)',
  record_callback: '三率: store input.callback (联系率, 解决率, 满意率)',
  mark_supervised: '督办: flag the case as supervised, with input.note',
  escalate_org: '上报上级: raise the case to the next org level up',
  merge_into: '合并: link the case to input.targetCaseId; it counts there',
  void: '作废: the case leaves every KPI',
  reopen: '重新办理: the closed case runs the loop again',
  transfer_out: '转调解: the case goes on as a dispute (input.targetCaseId) and leaves 应结案数 here',
} as const;
export type Effect = keyof typeof EFFECTS;

/** Satisfaction levels a callback records (满意, 基本满意, 不满意). */
export const SATISFACTION = ['satisfied', 'basically_satisfied', 'dissatisfied'] as const;
export type Satisfaction = (typeof SATISFACTION)[number];

/** 回访结果. Who was not reached (contacted: false) has no answer to record. */
export interface CallbackResult {
  contacted: boolean;
  solved: boolean | null;
  satisfaction: Satisfaction | null;
}

/**
 * 重大隐患治理方案 (安全生产事故隐患排查治理暂行规定 第十五条: 目标和任务, 方法和措施, 经费和物资,
 * 机构和人员, 时限和要求, 安全措施和应急预案; the 五到位 of 责任, 措施, 资金, 时限, 预案).
 * `deadline` (ISO 8601) becomes the case's deadline; `funds` in 元.
 */
export interface GovernancePlan {
  targets: string;
  measures: string;
  funds: number;
  materials?: string;
  organisation: string;
  responsible: string;
  deadline: string;
  requirements?: string;
  safetyMeasures: string;
  emergencyPlan: string;
}

/** What an actor may send along with an action; a transition lists what it requires. */
export interface TransitionInput {
  departmentId?: number;
  note?: string;
  targetCaseId?: number;
  callback?: CallbackResult;
  /** ISO 8601 date-time. */
  newDeadline?: string;
  /** In the unit of the category's time limit for the running stage. */
  extensionAmount?: number;
  /** A 重大隐患's 治理方案 (hazard flow, `submit_plan`). */
  governancePlan?: GovernancePlan;
}
export type InputField = keyof TransitionInput;

/** Every input field with its Chinese label; also the runtime list validation checks against. */
export const INPUT_FIELDS = {
  departmentId: '责任部门',
  note: '说明',
  targetCaseId: '合并到的案件',
  callback: '回访结果',
  newDeadline: '新期限',
  extensionAmount: '延期时长',
  governancePlan: '治理方案',
} as const satisfies Record<InputField, string>;

/** A required input: one field, or a list of which at least one must be given. */
export type Requirement = InputField | readonly InputField[];

/** The standard actions with their Chinese labels. A flow may add its own actions (snake_case) and labels. */
export const ACTION_LABELS: Readonly<Record<string, string>> = {
  verify: '核实',
  reject: '不予立案',
  register: '立案',
  dispatch: '派遣',
  accept: '签收',
  complete: '处置完成',
  check_pass: '核查通过',
  check_fail: '核查不通过',
  close: '结案',
  return: '退回',
  reassign: '改派',
  request_extension: '申请延期',
  approve_extension: '批准延期',
  suspend: '挂起',
  resume: '恢复',
  escalate: '上报上级',
  supervise: '督办',
  merge: '合并',
  void: '作废',
  reopen: '重新办理',
  transfer: '转调解',
  reply: '答复',
  callback: '回访',
  evaluate: '评价',
};

export type OpenStatus = 'open' | 'closed';

export interface StateDefinition {
  /** Chinese label shown to users. */
  label: string;
  /** No way forward except, for closed cases, `reopen`. */
  terminal?: boolean;
  /** The SLA stage whose clock runs in this state; none in terminal and paused states. */
  stage?: StageKey;
  /** The clock stops here (挂起). */
  paused?: boolean;
  /** Open311 GeoReport v2 status. */
  openStatus: OpenStatus;
}

/** A transition target: a state, back to the state before a side path (resume), or no move at all. */
export type Target<S extends string> = S | '$previous' | '$same';

export interface Transition<S extends string = string> {
  action: string;
  /** Chinese label in this flow, when it differs from ACTION_LABELS (12345 says 派单, not 派遣). */
  label?: string;
  /** The states it leaves from; '*' is every non-terminal state. */
  from: readonly S[] | '*';
  to: Target<S>;
  /** Who may act, besides admin, who may always act. */
  roles: readonly Role[];
  requires?: readonly Requirement[];
  effects?: readonly Effect[];
  /**
   * Bounds on an extension (延期) this transition asks for or grants: the largest extensionAmount
   * and how many extensions a case may have had before (信访: once, at most 30 days). A flow that
   * sets `maxAmount` extends by amount only, never to a free newDeadline.
   */
  extension?: { maxAmount?: number; maxCount?: number };
  /** Only for cases whose attribute has (or, with notIn, has not) one of these values (重大隐患 vs 一般隐患). */
  when?: AttributeGuard;
}

/** A condition on a case attribute (attributes are set at intake). A missing attribute is not `in` any list. */
export interface AttributeGuard {
  attribute: string;
  in?: readonly string[];
  notIn?: readonly string[];
}

export interface WorkflowDefinition<S extends string = string> {
  id: string;
  name: string;
  /** A paragraph for docs/WORKFLOWS.md: what the flow is for and what is special about it. */
  notes?: string;
  initial: S;
  /** Who may report a case into this flow, and what creating it counts. */
  intake: {
    roles: readonly Role[];
    effects: readonly Effect[];
    /** Attributes a report must carry, with their allowed values (a hazard's hazardLevel). */
    attributes?: Readonly<Record<string, readonly string[]>>;
    /** Cases matching this are supervised (督办/挂牌督办) from the moment they are reported. */
    superviseWhen?: AttributeGuard;
  };
  states: Readonly<Record<S, StateDefinition>>;
  transitions: readonly Transition<S>[];
}

/**
 * Returns `def` unchanged, typed by its own state names: a typo in a transition or in `initial`
 * is a compile error in the flow file. Runtime checks are `validateWorkflow`'s job.
 */
export function defineWorkflow<S extends string>(
  def: Omit<WorkflowDefinition<S>, 'initial' | 'transitions'> & { initial: NoInfer<S>; transitions: readonly Transition<NoInfer<S>>[] },
): WorkflowDefinition<S> {
  return def;
}
