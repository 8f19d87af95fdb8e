import { actionLabel, getWorkflow } from '../cases/workflow/index.js';

/**
 * Which timeline events the public sees through Open311 (`notes[]`, `status_notes`, mySociety
 * updates), and whether their note text is public. Internal steps (督办, 上报上级, extensions) and
 * notes that may carry internal or personal detail (退回 reasons, 回访 answers) stay inside.
 */
export const PUBLIC_EVENTS: Readonly<Record<string, { notePublic: boolean }>> = {
  report: { notePublic: false },
  verify: { notePublic: true },
  reject: { notePublic: true },
  register: { notePublic: true },
  dispatch: { notePublic: false },
  accept: { notePublic: false },
  complete: { notePublic: true },
  reply: { notePublic: true },
  check_pass: { notePublic: true },
  check_fail: { notePublic: true },
  close: { notePublic: true },
  return: { notePublic: false },
  reassign: { notePublic: false },
  suspend: { notePublic: true },
  resume: { notePublic: true },
  merge: { notePublic: true },
  merged_child: { notePublic: true },
  void: { notePublic: true },
  reopen: { notePublic: true },
  callback: { notePublic: false },
  comment: { notePublic: true },
  attach: { notePublic: false },
};

export const PUBLIC_EVENT_ACTIONS: readonly string[] = Object.keys(PUBLIC_EVENTS);

/** The action of a timeline event recording an update received through Open311 that moved nothing. */
export const COMMENT_ACTION = 'comment';

/** The public text of an event's note, or null. */
export function publicNote(action: string, note: string | null): string | null {
  return PUBLIC_EVENTS[action]?.notePublic && note?.trim() ? note.trim() : null;
}

// Timeline events that are not workflow transitions, with their Chinese labels.
const EVENT_LABELS: Record<string, string> = { report: '上报', comment: '留言', attach: '上传照片', merged_child: '合并重复件' };

/** The Chinese label of a timeline event of a case in `workflow`. */
export function eventLabel(workflow: string, action: string): string {
  return EVENT_LABELS[action] ?? actionLabel(getWorkflow(workflow), action);
}
