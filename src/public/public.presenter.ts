import { caseAttributes, type CaseEventRow, type CaseRow } from '../cases/case.repository.js';
import { allowedActions, getWorkflow } from '../cases/workflow/index.js';
import { scrubText } from '../privacy/scrub.js';
import { publicNote } from '../open311/open311.events.js';

/** What a citizen is told about a case's state: a few words, not the workflow's inner states. */
export const PUBLIC_STATUS = {
  received: '已受理',
  in_progress: '办理中',
  checking: '已处置，核查中',
  replied: '已答复',
  closed: '已办结',
  rejected: '不予立案',
  merged: '已合并办理',
  voided: '已撤销',
  suspended: '暂缓办理',
} as const;
export type PublicStatus = keyof typeof PUBLIC_STATUS;

const STATUS_OF_STATE: Record<string, PublicStatus> = {
  reported: 'received', accepted: 'received', verified: 'received',
  registered: 'in_progress', dispatched: 'in_progress', handling: 'in_progress', reopened: 'in_progress',
  handled: 'checking', checked: 'checking',
  replied: 'replied', callback_done: 'replied',
  closed: 'closed', rejected: 'rejected', merged: 'merged', voided: 'voided', suspended: 'suspended',
};

/** The public status of a workflow state (an unknown state reads as in progress while open). */
export function publicStatus(state: string, workflow: string): PublicStatus {
  const known = STATUS_OF_STATE[state];
  if (known) return known;
  return getWorkflow(workflow).states[state]?.openStatus === 'closed' ? 'closed' : 'in_progress';
}

/**
 * The timeline steps the public sees, in words; every other event (attachments, escalation,
 * supervision, extension requests, returns, light changes) stays internal. `note` says whether the
 * step may carry its note (the reason for a rejection, what was done, the reopen request); the note
 * is shown only when its writer marked it public, scrubbed (the rule Open311 readers get too).
 */
export const PUBLIC_STEPS: Record<string, { step: string; text: string; note: boolean; department?: boolean }> = {
  report: { step: 'report', text: '已受理您的反映', note: false },
  verify: { step: 'verify', text: '已核实', note: false },
  register: { step: 'register', text: '已立案', note: false },
  dispatch: { step: 'dispatch', text: '已派遣至处置部门', note: false, department: true },
  reassign: { step: 'dispatch', text: '已派遣至处置部门', note: false, department: true },
  accept: { step: 'accept', text: '处置部门已接单', note: false },
  complete: { step: 'complete', text: '处置完成', note: true },
  reply: { step: 'reply', text: '已答复', note: true },
  check_pass: { step: 'check_pass', text: '现场核查通过', note: false },
  check_fail: { step: 'check_fail', text: '核查未通过，返工处理中', note: false },
  callback: { step: 'callback', text: '已回访', note: false },
  close: { step: 'close', text: '已办结', note: false },
  reject: { step: 'reject', text: '不予立案', note: true },
  merge: { step: 'merge', text: '与同一问题的案件合并办理', note: false },
  void: { step: 'void', text: '已撤销', note: false },
  suspend: { step: 'suspend', text: '暂缓办理', note: false },
  resume: { step: 'resume', text: '恢复办理', note: false },
  approve_extension: { step: 'extend', text: '办理期限已延长', note: false },
  reopen: { step: 'reopen', text: '重新办理', note: true },
  evaluate: { step: 'evaluate', text: '市民已评价', note: false },
};

export interface PublicNames {
  categoryName: string;
  area: string | null;
  department: string | null;
  departments: Map<number, string>;
}

function departmentOf(event: CaseEventRow, names: PublicNames): string | null {
  const id = (JSON.parse(event.data) as { departmentId?: unknown }).departmentId;
  return typeof id === 'number' ? names.departments.get(id) ?? null : null;
}

/** The public timeline of a case: only the steps in PUBLIC_STEPS, in order, without who acted. */
export function presentPublicTimeline(events: CaseEventRow[], names: PublicNames) {
  return events.flatMap((e) => {
    const step = PUBLIC_STEPS[e.action];
    if (!step) return [];
    return [{
      at: e.at,
      step: step.step,
      text: step.text,
      department: step.department ? departmentOf(e, names) : null,
      note: step.note ? publicNote(e) : null,
    }];
  });
}

/**
 * A case as its reporter may see it without signing in: status in words, the public timeline,
 * the expected date and what they may still do. No names, phones, address or staff identities.
 */
export function presentTracking(row: CaseRow, events: CaseEventRow[], names: PublicNames) {
  const def = getWorkflow(row.workflow);
  const status = publicStatus(row.status, row.workflow);
  const open = def.states[row.status]?.openStatus !== 'closed';
  const citizenActions = allowedActions(def, row.status, 'citizen', caseAttributes(row));
  return {
    number: row.number,
    category: { code: row.category_code, name: names.categoryName },
    status,
    statusText: PUBLIC_STATUS[status],
    open,
    area: names.area,
    description: scrubText(row.description),
    createdAt: row.created_at,
    expectedBy: open ? row.deadline : null,
    closedAt: row.closed_at,
    department: names.department,
    timeline: presentPublicTimeline(events, names),
    evaluation: row.callback_contacted === null ? null : { solved: row.callback_solved === 1, satisfaction: row.callback_satisfaction },
    canEvaluate: citizenActions.includes('evaluate') && row.callback_contacted === null,
    canReopen: citizenActions.includes('reopen'),
  };
}
