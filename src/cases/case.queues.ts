import type { Role } from '../auth/actor.js';
import { WORKFLOWS, mayAct, sourceStates } from './workflow/index.js';

/**
 * The workbench queues. A work queue holds the cases waiting for one of its actions; which states
 * that means, and whether a role has the queue at all, is read from the workflows (who may take
 * which action from where), so the queues follow the flows. Two watch queues cut across states.
 */
export const QUEUES = {
  verify: { label: '待核实', actions: ['verify'] },
  register: { label: '待立案', actions: ['register'] },
  dispatch: { label: '待派遣', actions: ['dispatch'] },
  handle: { label: '待签收/处置中', actions: ['accept', 'complete', 'reply', 'submit_plan', 'rectify'] },
  check: { label: '待核查', actions: ['check_pass', 'accept_check'] },
  callback: { label: '待回访', actions: ['callback'] },
  close: { label: '待结案', actions: ['close'] },
  overdue: { label: '超期/红灯', watch: 'overdue' },
  supervised: { label: '督办', watch: 'supervised' },
} as const satisfies Record<string, { label: string; actions: readonly string[] } | { label: string; watch: string }>;

export type QueueKey = keyof typeof QUEUES;
export const QUEUE_KEYS = Object.keys(QUEUES) as QueueKey[];

/** What a queue selects: states, and for watch queues a light or the supervision flag. */
export interface QueueFilter {
  status: string[];
  light?: string[];
  supervised?: boolean;
}

function openStates(): string[] {
  return [...new Set(WORKFLOWS.flatMap((def) => Object.entries(def.states).filter(([, s]) => !s.terminal).map(([id]) => id)))];
}

/** The filter of `queue` for `role`, or null when the role has no part in it. Pure. */
export function queueFilter(queue: QueueKey, role: Role): QueueFilter | null {
  const q = QUEUES[queue];
  if ('watch' in q) {
    if (role === 'citizen' || role === 'api') return null;
    return q.watch === 'overdue' ? { status: openStates(), light: ['red', 'severe'] } : { status: openStates(), supervised: true };
  }
  const states = new Set<string>();
  for (const def of WORKFLOWS) {
    for (const t of def.transitions) {
      // Admins may take every action, but leaders watch: they see the work queues of the city too.
      const acts = mayAct(t.roles, role) || role === 'leader';
      if ((q.actions as readonly string[]).includes(t.action) && acts) for (const s of sourceStates(def, t)) states.add(s);
    }
  }
  return states.size > 0 ? { status: [...states] } : null;
}

/** The queues a role has, in workbench order. */
export function queuesFor(role: Role): QueueKey[] {
  return QUEUE_KEYS.filter((key) => queueFilter(key, role) !== null);
}
