import { actionLabel, getWorkflow } from '../cases/workflow/index.js';
import { scrubText } from '../privacy/scrub.js';

/**
 * Which timeline events the public sees through Open311 (`notes[]`, `status_notes`, mySociety
 * updates). Internal steps (督办, 上报上级, extensions, 回访) are not listed. Whether an event's
 * note is shown is the event's own `note_public` flag, set by whoever wrote it (staff notes are
 * internal unless marked public); a shown note is scrubbed of personal data.
 */
export const PUBLIC_EVENT_ACTIONS: readonly string[] = [
  'report', 'verify', 'reject', 'register', 'dispatch', 'accept', 'complete', 'reply', 'check_pass', 'check_fail',
  'close', 'return', 'reassign', 'suspend', 'resume', 'merge', 'merged_child', 'void', 'reopen', 'comment', 'attach',
];

const PUBLIC = new Set(PUBLIC_EVENT_ACTIONS);

/** Whether the public sees that an event with this action happened. */
export function isPublicEvent(action: string): boolean {
  return PUBLIC.has(action);
}

/**
 * The events of the mySociety updates feed: the public events except the report itself, which a
 * client such as FixMyStreet already has (it would show it as a council comment on every report).
 */
export const UPDATE_FEED_ACTIONS: readonly string[] = PUBLIC_EVENT_ACTIONS.filter((a) => a !== 'report');

/** The action of a timeline event recording an update received through Open311 that moved nothing. */
export const COMMENT_ACTION = 'comment';

/** The public text of an event's note (scrubbed of personal data), or null when it has none or is internal. */
export function publicNote(e: { action: string; note: string | null; note_public: number }): string | null {
  return isPublicEvent(e.action) && e.note_public === 1 && e.note?.trim() ? scrubText(e.note.trim()) : null;
}

// Timeline events that are not workflow transitions, with their Chinese labels.
const EVENT_LABELS: Record<string, string> = { report: '上报', comment: '留言', attach: '上传照片', merged_child: '合并重复件' };

/** The Chinese label of a timeline event of a case in `workflow`. */
export function eventLabel(workflow: string, action: string): string {
  return EVENT_LABELS[action] ?? actionLabel(getWorkflow(workflow), action);
}
